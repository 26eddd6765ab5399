"""The restaurant settings form, checked field by field (for app/services/restaurant_settings.py).

Each ``check_*`` takes what a form or a script typed (text, numbers, lists) and returns the value
as it is stored in the restaurant's columns or ``settings`` JSON, or raises ``InvalidInput`` with
a message a manager can read. The ranges are booking_rules' own: each check runs ``rules_from``
on its one setting, so the form and the booking path can never disagree. ``LIMITS`` repeats the
integer ranges for the form's spin boxes (a test keeps the two in step).

Threading: plain functions, no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.db.enums import VipTier
from app.domain import fields
from app.domain.booking_rules import SpecialDate, TurnBand, money, parse_date, rules_from
from app.domain.opening_hours import WEEKDAYS, Service, opening_hours_to_json, parse_opening_hours
from app.errors import InvalidInput
from app.security.secrets import encrypt
from app.sofia.llm_settings import ENGINES, clean_base_url


class _Unchanged:
    """A form field left alone (``None`` is a value: "no limit", "remove the key")."""

    _instance: _Unchanged | None = None

    def __new__(cls) -> _Unchanged:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNCHANGED"

    def __bool__(self) -> bool:
        return False


UNCHANGED: Any = _Unchanged()
DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                "Saturday", "Sunday"), strict=True))  # fmt: skip
DEFAULT_REMINDER_OFFSETS = (24.0, 2.0)  # app/channels/reminders.py's DEFAULT_OFFSETS
MAX_REMINDER_HOURS = 24 * 14  # reminders.offsets_of ignores anything further ahead
_DASH = re.compile(r"\s*[-–—]\s*")
_SPECIAL_KEYS = ("closed", "hours", "note", "max_covers_per_slot", "deposit")


@dataclass(frozen=True)
class Limit:
    """An integer setting: where it is stored, what the form calls it, its range."""

    key: str  # the settings key, or the column when ``column``
    label: str
    low: int
    high: int
    optional: bool = False  # None means "no limit" and removes the key
    column: bool = False


LIMITS: dict[str, Limit] = {
    "slot_interval_minutes": Limit("slot_interval_minutes", "Slot interval", 5, 120),
    "default_turn_minutes": Limit("average_service_time", "Default turn time", 15, 720,
                                  column=True),
    "buffer_minutes": Limit("buffer_minutes", "Buffer between bookings", 0, 120),
    "max_covers_per_slot": Limit("max_covers_per_slot", "Pacing", 1, 10_000, optional=True),
    "max_advance_days": Limit("max_advance_booking", "Booking window", 0, 730, column=True),
    "min_notice_minutes": Limit("min_notice_minutes", "Minimum notice", 0, 7 * 24 * 60),
    "last_seating_minutes_before_close": Limit("last_seating_minutes_before_close",
                                               "Last seating", 0, 600),
    "max_party_size": Limit("max_party_size", "Largest party", 1, 500, optional=True),
}  # fmt: skip


def _relabel(exc: InvalidInput, *pairs: tuple[str, str]) -> InvalidInput:
    """The same refusal in the form's words ("settings.buffer_minutes" → "Buffer …")."""
    message = exc.message
    for raw, label in pairs:
        message = message.replace(raw, label)
    return InvalidInput(message[:1].upper() + message[1:])


def _rules(settings: dict[str, Any] | None = None, **columns: Any) -> Any:
    return rules_from(timezone="UTC", opening_hours=None, settings=settings, **columns)


# -- numbers ----------------------------------------------------------------------------------


def check_limit(name: str, value: Any) -> int | None:
    limit = LIMITS[name]
    if value is None or (isinstance(value, str) and not value.strip()):
        if limit.optional:
            return None
        raise InvalidInput(f"{limit.label} is required.")
    try:
        if limit.column:
            _rules(**{limit.key: value})
        else:
            _rules({limit.key: value})
    except InvalidInput as exc:
        raise _relabel(
            exc, (f"settings.{limit.key}", limit.label), (limit.key, limit.label)
        ) from None
    return fields.integer(value, limit.label)


