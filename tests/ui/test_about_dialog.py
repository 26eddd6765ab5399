"""Help ▸ About: the version, where the database, the log and the data live (selectable, with
folders that open), the runtime versions, and never a database password."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

import ui.shell.about_dialog as about
from app import __version__
from app.db.engine import create_db_engine
from app.services.database import Database
from tests.ui.screens import distinct_colours, save_screenshot
from ui.shell.about_dialog import AboutDialog

PASSWORD = "Hunter2-secret"


def all_text(dialog: AboutDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def make_dialog(qtbot: QtBot, tmp_path: Path, description: str) -> AboutDialog:
    dialog = AboutDialog(
        None,
        database_description=description,
        log_path=tmp_path / "log" / "tobeout.log",
        data_path=tmp_path / "data",
    )
    qtbot.addWidget(dialog)
    return dialog


def test_shows_version_locations_and_runtime(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, tmp_path, f"local file {tmp_path / 'data' / 'tobeout.sqlite3'}")
    dialog.show()
    text = all_text(dialog)
    assert "ToBeOut Host Stand" in text and f"Version {__version__}" in text
    assert dialog.database_label.text() == f"local file {tmp_path / 'data' / 'tobeout.sqlite3'}"
    assert dialog.log_label.text() == str(tmp_path / "log" / "tobeout.log")
    assert dialog.data_label.text() == str(tmp_path / "data")
    versions = dialog.versions_label.text()
    assert f"Python {platform.python_version()}" in versions
    assert f"Qt {qVersion()}" in versions and f"PySide6 {pyside_version}" in versions
    for label in (dialog.database_label, dialog.log_label, dialog.data_label):
        assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


def test_no_password_is_shown_for_a_server_database(qtbot: QtBot, tmp_path: Path) -> None:
    url = f"postgresql+psycopg://host_stand:{PASSWORD}@db.example:5433/tobeout"
    db = Database.from_engine(create_db_engine(url))  # never connects
    try:
        dialog = make_dialog(qtbot, tmp_path, db.describe())
    finally:
        db.close()
    assert dialog.database_label.text() == "PostgreSQL server db.example:5433/tobeout"
    assert PASSWORD not in all_text(dialog) and PASSWORD not in dialog.details()
    # Even a caller that passes the raw URL by mistake shows no password.
    raw = make_dialog(qtbot, tmp_path, url)
    assert raw.database_label.text() == (
        "postgresql+psycopg://host_stand:***@db.example:5433/tobeout"
    )
    assert PASSWORD not in all_text(raw) and PASSWORD not in raw.details()


def test_open_folder_buttons_open_the_log_and_data_folders(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []

    class FakeDesktop:
        @staticmethod
        def openUrl(url: QUrl) -> bool:  # noqa: N802 - Qt's name
            opened.append(url)
            return True

    monkeypatch.setattr(about, "QDesktopServices", FakeDesktop)
    dialog = make_dialog(qtbot, tmp_path, "local file x.sqlite3")
    qtbot.mouseClick(dialog.open_log_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.open_data_button, Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened] == [
        str(tmp_path / "log"), str(tmp_path / "data"),
    ]  # fmt: skip


def test_copy_details_and_a_missing_log_file(
    qtbot: QtBot, tmp_path: Path, qapp: QApplication
) -> None:
    dialog = AboutDialog(
        database_description="local file /srv/tobeout.sqlite3",
        log_path=None,
        data_path=tmp_path,
    )
    qtbot.addWidget(dialog)
    assert not dialog.open_log_button.isEnabled()
    assert dialog.log_label.text() == "not written (no log folder available)"
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = qapp.clipboard().text()
    assert copied.startswith(f"ToBeOut Host Stand {__version__}\n")
    assert "Database: local file /srv/tobeout.sqlite3" in copied
    assert f"Data folder: {tmp_path}" in copied and "Running on: Python " in copied


def test_screenshot(qtbot: QtBot, styled: None) -> None:
    home = Path("/home/host")
    dialog = AboutDialog(
        database_description=f"local file {home}/.local/share/ToBeOut/tobeout.sqlite3",
        log_path=home / ".local/state/ToBeOut/log/tobeout.log",
        data_path=home / ".local/share/ToBeOut",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    image = dialog.grab().toImage()
    assert distinct_colours(image) > 8
    save_screenshot(image, "about.png", "sqlite")
