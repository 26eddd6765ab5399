"""Opening hours: per weekday, a list of services; a close before the open runs past midnight."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Any

from app.errors import InvalidInput

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Service:
    """One service (lunch, dinner) of a day, in the restaurant's local time."""

    opens: time
    closes: time

    @property
    def runs_past_midnight(self) -> bool:
        return self.closes <= self.opens

    @property
    def minutes(self) -> int:
        start = self.opens.hour * 60 + self.opens.minute
        end = self.closes.hour * 60 + self.closes.minute
        if end <= start:
            end += 24 * 60
        return end - start


def parse_hhmm(value: Any, what: str) -> time:
    if not isinstance(value, str) or not _HHMM.match(value.strip()):
        raise InvalidInput(f"{what}: {value!r} is not a time in HH:MM (24-hour) form.")
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


def parse_opening_hours(raw: Any) -> dict[str, tuple[Service, ...]]:
    """Validate the ``opening_hours`` JSON; every weekday is present in the result."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvalidInput("opening_hours must map weekdays (mon…sun) to lists of services.")
    unknown = sorted(set(raw) - set(WEEKDAYS))
    if unknown:
        raise InvalidInput(
            f"opening_hours: unknown day {', '.join(map(repr, unknown))}; use mon, tue, wed, "
            "thu, fri, sat, sun."
        )
    result: dict[str, tuple[Service, ...]] = {}
    for day in WEEKDAYS:
        services_raw = raw.get(day) or []
        if not isinstance(services_raw, list):
            raise InvalidInput(f'opening_hours.{day} must be a list of ["HH:MM", "HH:MM"].')
        services: list[Service] = []
        for index, pair in enumerate(services_raw):
            where = f"opening_hours.{day}[{index}]"
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise InvalidInput(f'{where} must be ["HH:MM", "HH:MM"] (opens, closes).')
            opens, closes = parse_hhmm(pair[0], where), parse_hhmm(pair[1], where)
            if opens == closes:
                raise InvalidInput(f"{where}: opening and closing time are the same.")
            services.append(Service(opens, closes))
        services.sort(key=lambda s: s.opens)
        _check_no_overlap(day, services)
        result[day] = tuple(services)
    return result


def _check_no_overlap(day: str, services: list[Service]) -> None:
    for earlier, later in zip(services, services[1:], strict=False):
        if earlier.runs_past_midnight or earlier.closes > later.opens:
            raise InvalidInput(
                f"opening_hours.{day}: the service from {earlier.opens:%H:%M} overlaps the one "
                f"from {later.opens:%H:%M}."
            )


def opening_hours_to_json(hours: dict[str, tuple[Service, ...]]) -> dict[str, list[list[str]]]:
    return {
        day: [[f"{s.opens:%H:%M}", f"{s.closes:%H:%M}"] for s in services]
        for day, services in hours.items()
        if services
    }
