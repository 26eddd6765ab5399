"""This computer's settings file: the chosen database, the password encrypted, written atomically,
a damaged file read as "choose again" (never a crash), and its place in the URL precedence."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db.engine import resolve_database_url
from app.local_config import (
    DatabaseChoice,
    LocalConfigUnreadable,
    config_file,
    configured_database_url,
    load_database_choice,
    save_database_choice,
)
from app.paths import default_sqlite_path
from app.security import secrets
from app.services.first_run import plan_start

PASSWORD = "pa55-THIS-MUST-NOT-LEAK"


@pytest.fixture(autouse=True)
def _fresh_key() -> Iterator[None]:
    secrets.forget_cached_key()
    yield
    secrets.forget_cached_key()


def server_choice(**changes: object) -> DatabaseChoice:
    values: dict[str, object] = {
        "host": "db.bistro.lan", "port": 5433, "database": "tobeout", "user": "host",
        "password": PASSWORD,
    }  # fmt: skip
    values.update(changes)
    return DatabaseChoice.postgresql(**values)  # type: ignore[arg-type]


def test_the_settings_file_lives_in_the_users_config_folder() -> None:
    assert config_file() == Path(os.environ["XDG_CONFIG_HOME"]) / "ToBeOut" / "config.json"
    assert load_database_choice() is None and configured_database_url() is None


def test_a_server_choice_round_trips_with_the_password_encrypted() -> None:
    choice = server_choice()
    path = save_database_choice(choice)
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text
    stored = json.loads(text)
    assert stored["version"] == 1
    assert stored["database"]["host"] == "db.bistro.lan" and stored["database"]["port"] == 5433
    assert stored["database"]["password"].startswith("gAAAA")  # a Fernet token
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["config.json"]  # no temporary left

    loaded = load_database_choice()
    assert loaded == choice
    assert PASSWORD not in repr(loaded)
    assert loaded is not None and loaded.url() == (
        f"postgresql+psycopg://host:{PASSWORD}@db.bistro.lan:5433/tobeout"
    )


def test_a_local_choice_is_the_default_file_and_other_settings_survive_a_save() -> None:
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "language": "ru"}), encoding="utf-8")
    save_database_choice(DatabaseChoice.local())
    assert json.loads(path.read_text()) == {
        "version": 1, "language": "ru", "database": {"kind": "local"},
    }  # fmt: skip
    assert configured_database_url() == f"sqlite+pysqlite:///{default_sqlite_path()}"


def test_precedence_command_line_then_environment_then_settings_then_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert resolve_database_url(None).database == str(default_sqlite_path())
    save_database_choice(server_choice())
    assert resolve_database_url(None).host == "db.bistro.lan"
    monkeypatch.setenv("TOBEOUT_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    assert resolve_database_url(None).database == str(tmp_path / "env.sqlite3")
    explicit = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert resolve_database_url(explicit).database == str(tmp_path / "cli.sqlite3")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "does not hold a settings object"),
        ('{"version": 7, "database": {"kind": "local"}}', "newer ToBeOut"),
        ('{"database": {"kind": "oracle"}}', '"database.kind"'),
        ('{"database": {"kind": "postgresql", "host": "h", "port": "x", "database": "d", '
         '"user": "u"}}', "Port"),
        ('{"database": {"kind": "postgresql", "host": "h", "database": "d", "user": "u", '
         '"password": "not-a-token"}}', "password cannot be decrypted"),
        (b"\xff\xfe\x00garbage", "cannot be read"),
    ],
)  # fmt: skip
def test_a_damaged_file_says_so_and_start_up_asks_again(content: str | bytes, reason: str) -> None:
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(LocalConfigUnreadable) as caught:
        load_database_choice()
    assert str(path) in caught.value.message and reason in caught.value.message
    assert "chosen again" in caught.value.message
    with pytest.raises(LocalConfigUnreadable):
        resolve_database_url(None)  # the command line reports it rather than guessing
    plan = plan_start(None)
    assert plan.url is None and plan.problem == caught.value.message


def test_a_password_saved_with_another_key_asks_again() -> None:
    save_database_choice(server_choice())
    secrets.key_file().unlink()  # another computer, or the key was lost
    secrets.forget_cached_key()
    with pytest.raises(LocalConfigUnreadable, match="cannot be decrypted"):
        load_database_choice()


def test_a_save_replaces_a_damaged_file() -> None:
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text("{oops", encoding="utf-8")
    save_database_choice(server_choice(password=""))
    loaded = load_database_choice()
    assert loaded is not None and loaded.password is None
    assert "password" not in json.loads(path.read_text())["database"]


def test_bad_server_fields_are_named() -> None:
    with pytest.raises(Exception, match="Host"):
        server_choice(host=" ")
    with pytest.raises(Exception, match="Port"):
        server_choice(port=70000)
    with pytest.raises(Exception, match="Database"):
        server_choice(database="")
    with pytest.raises(Exception, match="User"):
        server_choice(user="")


def test_start_up_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert plan_start(None).url is None  # nothing chosen, no local file: the wizard
    default_sqlite_path().write_bytes(b"")
    plan = plan_start(None)
    assert plan.url == DatabaseChoice.local().url() and not plan.explicit
    save_database_choice(server_choice())
    plan = plan_start(None)
    assert plan.choice == server_choice() and plan.url == server_choice().url()
    monkeypatch.setenv("TOBEOUT_DATABASE_URL", "sqlite:///x.sqlite3")
    assert plan_start(None) == plan_start("sqlite:///x.sqlite3")
    assert plan_start(None).explicit
