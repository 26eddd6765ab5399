"""Password hashing with bcrypt; clear passwords are never stored or logged."""

from __future__ import annotations

import bcrypt

from app.errors import InvalidInput

# 12 rounds ≈ 0.2 s on a host-stand PC: slow for an attacker, unnoticeable at login.
BCRYPT_ROUNDS = 12
MIN_PASSWORD_LENGTH = 8
# bcrypt only reads the first 72 bytes; refuse longer rather than silently truncating.
MAX_PASSWORD_BYTES = 72


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise InvalidInput(f"The password must be at most {MAX_PASSWORD_BYTES} bytes long.")


def hash_password(password: str) -> str:
    check_password_rules(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def verify_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        # A corrupted hash in the database never lets anyone in.
        return False
