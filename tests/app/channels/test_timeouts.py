"""A Telegram that hangs: polls are retried, a send that may have arrived is never repeated."""

from __future__ import annotations

import time

from app.channels.worker import SyncWorker
from app.db.models import OutboxMessage
from app.db.models.channels import OutboxStatus
from tests.app.channels.conftest import Channel
from tests.app.channels.test_booking_over_telegram import rows

QUICK = 0.3  # the worker's read timeout in these tests (seconds)
HANG = 1.0


def quick_worker(channel: Channel) -> SyncWorker:
    return SyncWorker(channel.db, now=channel.clock.now, sleep=channel.clock.sleep,
                      read_timeout=QUICK)  # fmt: skip


def test_a_hung_poll_times_out_and_is_retried(channel: Channel) -> None:
    tg, worker = channel.telegram, quick_worker(channel)
    tg.message("Hello")
    tg.hang("getUpdates", HANG)
    worker.run_once()
    worker.close()
    assert tg.count("getUpdates") >= 2, "the timed-out poll was asked again"
    assert channel.clock.slept and channel.clock.slept[0] == 1.0, "after a back-off"
    assert len(tg.sent) == 1


def test_a_send_that_timed_out_is_never_sent_again(channel: Channel) -> None:
    tg, worker = channel.telegram, quick_worker(channel)
    tg.message("Hello")
    tg.hang("sendMessage", HANG)
    worker.run_once()
    time.sleep(HANG + 0.3)  # the hung request reaches Telegram after all
    channel.clock.sleep(3600)
    worker.run_once()
    worker.close()
    assert tg.count("sendMessage") == 1 and len(tg.sent) == 1
    [row] = rows(channel.db, OutboxMessage)
    assert row.status is OutboxStatus.FAILED and "uncertain" in (row.last_error or "").lower()


def test_a_moved_api_address_is_used_by_the_running_worker(channel: Channel) -> None:
    from app.channels.integrations import update_settings
    from tests.support.fake_telegram import fake_telegram

    worker = quick_worker(channel)
    worker.run_once()
    with fake_telegram() as moved:
        moved.token = channel.telegram.token
        moved.message("Hello from the new server")
        update_settings(channel.db, channel.integration_id, settings={"api_base_url": moved.url})
        channel.clock.sleep(5)
        worker.run_once()
        worker.close()
        assert moved.count("getUpdates") == 1 and len(moved.sent) == 1
