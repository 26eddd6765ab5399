"""Clock times in guest messages, English and Russian.

Rules for the ambiguous cases (each one tested):

* An hour from 1 to 10 with no am/pm or part of day ("at 7", "в семь", "half past seven",
  "7:30", "полвосьмого") is an evening hour: a restaurant booking at 7 means 19:00. 11 and 12
  stay as written (11:00 brunch, 12:00 noon), and a leading zero ("07:30") is taken literally.
* "половина восьмого" / "полвосьмого" is half of the eighth hour: 7:30, so 19:30 by the rule above.
  "без четверти восемь" is 7:45, "четверть восьмого" 7:15.
* "дня" and "вечера" move 1–11 to the afternoon ("в час дня" 13:00, "в семь вечера" 19:00);
  "ночи" does for 6–11 only ("в 11 ночи" 23:00, "в 2 ночи" 02:00); "утра"/"am" keep the hour.
* A bare number is read as a time only after "at"/"around"/"в"/"к"/"около", or with am/pm,
  "o'clock", "-ish", "часов" or a part of day, or as the start of a range ("с 19 до 23");
  "for 7" and "на 7" are left to the party-size reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time

from app.sofia.parsing.numbers import NUMBER_RE, RU_ORDINAL_RE, cardinal, ordinal
from app.sofia.parsing.text import Span

_NOT_PEOPLE = r"(?!\s*(?:people|persons|guests|pax|of\s+us|adults|человек|чел\b|людей|персон|гост))"
_SUFFIX = (
    r"(?:\s*(?P<mer>a\.?m\.?|p\.?m\.?)(?![a-z])"
    r"|\s+(?:o'?clock\s+)?(?P<pod>in\s+the\s+(?:morning|afternoon|evening)|tonight|at\s+night"
    r"|this\s+evening|(?:час(?:а|ов)?\s+)?(?:утра|дня|вечера|ночи)))?"
)
_EN_MINUTES = {"thirty": 30, "fifteen": 15, "forty five": 45, "oh five": 5}  # "seven thirty"

Builder = Callable[[re.Match[str]], tuple[int, int] | None]


def _hour_word(raw: str) -> int | None:
    value = 1 if raw in ("час", "one") else cardinal(raw)
    return value if value is not None and 0 <= value <= 24 else None


def _apply_part_of_day(hour: int, minute: int, match: re.Match[str], literal: bool) -> time | None:
    """Turn a spoken hour into a 24-hour clock time (see the module docstring for the rules)."""
    groups = match.groupdict()
    marker = (groups.get("mer") or groups.get("pod") or "").replace(".", "")
    if hour == 24:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    if marker.startswith("a") or "morning" in marker or "утра" in marker:
        hour = 0 if hour == 12 else hour
    elif marker.startswith("p") or any(
        word in marker for word in ("afternoon", "evening", "tonight", "дня", "вечера")
    ):
        hour = hour + 12 if hour < 12 else hour
    elif "ночи" in marker or "night" in marker:
        hour = 0 if hour == 12 else (hour + 12 if 6 <= hour < 12 else hour)
    elif not literal and 1 <= hour <= 10:
        hour += 12  # the dinner assumption
    return time(hour, minute)


def _digital(match: re.Match[str]) -> tuple[int, int] | None:
    return int(match.group("h")), int(match.group("m"))


def _hour_only(match: re.Match[str]) -> tuple[int, int] | None:
    hour = _hour_word(match.group("h"))
    if hour is None:
        return None
    extra = match.groupdict().get("mm")
    if extra:
        return hour, _EN_MINUTES[re.sub(r"[\s-]+", " ", extra)]
    return hour, 0


def _hour_only_named(match: re.Match[str]) -> tuple[int, int] | None:
    hour = _hour_word(match.group("h") or match.group("h2"))
    return (hour, 0) if hour is not None else None


def _past(minutes: int) -> Builder:
    def build(match: re.Match[str]) -> tuple[int, int] | None:
        hour = _hour_word(match.group("h"))
        return (hour, minutes) if hour is not None else None

    return build


def _to(minutes: int | None) -> Builder:
    """ "quarter to eight", "без четверти восемь": ``minutes`` before the hour."""

    def build(match: re.Match[str]) -> tuple[int, int] | None:
        hour = _hour_word(match.group("h"))
        before = minutes if minutes is not None else cardinal(match.group("n"))
        if hour is None or not before or before >= 60:
            return None
        return (hour - 1) % 24, 60 - before

    return build


def _of_next_hour(minutes: int) -> Builder:
    """ "полвосьмого", "четверть восьмого": a part of the eighth hour, i.e. after seven."""

    def build(match: re.Match[str]) -> tuple[int, int] | None:
        number = ordinal(match.group("h"))
        if number is None or not 1 <= number <= 12:
            return None
        hour = number - 1
        return (12 if hour == 0 else hour), minutes  # "полпервого" is 12:30

    return build


_H = rf"(?P<h>{NUMBER_RE}|час)"
# (pattern, builder, literal): literal means the written hour is already unambiguous.
_RULES: tuple[tuple[re.Pattern[str], Builder, bool], ...] = (
    (
        re.compile(
            rf"(?<![\d.:/+])(?P<h>1\d|2[0-3]|[1-9])[:.](?P<m>[0-5]\d)(?![\d:/]|\.\d){_SUFFIX}"
        ),
        _digital,
        False,
    ),
    (re.compile(r"(?<![\d.:/+])(?P<h>0\d)[:.](?P<m>[0-5]\d)(?!\d)"), _digital, True),
    (
        re.compile(r"\b(?:at\s+)?(?:noon|midday)\b|(?<!\w)(?:в\s+)?полдень\b"),
        lambda m: (12, 0),
        True,
    ),
    (re.compile(r"\b(?:at\s+)?midnight\b|(?<!\w)(?:в\s+)?полночь\b"), lambda m: (0, 0), True),
    (re.compile(rf"\bhalf\s+past\s+{_H}\b{_SUFFIX}"), _past(30), False),
    (re.compile(rf"\bquarter\s+past\s+{_H}\b{_SUFFIX}"), _past(15), False),
    (re.compile(rf"\b(?:a\s+)?quarter\s+to\s+{_H}\b{_SUFFIX}"), _to(15), False),
    (re.compile(rf"(?<!\w)без\s+четверти\s+{_H}\b{_SUFFIX}"), _to(15), False),
    (
        re.compile(rf"(?<!\w)без\s+(?P<n>{NUMBER_RE})\s+(?:минут\s+)?{_H}\b{_SUFFIX}"),
        _to(None),
        False,
    ),
    (
        re.compile(rf"(?<!\w)(?:в\s+)?пол(?:овин[аеуы])?[\s-]*(?P<h>{RU_ORDINAL_RE}){_SUFFIX}"),
        _of_next_hour(30),
        False,
    ),
    (
        re.compile(rf"(?<!\w)(?:[вк]\s+)?четверт[ьи]\s+(?P<h>{RU_ORDINAL_RE}){_SUFFIX}"),
        _of_next_hour(15),
        False,
    ),
    (
        re.compile(rf"\b(?P<h>{NUMBER_RE})\s*(?=a\.?m\b|p\.?m\b|a\.m\.|p\.m\.){_SUFFIX}"),
        _hour_only,
        False,
    ),
    (re.compile(rf"\b(?P<h>{NUMBER_RE})\s+o'?clock\b{_SUFFIX}"), _hour_only, False),
    (re.compile(rf"\b(?P<h>\d{{1,2}})\s*-?ish\b{_SUFFIX}"), _hour_only, False),  # "8ish"
    # The start of a range: "с 19 до 23", "from 7 till 11" ("from 7 to 8" may be a change).
    (
        re.compile(
            rf"(?<!\w)(?:с|from)\s+(?P<h>{NUMBER_RE})(?!\w|[.:]\d)(?:\s+час(?:а|ов)?)?"
            rf"(?=\s*(?:-|до|till|until)\s*{NUMBER_RE})"
        ),
        _hour_only,
        False,
    ),
    (
        re.compile(
            rf"\b(?:at|around|about|by)\s+(?P<h>{NUMBER_RE})(?![.:]\d)"
            rf"(?:\s+(?P<mm>thirty|fifteen|forty[\s-]five|oh\s+five))?\b{_NOT_PEOPLE}{_SUFFIX}"
        ),
        _hour_only,
        False,
    ),  # fmt: skip
    (
        re.compile(
            rf"(?<!\w)(?:в|к|около|часов\s+(?:в|на|к))\s+(?P<h>{NUMBER_RE}|час)(?!\d|[.:]\d)"
            rf"(?:\s+час(?:а|ов)?)?\b{_NOT_PEOPLE}{_SUFFIX}"
        ),
        _hour_only,
        False,
    ),  # fmt: skip
    (
        re.compile(
            rf"(?<![\w+])(?P<h>{NUMBER_RE}|час)(?:\s+час(?:а|ов)?)?\s+"
            r"(?P<pod>утра|дня|вечера|ночи|in\s+the\s+(?:morning|afternoon|evening))\b"
        ),
        _hour_only,
        False,
    ),  # fmt: skip
    (re.compile(rf"(?<![\w+])(?:на\s+)?(?P<h>{NUMBER_RE})\s+час(?:а|ов)\b"), _hour_only, False),
    # "move my booking to 8", "перенести на 8": a bare number is a time once a change is asked.
    (
        re.compile(
            rf"\b(?:move|moving|change|changing|reschedule|push|switch|make\s+it)\b[^.!?]{{0,40}}?"
            rf"\bto\s+(?P<h>{NUMBER_RE})\b(?![.:]\d){_NOT_PEOPLE}{_SUFFIX}"
            rf"|(?<!\w)(?:перенес|перенос|передвин|сдвин|поменя)\w*[^.!?]{{0,40}}?"
            rf"(?<!\w)на\s+(?P<h2>{NUMBER_RE})(?!\w|[.:]\d){_NOT_PEOPLE}"
        ),
        _hour_only_named,
        False,
    ),  # fmt: skip
)


def find_time(text: str) -> tuple[time | None, list[Span]]:
    """The clock time a normalised message asks for, and every span that read as a time."""
    found: list[tuple[int, int, time, Span]] = []
    for pattern, build, literal in _RULES:
        for match in pattern.finditer(text):
            parts = build(match)
            if parts is None:
                continue
            clock = _apply_part_of_day(parts[0], parts[1], match, literal)
            if clock is not None:
                found.append((match.start(), -(match.end() - match.start()), clock, match.span()))
    if not found:
        return None, []
    found.sort()
    return found[0][2], [item[3] for item in found]
