"""``live_tables`` answers exactly as ``live_floor`` does, from tables loaded once."""

from __future__ import annotations

import datetime as dt

from app.db.enums import ReservationStatus
from app.services.database import Database
from app.services.day_views import live_tables
from app.services.floor_plan import floor_tables, live_floor
from app.services.lifecycle import change_status
from tests.app.services.conftest import FRIDAY, create_place

S = ReservationStatus


def at(hour: int, minute: int = 0) -> dt.datetime:
    """Moscow wall-clock time on the test Friday (UTC+3), as UTC."""
    return dt.datetime.combine(FRIDAY, dt.time(hour, minute), tzinfo=dt.UTC) - dt.timedelta(hours=3)


def test_live_tables_match_live_floor(db: Database) -> None:
    place = create_place(db)
    seated = place.book(time=dt.time(19, 0), party_size=2).reservation
    place.book(time=dt.time(19, 30), party_size=4, name="Oleg", phone="+79160000001")
    done = place.book(time=dt.time(13, 0), party_size=2, name="Ira", phone="+79160000002")
    change_status(db, done.reservation.confirmation_code, S.SEATED, now=at(13, 0))
    change_status(db, done.reservation.confirmation_code, S.COMPLETED, now=at(18, 50))
    change_status(db, seated.confirmation_code, S.SEATED, now=at(19, 0))
    tables = floor_tables(db, place.restaurant_id)
    seen = set()
    for now in (at(12, 0), at(19, 5), at(19, 40), at(23, 0) + dt.timedelta(hours=30)):
        expected = live_floor(db, place.restaurant_id, now)
        assert live_tables(db, place.restaurant_id, now, tables) == expected
        seen |= {t.live.state for t in expected}
    assert len(seen) >= 3  # seated, reserved soon or cleaning, free: the comparison saw them
