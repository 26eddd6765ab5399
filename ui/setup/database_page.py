"""The wizard's first page: this computer's own database file, or a PostgreSQL server.

"Test connection" (and Next) check the choice on a worker thread: the window never waits on
the network. Next moves on only once the check for exactly these settings passed; a database
that already holds restaurants leads to the "join" page instead of a new restaurant.

Threading: UI thread only; ``inspect_database`` runs on the wizard's ``TaskRunner``.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import InvalidInput
from app.services.first_run import DatabaseChoice, Problem, ServerCheck, inspect_database
from ui.errors import error_text
from ui.setup.fields import Field, SetupPage, hint
from ui.tasks import TaskRunner

FOCUS_ON = {Problem.UNREACHABLE: "host", Problem.AUTHENTICATION: "password",
            Problem.NO_DATABASE: "database"}  # fmt: skip


class DatabasePage(SetupPage):
    def __init__(
        self,
        tasks: TaskRunner,
        *,
        choice: DatabaseChoice | None = None,
        problem: str | None = None,
        restaurant_page: int,
        join_page: int,
    ) -> None:
        super().__init__(
            "Welcome to ToBeOut Host Stand",
            "First: where should this computer keep the restaurant's bookings, floor plan and "
            "guests?",
        )
        self._tasks = tasks
        self._next_ids = (restaurant_page, join_page)
        self.last_check: ServerCheck | None = None
        self._checked_for: DatabaseChoice | None = None
        self._busy = False
        self._advance_when_checked = False

        self.problem = QLabel(problem or "")
        self.problem.setObjectName("formError")
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(problem))

        self.local = QRadioButton("This computer — a database file kept here")
        self.server = QRadioButton("A PostgreSQL server — several terminals share the bookings")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.server)
        self.local_hint = hint(
            "Best for a single host stand. The file is "
            f"{DatabaseChoice.local().sqlite_path()} and is backed up before every upgrade."
        )

        self.host = QLineEdit()
        self.host.setPlaceholderText("db.restaurant.lan or 192.168.1.10")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.port.setFixedWidth(100)
        self.database = QLineEdit("tobeout")
        self.user = QLineEdit()
        self.user.setPlaceholderText("tobeout")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields = {
            "host": Field(self.host), "port": Field(self.port, narrow=True),
            "database": Field(self.database), "user": Field(self.user),
            "password": Field(self.password, "Stored encrypted on this computer."),
        }  # fmt: skip
        form = QFormLayout()
        for label, name in (("Host", "host"), ("Port", "port"), ("Database", "database"),
                            ("User", "user"), ("Password", "password")):  # fmt: skip
            form.addRow(label, self.fields[name])
        self.server_box = QWidget()
        box_layout = QVBoxLayout(self.server_box)
        box_layout.setContentsMargins(26, 0, 0, 0)
        box_layout.addLayout(form)
        box_layout.addWidget(hint(
            "PostgreSQL 13 or newer: a new database owned by this user, or the one your other "
            "terminals already use."
        ))  # fmt: skip

        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        tests = QHBoxLayout()
        tests.addWidget(self.test_button)
        tests.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(self.local)
        indented = QHBoxLayout()
        indented.setContentsMargins(26, 0, 0, 6)
        indented.addWidget(self.local_hint)
        layout.addLayout(indented)
        layout.addWidget(self.server)
        layout.addWidget(self.server_box)
        layout.addLayout(tests)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self._prefill(choice)
        self.local.toggled.connect(self._kind_changed)
        for edit in (self.host, self.database, self.user, self.password):
            edit.textChanged.connect(self._settings_changed)
        self.port.valueChanged.connect(self._settings_changed)
        self._kind_changed()

    def _prefill(self, choice: DatabaseChoice | None) -> None:
        if choice is None or choice.is_local:
            self.local.setChecked(True)
            return
        self.server.setChecked(True)
        self.host.setText(choice.host)
        self.port.setValue(choice.port)
        self.database.setText(choice.database)
        self.user.setText(choice.user)
        self.password.setText(choice.password.reveal() if choice.password else "")

    # -- the choice --------------------------------------------------------------------------

    def choice(self) -> DatabaseChoice | None:
        """The settings as a choice; None (with the field's error shown) when one is wrong."""
        for field in self.fields.values():
            field.clear_error()
        if self.local.isChecked():
            return DatabaseChoice.local()
        try:
            return DatabaseChoice.postgresql(
                host=self.host.text(), port=self.port.value(), database=self.database.text(),
                user=self.user.text(), password=self.password.text(),
            )  # fmt: skip
        except InvalidInput as exc:
            name = exc.message.split(":", 1)[0].strip().lower()
            field = self.fields.get(name)
            if field is None:
                self.status.show_state("error", exc.message)
            else:
                field.show_error(exc.message.split(":", 1)[1].strip())
                field.editor.setFocus()
            return None

    def _kind_changed(self) -> None:
        self.server_box.setEnabled(self.server.isChecked())
        self.test_button.setText("Check the file" if self.local.isChecked() else "Test connection")
        self._settings_changed()

    def _settings_changed(self) -> None:
        self.last_check = None
        self._checked_for = None
        if not self._busy:
            self.status.show_state("", "")

    # -- checking ----------------------------------------------------------------------------

    def test_connection(self) -> None:
        self._check(advance=False)

    def _check(self, *, advance: bool) -> None:
        self._advance_when_checked = self._advance_when_checked or advance
        if self._busy:
            return
        choice = self.choice()
        if choice is None:
            self._advance_when_checked = False
            return
        self._busy = True
        self.test_button.setEnabled(False)
        where = "the file" if choice.is_local else f"{choice.host}:{choice.port}"
        self.status.show_state("busy", f"Checking {where}…")
        self._tasks.run(
            inspect_database, choice,
            on_done=lambda found: self._checked(choice, found),
            on_error=self._check_failed,
        )  # fmt: skip

    def _checked(self, choice: DatabaseChoice, found: ServerCheck) -> None:
        self._busy = False
        self.test_button.setEnabled(True)
        advance, self._advance_when_checked = self._advance_when_checked, False
        current = self.choice()
        if current != choice:  # edited while the check ran: it says nothing about these
            self.status.show_state("", "")
            return
        self.last_check, self._checked_for = found, choice
        if not found.ok:
            self.status.show_state("error", found.message)
            focus = FOCUS_ON.get(found.problem)  # type: ignore[arg-type]
            if focus and not choice.is_local:
                self.fields[focus].editor.setFocus()
            return
        self.status.show_state("ok", "✓ " + found.message)
        if advance and self.wizard() is not None:
            self.wizard().next()

    def _check_failed(self, exc: Exception) -> None:
        self._busy = False
        self._advance_when_checked = False
        self.test_button.setEnabled(True)
        self.status.show_state("error", error_text(exc))

    # -- QWizardPage -------------------------------------------------------------------------

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        choice = self.choice()
        if choice is None:
            return False
        if self.last_check is not None and self.last_check.ok and self._checked_for == choice:
            return True
        self._check(advance=True)
        return False

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        restaurant_page, join_page = self._next_ids
        if self.last_check is not None and self.last_check.restaurants:
            return join_page
        return restaurant_page

    def chosen(self) -> DatabaseChoice:
        """The checked choice (only after the page was validated)."""
        assert self._checked_for is not None
        return self._checked_for
