"""A guest books a table over Telegram, end to end through the real worker and a fake Bot API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.db.enums import ReservationSource
from app.db.models import ChannelCursor, ChannelUpdate, OutboxMessage, Reservation
from app.db.models.channels import OutboxKind, OutboxStatus
from app.services.database import Database
from tests.app.channels.conftest import Channel


def rows(db: Database, model: Any) -> list[Any]:
    with db.unit_of_work() as uow:
        found = list(uow.session.scalars(select(model)))
        uow.session.expunge_all()
        return found


def test_guest_books_a_table_from_start_to_confirmation(channel: Channel) -> None:
    tg, worker = channel.telegram, channel.worker()
    try:
        tg.message("/start")
        report = worker.run_once()
        assert report.polled == [channel.integration_id] and report.sent == 1
        assert "Sofia" in tg.texts()[-1]
        for text in ("A table for 2 on Friday at 19:00 please", "I'm Anna Petrova"):
            tg.message(text)
            worker.run_once()
        tg.contact("+79161234567")
        worker.run_once()
        assert "+79161234567" in tg.texts()[-1] or "confirm" in tg.texts()[-1].lower()
        tg.message("yes")
        worker.run_once()
    finally:
        worker.close()
    reservations = rows(channel.db, Reservation)
    assert len(reservations) == 1
    booked = reservations[0]
    assert booked.guests == 2 and booked.source == ReservationSource.TELEGRAM
    assert booked.confirmation_code in tg.texts()[-1]
    assert len(tg.sent) == 5 and len(tg.texts()) == len(set(tg.texts()))
    confirmation = [r for r in rows(channel.db, OutboxMessage) if r.kind == OutboxKind.CONFIRMATION]
    assert len(confirmation) == 1 and confirmation[0].reservation_id == booked.id
    assert all(r.status == OutboxStatus.SENT for r in rows(channel.db, OutboxMessage))
    assert len(rows(channel.db, ChannelUpdate)) == 5
    cursor = rows(channel.db, ChannelCursor)[0]
    assert cursor.next_offset == max(u["update_id"] for u in tg.updates) + 1
