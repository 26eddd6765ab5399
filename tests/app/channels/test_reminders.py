"""Reminders before the visit: once, at the right time, across restarts; templates outside 24 h."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.channels import reminders
from app.db.enums import ReservationStatus
from app.db.models import OutboxMessage, Reservation, ReservationStatusChange, Restaurant
from app.db.models.channels import OutboxKind, OutboxStatus
from tests.app.channels.conftest import WhatsAppChannel
from tests.app.channels.test_booking_over_telegram import rows
from tests.app.channels.test_whatsapp import GUEST, book_over_whatsapp


def run_at(whatsapp: WhatsAppChannel, moment: dt.datetime) -> int:
    """A fresh worker (as after a restart) runs one round at ``moment``; messages it sent."""
    whatsapp.clock.moment = moment
    before = len(whatsapp.graph.sent)
    worker = whatsapp.worker()
    try:
        worker.run_once()
    finally:
        worker.close()
    return len(whatsapp.graph.sent) - before


def reservation(whatsapp: WhatsAppChannel) -> Reservation:
    (found,) = rows(whatsapp.db, Reservation)
    return found


def test_reminders_go_out_once_at_the_right_time(whatsapp: WhatsAppChannel) -> None:
    booked = book_over_whatsapp(whatsapp)
    starts, graph = booked.starts_at, whatsapp.graph
    day_before = starts - dt.timedelta(hours=24)
    assert run_at(whatsapp, day_before - dt.timedelta(minutes=1)) == 0
    assert reservation(whatsapp).status == ReservationStatus.CONFIRMED
    # The guest last wrote on Tuesday: the window is closed, so the reminder is a template.
    assert run_at(whatsapp, day_before + dt.timedelta(minutes=1)) == 1
    template = graph.templates()[-1]
    assert template["name"] == "booking_reminder" and template["language"] == {"code": "en_US"}
    parameters = [p["text"] for p in template["components"][0]["parameters"]]
    assert parameters == ["Test Bistro", "27.11.2026", "19:00", "2"]
    assert graph.sent[-1]["to"] == GUEST
    after = reservation(whatsapp)
    assert after.status == ReservationStatus.REMINDED
    assert set(after.reminder_sent) == {"24h"}
    assert run_at(whatsapp, day_before + dt.timedelta(minutes=2)) == 0  # restarted: not again
    assert run_at(whatsapp, day_before + dt.timedelta(hours=3)) == 0
    # The guest writes on the day: the window is open, so the 2 h reminder is plain text.
    whatsapp.clock.moment = starts - dt.timedelta(hours=5)
    assert whatsapp.say("Is there parking nearby?").status_code == 200
    assert run_at(whatsapp, starts - dt.timedelta(hours=5)) == 1  # Sofia's answer
    assert run_at(whatsapp, starts - dt.timedelta(hours=2, minutes=1)) == 0
    assert run_at(whatsapp, starts - dt.timedelta(hours=2) + dt.timedelta(seconds=30)) == 1
    assert after.confirmation_code in graph.sent[-1]["text"]["body"]
    assert "reminder" in graph.sent[-1]["text"]["body"].lower()
    assert run_at(whatsapp, starts - dt.timedelta(hours=1)) == 0
    assert len(graph.templates()) == 1
    assert set(reservation(whatsapp).reminder_sent) == {"24h", "2h"}
    sent = [r for r in rows(whatsapp.db, OutboxMessage) if r.kind == OutboxKind.REMINDER]
    assert sorted(r.idempotency_key for r in sent) == [
        f"remind:{booked.id}:24h", f"remind:{booked.id}:2h"
    ]  # fmt: skip
    assert all(r.status == OutboxStatus.SENT for r in sent)
    with whatsapp.db.unit_of_work() as uow:
        actors = uow.session.scalars(
            select(ReservationStatusChange.actor).where(
                ReservationStatusChange.to_status == ReservationStatus.REMINDED
            )
        ).all()
    assert actors == ["sync"]


def test_a_late_worker_sends_only_the_nearest_reminder(whatsapp: WhatsAppChannel) -> None:
    with whatsapp.db.unit_of_work() as uow:
        restaurant = uow.session.scalars(select(Restaurant)).one()
        restaurant.settings = {**restaurant.settings, "reminder_offsets_hours": [48, 3]}
        uow.commit()
    booked = book_over_whatsapp(whatsapp)
    assert run_at(whatsapp, booked.starts_at - dt.timedelta(hours=1)) == 1
    assert reservation(whatsapp).reminder_sent.get("48h") == reminders.SKIPPED
    assert "3h" in reservation(whatsapp).reminder_sent
    assert run_at(whatsapp, booked.starts_at - dt.timedelta(minutes=30)) == 0


def test_no_reminder_for_cancelled_bookings_or_past_visits(whatsapp: WhatsAppChannel) -> None:
    from app.services.lifecycle import change_status

    booked = book_over_whatsapp(whatsapp)
    change_status(whatsapp.db, booked.id, ReservationStatus.CANCELLED, reason="plans changed",
                  now=whatsapp.clock.now())  # fmt: skip
    before = len(whatsapp.graph.sent)
    run_at(whatsapp, booked.starts_at - dt.timedelta(hours=5))  # the cancellation goes out
    assert len(whatsapp.graph.sent) - before <= 1
    assert run_at(whatsapp, booked.starts_at - dt.timedelta(hours=1)) == 0
    assert reservation(whatsapp).reminder_sent == {}


def test_offsets_setting() -> None:
    assert reminders.offsets_of({}) == [24.0, 2.0]
    assert reminders.offsets_of({"reminder_offsets_hours": [2, 48, "x", -1, True]}) == [48.0, 2.0]
    assert reminders.offsets_of({"reminder_offsets_hours": "24"}) == [24.0, 2.0]
    assert reminders.label(1.5) == "1.5h"
