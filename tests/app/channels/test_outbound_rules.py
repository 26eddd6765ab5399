"""Outbound rules of the channel worker: confirmations of staff changes, staff messages, the
per-chat token buckets, the circuit after repeated failures, and WhatsApp's 24-hour window."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import pytest

from app.channels.integrations import list_integrations, update_settings
from app.channels.worker import CIRCUIT_BASE_PAUSE, CIRCUIT_THRESHOLD
from app.db.enums import ReservationStatus
from app.db.models import ConversationThread, Message, OutboxMessage, Reservation
from app.db.models.channels import OutboxKind, OutboxStatus
from app.errors import InvalidInput
from app.services.database import Database
from app.services.lifecycle import change_status, move_reservation, reschedule
from app.sofia.inbox import post_staff_message
from tests.app.channels.conftest import Channel, WhatsAppChannel
from tests.app.channels.test_booking_over_telegram import rows
from tests.app.channels.test_whatsapp import GUEST, book_over_whatsapp
from tests.app.services.conftest import FRIDAY

CHAT = 5001


def book_over_telegram(channel: Channel) -> Reservation:
    """The guest books Friday 19:00 for 2 in the chat; Sofia's reply is the confirmation."""
    tg, worker = channel.telegram, channel.worker()
    try:
        tg.message("A table for 2 on Friday at 19:00 please")
        worker.run_once()
        tg.message("I'm Anna Petrova")
        worker.run_once()
        tg.contact("+79161234567")
        worker.run_once()
        tg.message("yes")
        worker.run_once()
    finally:
        worker.close()
    (booked,) = rows(channel.db, Reservation)
    assert booked.status == ReservationStatus.CONFIRMED
    assert booked.confirmation_code in channel.telegram.texts(CHAT)[-1]
    return booked


def rounds(channel: Channel | WhatsAppChannel, times: int = 1) -> None:
    worker = channel.worker()
    try:
        for _ in range(times):
            worker.run_once()
            channel.clock.sleep(5)
    finally:
        worker.close()


def live(db: Database) -> Reservation:
    """The reservation that stands (a reschedule replaces the booked one)."""
    (found,) = [r for r in rows(db, Reservation) if r.status != ReservationStatus.RESCHEDULED]
    return found


def staff_move(db: Database, reservation_id: int, now: dt.datetime) -> None:
    move_reservation(db, reservation_id, time=dt.time(20, 0), now=now)


def staff_reschedule(db: Database, reservation_id: int, now: dt.datetime) -> None:
    reschedule(db, reservation_id, date=FRIDAY, time=dt.time(20, 0), now=now)


# -- 1. confirmations of staff changes ---------------------------------------------------------


@pytest.mark.parametrize("change", [staff_move, staff_reschedule], ids=["move", "reschedule"])
def test_a_staff_change_and_cancellation_are_confirmed_once(
    channel: Channel, change: Callable[[Database, int, dt.datetime], None]
) -> None:
    booked = book_over_telegram(channel)
    tg, before = channel.telegram, len(channel.telegram.sent)
    change(channel.db, booked.id, channel.clock.now())
    rounds(channel, 3)
    changed = tg.texts(CHAT)[before:]
    assert len(changed) == 1
    assert "has changed" in changed[0] and "20:00" in changed[0]
    assert booked.confirmation_code not in changed[0] or change is staff_move
    current = live(channel.db)
    assert current.confirmation_code in changed[0]

    change_status(channel.db, current.id, ReservationStatus.CANCELLED, reason="the guest called",
                  now=channel.clock.now())  # fmt: skip
    rounds(channel, 3)
    cancelled = tg.texts(CHAT)[before + 1 :]
    assert len(cancelled) == 1
    assert "is cancelled" in cancelled[0] and current.confirmation_code in cancelled[0]
    confirmations = [r for r in rows(channel.db, OutboxMessage)
                     if r.kind == OutboxKind.CONFIRMATION]  # fmt: skip
    assert len(confirmations) == 3  # booked, changed, cancelled: one key each
    assert all(r.status == OutboxStatus.SENT for r in confirmations)
    assert len(tg.sent) == before + 2


# -- 2. staff messages ---------------------------------------------------------------------------


