"""The installed Qt binding survives an evening of painting (PySide6 6.12.0 on Python 3.11
loses a reference to None on every void call and aborts the interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys

PAINT_AN_EVENING = """
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
app = QGuiApplication([])
image = QImage(64, 64, QImage.Format.Format_ARGB32)
painter = QPainter(image)
colour = QColor(10, 20, 30)
for _ in range(400_000):
    painter.setPen(colour)  # a void call: returns None
painter.end()
print("painted")
"""


def test_void_calls_do_not_wear_out_none() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", PAINT_AN_EVENING], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "painted"
