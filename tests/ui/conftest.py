"""Fixtures every UI test may use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from ui.application import host_stand_style


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[None]:
    """The app's own style sheet, as the desktop app loads it, for the duration of a test."""
    before = qapp.styleSheet()
    qapp.setStyleSheet(host_stand_style())
    yield
    qapp.setStyleSheet(before)
