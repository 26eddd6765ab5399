"""Names, phones, intents and language, and the whole-message JSON shape."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.sofia.parsing import parse_message, to_json_dict

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def _parse(text: str):  # type: ignore[no-untyped-def]
    return parse_message(text, NOW, "Europe/Moscow")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my name is Anna", "Anna"),
        ("I'm John Smith", "John Smith"),
        ("Hi, this is Anna from Moscow", "Anna"),
        ("my name is john and we are 4", "John"),
        ("under the name of Smith", "Smith"),
        ("меня зовут Анна", "Анна"),
        ("меня зовут анна петрова", "Анна Петрова"),
        ("это Иван Петров", "Иван Петров"),
        ("Я Анна, нас будет 4", "Анна"),
        ("на имя Ольги", "Ольга"),  # genitive back to nominative
        ("на имя Ивана", "Иван"),
        ("на имя Ивановой Марии", "Иванова Мария"),
        ("I'm hungry", None),
        ("это на завтра", None),
        ("table for 4", None),
        # A host's shorthand: the booking is "for" someone, kept as written.
        ("party of 4 tomorrow 19:30 by the window for Ivanov +7 916 123-45-67", "Ivanov"),
        ("столик на четверых завтра в 20:00 у окна на Петрова", "Петрова"),
        ("a table for Friday at 19:00 for 2", None),
        ("table for Christmas Eve at 8pm", None),
        ("столик на пятницу на двоих", None),
    ],
)
def test_names(text: str, expected: str | None) -> None:
    assert _parse(text).name == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+7 916 123-45-67", "+79161234567"),
        ("8 916 123 45 67", "+79161234567"),
        ("мой телефон 89161234567", "+79161234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("call me at +1 (212) 555-0123 please", "+12125550123"),
        ("for 4 at 7pm on 25.12", None),
    ],
)
def test_phones(text: str, expected: str | None) -> None:
    assert _parse(text).phone == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'd like to book a table", "book"),
        ("can I reserve for Friday?", "book"),
        ("tomorrow at 7 for 4", "book"),  # details alone mean a booking
        ("хочу забронировать", "book"),
        ("столик на двоих", "book"),
        ("cancel my booking", "cancel"),
        ("we can't make it tonight", "cancel"),
        ("отменить бронь", "cancel"),
        ("please change my reservation", "modify"),
        ("move my reservation to 8", "modify"),
        ("перенести бронь на завтра", "modify"),
        ("what time do you open?", "info"),
        ("opening hours", "info"),
        ("адрес", "info"),
        ("во сколько открываетесь?", "info"),
        ("can I see the menu", "info"),
        ("book a table — and what's your address?", "book"),
        ("hello!", "other"),
        ("спасибо", "other"),
    ],
)
def test_intents(text: str, expected: str) -> None:
    assert _parse(text).intent == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("hello", "en"), ("привет", "ru"), ("Столик на четверых, my name is Ann", "ru"), ("", "en")],
)
def test_language(text: str, expected: str) -> None:
    assert _parse(text).language == expected


def test_full_messages_to_json() -> None:
    english = _parse(
        "Hi, I'd like to book a table for two tomorrow at half past seven, "
        "my name is Anna, +7 916 123-45-67"
    )
    assert to_json_dict(english) == {
        "intent": "book", "date": "2026-11-25", "time": "19:30", "party_size": 2,
        "name": "Anna", "phone": "+79161234567", "language": "en",
    }  # fmt: skip
    russian = _parse(
        "Здравствуйте! Забронируйте столик на пятерых в эту пятницу в полвосьмого, "
        "меня зовут Ольга, 8 916 123 45 67"
    )
    assert to_json_dict(russian) == {
        "intent": "book", "date": "2026-11-27", "time": "19:30", "party_size": 5,
        "name": "Ольга", "phone": "+79161234567", "language": "ru",
    }  # fmt: skip


def test_parsed_message_is_frozen() -> None:
    parsed = _parse("hello")
    with pytest.raises(AttributeError):
        parsed.intent = "book"  # type: ignore[misc]
