"""The booking engine's speed-ups keep every answer: cached tables, bounded holds, one snapshot.

* ``load_tables`` caches the floor plan per database and restaurant behind a fingerprint query,
  so an edit made through another handle (another terminal) is seen by the very next call;
* ``_holds`` bounds its query by the reservations' start times, so bookings that began the
  evening before, and parties still at their table, must still block;
* ``availability_grid`` answers all party sizes from one snapshot, exactly as
  ``check_availability`` does per size, joined tables included;
* the efficiency part keeps the only joinable groups free for the large parties expected.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.db.engine import create_db_engine
from app.db.enums import TableStatus
from app.db.models import DiningTable
from app.domain.assignment import keep_groups
from app.domain.availability import DaySnapshot, assignment_request, evaluate, grid
from app.domain.booking_rules import rules_from
from app.domain.floor import TableInfo, joinable_groups
from app.domain.occupancy import Occupancy
from app.domain.requests import read_wishes
from app.domain.service_hours import find_slot
from app.errors import NotAvailable
from app.services.availability import availability_grid, check_availability
from app.services.database import Database
from app.services.day_loader import load_tables
from app.services.lifecycle import change_status
from tests.app.services.conftest import FRIDAY, HOURS, NOW, SETTINGS, Place

NO_WISHES = read_wishes(None, None)


def _offered(db: Database, place: Place, party: int) -> set[str]:
    result = check_availability(db, place.restaurant_id, FRIDAY, party, now=NOW)
    return {name for slot in result.slots for name in slot.tables}


def _names(place: Place) -> set[str]:
    with place.db.unit_of_work() as uow:
        return {t.name for t in load_tables(uow.session, place.restaurant_id)}


def test_a_table_edited_through_another_handle_is_seen_at_once(
    place: Place, database_url: str
) -> None:
    assert "A1" in _offered(place.db, place, 1)  # warms the table cache
    other = Database.from_engine(create_db_engine(database_url))
    try:
        with other.unit_of_work() as uow:
            uow.session.get(DiningTable, place.table_ids["A1"]).status = TableStatus.MAINTENANCE
            uow.commit()
        assert "A1" not in _offered(place.db, place, 1)
        with other.unit_of_work() as uow:
            table = uow.session.get(DiningTable, place.table_ids["C1"])
            table.max_guests = 8
            uow.session.add(
                DiningTable(
                    restaurant_id=place.restaurant_id, name="Z9", min_guests=1, max_guests=2,
                    position={"x": 900, "y": 900, "width": 80, "height": 80, "area": "Bar"},
                    features=[], preferred_for=[], priority=1, status=TableStatus.FREE,
                    is_active=True,
                )
            )  # fmt: skip
            uow.commit()
        assert "C1" in _offered(place.db, place, 8)  # a six-top made an eight-top
        assert "Z9" in _names(place)  # a new table
        with other.unit_of_work() as uow:
            uow.session.execute(sa.delete(DiningTable).where(DiningTable.name == "Z9"))
            uow.commit()
        assert "Z9" not in _names(place)
        assert "C1" in _offered(place.db, place, 8)
    finally:
        other.close()


def test_load_tables_sees_an_edit_pending_in_the_same_session(place: Place) -> None:
    with place.db.unit_of_work() as uow:
        before = {t.name: t for t in load_tables(uow.session, place.restaurant_id)}
        uow.session.get(DiningTable, place.table_ids["B2"]).is_active = False
        uow.session.flush()
        after = {t.name: t for t in load_tables(uow.session, place.restaurant_id)}
        assert before["B2"].bookable and not after["B2"].bookable


def test_a_party_seated_eleven_hours_ago_still_blocks(make_place) -> None:  # noqa: ANN001
    long_day = {"fri": [["08:00", "23:59"]], "thu": [["08:00", "23:59"]]}
    place = make_place(hours=long_day)
    booked = place.book(tables=("A1",), time=dt.time(8, 30), party_size=2, now=NOW)
    seated_at = dt.datetime(2026, 11, 27, 5, 30, tzinfo=dt.UTC)  # 08:30 MSK
    change_status(place.db, booked.reservation.confirmation_code, "seated", now=seated_at)
    later = seated_at + dt.timedelta(hours=11)  # 19:30 MSK, long past the booked end
    with pytest.raises(NotAvailable):  # still at the table until 19:30 + 30 min + buffer
        place.book(tables=("A1",), time=dt.time(20, 0), phone="+79160000002", now=later)
    # 13 hours on, the booking counts as forgotten (MAX_OVERSTAY): the table is free again.
    forgotten = seated_at + dt.timedelta(hours=13)
    result = check_availability(place.db, place.restaurant_id, FRIDAY, 1, now=forgotten)
    assert any("A1" in s.tables for s in result.slots if s.available)


def test_a_long_booking_from_the_evening_before_blocks_the_morning(make_place) -> None:  # noqa: ANN001
    place = make_place(hours={"thu": [["18:00", "23:59"]], "fri": [["07:00", "23:00"]]})
    place.book(tables=("A1",), date=FRIDAY - dt.timedelta(days=1), time=dt.time(22, 0),
               duration=720, now=NOW)  # fmt: skip  # until 10:00 Friday, + 15 min buffer
    result = check_availability(place.db, place.restaurant_id, FRIDAY, 1, now=NOW)
    by_time = {s.time: s for s in result.slots}
    assert "A1" not in {name for t in ("07:00", "09:00", "10:00") for name in by_time[t].tables}
    assert any("A1" in by_time[t].tables for t in ("10:15", "10:30", "11:00"))
    with pytest.raises(NotAvailable):
        place.book(tables=("A1",), time=dt.time(9, 0), phone="+79160000001", now=NOW)


def test_one_call_grid_equals_check_availability_and_joins_tables(place: Place) -> None:
    place.book(tables=("C1",), time=dt.time(19, 0), party_size=5, now=NOW)
    sizes = (1, 2, 4, 6, 9, 10, 12, 13)
    answer = availability_grid(place.db, place.restaurant_id, FRIDAY, sizes, now=NOW)
    for size in sizes:
        single = check_availability(place.db, place.restaurant_id, FRIDAY, size, now=NOW)
        assert answer[size] == single.slots, size
    ten = {s.time: s for s in answer[10]}
    assert ten["12:00"].available and ten["12:00"].tables == ("C1", "C2")
    assert not ten["19:00"].available and ten["19:00"].reason == "no_table"  # C1 is taken
    assert not any(s.available for s in answer[13])


# -- keeping the only joinable groups for the large parties expected ------------------------


def _room() -> tuple[list[TableInfo], object]:
    rules = rules_from(timezone="Europe/Moscow", opening_hours=HOURS, settings=dict(SETTINGS))
    layout = [  # two joinable six-tops (the only way to seat 9-12) and a lone eight-top
        ("C1", 3, 6, 0, 400, 160), ("C2", 3, 6, 180, 400, 160), ("D1", 5, 8, 0, 800, 200),
    ]  # fmt: skip
    tables = [
        TableInfo.from_row(
            id=i + 1, name=name, min_guests=low, max_guests=high,
            position={"x": x, "y": y, "width": width, "height": 80, "area": "Main room"},
            features=(), preferred_for=(), priority=5, ai_score=0.5, bookable=True,
        )
        for i, (name, low, high, x, y, width) in enumerate(layout)
    ]  # fmt: skip
    return tables, rules


def _snapshot(group_demand: dict[int, float]) -> DaySnapshot:
    tables, rules = _room()
    return DaySnapshot(
        rules=rules, service_day=FRIDAY, now=NOW, tables=tables,
        groups=joinable_groups(tables, rules.combinations), occupancy=Occupancy([]),
        covers_by_slot={}, timeslots={}, group_party_demand=group_demand,
    )  # fmt: skip


def test_a_six_is_kept_off_the_only_joinable_six_tops_when_a_big_party_is_expected() -> None:
    slot = find_slot(_snapshot({}).rules, FRIDAY, dt.time(18, 0))
    assert slot is not None
    plain = evaluate(_snapshot({}), slot, 6, wishes=NO_WISHES)
    assert plain.tables == ("C1",)  # the perfect fit, with no large party in view
    snapshot = _snapshot({19: 1.0})  # one party of 9+ expected around 19:00
    kept = evaluate(snapshot, slot, 6, wishes=NO_WISHES)
    assert kept.tables == ("D1",)
    chosen = kept.assignment.chosen
    c1 = next(c for c in kept.assignment.considered if c.names == ("C1",))
    assert c1.parts["efficiency"] < chosen.parts["efficiency"]  # the penalty is visible
    explained = "\n".join(kept.assignment.explain())
    assert "efficiency" in explained
    # the party of ten itself is never penalised for taking the group
    ten = evaluate(snapshot, slot, 10, wishes=NO_WISHES)
    assert ten.tables == ("C1", "C2")
    assert all(c.parts["efficiency"] == pytest.approx(1.0) for c in ten.assignment.considered)
    # the fast grid makes the same choice for every slot
    for party in (2, 4, 6, 8, 10):
        for verdict in grid(snapshot, party, wishes=NO_WISHES):
            slow = evaluate(snapshot, verdict.slot, party, wishes=NO_WISHES, explain=False)
            assert (verdict.available, verdict.tables) == (slow.available, slow.tables)


def test_keep_groups_is_zero_without_demand() -> None:
    snapshot = _snapshot({})
    slot = find_slot(snapshot.rules, FRIDAY, dt.time(18, 0))
    assert slot is not None
    verdict = evaluate(snapshot, slot, 6, wishes=NO_WISHES)
    assert verdict.tables == ("C1",)
    request = assignment_request(snapshot, slot, 6, duration=None, wishes=NO_WISHES, guest=None)
    assert keep_groups(request, tuple(snapshot.tables[:1])) == 0.0
