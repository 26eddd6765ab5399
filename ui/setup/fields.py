"""Form pieces the set-up pages share: an input with its own error line, page status, style,
and the time-zone picker (the restaurant settings screen uses it too).

Layout only; no service calls.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QVBoxLayout, QWidget, QWizardPage

from app.paths import resources_dir
from app.services.first_run import DEFAULT_TIMEZONE, timezone_choices

# Added to the app's style sheet by the wizard: inline errors, check results, and time boxes
# drawn like the app's spin boxes (the shared sheet has none of these).
SETUP_STYLE = """
QLabel#fieldError { color: #b3261e; }
QLabel#fieldHint { color: #5b6478; }
QLabel#checkResult { border-radius: 6px; padding: 8px; }
QLabel#checkResult[state="ok"] { color: #1b7f3b; background: #e8f5ec; }
QLabel#checkResult[state="error"] { color: #b3261e; background: #fdecea; }
QLabel#checkResult[state="busy"] { color: #5b6478; background: #eef2fb; }
QLabel#setupNote { background: #eef2fb; border-radius: 6px; padding: 10px; }
QWidget#demoAccounts { background: #ffffff; border: 1px solid #dde2ec; border-radius: 6px; }
QTimeEdit { background: #ffffff; border: 1px solid #c9d1e0; border-radius: 6px;
            padding: 4px 20px 4px 6px; }
QTimeEdit:focus { border: 1px solid #3056d3; }
QTimeEdit:disabled, QLineEdit:disabled, QComboBox:disabled, QSpinBox:disabled {
    color: #9aa3b5; background: #f1f3f7; }
QTimeEdit::up-button { subcontrol-origin: border; subcontrol-position: top right; width: 18px;
                       border: none; }
QTimeEdit::down-button { subcontrol-origin: border; subcontrol-position: bottom right;
                         width: 18px; border: none; }
QTimeEdit::up-arrow { image: url(@ICONS@/chevron-up.svg); width: 10px; height: 10px; }
QTimeEdit::down-arrow { image: url(@ICONS@/chevron-down.svg); width: 10px; height: 10px; }
"""


def setup_style() -> str:
    return SETUP_STYLE.replace("@ICONS@", (resources_dir() / "icons").as_posix())


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("fieldHint")
    label.setWordWrap(True)
    return label


def timezone_box() -> QComboBox:
    """An editable list of IANA zones; typing any part ("mosc", "york") narrows it."""
    box = QComboBox()
    box.setEditable(True)
    box.addItems(timezone_choices())
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.setMaxVisibleItems(15)
    completer = QCompleter(box.model(), box)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    box.setCompleter(completer)
    box.setCurrentText(DEFAULT_TIMEZONE)
    return box


def set_timezone(box: QComboBox, zone: str) -> None:
    """Show ``zone``: its row when the list has it, else the typed text (an older stored name)."""
    index = box.findText(zone)
    if index >= 0:
        box.setCurrentIndex(index)
    box.setEditText(zone)


class Field(QWidget):
    """An input with a hint and an error line under it; a hidden line takes no room."""

    def __init__(
        self,
        editor: QWidget,
        hint_text: str = "",
        *,
        narrow: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if narrow:
            layout.addWidget(editor, alignment=Qt.AlignmentFlag.AlignLeft)
        else:
            layout.addWidget(editor)
        if hint_text:
            layout.addWidget(hint(hint_text))
        layout.addWidget(self.error)
        # Editing a field takes its error away: it was about the old value.
        for signal in ("textChanged", "editTextChanged", "valueChanged"):
            if hasattr(editor, signal):
                getattr(editor, signal).connect(self.clear_error)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def clear_error(self) -> None:
        self.show_error("")


class StatusLabel(QLabel):
    """One line saying how a check or the set-up went: busy, ok or error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkResult")
        self.setWordWrap(True)
        self.hide()

    def show_state(self, state: str, text: str) -> None:
        self.setProperty("state", state)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.setVisible(bool(text))


class SetupPage(QWizardPage):
    """A page with a status line at its foot (the wizard reports Finish's progress there)."""

    def __init__(self, title: str, subtitle: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.status = StatusLabel()

    def show_field_errors(self, errors: dict[str, str]) -> bool:
        """Show the errors of this page's fields; True when one of them had an error."""
        return False
