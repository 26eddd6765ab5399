"""``main.py --self-check`` from the source tree: every check passes on a working checkout, a
missing piece fails with a line saying what, and ``--database-url`` only reads."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import inspect

from app import self_check as core
from app.db.engine import create_db_engine
from app.db.schema import head_revision
from ui.self_check import run_self_check

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def keep_app_style(qapp: QApplication) -> Iterator[None]:
    """The self-check styles the shared QApplication; later tests expect it unstyled."""
    style = qapp.styleSheet()
    yield
    qapp.setStyleSheet(style)


def source_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # no display: the self-check must choose offscreen itself
    env["HOME"] = str(tmp_path / "home")
    return env


@pytest.mark.slow
def test_the_self_check_passes_from_source(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "--self-check"],
        cwd=ROOT, env=source_env(tmp_path), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert all(line.startswith("ok ") for line in lines[:-1]), result.stdout
    assert lines[-1] == f"self-check passed: {len(lines) - 1} checks"
    assert f"ok database migrated to {head_revision()} (new file " in result.stdout
    assert "platform offscreen" in result.stdout
    assert "ok host-stand window drawn (1366x768" in result.stdout
    assert "ok closed cleanly" in result.stdout
    # The user's own data folder is not touched; the run is in the log file.
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "ToBeOut" / "tobeout.sqlite3").exists()
    log = Path(os.environ["XDG_STATE_HOME"]) / "ToBeOut" / "log" / "tobeout.log"
    assert ": self-check (Python" in log.read_text(encoding="utf-8")


def test_missing_migrations_fail_with_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep_app_style: None
) -> None:
    monkeypatch.setattr(core, "migrations_dir", lambda: tmp_path / "nowhere")
    out = io.StringIO()
    assert run_self_check(out=out) == 1
    assert out.getvalue() == f"FAILED files: no Alembic migrations in {tmp_path / 'nowhere'}\n"


def test_a_blank_window_fails_the_check(
    monkeypatch: pytest.MonkeyPatch, keep_app_style: None
) -> None:
    import ui.self_check as check

    monkeypatch.setattr(check, "MIN_COLOURS", 100_000)
    out = io.StringIO()
    assert run_self_check(out=out) == 1
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("FAILED host-stand window: the window looks blank (")
    assert any(line.startswith("ok database migrated to ") for line in lines)
    assert any(line.startswith("ok demo restaurant ") for line in lines)


def test_an_unreachable_database_url_fails_before_anything_else(
    tmp_path: Path, keep_app_style: None
) -> None:
    out = io.StringIO()
    assert run_self_check(f"sqlite:///{tmp_path / 'missing.sqlite3'}", out=out) == 1
    assert out.getvalue().splitlines()[-1] == (
        f"FAILED database connection: local file {tmp_path / 'missing.sqlite3'}: "
        "there is no such file"
    )
    assert not (tmp_path / "missing.sqlite3").exists()


def test_probing_a_database_reads_its_schema(database_url: str) -> None:
    line = core.probe_database(database_url)
    assert "reachable (read only)" in line and f"at schema {head_revision()}" in line


def test_probing_an_empty_database_writes_nothing(
    empty_database_url: str, backend: str, tmp_path: Path
) -> None:
    if backend == "sqlite":
        sqlite3.connect(tmp_path / "empty.sqlite3").close()  # an existing, empty file
    line = core.probe_database(empty_database_url)
    assert line.endswith(f"empty; the app creates the schema {head_revision()}")
    engine = create_db_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
    finally:
        engine.dispose()


def test_the_self_check_refuses_to_run_with_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli.main import main

    with pytest.raises(SystemExit) as stop:
        main(["--self-check", "restaurant", "list"], self_check=lambda _url: 0)
    assert stop.value.code == 2
    assert "--self-check runs on its own" in capsys.readouterr().err
