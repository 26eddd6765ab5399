"""A restaurant with an active Telegram integration pointed at a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from app.channels.integrations import add_telegram
from app.channels.worker import SyncWorker
from app.services.database import Database
from tests.app.services.conftest import NOW, Place, create_place
from tests.support.fake_telegram import FakeTelegram, fake_telegram


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
