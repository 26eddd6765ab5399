"""Dates in guest messages, relative to today in the restaurant's timezone.

Rules for the ambiguous cases (each one tested):

* "Friday", "on Friday", "this Friday", "в пятницу", "в эту пятницу": the coming Friday, never
  today — a guest who means today says "today"/"tonight"/"сегодня". On a Friday they mean the next.
* "next Saturday", "в следующую субботу": the Saturday of next week (weeks start on Monday, as
  on Russian calendars and ISO 8601). On Tuesday 24 Nov that is 5 Dec, while "this Saturday" is
  28 Nov. This is how Google Calendar and most booking assistants read it; Sofia repeats the
  date back in her confirmation, so a guest who meant the nearer one can correct it.
* Numeric dates are day first ("25.12", "25/12", "25.12.2026"); "12/25" falls back to month
  first only because day-first is impossible. "10.11" after "at"/"в" is a time, not a date.
* A date without a year that has already passed this year is next year's; "the 25th"/"25-го"
  without a month is this month's, or next month's once passed.
* Typed forms count ("tmrw", "tomorow", "tonite", "2nite", "после завтра"), as do the holidays
  guests name instead of a date (Christmas Eve, New Year's Eve, Valentine's Day), the genitive
  ("вечер пятницы") and the Russian abbreviations after a preposition ("на вс", "в пт"). A
  three-letter English weekday counts with a prefix ("on sat") or right before a time ("sat 8pm").
* When a message holds several dates, an explicit calendar date wins over "tomorrow", which wins
  over a weekday; otherwise the first one written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.sofia.parsing.numbers import EN_ORDINAL_RE, RU_ORDINAL_RE, cardinal, ordinal
from app.sofia.parsing.text import Span

EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_EN_MONTH_RE = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
RU_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_RU_MONTH_RE = (
    r"(?P<month>январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)"
    r"(?:я|а|е)"
)
_YEAR_RE = r"(?:,?\s+(?P<year>\d{4})(?:\s*(?:г\.|года?))?)?"
_EN_DAY_RE = rf"(?P<day>\d{{1,2}}(?:st|nd|rd|th)?|(?:(?:twenty|thirty)[\s-])?(?:{EN_ORDINAL_RE}))"
_RU_DAY_RE = rf"(?P<day>\d{{1,2}}(?:-?(?:го|е|ое))?|(?:(?:двадцать|тридцать)\s+)?{RU_ORDINAL_RE})"

_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RU_WEEKDAYS = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень")
_EN_WEEKDAY_RE = r"(?P<wd>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"  # noqa: E501
# Accusative and genitive ("в пятницу", "вечер пятницы"); the two-letter abbreviations need
# "в"/"во"/"на" before them ("на вс", "в пт"), since "ср" or "вс" alone are too short to trust.
_RU_WEEKDAY_RE = (
    r"(?P<wd>понедельник[а]?|вторник[а]?|сред[аыу]|четверг[а]?|пятниц[аыу]|суббот[аыу]"
    r"|воскресень[яе])(?!\w)"
)
_RU_WEEKDAY_ABBR = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")

_TIME_CUE_BEFORE = re.compile(r"(?:\bat|\bв|\bк|\bby|\baround|\bоколо|\bс|\bдо)\s*$")


@dataclass(frozen=True)
class _Found:
    day: date
    rank: int  # lower wins: 0 calendar date, 1 relative word, 2 weekday, 3 bare day of month
    start: int


# "tomorrow" as guests type it: tmr, tmrw, tomorow, tommorow, tommorrow, 2moro, 2morrow.
_TOMORROW = r"tomm?orr?ow|tmrw?|2morr?ow?"
# Holidays guests name instead of a date (day, month).
_HOLIDAYS = (
    (re.compile(r"\bchristmas\s+eve\b|\bxmas\s+eve\b"), 12, 24),
    (re.compile(r"\b(?:christmas|xmas)(?:\s+day)?\b(?!\s+eve)"), 12, 25),
    (re.compile(r"\bnew\s+year'?s\s+eve\b|\bnye\b|(?<!\w)новогодн\w+\s+ноч\w+"), 12, 31),
    (re.compile(r"\bnew\s+year'?s(?:\s+day)?\b(?!\s+eve)"), 1, 1),
    (re.compile(r"\bvalentine'?s(?:\s+day)?\b"), 2, 14),
)
_RELATIVE = (
    (re.compile(r"\b(?:the\s+)?day\s+after\s+tomorrow\b|\bпосле\s*завтра\b"), 2),
    (re.compile(rf"\b(?:{_TOMORROW})\b|\bзавтра\b"), 1),
    (
        re.compile(r"\btoday\b|\b(?:tonight|tonite|2nite|2night)\b|\bthis\s+evening\b|\bсегодня\b"),
        0,
    ),
    (re.compile(r"\bin\s+a\s+week\b|\bчерез\s+неделю\b"), 7),
)
_IN_DAYS = re.compile(r"\b(?:in\s+(?P<n>\w+)\s+days?|через\s+(?P<m>\w+)\s+(?:дня|дней|день))\b")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_NUMERIC = re.compile(
    r"(?<![\d:+])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?:(?P=sep)(?P<year>\d{4}|\d{2}))?"
    r"(?![\d:/]|[./]\d)"
)
_EN_DAY_MONTH = re.compile(
    rf"\b(?:the\s+)?{_EN_DAY_RE}\s+(?:of\s+)?{_EN_MONTH_RE}(?![a-z]){_YEAR_RE}"
)
_EN_MONTH_DAY = re.compile(rf"\b{_EN_MONTH_RE}\s+(?:the\s+)?{_EN_DAY_RE}\b{_YEAR_RE}")
_RU_DAY_MONTH = re.compile(rf"(?<!\w){_RU_DAY_RE}\s+{_RU_MONTH_RE}\b{_YEAR_RE}")
_EN_BARE_DAY = re.compile(r"\bthe\s+(?P<day>\d{1,2}(?:st|nd|rd|th)|" + EN_ORDINAL_RE + r")\b")
_RU_BARE_DAY = re.compile(r"(?<!\w)(?P<day>\d{1,2})-?(?:го|е)\b")
_EN_WEEKDAY = re.compile(
    rf"\b(?:(?P<prefix>this|next|coming|on|this\s+coming)\s+)?{_EN_WEEKDAY_RE}\b"
    r"(?P<after>\s+after\s+next)?(?P<clock>(?=\s+\d))?"
)
_RU_WEEKDAY = re.compile(
    rf"(?:\b(?:в|во|на)\s+)?(?:(?P<prefix>эт[уио][тм]?|следующ(?:ую|ий|ее)|ближайш(?:ую|ий|ее))\s+)?"
    rf"{_RU_WEEKDAY_RE}"
)
_RU_WEEKDAY_SHORT = re.compile(
    r"(?<!\w)(?:в|во|на)\s+(?:(?P<prefix>эт[уио][тм]?|следующ(?:ую|ий|ее))\s+)?"
    rf"(?P<wd>{'|'.join(_RU_WEEKDAY_ABBR)})\.?(?!\w)"
)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _calendar(today: date, month: int, day: int, year: int | None) -> date | None:
    """The date, rolling to next year when no year was given and it has already passed."""
    if year is not None:
        return _valid(year + 2000 if year < 100 else year, month, day)
    found = _valid(today.year, month, day)
    if found is not None and found < today:
        found = _valid(today.year + 1, month, day)
    if found is None and month == 2 and day == 29:  # the next leap year's 29 February
        for offset in range(1, 5):
            found = _valid(today.year + offset, 2, 29)
            if found:
                break
    return found


def _day_of_month(today: date, day: int) -> date | None:
    """The coming ``day``-th: this month's, else the next month that has that day."""
    year, month = today.year, today.month
    for _ in range(13):
        found = _valid(year, month, day)
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _weekday(today: date, weekday: int, next_week: bool) -> date:
    if next_week:  # the same weekday in the Monday-based week after this one
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=7 + weekday)
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead or 7)


