"""WhatsApp end to end: the webhook (signature, handshake, duplicates) and the worker's sends."""

from __future__ import annotations

import json

import requests

from app.channels.whatsapp import sign
from app.db.enums import Platform, ReservationSource
from app.db.models import (
    ChannelUpdate,
    ConversationThread,
    Guest,
    Message,
    OutboxMessage,
    Reservation,
)
from app.db.models.channels import OutboxKind, OutboxStatus, UpdateOutcome
from tests.app.channels.conftest import WhatsAppChannel
from tests.app.channels.test_booking_over_telegram import rows
from tests.support.fake_whatsapp import APP_SECRET, VERIFY_TOKEN, inbound, post_webhook

GUEST = "79161234567"


def book_over_whatsapp(whatsapp: WhatsAppChannel) -> Reservation:
    worker = whatsapp.worker()
    try:
        for text in ("Hello", "A table for 2 on Friday at 19:00 please", "yes"):
            assert whatsapp.say(text).status_code == 200
            report = worker.run_once()
            assert report.polled == [whatsapp.integration_id] and report.failed == []
    finally:
        worker.close()
    (booked,) = rows(whatsapp.db, Reservation)
    return booked


def guest_messages(whatsapp: WhatsAppChannel) -> list[Message]:
    return [m for m in rows(whatsapp.db, Message) if m.sender_type.value == "user"]


def test_a_guest_books_a_table_over_whatsapp(whatsapp: WhatsAppChannel) -> None:
    booked = book_over_whatsapp(whatsapp)
    graph = whatsapp.graph
    assert booked.guests == 2 and booked.source == ReservationSource.WHATSAPP
    assert "Sofia" in graph.texts(GUEST)[0]
    assert booked.confirmation_code in graph.texts(GUEST)[-1]
    assert all(m["to"] == GUEST for m in graph.sent)
    assert len(graph.texts()) == len(set(graph.texts())) == 3
    outbox = rows(whatsapp.db, OutboxMessage)
    confirmation = [r for r in outbox if r.kind == OutboxKind.CONFIRMATION]
    assert len(confirmation) == 1 and confirmation[0].reservation_id == booked.id
    assert all(r.status == OutboxStatus.SENT for r in outbox)
    assert all((r.external_id or "").startswith("wamid.") for r in outbox)
    thread = rows(whatsapp.db, ConversationThread)[0]
    assert thread.platform == Platform.WHATSAPP and thread.platform_user_id == GUEST
    guest = rows(whatsapp.db, Guest)[0]
    assert guest.phone == "+" + GUEST and guest.name == "Anna Petrova"


def test_a_bad_signature_is_refused_and_changes_nothing(whatsapp: WhatsAppChannel) -> None:
    payload = inbound("A table for 2 on Friday at 19:00 please")
    raw = json.dumps(payload).encode()
    assert post_webhook(whatsapp.url, payload, secret="not-the-app-secret").status_code == 403
    assert post_webhook(whatsapp.url, payload, secret=None).status_code == 403
    tampered = requests.post(whatsapp.url, data=raw + b" ", timeout=10,
                             headers={"X-Hub-Signature-256": sign(APP_SECRET, raw)})  # fmt: skip
    assert tampered.status_code == 403
    worker = whatsapp.worker()
    worker.run_once()
    assert rows(whatsapp.db, ChannelUpdate) == [] and rows(whatsapp.db, Message) == []
    assert rows(whatsapp.db, ConversationThread) == [] and whatsapp.graph.calls == 0
    assert post_webhook(whatsapp.url, None, raw=raw).status_code == 200  # correctly signed
    worker.run_once()
    worker.close()
    assert len(guest_messages(whatsapp)) == 1 and len(whatsapp.graph.sent) == 1


