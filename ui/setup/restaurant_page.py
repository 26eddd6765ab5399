"""The wizard's restaurant page: name, address and time zone, or the demo restaurant instead.

Threading: UI thread only; the checks are pure (``check_restaurant_fields``).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.first_run import check_restaurant_fields
from ui.setup.fields import Field, SetupPage, hint, timezone_box

# Any valid hours: this page checks its own fields, the next page checks the hours.
_SOME_HOURS = {"mon": [["12:00", "13:00"]]}


class RestaurantPage(SetupPage):
    def __init__(self, *, hours_page: int, demo_page: int, parent: QWidget | None = None) -> None:
        super().__init__(
            "Your restaurant",
            "The name your hosts see, where it is, and the time zone its bookings are kept in.",
            parent,
        )
        self._next_ids = (hours_page, demo_page)
        self.own = QRadioButton("Set up my restaurant")
        self.demo = QRadioButton("Load the demo restaurant instead")
        group = QButtonGroup(self)
        group.addButton(self.own)
        group.addButton(self.demo)
        self.own.setChecked(True)

        self.name = QLineEdit()
        self.name.setPlaceholderText("Bistro Nord")
        self.address = QLineEdit()
        self.address.setPlaceholderText("Nevsky prospekt 1, St Petersburg")
        self.timezone = timezone_box()
        self.fields = {
            "name": Field(self.name),
            "address": Field(self.address, "Optional."),
            "timezone": Field(self.timezone, "Type part of a city to find it."),
        }
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(26, 0, 0, 0)
        form.addRow("Name", self.fields["name"])
        form.addRow("Address", self.fields["address"])
        form.addRow("Time zone", self.fields["timezone"])

        demo_hint = hint(
            "A busy Moscow brasserie with a floor plan, guests and four weeks of bookings, to "
            "try the app. Its sign-in accounts are shown on the next page."
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.own)
        layout.addWidget(self.form)
        layout.addSpacing(10)
        layout.addWidget(self.demo)
        indented = QVBoxLayout()
        indented.setContentsMargins(26, 0, 0, 0)
        indented.addWidget(demo_hint)
        layout.addLayout(indented)
        layout.addStretch(1)
        layout.addWidget(self.status)
        self.demo.toggled.connect(lambda on: self.form.setEnabled(not on))

    @property
    def wants_demo(self) -> bool:
        return self.demo.isChecked()

    def values(self) -> dict[str, str]:
        return {"name": self.name.text(), "address": self.address.text(),
                "timezone": self.timezone.currentText().strip()}  # fmt: skip

    def show_field_errors(self, errors: dict[str, str]) -> bool:
        shown = False
        for name, field in self.fields.items():
            field.show_error(errors.get(name, ""))
            shown = shown or name in errors
        return shown

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.wants_demo:
            return True
        errors = check_restaurant_fields(**self.values(), opening_hours=_SOME_HOURS)
        if self.show_field_errors(errors):
            first = next(n for n in self.fields if n in errors)
            self.fields[first].editor.setFocus()
            return False
        return True

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        hours_page, demo_page = self._next_ids
        return demo_page if self.wants_demo else hours_page
