"""The floor plan at the host stand's size (1366×768), on the demo restaurant in mid-dinner,
in service mode and in edit mode.

With TOBEOUT_SCREENSHOTS=1 the screens are saved as docs/screenshots/floor-plan-service.png and
floor-plan-edit.png; otherwise the test only checks that something real was drawn."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.demo import create_demo
from app.services.accounts import add_user
from app.services.database import Database
from app.services.restaurants import list_restaurants
from tests.ui.screens import distinct_colours, save_screenshot
from ui.floor_plan import FloorPlanPanel
from ui.host_context import HostContext

SIZE = (1366, 768)
TODAY = dt.date(2026, 11, 27)  # a Friday
NOW = dt.datetime.combine(TODAY, dt.time(19, 35), tzinfo=ZoneInfo("Europe/Moscow"))
AREA = os.environ.get("TOBEOUT_FLOOR_AREA", "Main room")


@pytest.fixture
def context(db: Database) -> Iterator[HostContext]:
    restaurant_id = create_demo(db, today=TODAY)
    [restaurant] = [r for r in list_restaurants(db) if r.id == restaurant_id]
    user = add_user(
        db, email="lead@bistro.ru", name="Ivan Lead", role="manager", password="long enough"
    )
    context = HostContext(
        db, user, restaurant_id, TODAY, timezone=restaurant.timezone,
        clock=lambda: NOW.astimezone(dt.UTC),
    )  # fmt: skip
    yield context
    context.close()


def save(image: QImage, name: str, backend: str) -> None:
    save_screenshot(image, name, backend)


def test_floor_plan_screens(qtbot: QtBot, styled: None, context: HostContext, backend: str) -> None:
    panel = FloorPlanPanel(context)
    qtbot.addWidget(panel)
    panel.resize(*SIZE)
    panel.show()
    qtbot.waitUntil(lambda: panel.loaded and panel.snapshot is not None, timeout=20_000)
    panel.show_area(AREA)
    # A busy table's card is open, as a host would have it mid-service.
    snapshot = panel.snapshot
    assert snapshot is not None
    seated = [t for t in snapshot.tables if t.live.current is not None and t.table.area == AREA]
    if seated:
        panel.popup.show_table(snapshot, seated[0].table.id, can_book=True)
        panel.view.floor.items_by_id[seated[0].table.id].setSelected(True)
    qtbot.wait(50)
    panel.fit()
    qtbot.wait(50)
    image = panel.grab().toImage()
    assert (image.width(), image.height()) == SIZE
    assert distinct_colours(image) > 40, "the screen is blank"
    save(image, "floor-plan-service.png", backend)

    panel.set_edit_mode(True)
    panel.view.floor.clearSelection()
    first = next(t for t in snapshot.tables if t.table.area == AREA)
    panel.view.floor.items_by_id[first.table.id].setSelected(True)
    qtbot.wait(50)
    image = panel.grab().toImage()
    assert panel.edit_bar.isVisible() and not panel.popup.isVisible()
    save(image, "floor-plan-edit.png", backend)
