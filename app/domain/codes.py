"""Confirmation codes a guest can read over the phone without confusion."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: each pair is misread on paper or over the phone.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_confirmation_code(length: int = CODE_LENGTH) -> str:
    """A random code (25^6 ≈ 244 million values); uniqueness is the database's to enforce."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_code(raw: str) -> str:
    """Upper-case and strip spaces/dashes, as a host types what a guest reads out."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())
