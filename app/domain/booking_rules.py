"""A restaurant's booking rules, read once from its columns and ``settings`` and validated.

Every setting has the default a restaurant would expect; a present but malformed value is an
error naming the setting, never silently replaced (a manager must learn their rule is ignored).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.db.enums import VipTier
from app.domain import fields
from app.domain.opening_hours import Service, parse_hhmm, parse_opening_hours
from app.errors import InvalidInput

_SPECIAL_DATE_KEYS = {"closed", "hours", "note", "max_covers_per_slot", "deposit"}
_BAND = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)|(\+))?\s*$")


@dataclass(frozen=True)
class TurnBand:
    """Parties of ``low``…``high`` guests (``high`` None: and more) stay ``minutes``."""

    low: int
    high: int | None
    minutes: int

    def covers(self, party_size: int) -> bool:
        return party_size >= self.low and (self.high is None or party_size <= self.high)


@dataclass(frozen=True)
class SpecialDate:
    """A date with its own rules: closed, other hours, or an event with its own pacing."""

    day: dt.date
    closed: bool = False
    hours: tuple[Service, ...] | None = None
    note: str | None = None
    max_covers_per_slot: int | None = None
    deposit: bool = False


@dataclass(frozen=True)
class DepositRules:
    party_size_at_least: int | None = None
    amount_per_guest: Decimal = Decimal("0")
    # A slot with a special event (timeslots.special_event) needs a deposit.
    special_events: bool = False


@dataclass(frozen=True)
class VipThreshold:
    tier: VipTier
    visits: int | None
    spent: Decimal | None


@dataclass(frozen=True)
class BookingRules:
    timezone: ZoneInfo
    opening_hours: dict[str, tuple[Service, ...]]
    default_turn: int = 90
    max_advance_days: int = 60
    slot_interval: int = 15
    buffer: int = 15
    min_notice: int = 30
    last_seating_before_close: int = 60
    turn_bands: tuple[TurnBand, ...] = ()
    max_covers_per_slot: int | None = None
    covers_per_staff: int | None = None
    max_party_size: int | None = None
    special_dates: dict[dt.date, SpecialDate] = field(default_factory=dict)
    deposit: DepositRules = field(default_factory=DepositRules)
    vip_thresholds: tuple[VipThreshold, ...] = ()
    combinations: tuple[tuple[str, ...], ...] = ()
    peak_hours: tuple[tuple[dt.time, dt.time], ...] = ()
    loyalty_points_per_100: int = 1

    def turn_time(self, party_size: int) -> int:
        """How long a party of this size keeps its table, in minutes."""
        for band in self.turn_bands:
            if band.covers(party_size):
                return band.minutes
        return self.default_turn

    def is_peak(self, local_time: dt.time) -> bool:
        return any(start <= local_time < end for start, end in self.peak_hours)


def rules_from(
    *,
    timezone: str,
    opening_hours: Any,
    settings: dict[str, Any] | None,
    average_service_time: int = 90,
    max_advance_booking: int = 60,
) -> BookingRules:
    """Build the rules from a restaurant's columns; raises ``InvalidInput`` naming the setting."""
    settings = settings or {}
    if not isinstance(settings, dict):
        raise InvalidInput("settings must be a JSON object.")
    return BookingRules(
        timezone=_zone(timezone),
        opening_hours=parse_opening_hours(opening_hours),
        default_turn=fields.integer(
            average_service_time, "average_service_time", minimum=15, maximum=720
        ),
        max_advance_days=fields.integer(
            max_advance_booking, "max_advance_booking", minimum=0, maximum=730
        ),
        slot_interval=_int(settings, "slot_interval_minutes", 15, 5, 120),
        buffer=_int(settings, "buffer_minutes", 15, 0, 120),
        min_notice=_int(settings, "min_notice_minutes", 30, 0, 7 * 24 * 60),
        last_seating_before_close=_int(settings, "last_seating_minutes_before_close", 60, 0, 600),
        turn_bands=_turn_bands(settings.get("turn_times")),
        max_covers_per_slot=_optional_int(settings, "max_covers_per_slot", 1, 10_000),
        covers_per_staff=_optional_int(settings, "covers_per_staff_member", 1, 1000),
        max_party_size=_optional_int(settings, "max_party_size", 1, 500),
        special_dates=_special_dates(settings.get("special_dates")),
        deposit=_deposit(settings.get("deposit_rules")),
        vip_thresholds=_vip_thresholds(settings.get("vip_thresholds")),
        combinations=_combinations(settings.get("combinations")),
        peak_hours=_peak_hours(settings.get("peak_hours")),
        loyalty_points_per_100=_int(settings, "loyalty_points_per_100", 1, 0, 1000),
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise InvalidInput(f"timezone {name!r} is not a known IANA time zone.") from exc


def _int(settings: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = settings.get(key)
    if value is None:
        return default
    return fields.integer(value, f"settings.{key}", minimum=low, maximum=high)


def _optional_int(settings: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = settings.get(key)
    if value is None:
        return None
    return fields.integer(value, f"settings.{key}", minimum=low, maximum=high)


def _turn_bands(raw: Any) -> tuple[TurnBand, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise InvalidInput('settings.turn_times must map party sizes to minutes, like {"1-2": 75}.')
    bands: list[TurnBand] = []
    for key, minutes in raw.items():
        match = _BAND.match(str(key))
        if not match:
            raise InvalidInput(
                f'settings.turn_times: {key!r} is not a party size band ("2", "3-4" or "7+").'
            )
        low = int(match.group(1))
        high = None if match.group(3) else int(match.group(2) or low)
        if low < 1 or (high is not None and high < low):
            raise InvalidInput(f"settings.turn_times: band {key!r} is empty.")
        bands.append(
            TurnBand(
                low,
                high,
                fields.integer(minutes, f"settings.turn_times.{key}", minimum=15, maximum=720),
            )
        )
    bands.sort(key=lambda b: b.low)
    for earlier, later in zip(bands, bands[1:], strict=False):
        if earlier.high is None or earlier.high >= later.low:
            raise InvalidInput("settings.turn_times: party size bands overlap.")
    return tuple(bands)


def _special_dates(raw: Any) -> dict[dt.date, SpecialDate]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidInput('settings.special_dates must map "YYYY-MM-DD" to rules.')
    result: dict[dt.date, SpecialDate] = {}
    for key, rule in raw.items():
        where = f"settings.special_dates.{key}"
        day = parse_date(key, where)
        if not isinstance(rule, dict):
            raise InvalidInput(f'{where} must be an object like {{"closed": true}}.')
        fields.check_keys(rule, _SPECIAL_DATE_KEYS, where)
        hours = None
        if rule.get("hours") is not None:
            try:
                hours = parse_opening_hours({"mon": rule["hours"]})["mon"]
            except InvalidInput as exc:
                # Name the setting, not the weekday the parser was borrowed for.
                detail = exc.message.replace("opening_hours.mon", "")
                raise InvalidInput(f"{where}.hours{detail}") from exc
        cap = rule.get("max_covers_per_slot")
        result[day] = SpecialDate(
            day=day,
            closed=fields.boolean(rule.get("closed", False), f"{where}.closed"),
            hours=hours,
            note=fields.text(rule.get("note"), f"{where}.note", max_length=200),
            max_covers_per_slot=None
            if cap is None
            else fields.integer(cap, f"{where}.max_covers_per_slot", minimum=0),
            deposit=fields.boolean(rule.get("deposit", False), f"{where}.deposit"),
        )
    return result


def _deposit(raw: Any) -> DepositRules:
    if raw is None:
        return DepositRules()
    if not isinstance(raw, dict):
        raise InvalidInput("settings.deposit_rules must be an object.")
    where = "settings.deposit_rules"
    fields.check_keys(raw, {"party_size_at_least", "amount_per_guest", "special_events"}, where)
    size = raw.get("party_size_at_least")
    return DepositRules(
        party_size_at_least=None
        if size is None
        else fields.integer(size, f"{where}.party_size_at_least", minimum=1),
        amount_per_guest=money(raw.get("amount_per_guest", 0), f"{where}.amount_per_guest"),
        special_events=fields.boolean(raw.get("special_events", False), f"{where}.special_events"),
    )


def _vip_thresholds(raw: Any) -> tuple[VipThreshold, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise InvalidInput('settings.vip_thresholds must map tiers to {"visits", "spent"}.')
    thresholds: list[VipThreshold] = []
    for key, rule in raw.items():
        tier = fields.choice(key, VipTier, "settings.vip_thresholds tier")
        where = f"settings.vip_thresholds.{key}"
        if not isinstance(rule, dict) or not rule:
            raise InvalidInput(f'{where} must be like {{"visits": 10}} or {{"spent": 50000}}.')
        fields.check_keys(rule, {"visits", "spent"}, where)
        visits = rule.get("visits")
        spent = rule.get("spent")
        thresholds.append(
            VipThreshold(
                tier,
                None if visits is None else fields.integer(visits, f"{where}.visits", minimum=1),
                None if spent is None else money(spent, f"{where}.spent"),
            )
        )
    # Highest tier first: a guest gets the best tier they qualify for.
    order = list(VipTier)
    thresholds.sort(key=lambda t: order.index(t.tier), reverse=True)
    return tuple(thresholds)


def _combinations(raw: Any) -> tuple[tuple[str, ...], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(
        isinstance(group, list) and len(group) >= 2 and all(isinstance(n, str) for n in group)
        for group in raw
    ):
        raise InvalidInput(
            'settings.combinations must be a list of table-name lists, like [["T1", "T2"]].'
        )
    return tuple(tuple(group) for group in raw)


def _peak_hours(raw: Any) -> tuple[tuple[dt.time, dt.time], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InvalidInput('settings.peak_hours must be a list like [["19:00", "21:30"]].')
    result = []
    for index, pair in enumerate(raw):
        where = f"settings.peak_hours[{index}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise InvalidInput(f'{where} must be ["HH:MM", "HH:MM"].')
        result.append((parse_hhmm(pair[0], where), parse_hhmm(pair[1], where)))
    return tuple(result)


def parse_date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InvalidInput(f"{what}: {value!r} is not a date in YYYY-MM-DD form.") from exc


def money(value: Any, what: str) -> Decimal:
    if isinstance(value, bool):
        raise InvalidInput(f"{what} must be an amount, not {value!r}.")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InvalidInput(f"{what} must be an amount, not {value!r}.") from exc
    if not amount.is_finite() or amount < 0 or amount > Decimal("9999999999"):
        raise InvalidInput(f"{what} must be an amount of zero or more, not {value!r}.")
    return amount.quantize(Decimal("0.01"))
