"""Field checks that turn untrusted values (JSON, forms, CLI) into typed ones or say why not."""

from __future__ import annotations

import enum
import re
from typing import Any, TypeVar

from app.errors import InvalidInput

E = TypeVar("E", bound=enum.Enum)


def text(value: Any, what: str, *, required: bool = False, max_length: int = 500) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{what} is required.")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text, not {type(value).__name__}.")
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(f"{what} is too long ({len(value)} characters; at most {max_length}).")
    return value


def required_text(value: Any, what: str, *, max_length: int = 500) -> str:
    result = text(value, what, required=True, max_length=max_length)
    assert result is not None
    return result


def integer(
    value: Any, what: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    # bool is an int subclass in Python; true/false is never a count of guests.
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
            value = int(value.strip())
        else:
            raise InvalidInput(f"{what} must be a whole number, not {value!r}.")
    if minimum is not None and value < minimum:
        raise InvalidInput(f"{what} must be at least {minimum} (got {value}).")
    if maximum is not None and value > maximum:
        raise InvalidInput(f"{what} must be at most {maximum} (got {value}).")
    return value


def number(
    value: Any, what: str, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{what} must be a number, not {value!r}.")
    if minimum is not None and value < minimum:
        raise InvalidInput(f"{what} must be at least {minimum} (got {value}).")
    if maximum is not None and value > maximum:
        raise InvalidInput(f"{what} must be at most {maximum} (got {value}).")
    return float(value)


def boolean(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{what} must be true or false, not {value!r}.")
    return value


def choice(value: Any, enum_cls: type[E], what: str) -> E:
    allowed = [member.value for member in enum_cls]
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, str) and value.strip().lower() in allowed:
        return enum_cls(value.strip().lower())
    raise InvalidInput(f"{what} must be one of {', '.join(allowed)} (got {value!r}).")


def text_list(value: Any, what: str, *, allowed: set[str] | None = None) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f'{what} must be a list of words, like ["window", "quiet"].')
    items = [v.strip().lower() for v in value if v.strip()]
    if allowed is not None:
        unknown = sorted(set(items) - allowed)
        if unknown:
            raise InvalidInput(
                f"{what}: unknown {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(sorted(allowed))}."
            )
    # Keep the order given, drop repeats.
    return list(dict.fromkeys(items))


def check_keys(data: dict[str, Any], known: set[str], what: str) -> None:
    """Refuse unknown keys: a typo in an import file must not be silently ignored."""
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidInput(
            f"{what}: unknown field {', '.join(map(repr, unknown))}; known fields: "
            f"{', '.join(sorted(known))}."
        )
