"""Dates relative to a fixed 'now': Tuesday 24 November 2026, 10:00 in Moscow."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.errors import InvalidInput
from app.sofia.parsing import parse_message

MOSCOW = "Europe/Moscow"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo(MOSCOW))  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("table for today", date(2026, 11, 24)),
        ("tonight please", date(2026, 11, 24)),
        ("tomorrow", date(2026, 11, 25)),
        ("the day after tomorrow", date(2026, 11, 26)),
        # the coming Friday; "today" is the only word that means today
        ("this Friday", date(2026, 11, 27)),
        ("on Friday", date(2026, 11, 27)),
        ("Tuesday", date(2026, 12, 1)),
        ("this Tuesday", date(2026, 12, 1)),
        # "next <day>": that day in next (Monday-based) week
        ("next Saturday", date(2026, 12, 5)),
        ("next Monday", date(2026, 11, 30)),
        ("next Tuesday", date(2026, 12, 1)),
        ("25.12", date(2026, 12, 25)),
        ("25/12", date(2026, 12, 25)),
        ("25.12.2026", date(2026, 12, 25)),
        ("25.12.27", date(2027, 12, 25)),
        ("2026-12-31", date(2026, 12, 31)),
        ("Dec 25", date(2026, 12, 25)),
        ("December 25th", date(2026, 12, 25)),
        ("25 December", date(2026, 12, 25)),
        ("the 25th of December", date(2026, 12, 25)),
        ("on the 28th", date(2026, 11, 28)),
        ("12/25", date(2026, 12, 25)),  # day-first impossible, so month-first
        # already past this year: next year
        ("1.03", date(2027, 3, 1)),
        ("20 November", date(2027, 11, 20)),
        ("Jan 5th", date(2027, 1, 5)),
        ("in 3 days", date(2026, 11, 27)),
        ("сегодня", date(2026, 11, 24)),
        ("завтра вечером", date(2026, 11, 25)),
        ("послезавтра", date(2026, 11, 26)),
        ("в эту пятницу", date(2026, 11, 27)),
        ("в пятницу", date(2026, 11, 27)),
        ("в среду", date(2026, 11, 25)),
        ("в это воскресенье", date(2026, 11, 29)),
        ("в следующую субботу", date(2026, 12, 5)),
        ("в следующий понедельник", date(2026, 11, 30)),
        ("25 декабря", date(2026, 12, 25)),
        ("25-го", date(2026, 11, 25)),
        ("на 23-е", date(2026, 12, 23)),  # the 23rd has passed this month
        ("двадцать пятого декабря", date(2026, 12, 25)),
        ("1 января 2027 года", date(2027, 1, 1)),
        ("через 2 дня", date(2026, 11, 26)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert parse_message(text, NOW, MOSCOW).date == expected


@pytest.mark.parametrize(
    "text", ["hello", "May I book a table?", "sun terrace please", "at 10.11", "31.02", "19.30"]
)
def test_no_date(text: str) -> None:
    assert parse_message(text, NOW, MOSCOW).date is None


def test_on_friday_said_on_a_friday_means_next_week() -> None:
    friday = datetime(2026, 11, 27, 12, 0, tzinfo=ZoneInfo(MOSCOW))
    assert parse_message("on Friday", friday, MOSCOW).date == date(2026, 12, 4)
    assert parse_message("today", friday, MOSCOW).date == date(2026, 11, 27)


def test_today_is_the_restaurants_day_not_utc() -> None:
    # 22:30 UTC on Tuesday is already 01:30 on Wednesday in Moscow
    late = datetime(2026, 11, 24, 22, 30, tzinfo=ZoneInfo("UTC"))
    assert parse_message("tomorrow", late, MOSCOW).date == date(2026, 11, 26)
    assert parse_message("tomorrow", late, "Europe/London").date == date(2026, 11, 25)


def test_calendar_date_wins_over_weekday() -> None:
    assert parse_message("Friday, 4 December", NOW, MOSCOW).date == date(2026, 12, 4)


def test_unknown_timezone_is_bad_input() -> None:
    with pytest.raises(InvalidInput, match="time zone"):
        parse_message("tomorrow", NOW, "Mars/Olympus")
