"""The wizard's other last pages: the demo restaurant (with its sign-in accounts), and joining a
database that already holds restaurants (another terminal set it up).

Threading: UI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from app.demo import DEMO_ACCOUNTS
from ui.setup.fields import SetupPage, hint


class DemoPage(SetupPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "The demo restaurant",
            "A busy Moscow brasserie with a floor plan, guests, bookings and Sofia's chats.",
            parent,
        )
        intro = QLabel("Finish loads it and signs you in as its administrator. The demo has "
                       "one account per role; note them to try the others:")  # fmt: skip
        intro.setWordWrap(True)
        accounts = QWidget()
        grid = QGridLayout(accounts)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(24)
        for column, title in enumerate(("Role", "E-mail", "Password")):
            label = QLabel(f"<b>{title}</b>")
            grid.addWidget(label, 0, column)
        for line, account in enumerate(DEMO_ACCOUNTS, start=1):
            cells = (account.role.value.capitalize(), account.email, account.password)
            for column, text in enumerate(cells):
                label = QLabel(text)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(label, line, column)
        grid.setColumnStretch(3, 1)
        accounts.setObjectName("demoAccounts")
        accounts.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(accounts)
        layout.addWidget(hint("The same accounts are printed by `main.py demo`."))
        layout.addStretch(1)
        layout.addWidget(self.status)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.wizard().finish_from(self))  # type: ignore[attr-defined]

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return -1


class JoinPage(SetupPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "This database is already in use",
            "Another terminal set it up: this computer joins it.",
            parent,
        )
        self.summary = QLabel()
        self.summary.setObjectName("setupNote")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(hint("Finish, then sign in with the account an administrator gave you."))
        layout.addStretch(1)
        layout.addWidget(self.status)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        page = self.wizard().database_page  # type: ignore[attr-defined]
        found = page.last_check
        names = ", ".join(found.restaurants) if found is not None else ""
        where = page.chosen().describe()
        self.summary.setText(f"The {where} already holds ToBeOut data for: {names}.")

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.wizard().finish_from(self))  # type: ignore[attr-defined]

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return -1
