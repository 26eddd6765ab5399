"""What the desktop app shows first: the host stand's database, or the set-up wizard.

``prepare(database_url)`` follows ``app.services.first_run.plan_start``:

- a database given with ``--database-url`` / ``TOBEOUT_DATABASE_URL``: opened; when it cannot
  be opened the app says why and exits; when it has no restaurant the wizard sets one up in it
  (no database page: the choice was made on the command line);
- the database chosen on this computer (or, before any choice, an existing local file): opened;
  when it cannot be opened the host may retry, choose the database again, or quit; when it has
  no restaurant, the wizard;
- nothing chosen yet, or a damaged settings file (its message shown on the first page): the
  wizard.

It returns ``Ready`` (an open database; ``user`` None means the sign-in dialog comes next), a
``SetupWizard`` to run, or an exit status. ``ready_from(wizard)`` turns a finished wizard into
``Ready``.

Threading: UI thread. Opening a database here (migrating it when needed) happens before any
window is shown, as the app always has; the wizard's own checks and Finish run on workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import ToBeOutError
from app.services.accounts import UserSummary
from app.services.database import Database, connect
from app.services.first_run import needs_setup, plan_start
from ui.setup.setup_wizard import SetupWizard

TITLE = "ToBeOut Host Stand"


@dataclass
class Ready:
    db: Database
    user: UserSummary | None  # signed in by the wizard; None: the sign-in dialog asks


def prepare(database_url: str | None, parent: QWidget | None = None) -> Ready | SetupWizard | int:
    plan = plan_start(database_url)
    problem = plan.problem
    db: Database | None = None
    while plan.url is not None:
        try:
            db = connect(plan.url)
            break
        except ToBeOutError as exc:
            if plan.explicit:
                QMessageBox.critical(parent, TITLE, exc.message)
                return exc.exit_code
            answer = _ask_after_failure(parent, exc.message)
            if answer is QMessageBox.StandardButton.Retry:
                continue
            if answer is not QMessageBox.StandardButton.Reset:
                return exc.exit_code
            problem = exc.message
            break
    if db is not None:
        try:
            empty = needs_setup(db)
        except ToBeOutError as exc:
            db.close()
            QMessageBox.critical(parent, TITLE, exc.message)
            return exc.exit_code
        if not empty:
            return Ready(db, None)
        if plan.explicit:
            return SetupWizard(fixed=db, parent=parent)
        db.close()  # the wizard opens the database it chooses (maybe this one) itself
    return SetupWizard(choice=plan.choice, problem=problem, parent=parent)


def _ask_after_failure(parent: QWidget | None, message: str) -> QMessageBox.StandardButton:
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE, message, parent=parent)
    box.setInformativeText(
        "Retry when the server is back, or choose the database again (your restaurant's data "
        "stays where it is)."
    )
    box.setStandardButtons(
        QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Reset
        | QMessageBox.StandardButton.Close
    )  # fmt: skip
    box.button(QMessageBox.StandardButton.Reset).setText("Choose the database…")
    box.setDefaultButton(QMessageBox.StandardButton.Retry)
    return QMessageBox.StandardButton(box.exec())


def ready_from(wizard: SetupWizard) -> Ready | None:
    """The finished wizard's database and user; None when it was cancelled."""
    if wizard.result() != SetupWizard.DialogCode.Accepted or wizard.outcome is None:
        if wizard.fixed_database is not None:
            wizard.fixed_database.close()
        return None
    return Ready(wizard.outcome.db, wizard.outcome.user)
