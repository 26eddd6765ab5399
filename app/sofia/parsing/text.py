"""Text preparation shared by the extractors: one lower-case form, same length as the input.

Keeping every character at its original index lets an extractor blank out what it consumed
(a phone, a date) so the next one cannot misread those digits as, say, a party size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Span = tuple[int, int]

_REPLACEMENTS = {"ё": "е", "’": "'", "‘": "'", "–": "-", "—": "-", "‑": "-", "\u00a0": " "}


def normalize(text: str) -> str:
    """Lower-case, ``ё`` → ``е``, typographic quotes and dashes → ASCII; length preserved."""
    out = []
    for char in text:
        lower = char.lower()
        if len(lower) != 1:  # a few letters (İ) lower-case to two characters
            lower = char
        out.append(_REPLACEMENTS.get(lower, lower))
    return "".join(out)


def mask(text: str, spans: Iterable[Span]) -> str:
    """``text`` with each span replaced by spaces, so later patterns cannot match inside it."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def first_match(patterns: Iterable[re.Pattern[str]], text: str) -> re.Match[str] | None:
    """The earliest match of any pattern (ties: the pattern listed first)."""
    best: re.Match[str] | None = None
    for pattern in patterns:
        match = pattern.search(text)
        if match and (best is None or match.start() < best.start()):
            best = match
    return best
