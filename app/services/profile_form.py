"""The restaurant's own details on the settings screen, checked field by field (for
app/services/restaurant_settings.py): name, address, phone, e-mail, cuisine, description and
time zone, each stored in its own ``restaurants`` column.

Each ``check_*`` takes what the form typed and returns the value as stored (``None`` clears an
optional column) or raises ``InvalidInput`` with a message a manager can read. The phone reuses
app/domain/phones.py, so the restaurant's number is kept in the same E.164 form as guests'.

Whether the time zone may change depends on the database (it may not once there are bookings);
that check is the service's, made with the restaurant row locked.

Threading: plain functions, no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain import fields
from app.domain.phones import DEFAULT_REGION, normalize_phone
from app.errors import InvalidInput

FIELDS = ("name", "address", "phone", "email", "cuisine", "description", "timezone")
TIMEZONE_LOCKED = (
    "The time zone cannot change once the restaurant has bookings: their times would move."
)
# One "@", no spaces, a dot inside the domain with something either side of it.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def region_of(settings: Mapping[str, Any] | None) -> str:
    """Where a number typed without a country code is read: the restaurant's ``country``
    setting, else the phone helper's own default."""
    country = (settings or {}).get("country")
    if isinstance(country, str) and country.strip():
        return country.strip().upper()
    return DEFAULT_REGION


def check_name(value: Any) -> str:
    return fields.required_text(value, "The restaurant's name", max_length=200)


def check_phone(value: Any, region: str = DEFAULT_REGION) -> str | None:
    text = fields.text(value, "The phone number", max_length=40)
    if text is None:
        return None
    try:
        return normalize_phone(text, region)
    except InvalidInput as exc:
        raise InvalidInput(f"Phone: {exc.message}") from None


def check_email(value: Any) -> str | None:
    """Trimmed; the domain lower-cased (the part before "@" is the mailbox owner's to spell)."""
    email = fields.text(value, "The e-mail address", max_length=254)
    if email is None:
        return None
    if not _EMAIL.fullmatch(email):
        raise InvalidInput(f"{email!r} is not an e-mail address (like booking@example.com).")
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def check_timezone(value: Any) -> str:
    name = fields.required_text(value, "The time zone", max_length=64)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"The time zone {name!r} is not an IANA time zone name (like Europe/Moscow)."
        ) from None
    return name


def _checks(region: str) -> dict[str, Callable[[Any], Any]]:
    return {
        "name": check_name,
        "address": lambda v: fields.text(v, "The address", max_length=500),
        "phone": lambda v: check_phone(v, region),
        "email": check_email,
        "cuisine": lambda v: fields.text(v, "The cuisine", max_length=100),
        "description": lambda v: fields.text(v, "The description", max_length=5000),
        "timezone": check_timezone,
    }


def check_profile(
    provided: Mapping[str, Any], *, region: str = DEFAULT_REGION
) -> tuple[dict[str, Any], dict[str, str]]:
    """Every provided detail checked (all of them): the clean values and, per field, the
    message of each refusal."""
    checks = _checks(region)
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in provided.items():
        try:
            clean[name] = checks[name](value)
        except InvalidInput as exc:
            errors[name] = exc.message
    return clean, errors