# -- opening hours and special dates ----------------------------------------------------------


def services_text(services: Iterable[Service]) -> str:
    """``12:00-15:00, 18:00-01:00``: how the form shows a day's services."""
    return ", ".join(f"{s.opens:%H:%M}-{s.closes:%H:%M}" for s in services)


def _pairs(value: Any, label: str) -> Any:
    """A day's services from the form's text, or the JSON shape unchanged."""
    if not isinstance(value, str):
        return value or []
    text = value.strip()
    if not text or text.lower() == "closed":
        return []
    pairs = []
    for piece in re.split(r"\s*[,;]\s*", text):
        if not piece:
            continue
        ends = _DASH.split(piece)
        if len(ends) != 2:
            raise InvalidInput(f"{label}: {piece!r} is not a service like 12:00-15:00.")
        # "9:00" is what people type; the stored form is "09:00".
        pairs.append([("0" + e) if re.fullmatch(r"\d:\d\d", e) else e for e in ends])
    return pairs


def check_day(day: str, value: Any, label: str | None = None) -> list[list[str]]:
    """One day's services (text like ``12:00-15:00, 18:00-01:00`` or JSON pairs)."""
    label = label or DAY_NAMES[day]
    try:
        parsed = parse_opening_hours({day: _pairs(value, label)})
    except InvalidInput as exc:
        message = re.sub(
            rf"opening_hours\.{day}\[(\d+)\]",
            lambda m: f"{label}, service {int(m.group(1)) + 1}",
            exc.message,
        )
        raise InvalidInput(message.replace(f"opening_hours.{day}", label)) from None  # fmt: skip
    return opening_hours_to_json(parsed).get(day, [])


def check_opening_hours(value: Any) -> tuple[dict[str, list[list[str]]], dict[str, str]]:
    """Every weekday checked on its own; errors are keyed ``opening_hours.<day>``."""
    if not isinstance(value, Mapping):
        return {}, {"opening_hours": "Opening hours must give each weekday its services."}
    unknown = sorted(set(value) - set(WEEKDAYS))
    if unknown:
        return {}, {"opening_hours": f"Opening hours: unknown day {', '.join(unknown)}."}
    hours: dict[str, list[list[str]]] = {}
    errors: dict[str, str] = {}
    for day in WEEKDAYS:
        try:
            services = check_day(day, value.get(day))
        except InvalidInput as exc:
            errors[f"opening_hours.{day}"] = exc.message
            continue
        if services:
            hours[day] = services
    return hours, errors


def _special_row(row: Any) -> dict[str, Any]:
    if isinstance(row, SpecialDate):
        return {"date": row.day, "closed": row.closed, "note": row.note,
                "hours": [[f"{s.opens:%H:%M}", f"{s.closes:%H:%M}"] for s in row.hours]
                if row.hours is not None else None,
                "max_covers_per_slot": row.max_covers_per_slot, "deposit": row.deposit}  # fmt: skip
    if not isinstance(row, Mapping):
        raise InvalidInput("Each special date must have a date and its rules.")
    return dict(row)


def check_special_dates(value: Any) -> dict[str, dict[str, Any]]:
    """Rows of {date, closed, hours, note} (or ``SpecialDate``s) → ``{"YYYY-MM-DD": rule}``."""
    if value is None:
        return {}
    if isinstance(value, Mapping) or not isinstance(value, Iterable) or isinstance(value, str):
        raise InvalidInput("Special dates must be a list of dates with their rules.")
    result: dict[str, dict[str, Any]] = {}
    for row in map(_special_row, value):
        fields.check_keys(row, {"date", *_SPECIAL_KEYS}, "Special date")
        day = parse_date(row.get("date"), "Special date").isoformat()
        if day in result:
            raise InvalidInput(f"Special date {day} is listed twice.")
        closed = fields.boolean(bool(row.get("closed")), f"Special date {day}: closed")
        hours = row.get("hours")
        hours = None if hours in (None, "") else check_day("mon", hours, f"Special date {day}")
        if closed and hours:
            raise InvalidInput(f"Special date {day}: a closed day has no hours.")
        if not closed and hours == []:
            raise InvalidInput(f"Special date {day}: give its hours, or mark it closed.")
        rule = {"closed": True} if closed else {}
        if hours:
            rule["hours"] = hours
        rule |= {k: row[k] for k in ("note", "max_covers_per_slot") if row.get(k) not in
                 (None, "")}  # fmt: skip
        if row.get("deposit"):
            rule["deposit"] = row["deposit"]
        if isinstance(rule.get("note"), str):
            rule["note"] = rule["note"].strip()
        result[day] = rule
    try:
        _rules({"special_dates": result})
    except InvalidInput as exc:
        raise _relabel(exc, ("settings.special_dates.", "Special date ")) from None
    return dict(sorted(result.items()))


