"""The database itself refuses bad rows, whatever code writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from app.db.enums import ReservationStatus, UserRole
from app.db.models import DiningTable, Guest, Reservation, Restaurant, User
from app.services.database import Database

NOW = dt.datetime(2026, 11, 24, 16, 0, tzinfo=dt.UTC)


def _restaurant(db: Database, name: str = "Bistro") -> int:
    with db.unit_of_work() as uow:
        restaurant = Restaurant(name=name)
        restaurant.tables = [DiningTable(name="T1", min_guests=1, max_guests=4)]
        uow.session.add(restaurant)
        uow.commit()
        return restaurant.id


def _guest(db: Database, restaurant_id: int, phone: str = "+79161234567") -> int:
    with db.unit_of_work() as uow:
        guest = Guest(restaurant_id=restaurant_id, name="Ivan Petrov", phone=phone)
        uow.session.add(guest)
        uow.commit()
        return guest.id


def _reservation(restaurant_id: int, guest_id: int, **overrides: object) -> Reservation:
    values: dict[str, object] = {
        "restaurant_id": restaurant_id,
        "guest_id": guest_id,
        "date": dt.date(2026, 11, 24),
        "time": dt.time(19, 0),
        "starts_at": NOW,
        "ends_at": NOW + dt.timedelta(minutes=90),
        "guests": 2,
        "confirmation_code": "ACDEFG",
        "status": ReservationStatus.CONFIRMED,
    }
    values.update(overrides)
    return Reservation(**values)


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_duplicate_user_email_is_refused(db: Database) -> None:
    with db.unit_of_work() as uow:
        uow.session.add(User(email="a@x.ru", password="h", role=UserRole.STAFF, name="A"))
        uow.commit()
    with pytest.raises(IntegrityError), db.unit_of_work() as uow:
        uow.session.add(User(email="a@x.ru", password="h", role=UserRole.ADMIN, name="B"))
        uow.commit()
    assert _count(db, "users") == 1


def test_guest_phone_is_unique_per_restaurant_only(db: Database) -> None:
    first, second = _restaurant(db, "One"), _restaurant(db, "Two")
    _guest(db, first)
    _guest(db, second)  # the same person may be a guest of two restaurants
    with pytest.raises(IntegrityError):
        _guest(db, first)
    assert _count(db, "guests") == 2


def test_unknown_enum_value_is_refused_by_the_database(db: Database) -> None:
    restaurant_id = _restaurant(db)
    guest_id = _guest(db, restaurant_id)
    with db.unit_of_work() as uow:
        uow.session.add(_reservation(restaurant_id, guest_id))
        uow.commit()
    # Raw SQL bypasses the ORM's own enum check: the CHECK constraint must still hold.
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE reservations SET status = 'eaten'"))
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO users (email, password, role, name, is_active, failed_login_count,"
                " created_at) VALUES ('b@x.ru', 'h', 'owner', 'B', true, 0, :now)"
            ),
            {"now": NOW.replace(tzinfo=None)},
        )
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM reservations")).scalar_one() == "confirmed"


def test_the_orm_refuses_unknown_enum_values_before_sending(db: Database) -> None:
    with pytest.raises(StatementError), db.unit_of_work() as uow:
        uow.session.add(User(email="c@x.ru", password="h", role="chef", name="C"))
        uow.commit()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("guests", -2),
        ("guests", 0),
        ("duration", 0),
        ("rating", 6),
        ("ai_confidence", 1.5),
        ("total_amount", Decimal("-1.00")),
        ("ends_at", NOW - dt.timedelta(minutes=1)),
    ],
)
def test_impossible_reservation_values_are_refused(db: Database, field: str, value: object) -> None:
    restaurant_id = _restaurant(db)
    guest_id = _guest(db, restaurant_id)
    with pytest.raises(IntegrityError), db.unit_of_work() as uow:
        uow.session.add(_reservation(restaurant_id, guest_id, **{field: value}))
        uow.commit()
    assert _count(db, "reservations") == 0


def test_confirmation_codes_are_unique(db: Database) -> None:
    restaurant_id = _restaurant(db)
    guest_id = _guest(db, restaurant_id)
    with db.unit_of_work() as uow:
        uow.session.add(_reservation(restaurant_id, guest_id))
        uow.commit()
    with pytest.raises(IntegrityError), db.unit_of_work() as uow:
        later = NOW + dt.timedelta(days=1)
        uow.session.add(
            _reservation(
                restaurant_id, guest_id, starts_at=later, ends_at=later + dt.timedelta(hours=1)
            )
        )
        uow.commit()


@pytest.mark.parametrize(
    ("min_guests", "max_guests", "priority"), [(0, 2, 5), (4, 2, 5), (1, 2, 11), (1, 2, 0)]
)
def test_impossible_tables_are_refused(
    db: Database, min_guests: int, max_guests: int, priority: int
) -> None:
    restaurant_id = _restaurant(db)
    with pytest.raises(IntegrityError), db.unit_of_work() as uow:
        uow.session.add(
            DiningTable(
                restaurant_id=restaurant_id,
                name="Bad",
                min_guests=min_guests,
                max_guests=max_guests,
                priority=priority,
            )  # fmt: skip
        )
        uow.commit()
    assert _count(db, "tables") == 1


def test_table_names_are_unique_within_a_restaurant(db: Database) -> None:
    restaurant_id = _restaurant(db)
    with pytest.raises(IntegrityError), db.unit_of_work() as uow:
        uow.session.add(DiningTable(restaurant_id=restaurant_id, name="T1", max_guests=2))
        uow.commit()


def test_a_guest_with_reservations_cannot_be_deleted(db: Database) -> None:
    restaurant_id = _restaurant(db)
    guest_id = _guest(db, restaurant_id)
    with db.unit_of_work() as uow:
        uow.session.add(_reservation(restaurant_id, guest_id))
        uow.commit()
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM guests WHERE id = :id"), {"id": guest_id})
    assert _count(db, "guests") == 1


def test_deleting_a_table_keeps_its_reservations_unassigned(db: Database) -> None:
    restaurant_id = _restaurant(db)
    guest_id = _guest(db, restaurant_id)
    with db.unit_of_work() as uow:
        table_id = uow.session.scalars(sa.select(DiningTable.id)).one()
        uow.session.add(_reservation(restaurant_id, guest_id, table_id=table_id))
        uow.commit()
    with db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM tables WHERE id = :id"), {"id": table_id})
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT table_id FROM reservations")).scalar_one() is None


def test_deleting_a_restaurant_removes_everything_it_owns(db: Database) -> None:
    restaurant_id = _restaurant(db)
    guest_id = _guest(db, restaurant_id)
    with db.unit_of_work() as uow:
        uow.session.add(_reservation(restaurant_id, guest_id))
        uow.commit()
    with db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM restaurants WHERE id = :id"), {"id": restaurant_id})
    for table in ("tables", "guests", "reservations"):
        assert _count(db, table) == 0


def test_timestamps_come_back_as_aware_utc(db: Database) -> None:
    restaurant_id = _restaurant(db)
    guest_id = _guest(db, restaurant_id)
    moscow_evening = dt.datetime(2026, 11, 24, 19, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    with db.unit_of_work() as uow:
        uow.session.add(
            _reservation(
                restaurant_id,
                guest_id,
                starts_at=moscow_evening,
                ends_at=moscow_evening + dt.timedelta(hours=2),
            )  # fmt: skip
        )
        uow.commit()
    with db.unit_of_work() as uow:
        reservation = uow.session.scalars(sa.select(Reservation)).one()
        assert reservation.starts_at == dt.datetime(2026, 11, 24, 16, 0, tzinfo=dt.UTC)
        assert reservation.starts_at.utcoffset() == dt.timedelta(0)
        assert reservation.created_at.tzinfo is not None


def test_naive_timestamps_are_refused(db: Database) -> None:
    restaurant_id = _restaurant(db)
    guest_id = _guest(db, restaurant_id)
    naive = dt.datetime(2026, 11, 24, 19, 0)
    with pytest.raises(StatementError, match="timezone-aware"), db.unit_of_work() as uow:
        uow.session.add(_reservation(restaurant_id, guest_id, starts_at=naive, ends_at=naive))
        uow.commit()
