"""The restaurant's own details on the settings screen: each is checked and normalised (the
phone to E.164 in the restaurant's country, the e-mail's domain lower-cased), every bad one is
named at once and nothing is written, and the time zone is fixed once there are bookings."""

from __future__ import annotations

from typing import Any

import pytest

from app.db.models import Restaurant
from app.errors import PermissionDenied
from app.services.accounts import UserSummary, add_user
from app.services.database import Database
from app.services.restaurant_settings import (
    FieldErrors,
    RestaurantSettingsInput,
    load_settings,
    save_settings,
)
from tests.app.services.conftest import SETTINGS, Place, create_place

LOCKED = "The time zone cannot change once the restaurant has bookings: their times would move."


@pytest.fixture
def manager(db: Database) -> UserSummary:
    return add_user(db, email="boss@bistro.ru", name="Boss", role="manager", password="long enough")


def row(db: Database, restaurant_id: int) -> dict[str, Any]:
    with db.unit_of_work() as uow:
        r = uow.session.get(Restaurant, restaurant_id)
        assert r is not None
        return {"name": r.name, "address": r.address, "phone": r.phone, "email": r.email,
                "cuisine": r.cuisine, "description": r.description, "timezone": r.timezone,
                "settings": r.settings, "opening_hours": r.opening_hours,
                "average_service_time": r.average_service_time,
                "updated_at": r.updated_at}  # fmt: skip


DETAILS = RestaurantSettingsInput(
    name="  Bistro Nord ", address=" Nevsky prospekt 1, St Petersburg ",
    phone="8 (916) 123-45-67", email=" Booking@Bistro-Nord.RU ", cuisine="Nordic",
    description="Small plates.\nA long wine list.\n", timezone="Europe/Samara",
)  # fmt: skip


def test_the_details_are_checked_normalised_and_stored(
    db: Database, place: Place, manager: UserSummary
) -> None:
    saved = save_settings(db, place.restaurant_id, DETAILS, user=manager)
    assert load_settings(db, place.restaurant_id, user=manager) == saved
    assert (saved.name, saved.address, saved.phone, saved.email, saved.cuisine) == (
        "Bistro Nord", "Nevsky prospekt 1, St Petersburg", "+79161234567",
        "Booking@bistro-nord.ru", "Nordic")  # fmt: skip
    assert saved.description == "Small plates.\nA long wine list."
    assert saved.timezone == "Europe/Samara", "no bookings yet: the zone may change"
    stored = row(db, place.restaurant_id)
    assert {k: stored[k] for k in ("name", "phone", "email", "timezone")} == {
        "name": "Bistro Nord", "phone": "+79161234567", "email": "Booking@bistro-nord.ru",
        "timezone": "Europe/Samara"}  # fmt: skip
    assert stored["settings"]["country"] == "RU", "settings the form does not show stay"

    # Emptied optional details are cleared; details not given stay.
    view = save_settings(db, place.restaurant_id, RestaurantSettingsInput(
        address="", phone="  ", email=None, cuisine=""), user=manager)  # fmt: skip
    assert (view.address, view.phone, view.email, view.cuisine) == (None, None, None, None)
    assert view.name == "Bistro Nord" and view.description == "Small plates.\nA long wine list."


@pytest.mark.parametrize(("country", "typed", "e164"), [
    ({"country": "DE"}, "030 12345678", "+493012345678"),
    ({"country": "de"}, "+7 916 123 45 67", "+79161234567"),  # a country code wins
    ({}, "8 916 123-45-67", "+79161234567"),  # no country: the phone helper's default (RU)
])  # fmt: skip
def test_a_local_phone_is_read_in_the_restaurants_country(
    db: Database, manager: UserSummary, country: dict[str, str], typed: str, e164: str
) -> None:
    settings = {k: v for k, v in SETTINGS.items() if k != "country"} | country
    place = create_place(db, settings=settings)
    view = save_settings(db, place.restaurant_id, RestaurantSettingsInput(phone=typed),
                         user=manager)  # fmt: skip
    assert view.phone == e164 == row(db, place.restaurant_id)["phone"]


