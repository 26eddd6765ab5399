"""After booking: the status flow with its audit trail, guest figures, moves and reschedules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.db.enums import ReservationStatus, VipTier
from app.db.models import DiningTable, Guest, Reservation, ReservationStatusChange, ReservationTable
from app.errors import InvalidInput, NotAvailable
from app.services.lifecycle import change_status, move_reservation, reschedule
from tests.app.services.conftest import FRIDAY, NOW, SETTINGS, Place

S = ReservationStatus
EVENING = dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC)  # Friday 19:00 MSK


def _history(place: Place, reservation_id: int) -> list[tuple[object, ...]]:
    with place.db.unit_of_work() as uow:
        rows = uow.session.scalars(
            sa.select(ReservationStatusChange)
            .where(ReservationStatusChange.reservation_id == reservation_id)
            .order_by(ReservationStatusChange.id)
        )
        return [(r.from_status, r.to_status, r.actor, r.reason) for r in rows]


def _links(place: Place, reservation_id: int) -> list[tuple[int, bool]]:
    with place.db.unit_of_work() as uow:
        rows = uow.session.scalars(
            sa.select(ReservationTable).where(ReservationTable.reservation_id == reservation_id)
        )
        return [(r.table_id, r.blocking) for r in rows]


def test_the_full_flow_is_recorded_with_actor_time_and_reason(place: Place) -> None:
    view = place.book(status="pending").reservation
    code = view.confirmation_code
    change_status(place.db, code, "confirmed", actor="sofia", now=NOW)
    change_status(place.db, code, "reminded", actor="sync", now=NOW)
    seated = change_status(place.db, code, "seated", now=EVENING)
    assert seated.arrival_time == EVENING
    change_status(place.db, code, "dining", now=EVENING + dt.timedelta(minutes=10))
    left = EVENING + dt.timedelta(minutes=80)
    done = change_status(place.db, code, "completed", total_amount="4500.50", rating=5, now=left)
    assert (done.departure_time, done.total_amount) == (left, Decimal("4500.50"))
    assert _history(place, view.id) == [
        (None, S.PENDING, "host", None),
        (S.PENDING, S.CONFIRMED, "sofia", None),
        (S.CONFIRMED, S.REMINDED, "sync", None),
        (S.REMINDED, S.SEATED, "host", None),
        (S.SEATED, S.DINING, "host", None),
        (S.DINING, S.COMPLETED, "host", None),
    ]
    assert _links(place, view.id) == [(place.table_ids["A1"], False)], "the table is released"


def test_refused_transitions_change_nothing(place: Place) -> None:
    view = place.book().reservation
    with pytest.raises(InvalidInput, match="cannot become dining"):
        change_status(place.db, view.confirmation_code, "dining", now=NOW)
    with pytest.raises(InvalidInput, match="Unknown status"):
        change_status(place.db, view.confirmation_code, "eaten", now=NOW)
    with pytest.raises(InvalidInput, match="Say why"):
        change_status(place.db, view.confirmation_code, "cancelled", now=NOW)
    with pytest.raises(InvalidInput, match="no reservation"):
        change_status(place.db, "ZZZZZZ", "confirmed", now=NOW)
    assert _history(place, view.id) == [(None, S.CONFIRMED, "host", None)]
    change_status(place.db, view.confirmation_code, "cancelled", reason="flu", now=NOW)
    with pytest.raises(InvalidInput, match="cannot change"):
        change_status(place.db, view.confirmation_code, "confirmed", now=NOW)


def test_cancel_and_no_show_keep_their_reasons_and_free_the_table(place: Place) -> None:
    first = place.book(tables=("A1",)).reservation
    change_status(place.db, first.confirmation_code, "cancel", reason="Plans changed", now=NOW)
    with place.db.unit_of_work() as uow:
        row = uow.session.get(Reservation, first.id)
        assert row is not None and row.cancellation_reason == "Plans changed"
    second = place.book(tables=("A1",), phone="+79160000020").reservation  # A1 is free again
    change_status(place.db, second.confirmation_code, "no-show", reason="No answer",
                  now=EVENING + dt.timedelta(minutes=30))  # fmt: skip
    with place.db.unit_of_work() as uow:
        row = uow.session.get(Reservation, second.id)
        assert row is not None and row.no_show_reason == "No answer"
    assert _links(place, second.id) == [(place.table_ids["A1"], False)]
    # the guest turns up late after all: seated, holding the table again
    late = change_status(place.db, second.confirmation_code, "seated",
                         now=EVENING + dt.timedelta(minutes=40))  # fmt: skip
    assert late.status is S.SEATED
    assert _links(place, second.id) == [(place.table_ids["A1"], True)]


def test_completion_updates_the_guest_and_the_table_score(make_place: object) -> None:
    thresholds = {"silver": {"visits": 2}, "gold": {"spent": 20000}}
    place = make_place(settings=SETTINGS | {"vip_thresholds": thresholds})  # type: ignore[operator]
    for index, (time, party, bill) in enumerate(
        [(dt.time(12, 0), 2, "3000"), (dt.time(19, 0), 4, "9000")]
    ):
        view = place.book(time=time, party_size=party).reservation
        change_status(place.db, view.confirmation_code, "seated", now=view.starts_at)
        change_status(place.db, view.confirmation_code, "completed", total_amount=bill,
                      rating=5, now=view.starts_at + dt.timedelta(minutes=70 + index))  # fmt: skip
    with place.db.unit_of_work() as uow:
        guest = uow.session.scalars(sa.select(Guest)).one()
        assert guest.visit_count == 2
        assert guest.total_spent == Decimal("12000.00")
        assert guest.last_visit == FRIDAY
        assert guest.average_party_size == 3.0
        assert guest.loyalty_points == 120  # 1 point per 100 spent
        assert guest.vip_status is VipTier.SILVER  # 2 visits; gold needs 20,000 spent
        assert guest.preferred_times == ["12:00", "19:00"]
        scores = {t.name: t.ai_score for t in uow.session.scalars(sa.select(DiningTable))}
    assert scores["A1"] != 0.5 or scores["B1"] != 0.5, "the tables served learned a score"


def test_reschedule_links_old_and_new_and_is_all_or_nothing(place: Place) -> None:
    old = place.book(tables=("A1",)).reservation
    new = reschedule(place.db, old.confirmation_code, date=FRIDAY, time=dt.time(20, 30), now=NOW)
    assert new.rescheduled_from_id == old.id and new.confirmation_code != old.confirmation_code
    assert f"{new.time:%H:%M}" == "20:30" and new.status is S.CONFIRMED
    assert _links(place, old.id) == [(place.table_ids["A1"], False)]
    assert _history(place, old.id)[-1][:2] == (S.CONFIRMED, S.RESCHEDULED)
    with pytest.raises(NotAvailable):
        reschedule(place.db, new.confirmation_code, date=dt.date(2026, 11, 29),
                   time=dt.time(19, 0), now=NOW)  # fmt: skip
    with place.db.unit_of_work() as uow:
        row = uow.session.get(Reservation, new.id)
        assert row is not None and row.status is S.CONFIRMED, "a failed reschedule keeps it"


def test_moving_to_another_table_or_time_goes_through_the_rules(place: Place) -> None:
    mine = place.book(tables=("A1",)).reservation
    other = place.book(tables=("A2",), phone="+79160000021", time=dt.time(20, 0)).reservation
    moved = move_reservation(place.db, mine.confirmation_code, tables=("B1",), now=NOW)
    assert moved.tables == ("B1",) and moved.starts_at == mine.starts_at
    with pytest.raises(NotAvailable, match="A2 is taken"):
        move_reservation(place.db, mine.confirmation_code, tables=("A2",), now=NOW)
    later = move_reservation(place.db, mine.confirmation_code, time=dt.time(21, 45),
                             tables=("A2",), now=NOW)  # fmt: skip
    assert later.tables == ("A2",) and f"{later.time:%H:%M}" == "21:45"
    with pytest.raises(NotAvailable):  # 20:00 + 150 min would run into the 21:45 booking on A2
        move_reservation(place.db, other.confirmation_code, duration=150, now=NOW)
    shorter = move_reservation(place.db, other.confirmation_code, duration=75, now=NOW)
    assert shorter.ends_at - shorter.starts_at == dt.timedelta(minutes=75)
    assert shorter.tables == ("A2",), "a change of length keeps the table"


def _starts(place: Place, reservation_id: int) -> set[dt.datetime]:
    with place.db.unit_of_work() as uow:
        rows = uow.session.scalars(
            sa.select(ReservationTable.starts_at).where(
                ReservationTable.reservation_id == reservation_id
            )
        )
        return {r.replace(tzinfo=dt.UTC) if r.tzinfo is None else r for r in rows}


def test_an_early_arrival_takes_a_free_table_from_now(place: Place) -> None:
    later = place.book(time=dt.time(20, 0), tables=("A1",)).reservation
    arrived = EVENING  # 19:00, an hour early, nobody else on A1
    change_status(place.db, later.confirmation_code, "seated", now=arrived)
    assert _starts(place, later.id) == {arrived}


def test_an_early_arrival_keeps_its_start_while_an_earlier_party_holds_the_table(
    place: Place,
) -> None:
    place.book(time=dt.time(18, 0), tables=("A1",), name="Early Bird", phone="+79160000001")
    later = place.book(time=dt.time(20, 0), tables=("A1",)).reservation
    # 19:00: the 18:00 party holds A1 until 19:45; seating the 20:00 party must not fail.
    seated = change_status(place.db, later.confirmation_code, "seated", now=EVENING)
    assert seated.status == S.SEATED
    assert _starts(place, later.id) == {later.starts_at}
    # The session is still usable: the next change goes through.
    change_status(place.db, later.confirmation_code, "dining", now=EVENING)


def test_move_and_seat_happen_together_or_not_at_all(place: Place) -> None:
    arriving = place.book(time=dt.time(19, 0), tables=("A1",)).reservation
    seated = move_reservation(place.db, arriving.confirmation_code, tables=("A2",), seat=True,
                              now=EVENING)  # fmt: skip
    assert (seated.tables, seated.status) == (("A2",), S.SEATED)
    assert _history(place, arriving.id)[-1] == (S.CONFIRMED, S.SEATED, "host", None)
    dining = place.book(time=dt.time(19, 0), tables=("B1",), name="Oleg", phone="+79160000002")
    code = dining.reservation.confirmation_code
    change_status(place.db, code, "seated", now=EVENING)
    change_status(place.db, code, "dining", now=EVENING)
    with pytest.raises(InvalidInput):
        move_reservation(place.db, code, tables=("B2",), seat=True, now=EVENING)
    assert _links(place, dining.reservation.id) == [(place.table_ids["B1"], True)], "not moved"
