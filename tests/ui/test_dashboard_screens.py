"""The Dashboard tab at the host stand's size (1366×768) on the demo restaurant, as a manager.

With TOBEOUT_SCREENSHOTS=1 the screen is saved as docs/screenshots/dashboard.png; otherwise the
test only checks that something real was drawn."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.services.database import Database
from tests.ui.screens import distinct_colours, save_screenshot
from tests.ui.test_main_window import open_window


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_dashboard_screen(qtbot: QtBot, db: Database, styled: None, backend: str) -> None:
    window = open_window(qtbot, db, "manager")
    panel = window.dashboard
    assert panel is not None
    with qtbot.waitSignal(panel.dashboard_loaded, timeout=30_000):
        window.tabs.setCurrentWidget(panel)
    qtbot.wait(100)
    image = window.grab().toImage()
    assert (image.width(), image.height()) == (1366, 768)
    assert distinct_colours(image) > 40, "the screen is blank"
    save_screenshot(image, "dashboard.png", backend)