def _calendar_candidates(text: str, today: date) -> list[tuple[_Found, Span]]:
    found: list[tuple[_Found, Span]] = []

    def add(day: date | None, rank: int, match: re.Match[str]) -> None:
        if day is not None:
            found.append((_Found(day, rank, match.start()), match.span()))

    for match in _ISO.finditer(text):
        year, month, day = (int(match.group(k)) for k in ("year", "month", "day"))
        add(_valid(year, month, day), 0, match)
    for match in _NUMERIC.finditer(text):
        a, b = int(match.group("a")), int(match.group("b"))
        year = int(match.group("year")) if match.group("year") else None
        if year is None and a <= 23 and b <= 59 and _TIME_CUE_BEFORE.search(text[: match.start()]):
            continue  # "at 10.11" is a time
        if year is None and match.group("sep") == "." and b > 12:
            continue  # "19.30": a time the time reader will take
        day, month = (a, b) if b <= 12 else (b, a)
        add(_calendar(today, month, day, year), 0, match)
    for pattern, months in ((_EN_DAY_MONTH, EN_MONTHS), (_EN_MONTH_DAY, EN_MONTHS)):
        for match in pattern.finditer(text):
            day_of = ordinal(match.group("day"))
            month = months[match.group("month")[:3]]
            year = int(match.group("year")) if match.group("year") else None
            add(_calendar(today, month, day_of, year) if day_of else None, 0, match)
    for pattern, month, day_of in _HOLIDAYS:
        for match in pattern.finditer(text):
            add(_calendar(today, month, day_of, None), 0, match)
    for match in _RU_DAY_MONTH.finditer(text):
        raw = match.group("day")
        day_of = ordinal(raw) or cardinal(raw)
        month = RU_MONTHS[match.group("month")]
        year = int(match.group("year")) if match.group("year") else None
        add(_calendar(today, month, day_of, year) if day_of else None, 0, match)
    return found


