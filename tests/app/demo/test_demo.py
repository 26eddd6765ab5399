"""The demo restaurant: realistic, consistent, reproducible, and safe to run twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from itertools import combinations
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.db.enums import BLOCKING_STATUSES, ReservationStatus, TableStatus, UserRole
from app.db.models import (
    AiActivity,
    ConversationThread,
    DiningTable,
    Guest,
    Message,
    Reservation,
    ReservationStatusChange,
    ReservationTable,
    Restaurant,
    Timeslot,
    User,
)
from app.demo import DEMO_ACCOUNTS, create_demo
from app.demo import build as demo_build
from app.demo.floor import AREAS, demo_table_specs
from app.domain.codes import ALPHABET
from app.domain.opening_hours import parse_opening_hours
from app.domain.passwords import verify_password
from app.domain.phones import normalize_phone
from app.services.accounts import add_user
from app.services.database import Database

TODAY = dt.date(2026, 11, 24)  # a Tuesday; the demo clock then stands at 19:30 Moscow time
MOSCOW = ZoneInfo("Europe/Moscow")
NOW = dt.datetime.combine(TODAY, dt.time(19, 30), tzinfo=MOSCOW)
BUFFER = dt.timedelta(minutes=15)
TURN = {1: 75, 2: 75, 3: 90, 4: 90, 5: 120, 6: 120}
COUNTED = (
    Restaurant, DiningTable, Guest, Reservation, ReservationStatusChange, ReservationTable,
    Timeslot, ConversationThread, Message, AiActivity, User,
)  # fmt: skip


def _rows(db: Database, query: Any) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(query))


def _counts(db: Database) -> dict[str, int]:
    return {
        model.__tablename__: _rows(db, sa.select(sa.func.count()).select_from(model))[0][0]
        for model in COUNTED
    }


def _reservations(session: Session, restaurant_id: int) -> list[Any]:
    query = (
        sa.select(Reservation, DiningTable)
        .join(DiningTable, DiningTable.id == Reservation.table_id)
        .where(Reservation.restaurant_id == restaurant_id)
    )
    return list(session.execute(query).all())


def _snapshot(db: Database, restaurant_id: int) -> list[tuple[Any, ...]]:
    """What must be identical for the same seed and day (ids aside)."""
    with db.unit_of_work() as uow:
        return sorted(
            (r.confirmation_code, r.date, r.time, r.starts_at, r.guests, t.name, r.status,
             r.guest.phone)
            for r, t in _reservations(uow.session, restaurant_id)
        )  # fmt: skip


# -- the floor plan alone (no database) -------------------------------------------------------


def test_floor_plan_has_no_overlapping_tables_and_sane_shapes() -> None:
    specs = demo_table_specs()
    areas = {area.name: area for area in AREAS}
    for spec in specs:
        pos, area = spec.position, areas[spec.position["area"]]
        assert area.x <= pos["x"] and pos["x"] + pos["width"] <= area.x + area.width, spec.name
        assert area.y <= pos["y"] and pos["y"] + pos["height"] <= area.y + area.height, spec.name
        if spec.shape.value in ("round", "square"):
            assert pos["width"] == pos["height"], spec.name
        else:
            assert pos["width"] != pos["height"], spec.name
    for a, b in combinations(specs, 2):
        pa, pb = a.position, b.position
        apart = (
            pa["x"] + pa["width"] <= pb["x"] or pb["x"] + pb["width"] <= pa["x"]
            or pa["y"] + pa["height"] <= pb["y"] or pb["y"] + pb["height"] <= pa["y"]
        )  # fmt: skip
        assert apart, f"{a.name} overlaps {b.name}"
    for first, second in combinations(AREAS, 2):  # no two areas share floor
        assert (
            first.x + first.width <= second.x or second.x + second.width <= first.x
            or first.y + first.height <= second.y or second.y + second.height <= first.y
        ), f"{first.name} overlaps {second.name}"  # fmt: skip


# -- one full demo, checked row by row --------------------------------------------------------


def test_demo_restaurant_is_complete_and_consistent(db: Database) -> None:
    restaurant_id = create_demo(db, today=TODAY)
    now = NOW.astimezone(dt.UTC)
    # One session for all checks: rows read here stay loaded while relationships are walked.
    with db.unit_of_work() as uow:
        session = uow.session
        closed_day = _check_restaurant_and_floor(session, restaurant_id)
        _check_guests(session, restaurant_id)
        _check_reservations(session, restaurant_id, closed_day, now)
        _check_history(session, restaurant_id, now)
        _check_table_links(session, restaurant_id)
        _check_timeslots(session, restaurant_id, closed_day)
        _check_conversations(session, restaurant_id)
        users = {u.email: u for u in session.scalars(sa.select(User))}
        for account in DEMO_ACCOUNTS:
            assert users[account.email].role == account.role
            assert verify_password(account.password, users[account.email].password)
    assert {a.role for a in DEMO_ACCOUNTS} == set(UserRole)


def _check_restaurant_and_floor(session: Session, restaurant_id: int) -> dt.date:
    restaurant = session.get(Restaurant, restaurant_id)
    assert restaurant is not None
    assert restaurant.name == "Tverskaya Brasserie"
    assert restaurant.timezone == "Europe/Moscow"
    assert restaurant.settings["demo"] is True
    assert restaurant.owner is not None and restaurant.owner.email == "admin@tobeout.demo"
    hours = parse_opening_hours(restaurant.opening_hours)
    assert hours["fri"][1].runs_past_midnight and len(hours["sun"]) == 1
    closed = restaurant.settings["special_dates"]
    assert list(closed.values()) == [{"closed": True, "note": "Private event"}]
    tables = restaurant.tables
    names = {t.name for t in tables}
    for group in restaurant.settings["combinations"]:
        assert set(group) <= names
    # About forty tables, exactly one under repair and one stored away.
    assert 36 <= len(tables) <= 45
    assert sum(t.status == TableStatus.MAINTENANCE for t in tables) == 1
    assert sum(not t.is_active for t in tables) == 1
    assert {t.position["area"] for t in tables} == {a.name for a in AREAS}
    return dt.date.fromisoformat(next(iter(closed)))


def _check_guests(session: Session, restaurant_id: int) -> None:
    guests = session.scalars(
        sa.select(Guest)
        .where(Guest.restaurant_id == restaurant_id)
        .options(selectinload(Guest.reservations))
    ).all()
    # About three hundred, unique real phones, one banned.
    assert 280 <= len(guests) <= 320
    assert sum(g.blacklisted for g in guests) == 1
    assert len({g.phone for g in guests}) == len(guests)
    assert all(normalize_phone(g.phone) == g.phone for g in guests)
    assert 15 <= sum(bool(g.allergies) for g in guests) <= 50
    tiers = Counter(g.vip_status.value for g in guests if g.vip_status)
    assert tiers["platinum"] >= 1 and tiers["gold"] >= 1 and tiers["silver"] >= 1
    for g in guests:
        done = [r for r in g.reservations if r.status == ReservationStatus.COMPLETED]
        assert g.visit_count >= len(done)
        assert g.total_spent >= sum((r.total_amount for r in done), Decimal(0))
        if done:
            assert g.last_visit == max(r.date for r in done)
        tier = None
        for name, visits in (("silver", 5), ("gold", 12), ("platinum", 25)):
            if g.visit_count >= visits:
                tier = name
        assert (g.vip_status.value if g.vip_status else None) == tier, g.name
        if g.blacklisted:
            assert g.reservations == []


def _check_reservations(
    session: Session, restaurant_id: int, closed_day: dt.date, now: dt.datetime
) -> None:
    rows = _reservations(session, restaurant_id)
    assert 800 <= len(rows) <= 2000
    dates = {r.date for r, _ in rows}
    assert min(dates) == TODAY - dt.timedelta(days=14)
    assert max(dates) == TODAY + dt.timedelta(days=14)
    assert closed_day not in dates and len(dates) == 28
    codes = [r.confirmation_code for r, _ in rows]
    assert len(set(codes)) == len(codes) and all(set(c) <= set(ALPHABET) for c in codes)

    by_table: dict[int, list[Reservation]] = defaultdict(list)
    for r, table in rows:
        # Party fits; local date + time agree with the UTC instants; turn time by party size.
        assert table.min_guests <= r.guests <= table.max_guests, r.confirmation_code
        local = r.starts_at.astimezone(MOSCOW)
        assert local.time() == r.time
        assert local.date() == r.date or (
            local.date() == r.date + dt.timedelta(days=1) and r.time < dt.time(6)
        )
        assert r.ends_at - r.starts_at == dt.timedelta(minutes=r.duration)
        assert r.duration == TURN.get(r.guests, 150)
        # Status by the clock.
        if r.ends_at <= now:
            assert r.status in {"completed", "no_show", "cancelled"}, r.confirmation_code
        if r.starts_at > now:
            assert r.status in {"pending", "confirmed", "reminded", "cancelled"}
            assert table.is_active and table.status != TableStatus.MAINTENANCE
        if r.status == ReservationStatus.COMPLETED:
            assert r.total_amount and r.total_amount > 0 and r.departure_time is not None
        if r.status == ReservationStatus.CANCELLED:
            assert r.cancellation_reason
        if r.guests >= 8:
            assert r.deposit_required and r.deposit_amount == Decimal(1000 * r.guests)
        if r.status in BLOCKING_STATUSES:
            by_table[table.id].append(r)

    # The hard rule: blocking bookings on one table never overlap, cleaning buffer included.
    for bookings in by_table.values():
        bookings.sort(key=lambda r: r.starts_at)
        for earlier, later in zip(bookings, bookings[1:], strict=False):
            assert earlier.ends_at + BUFFER <= later.starts_at, (
                earlier.confirmation_code, later.confirmation_code)  # fmt: skip

    statuses = Counter(r.status.value for r, _ in rows)
    assert statuses["completed"] > len(rows) * 0.4
    assert 0.02 <= statuses["no_show"] / len(rows) <= 0.09
    assert 0.04 <= statuses["cancelled"] / len(rows) <= 0.12
    assert statuses["seated"] + statuses["dining"] >= 3
    assert statuses["confirmed"] + statuses["reminded"] > 100 and statuses["pending"] >= 1
    # Friday and Saturday dinners run past midnight: those bookings keep the service's date.
    assert any(r.time < dt.time(6) for r, _ in rows)
    sources = Counter(r.source.value for r, _ in rows)
    assert len(sources) == 6 and sources["walk_in"] < sources["phone"]


def _check_history(session: Session, restaurant_id: int, now: dt.datetime) -> None:
    rows = session.scalars(
        sa.select(Reservation)
        .where(Reservation.restaurant_id == restaurant_id)
        .options(selectinload(Reservation.status_history))
    ).all()
    for r in rows:
        history = r.status_history
        assert history, r.confirmation_code
        assert history[0].from_status is None
        assert history[-1].to_status == r.status, r.confirmation_code
        assert history[0].changed_at == r.created_at
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_status == before.to_status
            assert after.changed_at > before.changed_at
        assert history[-1].changed_at <= now
        assert all(h.actor for h in history)
        if r.status == ReservationStatus.CANCELLED:
            assert history[-1].reason == r.cancellation_reason
        if r.status in (ReservationStatus.SEATED, ReservationStatus.DINING):
            assert r.arrival_time is not None and r.arrival_time <= now


def _check_table_links(session: Session, restaurant_id: int) -> None:
    query = (
        sa.select(ReservationTable, Reservation)
        .join(Reservation, Reservation.id == ReservationTable.reservation_id)
        .where(Reservation.restaurant_id == restaurant_id)
    )
    pairs = session.execute(query).all()
    total = session.scalar(
        sa.select(sa.func.count()).where(Reservation.restaurant_id == restaurant_id)
    )
    assert len(pairs) == total
    for link, r in pairs:
        assert link.table_id == r.table_id and link.starts_at == r.starts_at
        assert link.blocked_until == r.ends_at + BUFFER
        assert link.blocking == (r.status in BLOCKING_STATUSES)


def _check_timeslots(session: Session, restaurant_id: int, closed_day: dt.date) -> None:
    slots = session.scalars(
        sa.select(Timeslot)
        .where(Timeslot.restaurant_id == restaurant_id)
        .options(selectinload(Timeslot.reservations))
    ).all()
    assert {s.date for s in slots} == {TODAY + dt.timedelta(days=d) for d in range(15)}
    for slot in slots:
        covers = sum(r.guests for r in slot.reservations if r.status in BLOCKING_STATUSES)
        assert slot.current_bookings == covers <= slot.max_capacity == 40
        assert slot.is_active and slot.is_available == (slot.date != closed_day)


def _check_conversations(session: Session, restaurant_id: int) -> None:
    threads = session.scalars(
        sa.select(ConversationThread).where(ConversationThread.restaurant_id == restaurant_id)
    ).all()
    assert len(threads) >= 8
    assert {t.platform.value for t in threads} == {"telegram", "whatsapp"}
    assert len({t.status for t in threads}) >= 3
    assert sum(len(t.reservations) for t in threads) >= 2
    for t in threads:
        assert t.message_count == len(t.messages) >= 2
        assert t.last_message_at == t.messages[-1].created_at
    assert {m.language for t in threads for m in t.messages} == {"ru", "en"}
    activities = session.scalars(
        sa.select(AiActivity).where(AiActivity.restaurant_id == restaurant_id)
    ).all()
    assert len(activities) > 50
    assert {a.type.value for a in activities} >= {"booking_attempt", "optimization"}
    assert all(a.cost >= 0 and a.model_version for a in activities)


# -- running it again ---------------------------------------------------------------------------


def test_second_run_is_a_no_op_and_reset_recreates_the_same_demo(db: Database) -> None:
    add_user(db, email="manager@tobeout.demo", name="Old Manager", role="manager",
             password="something-else")  # fmt: skip
    add_user(db, email="chef@example.ru", name="Chef", role="staff", password="chef-password")
    with db.unit_of_work() as uow:
        uow.session.add(Restaurant(name="Another place", settings={"demo": False}))
        uow.commit()

    first = create_demo(db, today=TODAY)
    counts = _counts(db)
    snapshot = _snapshot(db, first)
    assert counts["users"] == 4  # the existing manager account is reused, not duplicated
    assert create_demo(db, today=TODAY) == first
    assert create_demo(db, today=TODAY + dt.timedelta(days=3), seed=7) == first
    assert _counts(db) == counts

    second = create_demo(db, reset=True, today=TODAY)
    assert second != first
    assert _counts(db) == counts
    assert _rows(db, sa.select(Restaurant.id).where(Restaurant.id == first)) == []
    assert _rows(db, sa.select(sa.func.count()).where(Reservation.restaurant_id == first)) == [(0,)]
    assert _snapshot(db, second) == snapshot  # same seed and day, same bookings
    names = sorted(n for (n,) in _rows(db, sa.select(Restaurant.name)))
    assert names == ["Another place", "Tverskaya Brasserie"]
    with db.unit_of_work() as uow:
        manager = uow.session.scalars(
            sa.select(User).where(User.email == "manager@tobeout.demo")
        ).one()
        assert verify_password("manager-demo", manager.password)
        assert uow.session.scalars(sa.select(User).where(User.email == "chef@example.ru")).one()


def test_a_failure_part_way_leaves_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> list[AiActivity]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_build, "build_activities", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        create_demo(db, today=TODAY)
    assert all(count == 0 for count in _counts(db).values())
