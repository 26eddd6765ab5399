"""Where the app keeps its files, in a source checkout and in a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "ToBeOut"


def project_root() -> Path:
    """The folder that holds ``migrations/`` and ``resources/`` (the bundle dir when frozen)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def migrations_dir() -> Path:
    return project_root() / "migrations"


def resources_dir() -> Path:
    return project_root() / "resources"


def data_dir() -> Path:
    """Per-user data folder (the SQLite file, backups, the secret key file)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False, ensure_exists=True)


def default_sqlite_path() -> Path:
    return data_dir() / "tobeout.sqlite3"


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False, ensure_exists=True)
