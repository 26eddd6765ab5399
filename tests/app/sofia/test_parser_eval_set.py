"""The offline parser against the labelled guest messages in tests/data/sofia_messages.jsonl.

Each item is a guest's chat message labelled as a careful host would read it, relative to
Tuesday 24 November 2026 10:00 in Moscow unless the item gives its own "now". The parser must
read each field right on at least 97 % of the messages in each language (issue 5, item 10);
benchmarks/sofia_eval.py prints the same figures beside dateparser's.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
import pytest

from app.sofia.parsing import parse_message, to_json_dict

DATA = Path(__file__).resolve().parents[2] / "data" / "sofia_messages.jsonl"
TIMEZONE = "Europe/Moscow"
DEFAULT_NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo(TIMEZONE))  # a Tuesday
FIELDS = ("intent", "date", "time", "party_size", "name", "phone", "language")
LANGUAGES = ("en", "ru")
INTENTS = {"book", "cancel", "modify", "info", "other"}
TARGET = 0.97


def _load() -> list[dict[str, Any]]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


ITEMS = _load()


def _now(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(item["now"]) if item.get("now") else DEFAULT_NOW


@pytest.fixture(scope="module")
def predictions() -> dict[str, dict[str, Any]]:
    return {
        item["id"]: to_json_dict(parse_message(item["text"], _now(item), TIMEZONE))
        for item in ITEMS
    }


def test_the_set_is_large_and_in_both_languages() -> None:
    assert len(ITEMS) >= 150
    counts = Counter(item["language"] for item in ITEMS)
    assert set(counts) == set(LANGUAGES)
    assert min(counts.values()) >= 0.4 * len(ITEMS), counts  # about half each
    ids = [item["id"] for item in ITEMS]
    assert len(ids) == len(set(ids)), "item ids must be unique"


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item["id"])
def test_every_item_is_well_formed(item: dict[str, Any]) -> None:
    assert set(FIELDS) | {"id", "text"} <= set(item), "every field is labelled (null = unstated)"
    assert set(item) <= set(FIELDS) | {"id", "text", "now", "note", "split"}
    assert isinstance(item["text"], str) and item["text"].strip()
    assert item["language"] in LANGUAGES
    assert item["intent"] in INTENTS
    if item["date"] is not None:
        assert date.fromisoformat(item["date"]).isoformat() == item["date"]
    if item["time"] is not None:
        assert re.fullmatch(r"\d\d:\d\d", item["time"])
        time.fromisoformat(item["time"])
    if item["party_size"] is not None:
        assert isinstance(item["party_size"], int) and 1 <= item["party_size"] <= 200
    if item["name"] is not None:
        assert isinstance(item["name"], str) and item["name"] == item["name"].strip()
    if item["phone"] is not None:
        assert re.fullmatch(r"\+[1-9]\d{6,14}", item["phone"])
        assert phonenumbers.is_valid_number(phonenumbers.parse(item["phone"], None))
    if item.get("now"):
        assert _now(item).utcoffset() is not None, "an item's own now carries its UTC offset"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("field", [f for f in FIELDS if f != "language"])
def test_every_field_is_stated_in_some_items_and_absent_in_others(
    field: str, language: str
) -> None:
    values = [item[field] for item in ITEMS if item["language"] == language]
    assert sum(v is not None for v in values) >= 5
    if field != "intent":
        assert sum(v is None for v in values) >= 5
    if field == "intent":
        assert set(values) == INTENTS


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("field", FIELDS)
def test_parser_accuracy_per_field_and_language(
    field: str, language: str, predictions: dict[str, dict[str, Any]]
) -> None:
    items = [item for item in ITEMS if item["language"] == language]
    wrong = [
        f"{item['id']} {item['text']!r}: got {predictions[item['id']][field]!r}, "
        f"label {item[field]!r}"
        for item in items
        if predictions[item["id"]][field] != item[field]
    ]
    accuracy = 1 - len(wrong) / len(items)
    assert accuracy >= TARGET, f"{field}/{language} {accuracy:.1%}:\n" + "\n".join(wrong)
