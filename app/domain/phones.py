"""Phone numbers normalised to E.164, the one form guests are matched by."""

from __future__ import annotations

import phonenumbers

from app.errors import InvalidInput

DEFAULT_REGION = "RU"


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return ``raw`` as E.164 (``+79161234567``) or raise ``InvalidInput`` saying why.

    A number without a country code is read as one of ``region`` (the restaurant's country).
    """
    text = (raw or "").strip()
    if not text:
        raise InvalidInput("A phone number is required.")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(f"{raw!r} is not a phone number.") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidInput(f"{raw!r} is not a valid phone number.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """The international format a host reads aloud (``+7 916 123-45-67``)."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