# -- turn times, deposits, VIP, reminders -----------------------------------------------------


def band_label(band: TurnBand) -> str:
    if band.high is None:
        return f"{band.low}+"
    return str(band.low) if band.high == band.low else f"{band.low}-{band.high}"


def check_turn_times(value: Any) -> dict[str, int]:
    """``{"1-2": 90}`` or rows of (band, minutes); blank rows are skipped."""
    rows = list(value.items()) if isinstance(value, Mapping) else list(value or [])
    raw: dict[str, Any] = {}
    for row in rows:
        band, minutes = row if isinstance(row, tuple | list) and len(row) == 2 else (row, None)
        band = str(band if band is not None else "").strip()
        if not band and minutes in (None, ""):
            continue
        if not band:
            raise InvalidInput("Turn times: every row needs a party size, like 3-4 or 7+.")
        if band in raw:
            raise InvalidInput(f"Turn times: {band} is listed twice.")
        raw[band] = minutes
    try:
        bands = _rules({"turn_times": raw}).turn_bands
    except InvalidInput as exc:
        raise _relabel(exc, ("settings.turn_times.", "Turn times: parties of "),
                       ("settings.turn_times", "Turn times")) from None  # fmt: skip
    return {band_label(b): b.minutes for b in bands}


def _amount(value: Decimal) -> int | str:
    """Money as JSON: a whole number, or text (a float would lose the kopecks)."""
    return int(value) if value == value.to_integral_value() else str(value)


