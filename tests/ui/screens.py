"""Screenshots for docs/: a blank-screen check, and saving when TOBEOUT_SCREENSHOTS=1."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QImage

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def distinct_colours(image: QImage) -> int:
    """Colours on a 7-px grid: a blank or unstyled screen has very few."""
    return len({image.pixel(x, y) for x in range(0, image.width(), 7)
                for y in range(0, image.height(), 7)})  # fmt: skip


def save_screenshot(image: QImage, name: str, backend: str) -> None:
    """Write ``docs/screenshots/<name>`` when asked (once per run: the SQLite pass)."""
    if os.environ.get("TOBEOUT_SCREENSHOTS") == "1" and backend == "sqlite":
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert image.save(str(SHOTS / name))
