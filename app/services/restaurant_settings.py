"""A restaurant's settings screen: every editable rule, read as one view and saved as one change.

``load_settings`` returns a frozen ``RestaurantSettingsView``: the restaurant's own details
(name, address, phone, e-mail, cuisine, description, time zone), opening hours, special dates,
booking rules (slot interval, turn times, buffer, pacing, booking window, notice, last seating),
deposits, VIP thresholds, reminder offsets and Sofia's engine (never the API key: only whether
one is stored).

``save_settings`` takes a ``RestaurantSettingsInput`` whose fields default to ``UNCHANGED``. It
checks every given field (app/services/settings_form.py, app/services/profile_form.py) before
anything is written and raises one ``FieldErrors`` naming each bad field, so a form can mark them
all at once. The details need the locked row (a phone without a country code is read in the
restaurant's ``country``; the time zone may not change once there are bookings, whose UTC
instants were computed from it), so all refusals are gathered there. It then writes the columns
(the details, ``opening_hours``, ``average_service_time``, ``max_advance_booking``) and the
``settings`` JSON, Sofia's ``settings["sofia"]`` included, in one unit of work with the
restaurant row locked; keys the form does not manage ("demo", "currency", "country", …) stay.

Sofia's configuration is merged here rather than through ``llm_settings.configure_llm``: that
function opens its own unit of work, and the screen's save must be all or nothing. The whole
new configuration still passes ``llm_settings.parse_llm_settings`` before it is written.

Threading: plain functions; each call opens its own unit of work. GUI callers use a worker.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Reservation, Restaurant
from app.domain.booking_rules import (
    DepositRules,
    SpecialDate,
    TurnBand,
    VipThreshold,
    rules_from,
)
from app.domain.opening_hours import WEEKDAYS, Service
from app.errors import InvalidInput, NotFound
from app.services import profile_form, settings_form
from app.services.accounts import UserSummary
from app.services.database import Database
from app.services.permissions import Permission, require
from app.services.settings_form import UNCHANGED
from app.sofia.llm_settings import SETTINGS_KEY, parse_llm_settings

ENVIRONMENT_OVERRIDES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TOBEOUT_AI_MODEL")
_SOFIA_FIELDS = {"sofia_engine": "engine", "sofia_base_url": "base_url", "sofia_model": "model",
                 "sofia_api_key": "api_key_encrypted"}  # fmt: skip
_SETTING_FIELDS = {name: limit.key for name, limit in settings_form.LIMITS.items()
                   if not limit.column} | {"special_dates": "special_dates",
                   "turn_times": "turn_times", "vip_thresholds": "vip_thresholds",
                   "reminder_offsets_hours": "reminder_offsets_hours"}  # fmt: skip
_COLUMN_FIELDS = {name: limit.key for name, limit in settings_form.LIMITS.items() if limit.column}
_DEPOSIT_FIELDS = {"deposit_party_size_at_least": "party_size_at_least",
                   "deposit_amount_per_guest": "amount_per_guest",
                   "deposit_special_events": "special_events"}  # fmt: skip


class FieldErrors(InvalidInput):
    """Some fields are not valid: ``errors`` maps each input field (``opening_hours.<day>`` for
    one weekday, ``""`` for the form as a whole) to what is wrong with it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()) or "Some settings are not valid.")


@dataclass(frozen=True)
class SofiaEngineView:
    engine: str  # "offline" or "openai"
    base_url: str | None
    model: str
    api_key_stored: bool  # never the key itself
    environment: tuple[str, ...] = ()  # OPENAI_* variables set here; they win over the above


@dataclass(frozen=True)
class RestaurantSettingsView:
    restaurant_id: int
    name: str
    timezone: str  # IANA; fixed once the restaurant has bookings
    address: str | None
    phone: str | None  # E.164
    email: str | None
    cuisine: str | None
    description: str | None
    opening_hours: Mapping[str, tuple[Service, ...]]  # every weekday, mon…sun; () is closed
    special_dates: tuple[SpecialDate, ...]  # by date
    slot_interval_minutes: int
    default_turn_minutes: int  # parties no turn-time band covers (average_service_time)
    turn_times: tuple[TurnBand, ...]
    buffer_minutes: int
    max_covers_per_slot: int | None  # pacing; None: no limit
    max_advance_days: int
    min_notice_minutes: int
    last_seating_minutes_before_close: int
    max_party_size: int | None
    deposit: DepositRules
    vip_thresholds: tuple[VipThreshold, ...]  # highest tier first
    reminder_offsets_hours: tuple[float, ...]  # largest first; () sends none
    sofia: SofiaEngineView


