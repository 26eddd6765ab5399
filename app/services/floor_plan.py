"""The floor plan: tables with positions for the canvas, their live state, and edits to them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.enums import BLOCKING_STATUSES, ReservationStatus, TableShape, TableStatus
from app.db.models import DiningTable, Guest, Reservation, ReservationTable
from app.domain.table_spec import parse_position, parse_table
from app.domain.table_states import BookingOnTable, TableLive, live_state
from app.errors import Conflict, InvalidInput, NotFound
from app.services.accounts import UserSummary
from app.services.database import Database
from app.services.permissions import Permission, require

# Bookings from this long ago still matter to the live view (a long dinner, a recent departure).
LOOK_BACK = dt.timedelta(hours=12)
LOOK_AHEAD = dt.timedelta(hours=24)


@dataclass(frozen=True)
class FloorTable:
    id: int
    name: str
    min_guests: int
    max_guests: int
    shape: TableShape
    x: float
    y: float
    width: float
    height: float
    rotation: float
    area: str
    features: tuple[str, ...]
    preferred_for: tuple[str, ...]
    priority: int
    notes: str | None
    is_active: bool
    status: TableStatus
    last_cleaned: dt.datetime | None
    ai_score: float

    def to_spec(self) -> dict[str, Any]:
        """The table as an editable document (the shape ``parse_table`` reads)."""
        return {
            "name": self.name,
            "min_guests": self.min_guests,
            "max_guests": self.max_guests,
            "shape": self.shape.value,
            "status": self.status.value,
            "position": {"x": self.x, "y": self.y, "width": self.width, "height": self.height,
                         "rotation": self.rotation, "area": self.area},
            "features": list(self.features),
            "priority": self.priority,
            "is_active": self.is_active,
            "notes": self.notes,
            "preferred_for": list(self.preferred_for),
        }  # fmt: skip


@dataclass(frozen=True)
class FloorTableLive:
    table: FloorTable
    live: TableLive


def _floor_table(row: DiningTable) -> FloorTable:
    pos = row.position or {}
    return FloorTable(
        id=row.id,
        name=row.name,
        min_guests=row.min_guests,
        max_guests=row.max_guests,
        shape=row.shape,
        x=float(pos.get("x", 0)),
        y=float(pos.get("y", 0)),
        width=float(pos.get("width", 80)),
        height=float(pos.get("height", 80)),
        rotation=float(pos.get("rotation", 0)),
        area=str(pos.get("area") or "Main room"),
        features=tuple(row.features or ()),
        preferred_for=tuple(row.preferred_for or ()),
        priority=row.priority,
        notes=row.notes,
        is_active=row.is_active,
        status=row.status,
        last_cleaned=row.last_cleaned,
        ai_score=row.ai_score,
    )


def floor_tables(db: Database, restaurant_id: int) -> list[FloorTable]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(DiningTable)
            .where(DiningTable.restaurant_id == restaurant_id)
            .order_by(DiningTable.name)
        )
        return [_floor_table(row) for row in rows]


def live_floor(
    db: Database, restaurant_id: int, now: dt.datetime | None = None
) -> list[FloorTableLive]:
    """Every table with its state now: free, reserved soon, seated, dining, needs cleaning…"""
    now = now or dt.datetime.now(dt.UTC)
    with db.unit_of_work() as uow:
        tables = uow.session.scalars(
            select(DiningTable)
            .where(DiningTable.restaurant_id == restaurant_id)
            .order_by(DiningTable.name)
        ).all()
        bookings = _bookings_by_table(uow.session, restaurant_id, now)
        return [
            FloorTableLive(
                _floor_table(t),
                live_state(
                    now=now,
                    is_active=t.is_active,
                    in_maintenance=t.status == TableStatus.MAINTENANCE,
                    last_cleaned=t.last_cleaned,
                    bookings=bookings.get(t.id, ()),
                ),
            )
            for t in tables
        ]


def _bookings_by_table(
    session: Session, restaurant_id: int, now: dt.datetime
) -> dict[int, list[BookingOnTable]]:
    relevant = (*BLOCKING_STATUSES, ReservationStatus.COMPLETED)
    rows = session.execute(
        select(ReservationTable.table_id, Reservation, Guest.name)
        .join(Reservation, Reservation.id == ReservationTable.reservation_id)
        .join(Guest, Guest.id == Reservation.guest_id)
        .where(
            Reservation.restaurant_id == restaurant_id,
            Reservation.status.in_(relevant),
            Reservation.starts_at >= now - LOOK_BACK,
            Reservation.starts_at <= now + LOOK_AHEAD,
        )
    )
    result: dict[int, list[BookingOnTable]] = defaultdict(list)
    for table_id, r, guest_name in rows:
        result[table_id].append(
            BookingOnTable(
                r.id,
                r.status,
                r.starts_at,
                r.ends_at,
                r.arrival_time,
                r.departure_time,
                guest_name,
                r.guests,
            )  # fmt: skip
        )
    return result


def mark_cleaned(db: Database, table_id: int, now: dt.datetime | None = None) -> FloorTable:
    now = now or dt.datetime.now(dt.UTC)
    with db.unit_of_work() as uow:
        table = _get(uow.session, table_id)
        table.last_cleaned = now
        uow.session.flush()
        result = _floor_table(table)
        uow.changed("table", table.id)
        uow.commit()
    return result


def save_table(
    db: Database,
    restaurant_id: int,
    spec: dict[str, Any],
    table_id: int | None = None,
    *,
    user: UserSummary | None = None,
) -> FloorTable:
    """Create (no id) or replace a table's properties; every field validated, all or nothing."""
    require(user, Permission.EDIT_FLOOR)
    parsed = parse_table(spec, "table")
    with db.unit_of_work() as uow:
        session = uow.session
        clash = session.scalar(
            select(func.count()).where(
                DiningTable.restaurant_id == restaurant_id,
                func.lower(DiningTable.name) == parsed.name.lower(),
                DiningTable.id != (table_id or 0),
            )
        )
        if clash:
            raise Conflict(f"There is already a table named {parsed.name!r}.")
        if table_id is None:
            table = DiningTable(restaurant_id=restaurant_id, **parsed.__dict__)
            session.add(table)
        else:
            table = _get(session, table_id)
            for key, value in parsed.__dict__.items():
                if key != "ai_score":  # learned, not edited
                    setattr(table, key, value)
        session.flush()
        result = _floor_table(table)
        uow.changed("table", table.id)
        uow.commit()
    return result