def test_a_message_delivered_twice_is_processed_once(whatsapp: WhatsAppChannel) -> None:
    payload = inbound("Hello", wamid="wamid.HBgLNzkxNjEyMzQ1NjcVAgASGBQzQTdBRkFFNjQ5")
    assert post_webhook(whatsapp.url, payload).status_code == 200
    worker = whatsapp.worker()
    worker.run_once()
    assert post_webhook(whatsapp.url, payload).status_code == 200
    whatsapp.clock.sleep(10)
    worker.run_once()
    worker.close()
    assert whatsapp.webhook.handled == 1
    assert len(rows(whatsapp.db, ChannelUpdate)) == 1
    assert len(guest_messages(whatsapp)) == 1
    assert len(whatsapp.graph.sent) == 1


def test_the_verification_handshake(whatsapp: WhatsAppChannel) -> None:
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": ""}
    right = requests.get(whatsapp.url, params=query | {"hub.verify_token": VERIFY_TOKEN},
                         timeout=10)  # fmt: skip
    assert right.status_code == 200 and right.text == "1158201444"
    wrong = requests.get(whatsapp.url, params=query | {"hub.verify_token": "guess"}, timeout=10)
    assert wrong.status_code == 403 and "1158201444" not in wrong.text
    assert requests.get(whatsapp.url, params=query, timeout=10).status_code == 403
    no_mode = {"hub.challenge": "1", "hub.verify_token": VERIFY_TOKEN}
    assert requests.get(whatsapp.url, params=no_mode, timeout=10).status_code == 403


def test_malformed_payloads_are_skipped(whatsapp: WhatsAppChannel) -> None:
    for raw in (b"{not json", b"[]", b'{"object": "whatsapp_business_account", "entry": 5}'):
        assert post_webhook(whatsapp.url, None, raw=raw).status_code == 200
    good = inbound("Hello")
    value = good["entry"][0]["changes"][0]["value"]
    value["messages"] = ["not a message", {"id": "wamid.X", "from": "no digits"},
                         *value["messages"]]  # fmt: skip
    good["entry"].insert(0, {"changes": "not a list"})
    assert post_webhook(whatsapp.url, good).status_code == 200
    sticker = inbound("ignored", wamid="wamid.STICKER")
    message = sticker["entry"][0]["changes"][0]["value"]["messages"][0]
    message.update({"type": "sticker", "sticker": {"id": "1"}})
    message.pop("text")
    assert post_webhook(whatsapp.url, sticker).status_code == 200
    worker = whatsapp.worker()
    worker.run_once()
    worker.close()
    outcomes = sorted(u.outcome for u in rows(whatsapp.db, ChannelUpdate))
    assert outcomes == [UpdateOutcome.PROCESSED, UpdateOutcome.SKIPPED]
    assert len(whatsapp.graph.sent) == 1


def test_429_and_500_then_success(whatsapp: WhatsAppChannel) -> None:
    graph = whatsapp.graph
    graph.fail(429, code=130429, retry_after=3)
    graph.fail(500, code=2)
    whatsapp.say("Hello")
    worker = whatsapp.worker()
    report = worker.run_once()
    worker.close()
    assert report.failed == [] and report.sent == 1
    assert 3 in whatsapp.clock.slept and 1.0 in whatsapp.clock.slept
    assert graph.calls == 3 and len(graph.sent) == 1


def test_persistent_5xx_leaves_the_message_for_later(whatsapp: WhatsAppChannel) -> None:
    graph = whatsapp.graph
    graph.fail(503, times=4)
    whatsapp.say("Hello")
    worker = whatsapp.worker()
    assert worker.run_once().failed == [whatsapp.integration_id]
    assert graph.sent == []
    (row,) = rows(whatsapp.db, OutboxMessage)
    assert row.status == OutboxStatus.PENDING and "503" in (row.last_error or "")
    whatsapp.clock.sleep(600)
    assert worker.run_once().sent == 1
    worker.close()
    assert len(graph.sent) == 1


def test_free_text_is_not_sent_outside_the_window(whatsapp: WhatsAppChannel) -> None:
    whatsapp.say("Hello")
    whatsapp.clock.sleep(25 * 3600)  # the worker was off for a day
    worker = whatsapp.worker()
    worker.run_once()
    worker.close()
    assert whatsapp.graph.calls == 0
    (row,) = rows(whatsapp.db, OutboxMessage)
    assert row.status == OutboxStatus.FAILED and "24-hour" in (row.last_error or "")