def test_a_staff_message_is_delivered_once(channel: Channel) -> None:
    tg = channel.telegram
    tg.message("Hello")
    rounds(channel)
    (thread,) = rows(channel.db, ConversationThread)
    before = len(tg.sent)
    text = "Hello Anna, this is Maria from the restaurant: a window table is free on Friday."
    post_staff_message(channel.db, thread.id, text, None, now=channel.clock.now())
    rounds(channel, 3)
    assert tg.texts(CHAT)[before:] == [text]
    (staff,) = [m for m in rows(channel.db, Message) if m.message_text == text]
    assert staff.meta["delivery"] == "sent"
    (row,) = [r for r in rows(channel.db, OutboxMessage) if r.kind == OutboxKind.STAFF]
    assert row.status == OutboxStatus.SENT and row.idempotency_key == f"staff:{staff.id}"
    tg.message("Thanks!")  # the colleague holds the thread: Sofia stays silent
    rounds(channel, 2)
    assert len(tg.sent) == before + 1


# -- 3. rate limits ----------------------------------------------------------------------------


def test_replies_to_one_chat_are_spaced_by_its_bucket(channel: Channel) -> None:
    tg, worker = channel.telegram, channel.worker()
    for text in ("Hello", "Hi", "Good morning", "Are you open?"):
        tg.message(text)
    tg.message("Hello from another chat", chat=5002, user=5002, first="Boris")
    tg.message("Anyone there?")
    try:
        report = worker.run_once()
    finally:
        worker.close()
    assert report.sent == 6
    # Telegram's default: 1 message/s per chat after a burst of 3; the other chat never waits.
    assert channel.clock.slept == [1.0, 1.0]
    assert len(tg.texts(CHAT)) == 5 and len(tg.texts(5002)) == 1


def test_custom_rate_limits_change_the_spacing(channel: Channel) -> None:
    tg, worker = channel.telegram, channel.worker()
    try:
        tg.message("Hello")
        worker.run_once()
        channel.clock.sleep(60)
        channel.clock.slept.clear()
        limits = {"per_chat_per_second": 0.5, "per_chat_burst": 1}
        view = update_settings(channel.db, channel.integration_id, rate_limits=limits)
        assert view.rate_limits["per_chat_per_second"] == 0.5
        for text in ("Hi", "Good morning", "Are you open?"):
            tg.message(text)
        worker.run_once()  # the same worker: it follows the new limits
    finally:
        worker.close()
    assert channel.clock.slept == [2.0, 2.0]
    assert len(tg.texts(CHAT)) == 4


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"per_chat_per_second": 0}, "at least 0.01"),
        ({"per_chat_per_second": -1}, "at least 0.01"),
        ({"per_chat_per_second": "fast"}, "must be a number"),
        ({"per_chat_per_second": True}, "must be a number"),
        ({"per_chat_per_second": None}, "must be a number"),
        ({"per_chat_per_second": math.nan}, "must be a number"),
        ({"total_per_second": math.inf}, "at most 1000"),
        ({"total_per_second": 5000}, "at most 1000"),
        ({"per_chat_per_second": 2, "messages_per_minute": 5}, "unknown field"),
        ([1, 2], "must be an object"),
    ],
)
def test_invalid_rate_limits_are_refused_and_change_nothing(
    channel: Channel, limits: Any, message: str
) -> None:
    before = list_integrations(channel.db)[0]
    with pytest.raises(InvalidInput, match=message):
        update_settings(channel.db, channel.integration_id, settings={"poll_timeout": 5},
                        rate_limits=limits)  # fmt: skip
    after = list_integrations(channel.db)[0]
    assert after.rate_limits == before.rate_limits and after.settings == before.settings
    tg, worker = channel.telegram, channel.worker()
    for text in ("Hello", "Hi", "Good morning", "Are you open?"):
        tg.message(text)
    try:
        worker.run_once()
    finally:
        worker.close()
    assert channel.clock.slept == [1.0]  # still the defaults


# -- 4. the circuit ----------------------------------------------------------------------------