BAD_DETAILS: list[tuple[str, Any, str]] = [
    ("name", "", "The restaurant's name is required."),
    ("name", "   ", "The restaurant's name is required."),
    ("name", "N" * 201, "too long (201 characters; at most 200)"),
    ("address", "A" * 501, "The address is too long"),
    ("phone", "12345", "Phone: '12345' is not a valid phone number."),
    ("phone", "call us", "is not a phone number"),
    ("phone", "030 12345678", "not a valid phone number"),  # a German number, read in Russia
    ("email", "booking-at-bistro.ru", "is not an e-mail address"),
    ("email", "booking@bistro", "is not an e-mail address"),
    ("email", "two words@bistro.ru", "is not an e-mail address"),
    ("email", "a@" + "b" * 250 + ".ru", "The e-mail address is too long"),
    ("cuisine", "C" * 101, "The cuisine is too long"),
    ("description", "D" * 5001, "The description is too long"),
    ("timezone", "Mars/Olympus_Mons", "is not an IANA time zone name"),
    ("timezone", "", "The time zone is required."),
]  # fmt: skip


@pytest.mark.parametrize(("field", "value", "words"), BAD_DETAILS,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_DETAILS)])  # fmt: skip
def test_each_bad_detail_is_named_and_nothing_is_written(
    db: Database, place: Place, manager: UserSummary, field: str, value: Any, words: str
) -> None:
    before = row(db, place.restaurant_id)
    # Good changes alongside, a detail and a rule: neither may be written.
    changes = RestaurantSettingsInput(**{"cuisine": "Nordic", "buffer_minutes": 25, field: value})
    with pytest.raises(FieldErrors) as refused:
        save_settings(db, place.restaurant_id, changes, user=manager)
    assert list(refused.value.errors) == [field]
    assert words in refused.value.errors[field]
    assert row(db, place.restaurant_id) == before


def test_bad_details_and_bad_rules_are_named_at_once(
    db: Database, place: Place, manager: UserSummary
) -> None:
    place.book()
    before = row(db, place.restaurant_id)
    changes = RestaurantSettingsInput(name="", phone="12", email="nope", timezone="Asia/Tokyo",
                                      slot_interval_minutes=1)  # fmt: skip
    with pytest.raises(FieldErrors) as refused:
        save_settings(db, place.restaurant_id, changes, user=manager)
    assert set(refused.value.errors) == {"name", "phone", "email", "timezone",
                                         "slot_interval_minutes"}  # fmt: skip
    assert refused.value.errors["timezone"] == LOCKED
    assert row(db, place.restaurant_id) == before


def test_the_time_zone_is_fixed_once_there_are_bookings(
    db: Database, place: Place, manager: UserSummary
) -> None:
    place.book()
    before = row(db, place.restaurant_id)
    with pytest.raises(FieldErrors) as refused:
        save_settings(db, place.restaurant_id, RestaurantSettingsInput(
            timezone="Europe/Berlin", name="Bistro Nord"), user=manager)  # fmt: skip
    assert refused.value.errors == {"timezone": LOCKED}
    assert row(db, place.restaurant_id) == before
    # The form sends the zone it showed: the same zone is no change and saves.
    view = save_settings(db, place.restaurant_id, RestaurantSettingsInput(
        timezone="Europe/Moscow", name="Bistro Nord"), user=manager)  # fmt: skip
    assert (view.name, view.timezone) == ("Bistro Nord", "Europe/Moscow")


def test_staff_may_not_rename_the_restaurant(db: Database, place: Place) -> None:
    staff = add_user(db, email="host@bistro.ru", name="Host", role="staff", password="long enough")
    before = row(db, place.restaurant_id)
    with pytest.raises(PermissionDenied):
        save_settings(db, place.restaurant_id, RestaurantSettingsInput(name="Mine"), user=staff)
    assert row(db, place.restaurant_id) == before
