"""The sign-in dialog: e-mail and password, the refusal shown in place, the account locked after
five wrong passwords (the rule lives in ``app.services.auth``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import ToBeOutError
from app.services.accounts import UserSummary
from app.services.auth import authenticate
from app.services.database import Database
from ui.tasks import TaskRunner


class LoginDialog(QDialog):
    signed_in = Signal(object)  # UserSummary

    def __init__(self, db: Database, *, restaurant_name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._tasks = TaskRunner(self, max_threads=1)
        self.user: UserSummary | None = None
        self.setWindowTitle("Sign in — ToBeOut Host Stand")
        self.setMinimumWidth(380)

        title = QLabel("ToBeOut Host Stand")
        title.setObjectName("loginTitle")
        subtitle = QLabel(restaurant_name or "Sign in to start the service")
        subtitle.setObjectName("loginSubtitle")
        self.email = QLineEdit()
        self.email.setPlaceholderText("you@restaurant.com")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("E-mail", self.email)
        form.addRow("Password", self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(subtitle, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _submit(self) -> None:
        self.buttons.setEnabled(False)
        self.error.hide()
        self._tasks.run(
            authenticate, self._db, self.email.text(), self.password.text(),
            on_done=self._accepted, on_error=self._refused,
        )  # fmt: skip

    def _accepted(self, user: UserSummary) -> None:
        self.user = user
        self.password.clear()
        self.signed_in.emit(user)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        message = exc.message if isinstance(exc, ToBeOutError) else "The database is not reachable."
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.password.setFocus()
