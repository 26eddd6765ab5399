"""The booking path end to end on both databases: rules, assignment, holds, nothing partial."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.db.enums import ReservationStatus, TableStatus
from app.db.models import (
    DiningTable,
    Guest,
    Reservation,
    ReservationStatusChange,
    ReservationTable,
    Timeslot,
)
from app.errors import InvalidInput, NotAvailable
from app.services.availability import check_availability
from app.services.database import Database
from app.services.deposit_quotes import deposit_quote
from app.services.lifecycle import change_status
from tests.app.services.conftest import FRIDAY, NOW, SETTINGS, Place


def _count(db: Database, model: type) -> int:
    with db.unit_of_work() as uow:
        return int(uow.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def _snapshot_counts(db: Database) -> tuple[int, ...]:
    return tuple(
        _count(db, m) for m in (Reservation, ReservationTable, ReservationStatusChange, Guest)
    )


def test_a_booking_writes_reservation_holds_history_and_guest(place: Place) -> None:
    result = place.book(special_requests="Window please", occasion="date")
    view = result.reservation
    assert view.status is ReservationStatus.CONFIRMED
    assert view.tables == ("A1",)  # the window two-top
    assert view.starts_at == dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC)  # 19:00 MSK
    assert view.ends_at - view.starts_at == dt.timedelta(minutes=90)  # turn time for 1-2
    assert len(view.confirmation_code) == 6
    assert view.guest_phone == "+79161234567"
    assert result.explanation[0].startswith("→ A1")
    with place.db.unit_of_work() as uow:
        link = uow.session.scalars(sa.select(ReservationTable)).one()
        assert link.blocking is True
        assert link.blocked_until == view.ends_at + dt.timedelta(minutes=15)  # the buffer
        history = uow.session.scalars(sa.select(ReservationStatusChange)).one()
        assert (history.from_status, history.to_status, history.actor) == (
            None, ReservationStatus.CONFIRMED, "host",
        )  # fmt: skip


def test_the_same_guest_is_found_by_phone_in_any_format(place: Place) -> None:
    first = place.book(phone="+7 916 123-45-67")
    second = place.book(phone="8 (916) 123 45 67", time=dt.time(12, 0), name="Anna P.")
    assert first.reservation.guest_id == second.reservation.guest_id
    assert _count(place.db, Guest) == 1


def test_a_taken_table_is_not_offered_and_the_buffer_counts(place: Place) -> None:
    place.book(tables=("A1",), time=dt.time(19, 0))
    # a couple at 19:00 on A1 blocks it until 20:30 + 15 min buffer
    with pytest.raises(NotAvailable):
        place.book(tables=("A1",), time=dt.time(20, 30), phone="+79160000001")
    late = place.book(tables=("A1",), time=dt.time(20, 45), phone="+79160000002")
    assert late.reservation.tables == ("A1",)


def test_explicit_table_refusal_says_why_and_offers_alternatives(place: Place) -> None:
    place.book(tables=("B1",), party_size=4)
    with pytest.raises(NotAvailable) as refused:
        place.book(tables=("B1",), party_size=3, phone="+79160000003")
    assert "B1 is taken" in refused.value.message
    assert refused.value.alternatives, "alternatives are offered"
    before = _snapshot_counts(place.db)
    with pytest.raises(NotAvailable):
        place.book(tables=("B1",), party_size=3, phone="+79160000004")
    assert _snapshot_counts(place.db) == before, "nothing is written on refusal"


def test_maintenance_and_inactive_tables_are_never_offered(place: Place) -> None:
    with place.db.unit_of_work() as uow:
        for name, change in (("A1", "maintenance"), ("A2", "inactive")):
            table = uow.session.get(DiningTable, place.table_ids[name])
            assert table is not None
            if change == "maintenance":
                table.status = TableStatus.MAINTENANCE
            else:
                table.is_active = False
        uow.commit()
    result = check_availability(place.db, place.restaurant_id, FRIDAY, 2, now=NOW)
    offered = {name for slot in result.slots for name in slot.tables}
    assert offered and not offered & {"A1", "A2"}
    with pytest.raises(NotAvailable, match="out of service"):
        place.book(tables=("A1",))


def test_a_seated_party_that_overstays_keeps_its_table(place: Place) -> None:
    early = place.book(tables=("A1",), time=dt.time(18, 0))
    seated_at = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)  # 18:00 MSK
    change_status(place.db, early.reservation.confirmation_code, "seated", now=seated_at)
    # 20:00 MSK: booked until 19:30 + buffer, but still at the table
    late_evening = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)
    result = check_availability(place.db, place.restaurant_id, FRIDAY, 2,
                                time=dt.time(20, 30), now=late_evening)  # fmt: skip
    assert result.requested is not None and "A1" not in result.requested.tables
    by_time = {s.time: s for s in result.slots}
    # still eating at 20:00: not offered before they can have left (20:00 + 30 min + buffer)
    assert all("A1" not in by_time[t].tables for t in ("20:15", "20:30"))
    with pytest.raises(NotAvailable):
        place.book(tables=("A1",), time=dt.time(20, 30), now=late_evening, phone="+79160000005")
    # once they leave, the table is free again
    change_status(place.db, early.reservation.confirmation_code, "completed", now=late_evening)
    again = place.book(tables=("A1",), time=dt.time(20, 30), now=late_evening,
                       phone="+79160000006")  # fmt: skip
    assert again.reservation.tables == ("A1",)


def test_a_large_party_gets_adjacent_tables_joined(place: Place) -> None:
    result = place.book(party_size=11)
    assert result.reservation.tables == ("C1", "C2")
    with place.db.unit_of_work() as uow:
        links = uow.session.scalars(sa.select(ReservationTable)).all()
        assert sorted(link.table_id for link in links) == sorted(
            [place.table_ids["C1"], place.table_ids["C2"]]
        )
    # the joined tables are both taken: a 6-top request at the same time cannot use C1 or C2
    with pytest.raises(NotAvailable):
        place.book(party_size=5, phone="+79160000007")


def test_pacing_limits_covers_starting_per_slot(make_place: object) -> None:
    place = make_place(settings=SETTINGS | {"max_covers_per_slot": 6})  # type: ignore[operator]
    place.book(party_size=4)
    with pytest.raises(NotAvailable, match="capacity"):
        place.book(party_size=4, phone="+79160000008")
    place.book(party_size=2, phone="+79160000009")  # 6 covers: exactly the cap
    place.book(party_size=4, time=dt.time(19, 15), phone="+79160000010")  # next slot is fine


def test_timeslot_rows_cap_pacing_and_count_bookings(place: Place) -> None:
    with place.db.unit_of_work() as uow:
        row = Timeslot(restaurant_id=place.restaurant_id, date=FRIDAY, time=dt.time(19, 0),
                       max_capacity=5, current_bookings=0, is_active=True, is_available=True,
                       pricing={})  # fmt: skip
        closed = Timeslot(restaurant_id=place.restaurant_id, date=FRIDAY, time=dt.time(19, 30),
                          max_capacity=50, current_bookings=0, is_active=False,
                          is_available=True, pricing={})  # fmt: skip
        uow.session.add_all([row, closed])
        uow.commit()
        row_id = row.id
    first = place.book(party_size=3)
    with pytest.raises(NotAvailable, match="capacity"):
        place.book(party_size=3, phone="+79160000011")
    with pytest.raises(NotAvailable, match="not taking bookings"):
        place.book(time=dt.time(19, 30), phone="+79160000012")

    def counted() -> int:
        with place.db.unit_of_work() as uow:
            slot = uow.session.get(Timeslot, row_id)
            assert slot is not None
            return slot.current_bookings

    assert counted() == 3
    change_status(place.db, first.reservation.confirmation_code, "cancelled",
                  reason="guest called", now=NOW)  # fmt: skip
    assert counted() == 0


def test_blacklisted_guests_are_refused(place: Place) -> None:
    place.book()
    with place.db.unit_of_work() as uow:
        guest = uow.session.scalars(sa.select(Guest)).one()
        guest.blacklisted = True
        guest.notes = "Abusive to staff"
        uow.commit()
    before = _snapshot_counts(place.db)
    with pytest.raises(NotAvailable, match="blocked list"):
        place.book(time=dt.time(12, 0))
    assert _snapshot_counts(place.db) == before


def test_allergies_and_preferences_are_flagged_on_the_booking(place: Place) -> None:
    place.book()
    with place.db.unit_of_work() as uow:
        guest = uow.session.scalars(sa.select(Guest)).one()
        guest.allergies = ["peanuts"]
        guest.preferences = {"seating": "quiet corner"}
        uow.commit()
    view = place.book(time=dt.time(12, 0), special_requests="Birthday cake").reservation
    assert view.special_requests == "Birthday cake | ALLERGY: peanuts | Prefers: quiet corner"


def test_deposit_rules_apply_to_large_parties(make_place: object) -> None:
    rules = {"party_size_at_least": 6, "amount_per_guest": 1000}
    place = make_place(settings=SETTINGS | {"deposit_rules": rules})  # type: ignore[operator]
    small = place.book(party_size=4).reservation
    large = place.book(party_size=6, phone="+79160000013", time=dt.time(20, 0)).reservation
    assert (small.deposit_required, small.deposit_amount) == (False, None)
    assert (large.deposit_required, large.deposit_amount) == (True, Decimal("6000.00"))
    assert deposit_quote(place.db, place.restaurant_id, FRIDAY, dt.time(20, 0), 6) == Decimal(
        "6000.00"
    )
    assert deposit_quote(place.db, place.restaurant_id, FRIDAY, None, 4) is None


def test_the_host_sets_or_waives_the_deposit(make_place: object) -> None:
    rules = {"party_size_at_least": 6, "amount_per_guest": 1000}
    place = make_place(settings=SETTINGS | {"deposit_rules": rules})  # type: ignore[operator]
    waived = place.book(party_size=6, deposit="0").reservation
    asked = place.book(party_size=2, phone="+79160000014", time=dt.time(20, 0), deposit="1500")
    assert (waived.deposit_required, waived.deposit_amount) == (False, None)
    assert (asked.reservation.deposit_required, asked.reservation.deposit_amount) == (
        True, Decimal("1500.00"),
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="deposit"):
        place.book(party_size=2, phone="+79160000015", time=dt.time(21, 0), deposit="lots")


def test_closing_past_midnight_books_the_friday_service(place: Place) -> None:
    view = place.book(time=dt.time(0, 0)).reservation  # Friday's service, Saturday 00:00
    assert view.date == FRIDAY
    assert view.starts_at == dt.datetime(2026, 11, 27, 21, 0, tzinfo=dt.UTC)
    with pytest.raises(NotAvailable, match="outside the seating hours"):
        place.book(time=dt.time(0, 15), phone="+79160000014")  # last seating is 00:00


@pytest.mark.parametrize(
    ("overrides", "error", "text"),
    [
        ({"party_size": 0}, InvalidInput, "at least 1"),
        ({"party_size": "many"}, InvalidInput, "whole number"),
        ({"phone": "12"}, InvalidInput, "phone"),
        ({"phone": None}, InvalidInput, "phone number is needed"),
        ({"name": "  "}, InvalidInput, "name"),
        ({"time": dt.time(19, 7)}, InvalidInput, "every 15 minutes"),
        ({"time": dt.time(16, 0)}, NotAvailable, "outside the seating hours"),
        ({"date": dt.date(2026, 11, 29)}, NotAvailable, "closed"),  # Sunday
        ({"date": dt.date(2026, 11, 23)}, NotAvailable, "passed"),
        ({"date": dt.date(2027, 3, 1)}, NotAvailable, "days ahead"),
        ({"source": "pigeon"}, InvalidInput, "source"),
        ({"occasion": "wake"}, InvalidInput, "occasion"),
        ({"status": "seated"}, InvalidInput, "starts as"),
        ({"tables": ("Z9",)}, InvalidInput, "no table named"),
        ({"party_size": 13}, NotAvailable, "No table"),
        ({"duration": 5}, InvalidInput, "duration"),
    ],
)
def test_bad_requests_are_refused_and_write_nothing(
    place: Place, overrides: dict[str, object], error: type[Exception], text: str
) -> None:
    before = _snapshot_counts(place.db)
    with pytest.raises(error) as refused:
        place.book(**overrides)
    assert text.lower() in str(refused.value).lower()
    assert _snapshot_counts(place.db) == before


def test_too_soon_respects_minimum_notice(place: Place) -> None:
    now = dt.datetime(2026, 11, 27, 15, 45, tzinfo=dt.UTC)  # 18:45 MSK
    with pytest.raises(NotAvailable, match="notice"):
        place.book(time=dt.time(19, 0), now=now)
    assert (
        place.book(time=dt.time(19, 15), now=now).reservation.status is ReservationStatus.CONFIRMED
    )


def test_the_database_refuses_overlapping_holds_itself(place: Place) -> None:
    """The backstop: even a write that skips the engine cannot double-book a table."""
    first = place.book(tables=("A2",)).reservation
    with place.db.unit_of_work() as uow:
        second = uow.session.scalars(
            sa.select(Reservation).where(Reservation.id != first.id)
        ).first()
        assert second is None
    other = place.book(tables=("A1",), phone="+79160000015").reservation
    with pytest.raises(IntegrityError), place.db.unit_of_work() as uow:
        link = uow.session.get(ReservationTable, (other.id, place.table_ids["A1"]))
        assert link is not None
        link.table_id = place.table_ids["A2"]
        uow.session.flush()
    with pytest.raises(IntegrityError), place.db.unit_of_work() as uow:
        uow.session.add(ReservationTable(
            reservation_id=other.id, table_id=place.table_ids["A2"],
            starts_at=first.starts_at + dt.timedelta(minutes=30),
            blocked_until=first.ends_at + dt.timedelta(hours=1), blocking=True,
        ))  # fmt: skip
        uow.session.flush()
    # a non-blocking row (a cancelled booking's) may overlap
    with place.db.unit_of_work() as uow:
        uow.session.add(ReservationTable(
            reservation_id=other.id, table_id=place.table_ids["A2"],
            starts_at=first.starts_at, blocked_until=first.ends_at, blocking=False,
        ))  # fmt: skip
        uow.session.flush()
