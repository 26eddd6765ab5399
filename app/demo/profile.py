"""The demo restaurant itself: who it is, when it opens and how it books."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.db.models import Restaurant, User
from app.demo.floor import AREAS, COMBINATIONS
from app.domain.opening_hours import opening_hours_to_json, parse_opening_hours
from app.domain.restaurant_spec import parse_restaurant

TIMEZONE = "Europe/Moscow"
NAME = "Tverskaya Brasserie"
SPECIAL_DATE_OFFSET_DAYS = 10

_LUNCH, _DINNER = ["12:00", "15:30"], ["18:00", "23:30"]
# Friday and Saturday dinners close at 01:00: a close before the open runs past midnight.
OPENING_HOURS: dict[str, list[list[str]]] = {
    "mon": [_LUNCH, _DINNER],
    "tue": [_LUNCH, _DINNER],
    "wed": [_LUNCH, _DINNER],
    "thu": [_LUNCH, _DINNER],
    "fri": [_LUNCH, ["18:00", "01:00"]],
    "sat": [_LUNCH, ["18:00", "01:00"]],
    "sun": [["12:00", "22:00"]],
}

TURN_TIMES = {"1-2": 75, "3-4": 90, "5-6": 120, "7+": 150}
BUFFER_MINUTES = 15
MAX_COVERS_PER_SLOT = 40
DEPOSIT_PARTY_SIZE = 8
DEPOSIT_PER_GUEST = 1000
VIP_THRESHOLDS = {"silver": {"visits": 5}, "gold": {"visits": 12}, "platinum": {"visits": 25}}


def turn_time(party_size: int) -> int:
    """Minutes a party of this size holds its table (the ``turn_times`` setting)."""
    if party_size <= 2:
        return TURN_TIMES["1-2"]
    if party_size <= 4:
        return TURN_TIMES["3-4"]
    if party_size <= 6:
        return TURN_TIMES["5-6"]
    return TURN_TIMES["7+"]


def special_date(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=SPECIAL_DATE_OFFSET_DAYS)


def demo_settings(today: dt.date) -> dict[str, Any]:
    return {
        "demo": True,
        "slot_interval_minutes": 15,
        "buffer_minutes": BUFFER_MINUTES,
        "min_notice_minutes": 30,
        "last_seating_minutes_before_close": 60,
        "turn_times": dict(TURN_TIMES),
        "max_covers_per_slot": MAX_COVERS_PER_SLOT,
        "reminder_offsets_hours": [24, 2],
        "vip_thresholds": VIP_THRESHOLDS,
        "deposit_rules": {
            "party_size_at_least": DEPOSIT_PARTY_SIZE,
            "amount_per_guest": DEPOSIT_PER_GUEST,
        },
        "special_dates": {
            special_date(today).isoformat(): {"closed": True, "note": "Private event"},
        },
        "currency": "RUB",
        "country": "RU",
        "languages": ["ru", "en"],
        "atmosphere": "Lively Parisian-style brasserie: zinc bar, banquettes, open kitchen.",
        "features": ["heated terrace", "private room", "fireplace", "live jazz on Fridays",
                     "wheelchair access", "high chairs", "valet parking"],
        "tags": ["brasserie", "french", "seafood", "wine bar", "late night"],
        "menu_notes": (
            "Seafood plateaux and oysters daily from 18:00; business lunch Mon-Fri 12:00-15:30 "
            "(1 450 ₽); vegetarian and gluten-free dishes marked on the menu; corkage 1 500 ₽."
        ),
        "combinations": [list(names) for names in COMBINATIONS],
        "floor_areas": [area.to_json() for area in AREAS],
    }  # fmt: skip


def build_restaurant(today: dt.date, owner: User, created_at: dt.datetime) -> Restaurant:
    """The restaurant row, checked by the same parser as a ``restaurant import`` file."""
    parse_opening_hours(OPENING_HOURS)  # fails loudly if the table above is ever broken
    spec = parse_restaurant(
        {
            "name": NAME,
            "description": (
                "A busy all-day brasserie two minutes from Pushkinskaya: French classics, "
                "Russian seasonal produce, an oyster bar and a heated terrace over Tverskaya."
            ),
            "address": "Tverskaya ul. 18, bld. 1, Moscow 125009",
            "phone": "+7 495 123-45-67",
            "email": "booking@tverskaya-brasserie.ru",
            "cuisine": "French brasserie",
            "opening_hours": OPENING_HOURS,
            "settings": demo_settings(today),
            "timezone": TIMEZONE,
            "average_service_time": 90,
            "max_advance_booking": 60,
        }
    )
    restaurant = Restaurant(**spec.__dict__, owner=owner, created_at=created_at)
    restaurant.opening_hours = opening_hours_to_json(parse_opening_hours(spec.opening_hours))
    return restaurant