def move_tables(
    db: Database, moves: list[tuple[int, dict[str, Any]]], *, user: UserSummary | None = None
) -> list[FloorTable]:
    """Save new positions (a drag may move several tables at once) in one transaction."""
    require(user, Permission.EDIT_FLOOR)
    with db.unit_of_work() as uow:
        result = []
        for table_id, position in moves:
            table = _get(uow.session, table_id)
            merged = {**(table.position or {}), **position}
            table.position = parse_position(merged, f"table {table.name!r}: position")
            result.append(table)
        uow.session.flush()
        views = [_floor_table(t) for t in result]
        uow.changed("table", *(t.id for t in result))
        uow.commit()
    return views


def delete_table(
    db: Database,
    table_id: int,
    now: dt.datetime | None = None,
    *,
    user: UserSummary | None = None,
) -> None:
    """Delete a table no upcoming booking holds (past bookings keep their history)."""
    require(user, Permission.EDIT_FLOOR)
    now = now or dt.datetime.now(dt.UTC)
    with db.unit_of_work() as uow:
        table = _get(uow.session, table_id)
        upcoming = uow.session.scalar(
            select(func.count())
            .select_from(ReservationTable)
            .where(
                ReservationTable.table_id == table_id,
                ReservationTable.blocking.is_(True),
                ReservationTable.blocked_until > now,
            )
        )
        if upcoming:
            raise InvalidInput(
                f"Table {table.name} still has {upcoming} upcoming booking"
                f"{'s' if upcoming != 1 else ''}; move them first, or mark the table inactive."
            )
        uow.session.delete(table)
        uow.changed("table", table_id)
        uow.commit()


def _get(session: Session, table_id: int) -> DiningTable:
    table = session.get(DiningTable, table_id)
    if table is None:
        raise NotFound(f"There is no table with id {table_id}.")
    return table