@dataclass(frozen=True)
class RestaurantSettingsInput:
    """What to change; every field left ``UNCHANGED`` keeps its stored value.

    Values are plain: numbers or their text; opening hours map ``mon``…``sun`` to text like
    ``"12:00-15:00, 18:00-01:00"`` (or JSON pairs; empty is closed); special dates are rows of
    ``{"date", "closed", "hours", "note"}`` or ``SpecialDate``; turn times map bands (``"3-4"``,
    ``"7+"``) to minutes or are rows of (band, minutes); VIP thresholds map tiers to
    ``{"visits", "spent"}``; reminder offsets are hours (``"24, 2"``). ``None`` means "no limit"
    for pacing, the largest party and the deposit party size, and removes the Sofia API key;
    the key is otherwise replaced only when one is given. The restaurant's details are text;
    an empty optional one clears it.
    """

    name: Any = UNCHANGED
    address: Any = UNCHANGED
    phone: Any = UNCHANGED
    email: Any = UNCHANGED
    cuisine: Any = UNCHANGED
    description: Any = UNCHANGED
    timezone: Any = UNCHANGED
    opening_hours: Any = UNCHANGED
    special_dates: Any = UNCHANGED
    slot_interval_minutes: Any = UNCHANGED
    default_turn_minutes: Any = UNCHANGED
    turn_times: Any = UNCHANGED
    buffer_minutes: Any = UNCHANGED
    max_covers_per_slot: Any = UNCHANGED
    max_advance_days: Any = UNCHANGED
    min_notice_minutes: Any = UNCHANGED
    last_seating_minutes_before_close: Any = UNCHANGED
    max_party_size: Any = UNCHANGED
    deposit_party_size_at_least: Any = UNCHANGED
    deposit_amount_per_guest: Any = UNCHANGED
    deposit_special_events: Any = UNCHANGED
    vip_thresholds: Any = UNCHANGED
    reminder_offsets_hours: Any = UNCHANGED
    sofia_engine: Any = UNCHANGED
    sofia_base_url: Any = UNCHANGED
    sofia_model: Any = UNCHANGED
    sofia_api_key: Any = dataclasses.field(default=UNCHANGED, repr=False)

    def provided(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if getattr(self, f.name) is not UNCHANGED}  # fmt: skip


# -- reading ----------------------------------------------------------------------------------


def load_settings(
    db: Database, restaurant_id: int, *, user: UserSummary | None = None
) -> RestaurantSettingsView:
    """The restaurant's settings; ``InvalidInput`` names a stored setting that is malformed."""
    require(user, Permission.SETTINGS)
    with db.unit_of_work() as uow:
        restaurant = uow.session.get(Restaurant, restaurant_id)
        if restaurant is None:
            raise NotFound(f"There is no restaurant with id {restaurant_id}.")
        return _view(restaurant)


def _view(restaurant: Restaurant) -> RestaurantSettingsView:
    settings = restaurant.settings or {}
    rules = rules_from(
        timezone=restaurant.timezone, opening_hours=restaurant.opening_hours, settings=settings,
        average_service_time=restaurant.average_service_time,
        max_advance_booking=restaurant.max_advance_booking,
    )  # fmt: skip
    llm = parse_llm_settings(settings)
    return RestaurantSettingsView(
        restaurant_id=restaurant.id, name=restaurant.name, timezone=restaurant.timezone,
        address=restaurant.address, phone=restaurant.phone, email=restaurant.email,
        cuisine=restaurant.cuisine, description=restaurant.description,
        opening_hours={day: rules.opening_hours[day] for day in WEEKDAYS},
        special_dates=tuple(rules.special_dates[d] for d in sorted(rules.special_dates)),
        slot_interval_minutes=rules.slot_interval, default_turn_minutes=rules.default_turn,
        turn_times=rules.turn_bands, buffer_minutes=rules.buffer,
        max_covers_per_slot=rules.max_covers_per_slot, max_advance_days=rules.max_advance_days,
        min_notice_minutes=rules.min_notice,
        last_seating_minutes_before_close=rules.last_seating_before_close,
        max_party_size=rules.max_party_size, deposit=rules.deposit,
        vip_thresholds=rules.vip_thresholds,
        reminder_offsets_hours=settings_form.stored_reminder_offsets(settings),
        sofia=SofiaEngineView(
            engine=llm.engine, base_url=llm.base_url, model=llm.model,
            api_key_stored=bool(llm.api_key_token),
            environment=tuple(n for n in ENVIRONMENT_OVERRIDES if os.environ.get(n, "").strip()),
        ),
    )  # fmt: skip


