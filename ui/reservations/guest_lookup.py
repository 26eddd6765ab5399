"""Find the guest as the host types: a debounced ``find_guests`` query feeding a popup completer
that shows name, phone, visits, VIP tier and allergies.

Threading contract: created and used on the UI thread; the query runs through
``context.tasks`` and only the newest answer is shown.
"""

from __future__ import annotations

import phonenumbers
from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from app.services.guest_views import GuestSummary, find_guests
from ui.host_context import HostContext
from ui.reservations.badges import (
    ALLERGY_BG,
    ALLERGY_FG,
    VIP_COLOUR,
    VIP_LABELS,
    allergy_text,
    paint_pill,
)
from ui.reservations.callbacks import run_for

LOOKUP_DELAY_MS = 250
GUEST_ROLE = Qt.ItemDataRole.UserRole + 10
AnyIndex = QModelIndex | QPersistentModelIndex


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def pretty_phone(phone: str) -> str:
    """+79161234567 → +7 916 123-45-67 (as the phone library writes it), else as given."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def same_phone(typed: str, phone: str) -> bool:
    """Whether the host has typed the whole of ``phone`` (8 916… and +7 916… are the same)."""
    typed_digits, known = digits_of(typed), digits_of(phone)
    return len(typed_digits) >= 10 and typed_digits[-10:] == known[-10:]


def guest_line(guest: GuestSummary) -> str:
    visits = "no visits yet" if not guest.visit_count else (
        "1 visit" if guest.visit_count == 1 else f"{guest.visit_count} visits"
    )  # fmt: skip
    parts = [pretty_phone(guest.phone), visits]
    if guest.vip_status:
        parts.append(f"VIP {VIP_LABELS[guest.vip_status]}")
    if guest.blacklisted:
        parts.append("BLOCKED")
    return " · ".join(parts)


class GuestPopupDelegate(QStyledItemDelegate):
    """Two lines per guest: ★ name and a red allergy pill, then phone · visits · tier."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        guest = index.data(GUEST_ROLE)
        base = QStyleOptionViewItem(option)
        self.initStyleOption(base, index)
        base.text = ""
        if base.widget is not None:
            base.widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter,
                                            base.widget)  # fmt: skip
        if not isinstance(guest, GuestSummary):
            return
        rect = QRectF(option.rect).adjusted(10, 4, -10, -4)
        top = QRectF(rect.left(), rect.top(), rect.width(), rect.height() / 2)
        bottom = QRectF(rect.left(), rect.center().y(), rect.width(), rect.height() / 2)
        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        left = top.left()
        if guest.vip_status:
            painter.setPen(QColor(VIP_COLOUR))
            painter.setFont(bold)
            painter.drawText(top, Qt.AlignmentFlag.AlignVCenter, "★")
            left += metrics.horizontalAdvance("★ ")
        painter.setPen(QColor("#b3261e") if guest.blacklisted else QColor("#1f2633"))
        painter.setFont(bold)
        name_rect = QRectF(left, top.top(), top.right() - left, top.height())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter, guest.name)
        if guest.allergies:
            pill_left = left + metrics.horizontalAdvance(guest.name) + 8
            paint_pill(painter, QRectF(pill_left, top.top(), top.right() - pill_left, top.height()),
                       f"⚠ {allergy_text(guest.allergies)}", ALLERGY_BG, ALLERGY_FG,
                       point_size=8.0)  # fmt: skip
        painter.setFont(option.font)
        painter.setPen(QColor("#5b6478"))
        painter.drawText(bottom, Qt.AlignmentFlag.AlignVCenter, guest_line(guest))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        return QSize(240, 2 * QFontMetrics(option.font).height() + 16)


class GuestLookup(QObject):
    """Attach to a line edit; emits ``guest_picked`` when the host chooses a suggestion.

    With ``match_phone`` a typed number that is exactly a known guest's phone picks that guest
    without the popup (the host read the whole number out).
    """

    guest_picked = Signal(object)  # GuestSummary
    results_arrived = Signal(list)  # list[GuestSummary]

    def __init__(
        self, context: HostContext, edit: QLineEdit, *, match_phone: bool = False,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent or edit)
        self.context = context
        self.edit = edit
        self.match_phone = match_phone
        self.enabled = True
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(7)
        self.completer.setWidget(edit)
        popup = self.completer.popup()
        popup.setItemDelegate(GuestPopupDelegate(popup))
        popup.setMinimumWidth(420)
        self.completer.activated[QModelIndex].connect(self._activated)
        self._generation = 0
        self._timer = QTimer(self, singleShot=True, interval=LOOKUP_DELAY_MS)
        self._timer.timeout.connect(self._look_up)
        edit.textEdited.connect(lambda _text: self._timer.start())

    @property
    def popup_visible(self) -> bool:
        return self.completer.popup().isVisible()

    def guests(self) -> list[GuestSummary]:
        return [self.model.item(row).data(GUEST_ROLE) for row in range(self.model.rowCount())]

    def hide(self) -> None:
        self._timer.stop()
        self._generation += 1
        self.completer.popup().hide()

    def _look_up(self) -> None:
        self._generation += 1
        generation = self._generation
        text = self.edit.text()
        if not self.enabled or len(text.strip()) < 2:
            self.model.clear()
            self.completer.popup().hide()
            return
        run_for(
            self,
            self.context.tasks,
            find_guests,
            self.context.db,
            self.context.restaurant_id,
            self.query_for(text),
            on_done=lambda guests: self._arrived(generation, text, guests),
            on_error=lambda _exc: None,  # a failed suggestion is no suggestion
        )

    def query_for(self, text: str) -> str:
        """What to ask for: a typed phone is matched on its national digits (8 916… → 916…)."""
        digits = digits_of(text)
        if not self.match_phone or len(digits) < 4:
            return text
        if len(digits) >= 10:
            return digits[-10:]
        if digits.startswith("8") and not text.strip().startswith("+"):
            return digits[1:]  # the Russian trunk prefix: stored numbers start +7
        return text

    def _arrived(self, generation: int, text: str, guests: list[GuestSummary]) -> None:
        if generation != self._generation or self.edit.text() != text:
            return
        self.model.clear()
        for guest in guests:
            item = QStandardItem(guest.name)
            item.setData(guest, GUEST_ROLE)
            item.setToolTip(guest_line(guest))
            self.model.appendRow(item)
        self.results_arrived.emit(guests)
        exact = [g for g in guests if self.match_phone and same_phone(text, g.phone)]
        if len(exact) == 1:
            self.completer.popup().hide()
            self.guest_picked.emit(exact[0])
            return
        if guests and self.edit.hasFocus():  # typing moved on to another field: no popup
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def _activated(self, index: QModelIndex) -> None:
        guest = index.data(GUEST_ROLE)
        if isinstance(guest, GuestSummary):
            self.completer.popup().hide()
            self.guest_picked.emit(guest)