def check_deposit_party(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return fields.integer(value, "Deposit from party size", minimum=1, maximum=500)


def check_deposit_amount(value: Any) -> int | str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    text = value.replace(" ", "").replace(",", ".") if isinstance(value, str) else value
    return _amount(money(text, "Deposit per guest"))


def check_vip_thresholds(value: Any) -> dict[str, dict[str, Any]]:
    """``{"gold": {"visits": 12, "spent": "50000"}}``; a tier with neither is dropped."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        value = {t.tier.value: {"visits": t.visits, "spent": t.spent} for t in value}
    result: dict[str, dict[str, Any]] = {}
    for tier, rule in value.items():
        name = fields.choice(tier, VipTier, "VIP tier").value
        label = f"VIP {name.capitalize()}"
        rule = rule or {}
        if not isinstance(rule, Mapping):
            raise InvalidInput(f"{label} needs a number of visits or an amount spent.")
        fields.check_keys(dict(rule), {"visits", "spent"}, label)
        visits, spent = (None if rule.get(k) in (None, "") else rule.get(k)
                         for k in ("visits", "spent"))  # fmt: skip
        entry: dict[str, Any] = {}
        if visits is not None:
            entry["visits"] = fields.integer(visits, f"{label}: visits", minimum=1)
        if spent is not None:
            text = spent.replace(" ", "").replace(",", ".") if isinstance(spent, str) else spent
            entry["spent"] = _amount(money(text, f"{label}: amount spent"))
        if entry:
            result[name] = entry
    _rules({"vip_thresholds": result})
    order = [t.value for t in VipTier]
    return dict(sorted(result.items(), key=lambda item: order.index(item[0])))


def _hours(item: Any) -> float:
    if isinstance(item, str):
        item = item.strip().lower().removesuffix("h").strip().replace(",", ".")
        try:
            item = float(item)
        except ValueError:
            raise InvalidInput(f"Reminders: {item!r} is not a number of hours.") from None
    if isinstance(item, bool) or not isinstance(item, int | float):
        raise InvalidInput(f"Reminders: {item!r} is not a number of hours.")
    if not 0 < item <= MAX_REMINDER_HOURS:
        raise InvalidInput(
            f"Reminders: {item:g} hours is out of range; use more than 0 and at most "
            f"{MAX_REMINDER_HOURS} (two weeks)."
        )
    return float(item)


def check_reminder_offsets(value: Any) -> list[int | float]:
    """``"24, 2"`` or numbers → hours before the visit, largest first; empty: no reminders."""
    items = re.split(r"[\s,;]+", value.strip()) if isinstance(value, str) else list(value or [])
    hours = sorted({_hours(item) for item in items if item != ""}, reverse=True)
    return [int(h) if h.is_integer() else h for h in hours]


def stored_reminder_offsets(settings: Mapping[str, Any]) -> tuple[float, ...]:
    """What reminders.offsets_of reads: the stored list, or 24 h and 2 h when there is none."""
    raw = settings.get("reminder_offsets_hours", DEFAULT_REMINDER_OFFSETS)
    if not isinstance(raw, list | tuple):
        return DEFAULT_REMINDER_OFFSETS
    good = {float(h) for h in raw if isinstance(h, int | float) and not isinstance(h, bool)
            and 0 < h <= MAX_REMINDER_HOURS}  # fmt: skip
    return tuple(sorted(good, reverse=True))


# -- Sofia's engine ---------------------------------------------------------------------------


def check_engine(value: Any) -> str:
    if isinstance(value, str) and value.strip().lower() in ENGINES:
        return value.strip().lower()
    raise InvalidInput(f"Engine must be one of {', '.join(ENGINES)} (got {value!r}).")


def check_base_url(value: Any) -> str | None:
    return clean_base_url(value, "Base URL")


def check_model(value: Any) -> str:
    return fields.required_text(value, "Model", max_length=100)


def check_api_key(value: Any) -> str | None:
    """A typed key → its Fernet token (None removes the stored key). The rules are
    llm_settings' own (``_encrypt_key``), repeated because that helper is private."""
    if value is None:
        return None
    plain = value.reveal() if hasattr(value, "reveal") else value
    if not isinstance(plain, str) or not plain.strip():
        raise InvalidInput("The API key is empty; leave the field blank to keep the stored one.")
    plain = plain.strip()
    if len(plain) > 1000 or any(ch.isspace() or not ch.isprintable() for ch in plain):
        raise InvalidInput("The API key must be one line of printable characters.")
    return encrypt(plain)


# Input field → its check (the opening hours and the whole-form checks are separate).
CHECKS: dict[str, Callable[[Any], Any]] = {
    **{name: (lambda v, n=name: check_limit(n, v)) for name in LIMITS},
    "special_dates": check_special_dates,
    "turn_times": check_turn_times,
    "deposit_party_size_at_least": check_deposit_party,
    "deposit_amount_per_guest": check_deposit_amount,
    "deposit_special_events": lambda v: fields.boolean(v, "Deposit for special events"),
    "vip_thresholds": check_vip_thresholds,
    "reminder_offsets_hours": check_reminder_offsets,
    "sofia_engine": check_engine,
    "sofia_base_url": check_base_url,
    "sofia_model": check_model,
    "sofia_api_key": check_api_key,
}


def check_fields(provided: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Every provided field checked (all of them, not up to the first bad one): the clean
    values and, per field, the message of each refusal."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in provided.items():
        if name == "opening_hours":
            clean[name], day_errors = check_opening_hours(value)
            errors.update(day_errors)
            continue
        try:
            clean[name] = CHECKS[name](value)
        except InvalidInput as exc:
            errors[name] = exc.message
    return clean, errors
