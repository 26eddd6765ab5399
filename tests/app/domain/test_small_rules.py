"""Phones, confirmation codes, passwords and table specs."""

from __future__ import annotations

import pytest

from app.domain.codes import ALPHABET, new_confirmation_code, normalize_code
from app.domain.passwords import hash_password, verify_password
from app.domain.phones import display_phone, normalize_phone
from app.domain.table_spec import parse_table
from app.errors import InvalidInput


@pytest.mark.parametrize(
    "raw", ["+7 916 123-45-67", "8 (916) 123-45-67", "9161234567", "+79161234567"]
)
def test_russian_numbers_in_any_common_form_become_e164(raw: str) -> None:
    assert normalize_phone(raw) == "+79161234567"


def test_foreign_numbers_keep_their_country() -> None:
    assert normalize_phone("+44 20 7946 0958") == "+442079460958"
    assert display_phone("+79161234567") == "+7 916 123-45-67"


@pytest.mark.parametrize("raw", ["", "   ", "call me", "+7 916", "12"])
def test_bad_phones_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_phone(raw)


def test_confirmation_codes_avoid_ambiguous_characters() -> None:
    codes = {new_confirmation_code() for _ in range(500)}
    assert len(codes) > 490
    for code in codes:
        assert len(code) == 6 and set(code) <= set(ALPHABET)
    assert not set("0O1IL5S8B2Z") & set(ALPHABET)
    assert normalize_code(" ac-def g ") == "ACDEFG"


def test_passwords_are_hashed_and_verified() -> None:
    hashed = hash_password("correct horse")
    assert hashed.startswith("$2") and "correct horse" not in hashed
    assert verify_password("correct horse", hashed)
    assert not verify_password("wrong horse", hashed)
    assert not verify_password("correct horse", "corrupted-hash")


@pytest.mark.parametrize("password", ["short", "x" * 73])
def test_weak_or_truncated_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput):
        hash_password(password)


def test_a_table_spec_fills_defaults_and_normalises() -> None:
    spec = parse_table(
        {"name": " 12 ", "max_guests": 4, "features": ["Window", "window", "quiet"],
         "position": {"x": 10, "y": 20, "rotation": 405}}
    )  # fmt: skip
    assert spec.name == "12" and spec.min_guests == 1
    assert spec.features == ["window", "quiet"]
    assert spec.position == {
        "x": 10.0, "y": 20.0, "width": 80.0, "height": 80.0, "rotation": 45.0, "area": "Main room"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"max_guests": 4}, "name is required"),
        ({"name": "1"}, "max_guests is required"),
        ({"name": "1", "max_guests": 2, "min_guests": 3}, "below min_guests"),
        ({"name": "1", "max_guests": True}, "whole number"),
        ({"name": "1", "max_guests": 2, "shape": "hexagon"}, "shape must be one of"),
        ({"name": "1", "max_guests": 2, "features": ["jacuzzi"]}, "unknown 'jacuzzi'"),
        ({"name": "1", "max_guests": 2, "colour": "red"}, "unknown field 'colour'"),
        ({"name": "1", "max_guests": 2, "position": {"x": 1, "z": 2}}, "unknown field 'z'"),
        ({"name": "1", "max_guests": 2, "position": {"width": 5000}}, "at most"),
        ({"name": "1", "max_guests": 2, "priority": 11}, "at most 10"),
    ],
)
def test_bad_tables_say_what_is_wrong(raw: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_table(raw)