def test_the_circuit_pauses_after_repeated_failures_then_recovers(channel: Channel) -> None:
    tg, clock, worker = channel.telegram, channel.clock, channel.worker()
    tg.message("Hello")
    tg.fail("getUpdates", 503, times=1000)
    try:
        for failed in range(1, CIRCUIT_THRESHOLD + 1):
            assert worker.run_once().failed == [channel.integration_id]
            assert list_integrations(channel.db)[0].error_count == failed
        view = list_integrations(channel.db)[0]
        assert "503" in (view.last_error or "")
        calls = len(tg.calls)
        opened = clock.now()
        for _ in range(5):  # the pause: not a single call
            clock.sleep(CIRCUIT_BASE_PAUSE / 6)
            report = worker.run_once()
            assert report.skipped == [channel.integration_id] and report.polled == []
        assert len(tg.calls) == calls
        assert list_integrations(channel.db)[0].error_count == CIRCUIT_THRESHOLD
        clock.moment = opened + dt.timedelta(seconds=CIRCUIT_BASE_PAUSE + 1)
        assert worker.run_once().failed == [channel.integration_id]  # tried again: still down
        assert len(tg.calls) > calls
        assert list_integrations(channel.db)[0].error_count == CIRCUIT_THRESHOLD + 1
        calls, opened = len(tg.calls), clock.now()
        clock.moment = opened + dt.timedelta(seconds=CIRCUIT_BASE_PAUSE + 1)
        assert worker.run_once().skipped == [channel.integration_id]  # the pause has doubled
        assert len(tg.calls) == calls
        tg.faults["getUpdates"].clear()  # the API is back
        clock.moment = opened + dt.timedelta(seconds=2 * CIRCUIT_BASE_PAUSE + 1)
        report = worker.run_once()
    finally:
        worker.close()
    assert report.polled == [channel.integration_id] and report.failed == []
    assert report.updates == 1 and report.sent == 1
    view = list_integrations(channel.db)[0]
    assert view.error_count == 0 and view.last_error is None
    assert view.last_sync == clock.now()


# -- 5. WhatsApp: confirmations outside the 24-hour window -------------------------------------


def test_a_staff_change_outside_the_window_goes_as_a_template(whatsapp: WhatsAppChannel) -> None:
    booked = book_over_whatsapp(whatsapp)
    graph, clock = whatsapp.graph, whatsapp.clock
    before = len(graph.sent)
    clock.sleep(25 * 3600)  # the guest last wrote over a day ago
    move_reservation(whatsapp.db, booked.id, time=dt.time(20, 0), now=clock.now())
    rounds(whatsapp, 3)
    assert len(graph.sent) == before + 1
    message = graph.sent[-1]
    assert message["type"] == "template" and message["to"] == GUEST
    template = message["template"]
    assert template["name"] == "booking_update" and template["language"] == {"code": "en_US"}
    parameters = [p["text"] for p in template["components"][0]["parameters"]]
    assert parameters[0] == "Test Bistro"
    assert "has changed" in parameters[1] and "20:00" in parameters[1]
    assert booked.confirmation_code in parameters[1]
    (row,) = [r for r in rows(whatsapp.db, OutboxMessage)
              if r.kind == OutboxKind.CONFIRMATION and "20:00" in r.idempotency_key]  # fmt: skip
    assert row.status == OutboxStatus.SENT

    update_settings(whatsapp.db, whatsapp.integration_id,
                    settings={"confirmation_template": "reservation_news",
                              "template_language": "ru"})  # fmt: skip
    change_status(whatsapp.db, booked.id, ReservationStatus.CANCELLED, reason="kitchen closed",
                  now=clock.now())  # fmt: skip
    rounds(whatsapp, 3)
    assert len(graph.sent) == before + 2
    template = graph.templates()[-1]
    assert template["name"] == "reservation_news" and template["language"] == {"code": "ru"}
    assert "is cancelled" in template["components"][0]["parameters"][1]["text"]
    assert all(r.status == OutboxStatus.SENT for r in rows(whatsapp.db, OutboxMessage))


def test_a_staff_change_inside_the_window_goes_as_text(whatsapp: WhatsAppChannel) -> None:
    booked = book_over_whatsapp(whatsapp)
    whatsapp.clock.sleep(3600)
    move_reservation(whatsapp.db, booked.id, time=dt.time(20, 0), now=whatsapp.clock.now())
    rounds(whatsapp, 2)
    assert whatsapp.graph.templates() == []
    assert "has changed" in whatsapp.graph.texts(GUEST)[-1]
    assert len(whatsapp.graph.sent) == 4


def test_a_bad_confirmation_template_name_is_refused(whatsapp: WhatsAppChannel) -> None:
    with pytest.raises(InvalidInput, match="confirmation template"):
        update_settings(whatsapp.db, whatsapp.integration_id,
                        settings={"confirmation_template": "Booking Update!"})  # fmt: skip
    assert "confirmation_template" not in list_integrations(whatsapp.db)[0].settings
