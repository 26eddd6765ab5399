"""What a reservation looks like outside a session: a frozen view for the GUI, CLI and Sofia."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.enums import ReservationStatus, VipTier
from app.db.models import DiningTable, Guest, Reservation, ReservationTable
from app.domain.codes import normalize_code
from app.errors import NotFound


@dataclass(frozen=True)
class ReservationView:
    id: int
    confirmation_code: str
    restaurant_id: int
    guest_id: int
    guest_name: str
    guest_phone: str
    vip_status: VipTier | None
    allergies: tuple[str, ...]
    date: dt.date
    time: dt.time
    starts_at: dt.datetime
    ends_at: dt.datetime
    party_size: int
    duration: int
    status: ReservationStatus
    table_ids: tuple[int, ...]
    tables: tuple[str, ...]
    special_requests: str | None
    occasion: str | None
    source: str
    deposit_required: bool
    deposit_amount: Decimal | None
    arrival_time: dt.datetime | None
    departure_time: dt.datetime | None
    total_amount: Decimal | None
    rescheduled_from_id: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "confirmation_code": self.confirmation_code,
            "status": self.status.value,
            "tables": list(self.tables),
            "date": self.date.isoformat(),
            "time": f"{self.time:%H:%M}",
            "party_size": self.party_size,
            "duration": self.duration,
            "guest": {"name": self.guest_name, "phone": self.guest_phone},
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "special_requests": self.special_requests,
            "occasion": self.occasion,
            "source": self.source,
            "deposit_required": self.deposit_required,
            "deposit_amount": None if self.deposit_amount is None else str(self.deposit_amount),
        }


def view_of(reservation: Reservation) -> ReservationView:
    links = sorted(reservation.table_links, key=lambda link: link.table.name)
    guest = reservation.guest
    return ReservationView(
        id=reservation.id,
        confirmation_code=reservation.confirmation_code,
        restaurant_id=reservation.restaurant_id,
        guest_id=reservation.guest_id,
        guest_name=guest.name,
        guest_phone=guest.phone,
        vip_status=guest.vip_status,
        allergies=tuple(guest.allergies or ()),
        date=reservation.date,
        time=reservation.time,
        starts_at=reservation.starts_at,
        ends_at=reservation.ends_at,
        party_size=reservation.guests,
        duration=reservation.duration,
        status=reservation.status,
        table_ids=tuple(link.table_id for link in links),
        tables=tuple(link.table.name for link in links),
        special_requests=reservation.special_requests,
        occasion=reservation.occasion_type.value if reservation.occasion_type else None,
        source=reservation.source.value,
        deposit_required=reservation.deposit_required,
        deposit_amount=reservation.deposit_amount,
        arrival_time=reservation.arrival_time,
        departure_time=reservation.departure_time,
        total_amount=reservation.total_amount,
        rescheduled_from_id=reservation.rescheduled_from_id,
    )


def find_reservation(session: Session, code_or_id: str | int, *, lock: bool = False) -> Reservation:
    """A reservation by confirmation code (as read out by a guest), or by id when given an int.

    Codes may be all digits ("346793"), so a string is always a code.
    """
    query = select(Reservation)
    if isinstance(code_or_id, int):
        query = query.where(Reservation.id == int(code_or_id))
    else:
        query = query.where(Reservation.confirmation_code == normalize_code(str(code_or_id)))
    if lock:
        query = query.with_for_update()
    reservation = session.scalars(query).one_or_none()
    if reservation is None:
        raise NotFound(f"There is no reservation {str(code_or_id).strip()!r}.")
    return reservation


def load_views(session: Session, *conditions: Any) -> list[ReservationView]:
    """Views of the reservations matching ``conditions``, by start time, in two flat queries.

    The day sheet, the timeline and the floor plan read hundreds of bookings at once; selecting
    only the columns a view needs (no ORM objects, no guest JSON but allergies) keeps a
    1,000-booking day well inside a frame budget.
    """
    r, g = Reservation, Guest
    rows = session.execute(
        select(
            r.id,
            r.confirmation_code,
            r.restaurant_id,
            r.guest_id,
            g.name,
            g.phone,
            g.vip_status,
            g.allergies,
            r.date,
            r.time,
            r.starts_at,
            r.ends_at,
            r.guests,
            r.duration,
            r.status,
            r.special_requests,
            r.occasion_type,
            r.source,
            r.deposit_required,
            r.deposit_amount,
            r.arrival_time,
            r.departure_time,
            r.total_amount,
            r.rescheduled_from_id,
        )
        .join(g, g.id == r.guest_id)
        .where(*conditions)
        .order_by(r.starts_at, r.id)
    ).all()
    if not rows:
        return []
    tables: dict[int, list[tuple[str, int]]] = defaultdict(list)
    links = session.execute(
        select(ReservationTable.reservation_id, DiningTable.name, DiningTable.id)
        .join(DiningTable, DiningTable.id == ReservationTable.table_id)
        .join(r, r.id == ReservationTable.reservation_id)
        .join(g, g.id == r.guest_id)
        .where(*conditions)
    )
    for reservation_id, name, table_id in links:
        tables[reservation_id].append((name, table_id))
    views = []
    for row in rows:
        held = sorted(tables.get(row[0], ()))
        views.append(
            ReservationView(
                id=row[0], confirmation_code=row[1], restaurant_id=row[2], guest_id=row[3],
                guest_name=row[4], guest_phone=row[5], vip_status=row[6],
                allergies=tuple(row[7] or ()), date=row[8], time=row[9], starts_at=row[10],
                ends_at=row[11], party_size=row[12], duration=row[13], status=row[14],
                table_ids=tuple(t for _, t in held), tables=tuple(n for n, _ in held),
                special_requests=row[15], occasion=row[16].value if row[16] else None,
                source=row[17].value, deposit_required=row[18], deposit_amount=row[19],
                arrival_time=row[20], departure_time=row[21], total_amount=row[22],
                rescheduled_from_id=row[23],
            )
        )  # fmt: skip
    return views
