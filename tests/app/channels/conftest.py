"""A restaurant with an active Telegram (or WhatsApp) integration pointed at a fake API on
127.0.0.1; the WhatsApp one also serves its webhook on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from app.channels.integrations import add_telegram, add_whatsapp
from app.channels.webhook import WebhookServer, WhatsAppWebhook
from app.channels.worker import SyncWorker
from app.services.database import Database
from tests.app.services.conftest import NOW, Place, create_place
from tests.support.fake_telegram import FakeTelegram, fake_telegram
from tests.support.fake_whatsapp import (
    APP_SECRET,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    FakeWhatsApp,
    fake_whatsapp,
    inbound,
    post_webhook,
)


class Clock:
    """Injected time: ``sleep`` advances it instead of waiting."""

    def __init__(self, start: dt.datetime = NOW) -> None:
        self.moment = start
        self.slept: list[float] = []

    def now(self) -> dt.datetime:
        return self.moment

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.moment += dt.timedelta(seconds=seconds)


@dataclass
class Channel:
    db: Database
    place: Place
    telegram: FakeTelegram
    integration_id: int
    clock: Clock

    def worker(self, cls: type[SyncWorker] = SyncWorker) -> SyncWorker:
        return cls(self.db, now=self.clock.now, sleep=self.clock.sleep)


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with fake_telegram() as fake:
        yield fake


@pytest.fixture
def channel(db: Database, telegram: FakeTelegram) -> Channel:
    place = create_place(db)
    view = add_telegram(db, place.restaurant_id, telegram.token, api_base_url=telegram.url)
    return Channel(db, place, telegram, view.id, Clock())


@dataclass
class WhatsAppChannel:
    db: Database
    place: Place
    graph: FakeWhatsApp
    integration_id: int
    clock: Clock
    webhook: WhatsAppWebhook
    url: str  # the webhook server's address

    def worker(self, cls: type[SyncWorker] = SyncWorker) -> SyncWorker:
        return cls(self.db, now=self.clock.now, sleep=self.clock.sleep)

    def say(self, text: str, **kwargs: Any) -> requests.Response:
        """The guest writes ``text``: Meta posts it, signed, to the webhook."""
        kwargs.setdefault("sent_at", self.clock.now().timestamp())
        return post_webhook(self.url, inbound(text, **kwargs))


@pytest.fixture
def whatsapp(db: Database) -> Iterator[WhatsAppChannel]:
    place = create_place(db)
    clock = Clock()
    with fake_whatsapp() as graph:
        view = add_whatsapp(
            db, place.restaurant_id, phone_number_id=PHONE_NUMBER_ID, access_token=graph.token,
            app_secret=APP_SECRET, verify_token=VERIFY_TOKEN, api_base_url=graph.url,
        )  # fmt: skip
        webhook = WhatsAppWebhook(db, now=clock.now)
        server = WebhookServer(webhook, 0)
        server.start()
        try:
            yield WhatsAppChannel(db, place, graph, view.id, clock, webhook, server.url)
        finally:
            server.stop()
