"""The day sheet: every live booking with its flags, written as a real PDF file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.services.database import Database
from app.services.day_sheet import day_reservations
from app.services.guest_admin import update_guest
from app.services.lifecycle import change_status
from tests.app.services.conftest import FRIDAY, NOW, create_place
from ui.shell.day_sheet_export import day_sheet_html, write_day_sheet_pdf


def test_day_sheet_lists_bookings_with_flags_and_writes_a_pdf(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    place = create_place(db)
    kept = place.book(name="Ivan <Sidorov>", special_requests="Birthday cake", occasion="birthday")
    update_guest(db, kept.reservation.guest_id, {"allergies": ["peanuts"]})
    gone = place.book(name="Olga", phone="+79031112233", time=dt.time(20, 0))
    change_status(db, gone.reservation.confirmation_code, "cancelled", reason="ill", now=NOW)
    views = day_reservations(db, place.restaurant_id, FRIDAY)
    page = day_sheet_html("Test Bistro", FRIDAY, views, "Europe/Moscow")
    assert "Ivan &lt;Sidorov&gt;" in page  # escaped, not markup
    assert "ALLERGY: peanuts" in page and "birthday" in page and "Birthday cake" in page
    assert "19:00" in page and f"<td>{kept.reservation.tables[0]}</td>" in page
    assert "Olga" not in page, "cancelled bookings are left off the sheet"
    assert "1 reservations, 2 covers" in page
    target = tmp_path / "sheet.pdf"
    write_day_sheet_pdf(target, page)
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
