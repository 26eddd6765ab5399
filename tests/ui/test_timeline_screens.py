"""The timeline at the host stand's size (1366×768), on the demo restaurant in mid-dinner.

With TOBEOUT_SCREENSHOTS=1 the screen is saved as docs/screenshots/timeline.png; otherwise the
test only checks that something real was drawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from app.demo import create_demo
from app.services.accounts import add_user
from app.services.database import Database
from app.services.restaurants import list_restaurants
from tests.ui.screens import distinct_colours, save_screenshot
from ui.host_context import HostContext
from ui.timeline import TimelinePanel

SIZE = (1366, 768)
TODAY = dt.date(2026, 11, 27)  # a Friday
NOW = dt.datetime.combine(TODAY, dt.time(19, 35), tzinfo=ZoneInfo("Europe/Moscow"))


@pytest.fixture
def context(db: Database) -> Iterator[HostContext]:
    restaurant_id = create_demo(db, today=TODAY)
    [restaurant] = [r for r in list_restaurants(db) if r.id == restaurant_id]
    user = add_user(
        db, email="host@bistro.ru", name="Maria Host", role="manager", password="long enough"
    )
    context = HostContext(
        db, user, restaurant_id, TODAY, timezone=restaurant.timezone,
        clock=lambda: NOW.astimezone(dt.UTC),
    )  # fmt: skip
    yield context
    context.close()


def test_timeline_screen(qtbot: QtBot, styled: None, context: HostContext, backend: str) -> None:
    panel = TimelinePanel(context)
    qtbot.addWidget(panel)
    panel.resize(*SIZE)
    panel.show()
    qtbot.waitUntil(lambda: panel.loaded and panel.model is not None, timeout=20_000)
    panel.show_cancelled.setChecked(True)
    panel.view.set_px_per_minute(2.1)  # the evening, zoomed so names read in full
    panel.jump_to_now()
    qtbot.wait(50)
    image = panel.grab().toImage()
    assert (image.width(), image.height()) == SIZE
    assert distinct_colours(image) > 40, "the screen is blank"
    assert panel.model is not None and len(panel.model.by_code) > 10
    save_screenshot(image, "timeline.png", backend)
