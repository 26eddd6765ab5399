"""The floor plan's live states and edits, walk-ins, and the host's day sheet."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db.enums import ReservationStatus
from app.domain.table_states import LiveState
from app.errors import Conflict, InvalidInput, NotAvailable, PermissionDenied
from app.services.accounts import add_user
from app.services.database import Database
from app.services.day_sheet import day_reservations
from app.services.floor_plan import (
    delete_table,
    floor_tables,
    live_floor,
    mark_cleaned,
    move_tables,
    save_table,
)
from app.services.guest_admin import set_blacklisted, update_guest
from app.services.guest_views import find_guests, guest_profile
from app.services.lifecycle import change_status
from app.services.walk_ins import seat_walk_in
from tests.app.services.conftest import FRIDAY, NOW, Place

AT_1900 = dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC)


def _states(place: Place, now: dt.datetime) -> dict[str, LiveState]:
    return {t.table.name: t.live.state for t in live_floor(place.db, place.restaurant_id, now)}


def test_live_states_follow_the_evening(place: Place) -> None:
    soon = place.book(tables=("A1",)).reservation  # 19:00
    place.book(tables=("B1",), time=dt.time(22, 0), phone="+79160000030")
    before = AT_1900 - dt.timedelta(minutes=30)
    states = _states(place, before)
    assert states["A1"] is LiveState.RESERVED_SOON and states["B1"] is LiveState.FREE
    change_status(place.db, soon.confirmation_code, "seated", now=AT_1900)
    seated_view = live_floor(place.db, place.restaurant_id, AT_1900 + dt.timedelta(minutes=20))
    live = {t.table.name: t.live for t in seated_view}
    assert live["A1"].state is LiveState.SEATED and live["A1"].minutes_seated == 20
    change_status(place.db, soon.confirmation_code, "dining", now=AT_1900)
    late = AT_1900 + dt.timedelta(minutes=100)  # booked for 90
    live = {t.table.name: t.live for t in live_floor(place.db, place.restaurant_id, late)}
    assert live["A1"].state is LiveState.DINING and live["A1"].overdue
    change_status(place.db, soon.confirmation_code, "completed", now=late)
    assert _states(place, late)["A1"] is LiveState.NEEDS_CLEANING
    mark_cleaned(place.db, place.table_ids["A1"], now=late + dt.timedelta(minutes=5))
    assert _states(place, late + dt.timedelta(minutes=6))["A1"] is LiveState.FREE


def test_a_walk_in_is_seated_and_cut_short_before_the_next_booking(place: Place) -> None:
    place.book(tables=("A1",), time=dt.time(20, 0))
    view = seat_walk_in(place.db, place.restaurant_id, table_ids=(place.table_ids["A1"],),
                        party_size=2, now=AT_1900 - dt.timedelta(minutes=30))  # fmt: skip
    assert view.status is ReservationStatus.SEATED and view.source == "walk_in"
    # 18:30 until 20:00 minus the 15-minute buffer
    assert view.ends_at - view.starts_at == dt.timedelta(minutes=75)
    with pytest.raises(NotAvailable, match="occupied"):
        seat_walk_in(place.db, place.restaurant_id, table_ids=(place.table_ids["A1"],),
                     party_size=2, now=AT_1900 - dt.timedelta(minutes=20))  # fmt: skip
    with pytest.raises(NotAvailable, match="do not fit"):
        seat_walk_in(place.db, place.restaurant_id, table_ids=(place.table_ids["A2"],),
                     party_size=5, now=AT_1900)  # fmt: skip


def test_tables_are_edited_moved_and_deleted_safely(place: Place) -> None:
    created = save_table(place.db, place.restaurant_id, {
        "name": "D1", "min_guests": 2, "max_guests": 4, "shape": "round",
        "position": {"x": 500, "y": 100, "width": 90, "height": 90, "area": "Terrace"},
        "features": ["view"], "priority": 7,
    })  # fmt: skip
    assert (created.shape.value, created.area, created.features) == ("round", "Terrace", ("view",))
    with pytest.raises(Conflict):
        save_table(place.db, place.restaurant_id, {"name": "a1", "max_guests": 2})
    with pytest.raises(InvalidInput, match="max_guests"):
        save_table(place.db, place.restaurant_id, {"name": "D1", "min_guests": 5,
                                                   "max_guests": 2}, created.id)  # fmt: skip
    moved = move_tables(place.db, [(created.id, {"x": 620, "y": 140, "rotation": 45})])[0]
    assert (moved.x, moved.y, moved.rotation, moved.area) == (620, 140, 45, "Terrace")
    with pytest.raises(InvalidInput):
        move_tables(place.db, [(created.id, {"x": "left"})])
    place.book(tables=("A2",))
    with pytest.raises(InvalidInput, match="upcoming booking"):
        delete_table(place.db, place.table_ids["A2"], now=NOW)
    delete_table(place.db, created.id, now=NOW)
    assert "D1" not in {t.name for t in floor_tables(place.db, place.restaurant_id)}


def test_day_sheet_search_and_guest_profile(place: Place) -> None:
    first = place.book(name="Ivan Sidorov", phone="+79031234567").reservation
    place.book(name="Olga Ivanova", phone="+79269876543", time=dt.time(20, 0))
    day = day_reservations(place.db, place.restaurant_id, FRIDAY)
    assert [v.guest_name for v in day] == ["Ivan Sidorov", "Olga Ivanova"]
    assert [v.guest_name for v in day_reservations(place.db, place.restaurant_id, FRIDAY,
                                                   search="ivan")] == ["Ivan Sidorov",
                                                                       "Olga Ivanova"]  # fmt: skip
    by_phone = day_reservations(place.db, place.restaurant_id, FRIDAY, search="987")
    assert [v.guest_name for v in by_phone] == ["Olga Ivanova"]
    by_code = day_reservations(place.db, place.restaurant_id, FRIDAY,
                               search=first.confirmation_code)  # fmt: skip
    assert [v.id for v in by_code] == [first.id]
    assert [g.name for g in find_guests(place.db, place.restaurant_id, "sido")] == ["Ivan Sidorov"]
    profile = guest_profile(place.db, first.guest_id)
    assert profile.guest.phone == "+79031234567" and len(profile.reservations) == 1


def test_permissions_are_enforced_by_the_services(place: Place, db: Database) -> None:
    staff = add_user(db, email="h@b.ru", name="Host", role="staff", password="long enough")
    manager = add_user(db, email="m@b.ru", name="Boss", role="manager", password="long enough")
    guest_id = place.book().reservation.guest_id
    with pytest.raises(PermissionDenied, match="may not block guests"):
        set_blacklisted(db, guest_id, True, reason="rude", user=staff)
    with pytest.raises(PermissionDenied, match="floor plan"):
        move_tables(db, [(place.table_ids["A1"], {"x": 10})], user=staff)
    with pytest.raises(PermissionDenied):
        update_guest(db, guest_id, {"vip_status": "gold"}, user=staff)
    assert update_guest(db, guest_id, {"notes": "Likes jazz"}, user=staff).notes == "Likes jazz"
    blocked = set_blacklisted(db, guest_id, True, reason="Rude to staff", user=manager)
    assert blocked.blacklisted and blocked.notes == "Likes jazz\nRude to staff"
    assert move_tables(db, [(place.table_ids["A1"], {"x": 10})], user=manager)[0].x == 10