# -- writing ----------------------------------------------------------------------------------


def save_settings(
    db: Database,
    restaurant_id: int,
    changes: RestaurantSettingsInput,
    *,
    user: UserSummary | None,
) -> RestaurantSettingsView:
    """Apply ``changes`` all or nothing; ``FieldErrors`` names every bad field, nothing written."""
    require(user, Permission.SETTINGS)
    provided = changes.provided()
    details = {name: provided.pop(name) for name in profile_form.FIELDS if name in provided}
    clean, errors = settings_form.check_fields(provided)
    with db.unit_of_work() as uow:
        # Locked: a save from another terminal (or ``sofia configure``) waits, none is lost.
        restaurant = uow.session.get(Restaurant, restaurant_id, with_for_update=True)
        if restaurant is None:
            raise NotFound(f"There is no restaurant with id {restaurant_id}.")
        profile = _check_details(uow.session, restaurant, details, errors)
        if errors:
            raise FieldErrors(errors)
        settings = copy.deepcopy(dict(restaurant.settings or {}))
        columns = {"opening_hours": copy.deepcopy(restaurant.opening_hours or {}),
                   "average_service_time": restaurant.average_service_time,
                   "max_advance_booking": restaurant.max_advance_booking}  # fmt: skip
        _merge(clean, settings, columns)
        _check_whole(profile.get("timezone", restaurant.timezone), settings, columns)
        restaurant.settings = settings  # a new dict: the JSON change is seen
        for column, value in (columns | profile).items():
            setattr(restaurant, column, value)
        uow.session.flush()
        view = _view(restaurant)
        uow.changed("restaurant", restaurant_id)
        uow.commit()
    return view


def _check_details(
    session: Session, restaurant: Restaurant, details: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """The restaurant's details checked against its row; refusals are added to ``errors``."""
    profile, refused = profile_form.check_profile(
        details, region=profile_form.region_of(restaurant.settings)
    )
    errors.update(refused)
    zone = profile.get("timezone", restaurant.timezone)
    # Reservations keep UTC instants computed in the old zone: a new one would move them all.
    booked = select(Reservation.id).where(Reservation.restaurant_id == restaurant.id).limit(1)
    if zone != restaurant.timezone and session.scalar(booked) is not None:
        errors["timezone"] = profile_form.TIMEZONE_LOCKED
    return profile


def _merge(clean: dict[str, Any], settings: dict[str, Any], columns: dict[str, Any]) -> None:
    """The checked values into the stored JSON and columns (``None``: remove the key)."""
    for name, value in clean.items():
        if name == "opening_hours":
            columns["opening_hours"] = value
        elif name in _COLUMN_FIELDS:
            columns[_COLUMN_FIELDS[name]] = value
        elif name in _SETTING_FIELDS:
            _put(settings, _SETTING_FIELDS[name], value)
    deposit_changes = {key: clean[name] for name, key in _DEPOSIT_FIELDS.items() if name in clean}
    if deposit_changes:
        deposit = dict(settings.get("deposit_rules") or {}) | deposit_changes
        deposit = {k: v for k, v in deposit.items() if v is not None}
        _put(settings, "deposit_rules", deposit or None)
    sofia_changes = {key: clean[name] for name, key in _SOFIA_FIELDS.items() if name in clean}
    if sofia_changes:
        sofia = dict(settings.get(SETTINGS_KEY) or {}) | sofia_changes
        settings[SETTINGS_KEY] = {k: v for k, v in sofia.items() if v is not None}


def _put(settings: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value


def _check_whole(timezone: str, settings: dict[str, Any], columns: dict[str, Any]) -> None:
    """The new settings as the booking path and Sofia will read them (a stored setting the
    form does not show may still be malformed: that is reported for the form as a whole)."""
    errors: dict[str, str] = {}
    try:
        rules_from(timezone=timezone, settings=settings, **columns)
    except InvalidInput as exc:
        errors[""] = exc.message
    try:
        parse_llm_settings(settings)
    except InvalidInput as exc:
        message = exc.message.replace(f"settings.{SETTINGS_KEY}: the openai", "The OpenAI")
        key = "sofia_engine" if "engine needs" in message else ""
        errors[key] = f"{errors[key]} {message}" if key in errors else message
    if errors:
        raise FieldErrors(errors)