def _other_candidates(text: str, today: date) -> list[tuple[_Found, Span]]:
    found: list[tuple[_Found, Span]] = []
    for pattern, days in _RELATIVE:
        for match in pattern.finditer(text):
            found.append((_Found(today + timedelta(days=days), 1, match.start()), match.span()))
    for match in _IN_DAYS.finditer(text):
        count = cardinal(match.group("n") or match.group("m"))
        if count is not None and count <= 366:
            found.append((_Found(today + timedelta(days=count), 1, match.start()), match.span()))
    for match in _EN_WEEKDAY.finditer(text):
        word, prefix = match.group("wd"), match.group("prefix") or ""
        if len(word) <= 4 and not prefix and match.group("clock") is None:
            continue  # "sun", "wed", "sat" alone are ordinary words; "sat 8pm" is a day
        index = next(i for i, name in enumerate(_EN_WEEKDAYS) if name.startswith(word[:3]))
        day = _weekday(today, index, prefix == "next")
        if match.group("after"):
            day = _weekday(today, index, True) + timedelta(days=7)
        found.append((_Found(day, 2, match.start()), match.span()))
    for match in _RU_WEEKDAY.finditer(text):
        word, prefix = match.group("wd"), match.group("prefix") or ""
        index = next(i for i, stem in enumerate(_RU_WEEKDAYS) if word.startswith(stem))
        day = _weekday(today, index, prefix.startswith("следующ"))
        found.append((_Found(day, 2, match.start()), match.span()))
    for match in _RU_WEEKDAY_SHORT.finditer(text):
        prefix = match.group("prefix") or ""
        index = _RU_WEEKDAY_ABBR.index(match.group("wd"))
        day = _weekday(today, index, prefix.startswith("следующ"))
        found.append((_Found(day, 2, match.start()), match.span()))
    for pattern in (_EN_BARE_DAY, _RU_BARE_DAY):
        for match in pattern.finditer(text):
            number = ordinal(match.group("day"))
            day = _day_of_month(today, number) if number else None
            if day is not None:
                found.append((_Found(day, 3, match.start()), match.span()))
    return found


def find_date(text: str, today: date) -> tuple[date | None, list[Span]]:
    """The date a normalised message asks for, and every span that read as a date.

    All date spans are returned (not only the chosen one) so their digits are masked from the
    party-size and time readers.
    """
    candidates = _calendar_candidates(text, today)
    taken = [span for _, span in candidates]
    for item, span in _other_candidates(text, today):
        if not any(s < span[1] and span[0] < e for s, e in taken):
            candidates.append((item, span))
    if not candidates:
        return None, []
    best = min(candidates, key=lambda pair: (pair[0].rank, pair[0].start))[0]
    return best.day, [span for _, span in candidates]
