"""The command-line contract: output, exit codes, and nothing written on failure."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import __version__
from app.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "restaurant.json"


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def run(url: str, *argv: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch) -> int:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["--database-url", url, *argv])


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"ToBeOut Host Stand {__version__}"


def test_import_prints_the_id_alone_and_list_shows_it(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(database_url, "restaurant", "import", str(EXAMPLE), monkeypatch=monkeypatch) == 0
    out = capsys.readouterr()
    restaurant_id = int(out.out.strip())  # the id alone on stdout
    assert "5 active tables" in out.err

    assert run(database_url, "restaurant", "list", "--json", monkeypatch=monkeypatch) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [
        {
            "id": restaurant_id, "name": "Café Pushkinskaya", "timezone": "Europe/Moscow",
            "address": "Tverskoy blvd 26, Moscow", "cuisine": "Russian bistro",
            "is_active": True, "tables": 5, "seats": 20, "demo": False,
        }
    ]  # fmt: skip
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        hours = conn.execute(sa.text("SELECT opening_hours FROM restaurants")).scalar_one()
        position = conn.execute(
            sa.text("SELECT position FROM tables WHERE name = 'Terrace 1'")
        ).scalar_one()
    engine.dispose()
    hours = json.loads(hours) if isinstance(hours, str) else hours
    position = json.loads(position) if isinstance(position, str) else position
    assert hours["fri"] == [["12:00", "16:00"], ["18:00", "01:00"]]
    assert "sun" not in hours  # an empty day is closed
    assert position["area"] == "Terrace" and position["width"] == 90


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"restaurant": {"name": "X", "timezone": "Mars/Base"}}', "IANA time zone"),
        ('{"restaurant": {"name": "X"}, "tables": [{"name": "1"}]}', "max_guests is required"),
        (
            '{"restaurant": {"name": "X"}, "tables": [{"name": "1", "max_guests": 2},'
            ' {"name": "1", "max_guests": 4}]}',
            "repeated: 1",
        ),
        ('{"restaurant": {"name": "X", "opening_hours": {"mon": [["9", "17"]]}}}', "HH:MM"),
        ('{"restaurant": {"name": "X", "phone": "call us"}}', "not a phone number"),
        ('{"restaurant": {"nme": "X"}}', "unknown field 'nme'"),
        ('{"restaurants": []}', "Unknown top-level field"),
        ("[1, 2]", "must hold an object"),
    ],
)
def test_bad_import_files_exit_2_and_write_nothing(
    database_url: str,
    tmp_path: Path,
    document: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(document, encoding="utf-8")
    assert run(database_url, "restaurant", "import", str(bad), monkeypatch=monkeypatch) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert message in out.err
    assert _count(database_url, "restaurants") == 0
    assert _count(database_url, "tables") == 0


def test_a_missing_import_file_is_bad_input(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(database_url, "restaurant", "import", "/nope.json", monkeypatch=monkeypatch) == 2
    assert "No such file" in capsys.readouterr().err


def test_user_add_reads_the_password_from_stdin_and_stores_a_hash(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = run(
        database_url, "user", "add", "--email", "Anna@Example.com", "--name", "Anna Petrova",
        "--role", "manager", stdin="very-secret-1\n", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr()
    assert out.out.strip().isdigit()
    assert "very-secret-1" not in out.out + out.err
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        email, password, role = conn.execute(
            sa.text("SELECT email, password, role FROM users")
        ).one()
    engine.dispose()
    assert (email, role) == ("anna@example.com", "manager")
    assert password.startswith("$2") and "very-secret-1" not in password


def test_user_add_refusals(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["user", "add", "--email", "a@b.ru", "--name", "A", "--role", "staff"]
    assert run(database_url, *args, stdin="long-enough\n", monkeypatch=monkeypatch) == 0
    capsys.readouterr()
    # The same address in other letters is the same account: a conflict.
    upper = ["user", "add", "--email", "A@B.RU", "--name", "A", "--role", "staff"]
    assert run(database_url, *upper, stdin="long-enough\n", monkeypatch=monkeypatch) == 3
    assert "already exists" in capsys.readouterr().err
    other = ["user", "add", "--email", "c@b.ru", "--name", "C", "--role", "staff"]
    assert run(database_url, *other, stdin="short\n", monkeypatch=monkeypatch) == 2
    assert "at least 8" in capsys.readouterr().err
    assert run(database_url, *other, stdin="", monkeypatch=monkeypatch) == 2
    assert "No password on stdin" in capsys.readouterr().err
    bad_email = ["user", "add", "--email", "nobody", "--name", "C", "--role", "staff"]
    assert run(database_url, *bad_email, stdin="long-enough\n", monkeypatch=monkeypatch) == 2
    with pytest.raises(SystemExit) as exited:
        run(database_url, "user", "add", "--email", "d@b.ru", "--name", "D", "--role", "chef",
            stdin="long-enough\n", monkeypatch=monkeypatch)  # fmt: skip
    assert exited.value.code == 2
    assert _count(database_url, "users") == 1


def test_db_current_upgrade_and_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert run(url, "db", "upgrade", monkeypatch=monkeypatch) == 0
    assert run(url, "db", "current", "--json", monkeypatch=monkeypatch) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["state"] == "current" and status["current"] == status["head"]
    target = tmp_path / "copy.sqlite3"
    assert run(url, "db", "backup", str(target), monkeypatch=monkeypatch) == 0
    assert target.stat().st_size > 0
    assert _count(f"sqlite:///{target}", "restaurants") == 0  # a real, readable database
    assert run(url, "db", "backup", str(target), monkeypatch=monkeypatch) == 2
    assert "already exists" in capsys.readouterr().err


def test_an_unreachable_database_exits_1_with_a_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql+psycopg://u:pw@127.0.0.1:1/none"
    assert run(url, "restaurant", "list", monkeypatch=monkeypatch) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Cannot open the database (PostgreSQL server 127.0.0.1:1/none)")


def test_the_real_entry_point_runs_as_a_program(database_url: str) -> None:
    """``python main.py`` as a separate process, the way scripts use it."""
    env_cmd = [sys.executable, str(ROOT / "main.py"), "--database-url", database_url]
    imported = subprocess.run(
        [*env_cmd, "restaurant", "import", str(EXAMPLE)], capture_output=True, text=True
    )
    assert imported.returncode == 0, imported.stderr
    listed = subprocess.run(
        [*env_cmd, "restaurant", "list", "--json"], capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    assert [r["id"] for r in json.loads(listed.stdout)] == [int(imported.stdout)]
