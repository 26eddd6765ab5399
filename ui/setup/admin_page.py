"""The wizard's last page for a new restaurant: the first administrator's account.

Threading: UI thread only; the checks are pure (``check_admin_fields``). Finish hands over to
the wizard, which sets everything up on a worker.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from app.domain.passwords import MIN_PASSWORD_LENGTH
from app.services.first_run import check_admin_fields
from ui.setup.fields import Field, SetupPage


class AdminPage(SetupPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Your administrator account",
            "You sign in with it at this host stand; it can add the other accounts "
            "(managers, hosts) later.",
            parent,
        )
        self.name = QLineEdit()
        self.name.setPlaceholderText("Irina Petrova")
        self.email = QLineEdit()
        self.email.setPlaceholderText("you@restaurant.com")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields = {
            "admin_name": Field(self.name),
            "admin_email": Field(self.email, "Your sign-in name."),
            "admin_password": Field(self.password, f"At least {MIN_PASSWORD_LENGTH} characters; "
                                    "a few words are easy to remember and hard to guess."),
            "password_again": Field(self.again),
        }  # fmt: skip
        form = QFormLayout()
        form.addRow("Your name", self.fields["admin_name"])
        form.addRow("E-mail", self.fields["admin_email"])
        form.addRow("Password", self.fields["admin_password"])
        form.addRow("Password again", self.fields["password_again"])
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.status)

    def values(self) -> dict[str, str]:
        return {"admin_name": self.name.text(), "admin_email": self.email.text(),
                "admin_password": self.password.text()}  # fmt: skip

    def show_field_errors(self, errors: dict[str, str]) -> bool:
        shown = False
        for name, field in self.fields.items():
            field.show_error(errors.get(name, ""))
            shown = shown or name in errors
        if shown:
            first = next(n for n in self.fields if n in errors)
            self.fields[first].editor.setFocus()
        return shown

    def check(self) -> bool:
        """Every field right (shown beside the field when not)."""
        errors = check_admin_fields(**self.values())
        if "admin_password" not in errors and self.again.text() != self.password.text():
            errors["password_again"] = "The two passwords differ: type the same one twice."
        return not self.show_field_errors(errors)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        return self.check() and self.wizard().finish_from(self)  # type: ignore[attr-defined]

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return -1
