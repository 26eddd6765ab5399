"""Faults: duplicates, restarts, 429, 5xx, malformed updates, a crash mid-turn, the poller lock."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from app.channels.integrations import list_integrations
from app.channels.telegram import IncomingUpdate
from app.channels.worker import SyncWorker
from app.db.models import ChannelUpdate, Message, OutboxMessage
from app.db.models.channels import OutboxStatus, UpdateOutcome
from tests.app.channels.conftest import Channel
from tests.app.channels.test_booking_over_telegram import rows


def test_the_same_update_delivered_twice_is_processed_once(channel: Channel) -> None:
    tg, worker = channel.telegram, channel.worker()
    first = tg.message("Hello")
    worker.run_once()
    tg.redeliver(first)
    channel.clock.sleep(1)
    worker.run_once()
    worker.close()
    assert len(tg.sent) == 1
    assert len(rows(channel.db, ChannelUpdate)) == 1
    guest_messages = [m for m in rows(channel.db, Message) if m.sender_type.value == "user"]
    assert len(guest_messages) == 1


def test_the_offset_survives_a_worker_restart(channel: Channel) -> None:
    tg = channel.telegram
    last = tg.message("Hello")
    first_worker = channel.worker()
    first_worker.run_once()
    first_worker.close()
    second = channel.worker()
    second.run_once()
    second.close()
    offsets = [body["offset"] for name, body in tg.calls if name == "getUpdates"]
    assert offsets == [0, last + 1]
    assert len(tg.sent) == 1


def test_429_retry_after_is_honoured_then_success(channel: Channel) -> None:
    tg, worker = channel.telegram, channel.worker()
    tg.message("Hello")
    tg.fail("getUpdates", 429, retry_after=7)
    tg.fail("sendMessage", 429, retry_after=3)
    worker.run_once()
    worker.close()
    assert 7 in channel.clock.slept and 3 in channel.clock.slept
    assert len(tg.sent) == 1 and tg.count("sendMessage") == 2


def test_500_then_success_backs_off(channel: Channel) -> None:
    tg, worker = channel.telegram, channel.worker()
    tg.message("Hello")
    tg.fail("getUpdates", 500, times=2)
    tg.fail("sendMessage", 502)
    worker.run_once()
    worker.close()
    assert channel.clock.slept[:2] == [1.0, 2.0]
    assert len(tg.sent) == 1
    assert list_integrations(channel.db)[0].error_count == 0


def test_persistent_5xx_is_recorded_on_the_integration(channel: Channel) -> None:
    tg, worker = channel.telegram, channel.worker()
    tg.fail("getUpdates", 503, times=4)
    report = worker.run_once()
    worker.close()
    assert report.failed == [channel.integration_id]
    view = list_integrations(channel.db)[0]
    assert view.error_count == 1 and "503" in (view.last_error or "")


def test_malformed_payloads_are_skipped_without_stopping(channel: Channel) -> None:
    tg, worker = channel.telegram, channel.worker()
    tg.raw_update({"message": {"chat": "not an object"}})
    tg.raw_update(["not", "an", "update"])
    tg.message("Hello")
    tg.fail("getUpdates", 200, raw=b"{not json")
    worker.run_once()
    worker.close()
    outcomes = sorted(u.outcome for u in rows(channel.db, ChannelUpdate))
    assert outcomes == [UpdateOutcome.MALFORMED, UpdateOutcome.PROCESSED]
    assert len(tg.sent) == 1


class Killed(BaseException):  # a kill, not an error the worker may handle
    pass


class DiesAfterReceiving(SyncWorker):
    """Stops (like a killed process) once the turn's records are about to commit."""

    def after_commit_point(self, update: IncomingUpdate) -> None:
        raise Killed


class DiesAfterCommit(SyncWorker):
    """Stops after the turn committed, before anything was sent."""

    def deliver(self, access, state):  # type: ignore[no-untyped-def]
        raise Killed


@pytest.mark.parametrize("crash", [DiesAfterReceiving, DiesAfterCommit])
def test_a_worker_killed_between_receiving_and_answering(channel: Channel, crash: type) -> None:
    tg = channel.telegram
    tg.message("A table for 2 on Friday at 19:00 please")
    dying = channel.worker(crash)
    with pytest.raises(Killed):
        dying.run_once()
    dying.close()
    assert tg.sent == []
    restarted = channel.worker()
    restarted.run_once()
    restarted.run_once()
    restarted.close()
    assert len(tg.sent) == 1
    guest_messages = [m for m in rows(channel.db, Message) if m.sender_type.value == "user"]
    assert len(guest_messages) == 1
    assert len(rows(channel.db, ChannelUpdate)) == 1


def test_a_worker_killed_while_sending_never_sends_twice(channel: Channel) -> None:
    tg, worker = channel.telegram, channel.worker()
    tg.message("Hello")
    worker.run_once()
    worker.close()
    with channel.db.unit_of_work() as uow:  # as if the process died after the HTTP call
        row = uow.session.scalars(select(OutboxMessage)).one()
        row.status = OutboxStatus.SENDING
        uow.commit()
    restarted = channel.worker()
    restarted.run_once()
    restarted.close()
    assert len(tg.sent) == 1
    assert rows(channel.db, OutboxMessage)[0].status == OutboxStatus.FAILED


def test_only_one_of_two_workers_polls_an_integration(channel: Channel) -> None:
    tg = channel.telegram
    tg.message("Hello")
    first, second = channel.worker(), channel.worker()
    try:
        assert first.run_once().polled == [channel.integration_id]
        assert second.run_once().standby == [channel.integration_id]
        assert tg.count("getUpdates") == 1
        first.close()  # the poller stops: the other takes over
        assert second.run_once().polled == [channel.integration_id]
    finally:
        first.close()
        second.close()


def test_credentials_never_appear_in_listings_or_logs(
    channel: Channel, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tg, worker = channel.telegram, channel.worker()
    tg.message("Hello")
    tg.fail("getUpdates", 500)
    tg.fail("getUpdates", 401)
    worker.run_once()
    worker.run_once()
    worker.close()
    view = list_integrations(channel.db)[0]
    secret_part = tg.token.split(":", 1)[1]
    assert view.credential_hint == "••••" + tg.token[-4:]
    assert secret_part not in str(view.to_json()) and secret_part not in repr(view)
    assert secret_part not in caplog.text and "urllib3" in caplog.text
    assert secret_part not in (view.last_error or "")
