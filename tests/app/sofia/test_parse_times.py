"""Clock times, including the dinner assumption and Russian half-hours done right."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from app.sofia.parsing import parse_message

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7pm", time(19, 0)),
        ("7 pm", time(19, 0)),
        ("7.30 p.m.", time(19, 30)),
        ("11 am", time(11, 0)),
        ("12 am", time(0, 0)),
        ("19:30", time(19, 30)),
        ("19.30", time(19, 30)),
        ("07:30", time(7, 30)),  # a leading zero is literal
        ("at 7", time(19, 0)),  # 1–10 without am/pm: dinner
        ("at 7:30", time(19, 30)),
        ("at 11", time(11, 0)),  # 11 and 12 stay as written
        ("at seven thirty", time(19, 30)),
        ("8 o'clock", time(20, 0)),
        ("7 in the evening", time(19, 0)),
        ("9 in the morning", time(9, 0)),
        ("noon", time(12, 0)),
        ("half past seven", time(19, 30)),
        ("quarter to eight", time(19, 45)),
        ("quarter past 8", time(20, 15)),
        ("move my reservation to 8", time(20, 0)),
        ("в семь вечера", time(19, 0)),
        ("в 19:30", time(19, 30)),
        ("в 7", time(19, 0)),
        ("к 8", time(20, 0)),
        ("в 20 часов", time(20, 0)),
        ("в полвосьмого", time(19, 30)),
        ("половина восьмого", time(19, 30)),  # half of the EIGHTH hour
        ("в половине девятого", time(20, 30)),
        ("полпервого", time(12, 30)),
        ("четверть восьмого", time(19, 15)),
        ("без четверти восемь", time(19, 45)),
        ("без десяти восемь", time(19, 50)),
        ("в час дня", time(13, 0)),
        ("в два часа дня", time(14, 0)),
        ("в 11 ночи", time(23, 0)),
        ("в 9 утра", time(9, 0)),
        ("в полдень", time(12, 0)),
        ("перенести на 8", time(20, 0)),
        ("change my booking from 7 to 8", time(20, 0)),
        ("перенесите с 7 на 8", time(20, 0)),
        ("tonight at 9", time(21, 0)),
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_message(text, NOW, "Europe/Moscow").time == expected


@pytest.mark.parametrize(
    "text", ["for 4", "table for 7", "на 7", "at 7 people", "what time do you open", "25.12"]
)
def test_no_time(text: str) -> None:
    assert parse_message(text, NOW, "Europe/Moscow").time is None
