"""The restaurant part of an import file or settings form, checked field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain import fields
from app.domain.opening_hours import opening_hours_to_json, parse_opening_hours
from app.domain.phones import normalize_phone
from app.errors import InvalidInput

DEFAULT_TIMEZONE = "Europe/Moscow"
RESTAURANT_FIELDS = {
    "name", "description", "address", "phone", "email", "cuisine", "opening_hours", "settings",
    "timezone", "average_service_time", "max_advance_booking", "is_active",
}  # fmt: skip


@dataclass(frozen=True)
class RestaurantSpec:
    name: str
    timezone: str = DEFAULT_TIMEZONE
    description: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    cuisine: str | None = None
    opening_hours: dict[str, list[list[str]]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    average_service_time: int = 90
    max_advance_booking: int = 60
    is_active: bool = True


def parse_timezone(value: Any) -> str:
    name = fields.text(value, "timezone", max_length=64) or DEFAULT_TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"timezone {name!r} is not an IANA time zone (like Europe/Moscow)."
        ) from None
    return name


def parse_email(value: Any, what: str = "email") -> str | None:
    email = fields.text(value, what, max_length=254)
    if email is None:
        return None
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email:
        raise InvalidInput(f"{what}: {email!r} is not an email address.")
    return email.lower()


def parse_restaurant(raw: Any) -> RestaurantSpec:
    if not isinstance(raw, dict):
        raise InvalidInput("restaurant must be an object with at least a name.")
    fields.check_keys(raw, RESTAURANT_FIELDS, "restaurant")
    settings = raw.get("settings") or {}
    if not isinstance(settings, dict):
        raise InvalidInput("restaurant.settings must be an object.")
    phone = fields.text(raw.get("phone"), "restaurant.phone", max_length=40)
    return RestaurantSpec(
        name=fields.required_text(raw.get("name"), "restaurant.name", max_length=200),
        timezone=parse_timezone(raw.get("timezone")),
        description=fields.text(raw.get("description"), "restaurant.description", max_length=5000),
        address=fields.text(raw.get("address"), "restaurant.address"),
        phone=normalize_phone(phone) if phone else None,
        email=parse_email(raw.get("email"), "restaurant.email"),
        cuisine=fields.text(raw.get("cuisine"), "restaurant.cuisine", max_length=100),
        opening_hours=opening_hours_to_json(parse_opening_hours(raw.get("opening_hours"))),
        settings=settings,
        average_service_time=fields.integer(
            raw.get("average_service_time", 90),
            "restaurant.average_service_time",
            minimum=15,
            maximum=600,
        ),  # fmt: skip
        max_advance_booking=fields.integer(
            raw.get("max_advance_booking", 60),
            "restaurant.max_advance_booking",
            minimum=0,
            maximum=730,
        ),  # fmt: skip
        is_active=fields.boolean(raw.get("is_active", True), "restaurant.is_active"),
    )
