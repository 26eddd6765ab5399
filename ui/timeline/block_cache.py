"""Pictures of reservation blocks, so a repaint (scrolling, a drag, the "now" tick) blits a
pixmap per block instead of laying out its text, badges and glyphs again.

A picture is keyed by everything it shows: the reservation (a frozen view, so a changed booking
is a new key), the times shown, the block's size and sub-pixel offset, its look and the screen's
pixel ratio. Stale pictures are never looked up again; the cache is emptied when it grows past
``LIMIT`` pictures.

Threading contract: UI thread only.
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap

from app.services.reservation_views import ReservationView
from ui.timeline.blocks import BlockLook, Fonts, paint_block

LIMIT = 4000


class BlockCache:
    def __init__(self) -> None:
        self._pictures: dict[tuple[object, ...], QPixmap] = {}

    def __len__(self) -> int:
        return len(self._pictures)

    def clear(self) -> None:
        self._pictures.clear()

    def draw(
        self,
        painter: QPainter,
        rect: QRectF,
        reservation: ReservationView,
        zone: ZoneInfo,
        fonts: Fonts,
        look: BlockLook,
        start: dt.datetime,
        end: dt.datetime,
    ) -> None:
        """``paint_block(painter, rect, …)``, from a picture made the first time."""
        left, top = math.floor(rect.left()), math.floor(rect.top())
        dx, dy = round(rect.left() - left, 2), round(rect.top() - top, 2)
        width, height = round(rect.width(), 2), round(rect.height(), 2)
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        key = (reservation, start, end, width, height, dx, dy, look, ratio, id(fonts), str(zone))
        picture = self._pictures.get(key)
        if picture is None:
            if len(self._pictures) >= LIMIT:
                self._pictures.clear()
            picture = QPixmap(math.ceil((dx + width + 1) * ratio),
                              math.ceil((dy + height + 1) * ratio))  # fmt: skip
            picture.setDevicePixelRatio(ratio)
            picture.fill(Qt.GlobalColor.transparent)
            inner = QPainter(picture)
            try:
                inner.setFont(painter.font())
                paint_block(inner, QRectF(dx, dy, width, height), reservation, zone, fonts, look,
                            start=start, end=end)  # fmt: skip
            finally:
                inner.end()
            self._pictures[key] = picture
        painter.drawPixmap(QPointF(left, top), picture)
