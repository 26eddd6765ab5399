"""The first-run wizard: database → restaurant → opening hours → administrator → Finish.

Branches: "Load the demo restaurant instead" goes from the restaurant page to the demo page; a
chosen database that already holds restaurants goes to the join page (sign in afterwards).
With a database fixed on the command line the database page is left out.

Finish runs ``finish_setup`` on a worker (open or create and migrate the database, the
restaurant and admin in one unit of work or the demo, remember the choice); meanwhile the
buttons are disabled and the page says what is happening. ``outcome`` then holds the open
database and the signed-in user; a failure is shown on the page (bad fields beside them) and
nothing is kept.

Threading: UI thread only; every blocking call runs on the wizard's ``TaskRunner``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget, QWizard

from app.paths import resources_dir
from app.services.database import Database
from app.services.first_run import DatabaseChoice, FieldErrors, SetupDone, finish_setup
from ui.errors import error_text
from ui.setup.admin_page import AdminPage
from ui.setup.database_page import DatabasePage
from ui.setup.fields import SetupPage, setup_style
from ui.setup.final_pages import DemoPage, JoinPage
from ui.setup.hours_editor import HoursPage
from ui.setup.restaurant_page import RestaurantPage
from ui.tasks import TaskRunner

DATABASE, RESTAURANT, HOURS, ADMIN, DEMO, JOIN = range(6)


class SetupWizard(QWizard):
    def __init__(
        self,
        *,
        choice: DatabaseChoice | None = None,
        problem: str | None = None,
        fixed: Database | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.outcome: SetupDone | None = None
        self._fixed = fixed
        self._finishing = False
        self._tasks = TaskRunner(self, max_threads=1)
        self.setWindowTitle("Set up ToBeOut Host Stand")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setStyleSheet(setup_style())
        self.setMinimumSize(860, 660)
        logo = resources_dir() / "icons" / "tobeout.svg"
        if logo.exists():
            self.setPixmap(QWizard.WizardPixmap.LogoPixmap, QIcon(str(logo)).pixmap(48, 48))

        self.database_page = DatabasePage(self._tasks, choice=choice, problem=problem,
                                          restaurant_page=RESTAURANT, join_page=JOIN)  # fmt: skip
        self.restaurant_page = RestaurantPage(hours_page=HOURS, demo_page=DEMO)
        self.hours_page = HoursPage(admin_page=ADMIN)
        self.admin_page = AdminPage()
        self.demo_page = DemoPage()
        self.join_page = JoinPage()
        if fixed is None:
            self.setPage(DATABASE, self.database_page)
        else:
            self.database_page.setParent(self)
            self.database_page.hide()
            if problem:
                self.restaurant_page.status.show_state("error", problem)
        for page_id, page in ((RESTAURANT, self.restaurant_page), (HOURS, self.hours_page),
                              (ADMIN, self.admin_page), (DEMO, self.demo_page),
                              (JOIN, self.join_page)):  # fmt: skip
            self.setPage(page_id, page)
        self.setStartId(DATABASE if fixed is None else RESTAURANT)

    # -- Finish ------------------------------------------------------------------------------

    def finish_from(self, page: SetupPage) -> bool:
        """Called by a last page's ``validatePage``: True once everything is set up; until
        then the set-up runs in the background and Finish is pressed again when it is done."""
        if self.outcome is not None:
            return True
        if self._finishing:
            return False
        target: DatabaseChoice | Database = self._fixed or self.database_page.chosen()
        restaurant: dict[str, Any] | None = None
        if page is self.admin_page:
            restaurant = {**self.restaurant_page.values(),
                          "opening_hours": self.hours_page.editor.hours(),
                          **self.admin_page.values()}  # fmt: skip
            busy = "Creating the database, your restaurant and your account…"
        elif page is self.demo_page:
            busy = "Loading the demo restaurant (a few seconds)…"
        else:
            busy = "Opening the database…"
        self._set_finishing(True)
        page.status.show_state("busy", busy)
        self._tasks.run(
            finish_setup, target, restaurant=restaurant, demo=page is self.demo_page,
            on_done=self._set_up, on_error=lambda exc: self._failed(page, exc),
        )  # fmt: skip
        return False

    def _set_up(self, outcome: SetupDone) -> None:
        self.outcome = outcome
        self._set_finishing(False)
        self.accept()

    def _failed(self, page: SetupPage, exc: Exception) -> None:
        self._set_finishing(False)
        if isinstance(exc, FieldErrors):
            for other in (self.restaurant_page, self.hours_page, self.admin_page):
                other.show_field_errors(exc.errors)
        page.status.show_state("error", error_text(exc))

    def _set_finishing(self, finishing: bool) -> None:
        self._finishing = finishing
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton,
                      QWizard.WizardButton.CancelButton):  # fmt: skip
            self.button(which).setEnabled(not finishing)

    @property
    def finishing(self) -> bool:
        return self._finishing

    @property
    def fixed_database(self) -> Database | None:
        """The database given on the command line, when the wizard has no database page."""
        return self._fixed

    def reject(self) -> None:
        if not self._finishing:  # a half-made database is never left behind by a Cancel
            super().reject()

    def done(self, result: int) -> None:
        super().done(result)
        if not self.isVisible():
            self._tasks.shutdown()
