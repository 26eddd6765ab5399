"""The first restaurant and its administrator: one unit of work, every bad field named, nothing
written unless everything is right; and the wizard's Finish over a chosen database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.db.enums import UserRole
from app.db.models import Restaurant, User
from app.errors import Conflict, InvalidInput
from app.local_config import DatabaseChoice, config_file, load_database_choice
from app.services import first_run
from app.services.accounts import add_user, list_users
from app.services.auth import authenticate
from app.services.database import Database
from app.services.first_run import (
    FieldErrors,
    check_restaurant_fields,
    create_first_restaurant,
    finish_setup,
    needs_setup,
    timezone_choices,
)
from app.services.restaurants import list_restaurants

HOURS = {
    "mon": [["12:00", "15:00"], ["18:00", "23:00"]],
    "fri": [["12:00", "15:00"], ["18:00", "02:00"]],  # closes after midnight
    "sat": [["18:00", "02:00"]],
}


def good(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Bistro Nord", "address": "Nevsky pr. 1, St Petersburg",
        "timezone": "Europe/Moscow", "opening_hours": HOURS,
        "admin_name": "Irina Petrova", "admin_email": "Irina@Bistro.ru",
        "admin_password": "long enough",
    }  # fmt: skip
    values.update(changes)
    return values


def counts(db: Database) -> tuple[int, int]:
    with db.unit_of_work() as uow:
        restaurants = uow.session.scalar(select(func.count()).select_from(Restaurant))
        users = uow.session.scalar(select(func.count()).select_from(User))
    return int(restaurants or 0), int(users or 0)


def test_the_first_restaurant_and_its_admin(db: Database) -> None:
    assert needs_setup(db)
    restaurant, admin = create_first_restaurant(db, **good())
    assert not needs_setup(db)
    assert (restaurant.name, restaurant.address, restaurant.timezone) == (
        "Bistro Nord", "Nevsky pr. 1, St Petersburg", "Europe/Moscow",
    )  # fmt: skip
    assert (admin.email, admin.name, admin.role) == ("irina@bistro.ru", "Irina Petrova",
                                                     UserRole.ADMIN)  # fmt: skip
    assert authenticate(db, "irina@bistro.ru", "long enough").id == admin.id
    [listed] = list_restaurants(db)
    assert listed == restaurant
    with db.unit_of_work() as uow:
        row = uow.session.get(Restaurant, restaurant.id)
        assert row is not None and row.opening_hours == HOURS


def test_every_bad_field_is_named_and_nothing_is_written(db: Database) -> None:
    with pytest.raises(FieldErrors) as caught:
        create_first_restaurant(db, **good(
            name=" ", timezone="Mars/Olympus", admin_email="irina-at-bistro",
            admin_password="short", admin_name="",
            opening_hours={"mon": [["12:00", "15:00"], ["14:00", "23:00"]]},
        ))  # fmt: skip
    errors = caught.value.errors
    assert set(errors) == {"name", "timezone", "opening_hours", "admin_name", "admin_email",
                           "admin_password"}  # fmt: skip
    assert errors["name"] == "The restaurant's name is required."
    assert "'Mars/Olympus' is not an IANA time zone" in errors["timezone"]
    assert errors["opening_hours"].startswith("Monday: the service from 12:00 overlaps")
    assert errors["admin_password"] == "The password must have at least 8 characters."
    assert "is not an email address" in errors["admin_email"]
    assert isinstance(caught.value, InvalidInput) and caught.value.exit_code == 2
    assert counts(db) == (0, 0)


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ({"tue": [["25:00", "23:00"]]}, "Tuesday, first service: '25:00' is not a time"),
        ({"sun": [["12:00", "12:00"]]}, "Sunday, first service: opening and closing time"),
        ({}, "closed every day"),
        ({"someday": []}, "unknown day"),
    ],
)
def test_opening_hours_errors_read_as_days(hours: dict[str, Any], expected: str) -> None:
    errors = check_restaurant_fields(name="X", address=None, timezone="UTC", opening_hours=hours)
    assert expected in errors["opening_hours"]


def test_an_email_already_in_use_is_named_and_the_restaurant_is_not_made(db: Database) -> None:
    add_user(db, email="irina@bistro.ru", name="Old", role="staff", password="long enough")
    with pytest.raises(FieldErrors) as caught:
        create_first_restaurant(db, **good())
    assert list(caught.value.errors) == ["admin_email"]
    assert "already exists" in caught.value.errors["admin_email"]
    assert counts(db) == (0, 1)


def test_a_failure_inside_the_unit_of_work_leaves_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(user: User) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(first_run, "summarize_user", broken)
    with pytest.raises(RuntimeError):
        create_first_restaurant(db, **good())
    assert counts(db) == (0, 0)


def test_only_the_first_restaurant_is_made_here(db: Database) -> None:
    create_first_restaurant(db, **good())
    with pytest.raises(Conflict, match=r"already has a restaurant \(Bistro Nord\)"):
        create_first_restaurant(db, **good(name="Second", admin_email="other@bistro.ru"))
    assert counts(db) == (1, 1)


def test_the_time_zone_picker_offers_iana_names() -> None:
    zones = timezone_choices()
    assert {"Europe/Moscow", "Asia/Yekaterinburg", "America/New_York", "UTC"} <= set(zones)
    assert zones == sorted(zones) and not [z for z in zones if z.startswith(("Etc/", "posix"))]


# -- the wizard's Finish --------------------------------------------------------------------


def test_finish_on_a_local_file_creates_it_and_remembers_the_choice(tmp_path: Path) -> None:
    choice = DatabaseChoice.local(tmp_path / "data" / "tobeout.sqlite3")
    done = finish_setup(choice, restaurant=good())
    try:
        assert done.restaurant is not None and done.restaurant.name == "Bistro Nord"
        assert done.user is not None and done.user.role is UserRole.ADMIN
        assert done.saved_to == config_file() and load_database_choice() == choice
        assert [u.email for u in list_users(done.db)] == ["irina@bistro.ru"]
    finally:
        done.db.close()


def test_finish_with_bad_fields_touches_neither_database_nor_settings(tmp_path: Path) -> None:
    path = tmp_path / "tobeout.sqlite3"
    with pytest.raises(FieldErrors) as caught:
        finish_setup(DatabaseChoice.local(path), restaurant=good(admin_password="1234"))
    assert list(caught.value.errors) == ["admin_password"]
    assert not path.exists() and not config_file().exists()


def test_finish_with_the_demo_signs_in_its_admin(db: Database) -> None:
    done = finish_setup(db, demo=True)
    assert done.db is db and done.saved_to is None  # given on the command line: not remembered
    assert done.restaurant is not None and done.restaurant.is_demo
    assert done.user is not None and done.user.email == "admin@tobeout.demo"


def test_joining_a_database_with_restaurants_needs_a_sign_in(tmp_path: Path) -> None:
    choice = DatabaseChoice.local(tmp_path / "shared.sqlite3")
    finish_setup(choice, restaurant=good()).db.close()
    config_file().unlink()
    done = finish_setup(choice)
    try:
        assert done.restaurant is None and done.user is None
        assert json.loads(config_file().read_text())["database"]["path"] == choice.path
    finally:
        done.db.close()
    with pytest.raises(InvalidInput, match="no restaurant yet"):
        finish_setup(DatabaseChoice.local(tmp_path / "empty.sqlite3"))
    assert not config_file().exists() or load_database_choice() == choice
