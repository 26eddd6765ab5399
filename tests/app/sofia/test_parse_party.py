"""Party sizes, never confused with the numbers of a date, a time or a phone."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from app.sofia.parsing import parse_message

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("for 4", 4),
        ("for four people", 4),
        ("table for two", 2),
        ("party of 6", 6),
        ("we are 3", 3),
        ("we're 4", 4),
        ("there will be 5 of us", 5),
        ("8 guests", 8),
        ("just me", 1),
        ("нас четверо", 4),
        ("на пятерых", 5),
        ("на шестерых", 6),
        ("на 4 человека", 4),
        ("столик на двоих", 2),
        ("столик на троих", 3),
        ("нас будет 5", 5),
        ("нас будет семеро", 7),
        ("компания из 12 человек", 12),
        ("придем вдвоем", 2),
        ("столик на 6", 6),
    ],
)
def test_party_sizes(text: str, expected: int) -> None:
    assert parse_message(text, NOW, "Europe/Moscow").party_size == expected


@pytest.mark.parametrize(
    "text",
    [
        "tomorrow at 7",
        "25.12 at 19:30",
        "for 2 hours",
        "на 2 часа",
        "на 25 декабря",
        "my phone is +7 916 123-45-67",
        "на 7 вечера",
    ],
)
def test_no_party_size(text: str) -> None:
    assert parse_message(text, NOW, "Europe/Moscow").party_size is None


@pytest.mark.parametrize(
    ("text", "party", "clock", "day"),
    [
        ("for 4 at 7pm on 25.12", 4, time(19, 0), date(2026, 12, 25)),
        ("table for 2 on Dec 25 at 8", 2, time(20, 0), date(2026, 12, 25)),
        ("нас будет 5, 25 декабря в 19:00", 5, time(19, 0), date(2026, 12, 25)),
        ("на 3 человека 28.11 в 7 вечера", 3, time(19, 0), date(2026, 11, 28)),
        ("столик на четверых завтра в полвосьмого", 4, time(19, 30), date(2026, 11, 25)),
        ("Can we come at 8 tomorrow, 3 people", 3, time(20, 0), date(2026, 11, 25)),
        ("a table for 10 people on December 31st at 10 pm", 10, time(22, 0), date(2026, 12, 31)),
        ("Можно на 31 декабря на 10 человек в 22:00?", 10, time(22, 0), date(2026, 12, 31)),
        ("Столик на завтра на 8 вечера на троих", 3, time(20, 0), date(2026, 11, 25)),
        ("book for 3 on 5/12 at 6:30", 3, time(18, 30), date(2026, 12, 5)),
        ("we are a party of eight, Friday 8pm", 8, time(20, 0), date(2026, 11, 27)),
    ],
)
def test_numbers_are_read_once(text: str, party: int, clock: time, day: date) -> None:
    parsed = parse_message(text, NOW, "Europe/Moscow")
    assert (parsed.party_size, parsed.time, parsed.date) == (party, clock, day)
