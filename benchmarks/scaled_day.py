"""A big restaurant's busy day for the UI benchmark: 300 tables and 1,000 bookings on one day.

Rows go in with bulk Core inserts (the booking engine would take minutes for 1,000 bookings
and is measured on its own in availability.py); every booking still gets its table hold, so
the exclusion constraint / triggers check them all.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from app.db.enums import ReservationSource, ReservationStatus, TableShape, TableStatus
from app.db.models import DiningTable, Guest, Reservation, ReservationTable, Restaurant
from app.domain.codes import ALPHABET
from app.services.database import Database

AREAS = ("Main room", "Terrace", "Winter garden", "Bar")
HOURS = {d: [["12:00", "00:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
SETTINGS = {"slot_interval_minutes": 15, "buffer_minutes": 15, "min_notice_minutes": 0,
            "turn_times": {"1-2": 75, "3-4": 90, "5-8": 120, "9+": 150}}  # fmt: skip


def build_scaled_day(
    db: Database, day: dt.date, *, tables: int = 300, bookings: int = 1000, seed: int = 7
) -> int:
    """Create the restaurant and its day; returns the restaurant id."""
    rng = random.Random(seed)
    zone = ZoneInfo("Europe/Moscow")
    with db.unit_of_work() as uow:
        session = uow.session
        restaurant = Restaurant(name="Scaled Brasserie", timezone="Europe/Moscow",
                                opening_hours=HOURS, settings=SETTINGS)  # fmt: skip
        session.add(restaurant)
        session.flush()
        rid = restaurant.id
        table_rows = []
        for index in range(tables):
            area = AREAS[index % len(AREAS)]
            slot = index // len(AREAS)
            seats = rng.choice((2, 2, 4, 4, 4, 6, 8))
            width = 80 if seats <= 4 else 160
            table_rows.append({
                "restaurant_id": rid, "name": f"{area[0]}{slot + 1}", "min_guests": 1,
                "max_guests": seats, "status": TableStatus.FREE, "priority": rng.randint(1, 10),
                "shape": TableShape.ROUND if seats == 2 else TableShape.RECTANGULAR,
                "position": {"x": (slot % 10) * 220, "y": (slot // 10) * 180, "width": width,
                             "height": 80, "rotation": 0, "area": area},
                "features": [], "preferred_for": [], "is_active": True, "ai_score": 0.5,
            })  # fmt: skip
        session.execute(insert(DiningTable), table_rows)
        ids = [t.id for t in session.query(DiningTable).filter_by(restaurant_id=rid)]
        seats_of = {t.id: t.max_guests for t in session.query(DiningTable).filter_by(
            restaurant_id=rid)}  # fmt: skip
        guest_rows = [
            {"restaurant_id": rid, "name": f"Guest {i}", "phone": f"+7916{i:07d}",
             "preferences": {}, "allergies": ["nuts"] if i % 17 == 0 else [],
             "preferred_times": [], "visit_count": 0, "loyalty_points": 0,
             "ai_personality_profile": {}, "communication_history": []}
            for i in range(bookings)
        ]  # fmt: skip
        session.execute(insert(Guest), guest_rows)
        guest_ids = [g.id for g in session.query(Guest).filter_by(restaurant_id=rid)]
        free_from = dict.fromkeys(ids, dt.datetime.combine(day, dt.time(12), zone))
        reservations, links = [], []
        close = dt.datetime.combine(day, dt.time(23, 0), zone)
        made = 0
        while made < bookings:
            table_id = rng.choice(ids)
            start = free_from[table_id] + dt.timedelta(minutes=15 * rng.randint(0, 4))
            minutes = rng.choice((75, 90, 120))
            if start + dt.timedelta(minutes=minutes) > close:
                continue
            code = "".join(rng.choice(ALPHABET) for _ in range(8))
            status = ReservationStatus.CONFIRMED if made % 5 else ReservationStatus.SEATED
            reservations.append({
                "restaurant_id": rid, "guest_id": guest_ids[made], "table_id": table_id,
                "date": day, "time": start.time(), "starts_at": start.astimezone(dt.UTC),
                "ends_at": (start + dt.timedelta(minutes=minutes)).astimezone(dt.UTC),
                "guests": rng.randint(1, seats_of[table_id]), "duration": minutes,
                "status": status, "source": ReservationSource.PHONE, "confirmation_code": code,
                "reminder_sent": {}, "alternatives_offered": 0, "deposit_required": False,
                "deposit_paid": False,
            })  # fmt: skip
            free_from[table_id] = start + dt.timedelta(minutes=minutes + 15)
            made += 1
        session.execute(insert(Reservation), reservations)
        for row in session.query(Reservation).filter_by(restaurant_id=rid):
            links.append({"reservation_id": row.id, "table_id": row.table_id,
                          "starts_at": row.starts_at,
                          "blocked_until": row.ends_at + dt.timedelta(minutes=15),
                          "blocking": True})  # fmt: skip
        session.execute(insert(ReservationTable), links)
        uow.commit()
    return rid
