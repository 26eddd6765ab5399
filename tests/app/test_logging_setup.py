"""The log file: secrets never reach it (message, arguments, tracebacks), it rotates, and a log
folder that cannot be created leaves the app running with stderr only."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from app.cli.main import main
from app.logging_setup import (
    configure_logging,
    current_log_file,
    log_file_path,
    redact,
    shutdown_logging,
)

DB_PASSWORD = "Zq7-pass-word"
BOT_TOKEN = "7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
OPENAI_KEY = "sk-proj-abcDEF1234567890ghijKLMN"
WHATSAPP_TOKEN = "EAAGm0PX4ZCpsBAKZAZBvY8sRzQ7Z4Qn2ZBfa1"
FERNET_KEY = Fernet.generate_key().decode()
APP_SECRET = "d41d8cd98f00b204e9800998ecf8427e"
SECRETS = (DB_PASSWORD, BOT_TOKEN, OPENAI_KEY, WHATSAPP_TOKEN, FERNET_KEY, APP_SECRET)

log = logging.getLogger("app.test_logging_setup")


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    shutdown_logging()
    root.setLevel(level)


def _read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"postgresql+psycopg://host_stand:{DB_PASSWORD}@db.local:5432/tobeout",
            "postgresql+psycopg://host_stand:***@db.local:5432/tobeout",
        ),
        (
            f"POST https://api.telegram.org/bot{BOT_TOKEN}/getUpdates",
            "POST https://api.telegram.org/bot***/getUpdates",
        ),
        (f"token {BOT_TOKEN} rejected", "token *** rejected"),
        ("Authorization: Bearer abc.DEF-123_xyz", "Authorization: ***"),
        ("headers {'Authorization': 'Bearer abc.DEF-123_xyz'}", "headers {'Authorization': '***'}"),
        (f"calling with Bearer {WHATSAPP_TOKEN}", "calling with Bearer ***"),
        (f"key {OPENAI_KEY} invalid", "key sk-*** invalid"),
        (f"access {WHATSAPP_TOKEN}", "access ***"),
        (f"the key is {FERNET_KEY}.", "the key is ***."),
        (f"password={DB_PASSWORD}&user=a", "password=***&user=a"),
        (f'{{"app_secret": "{APP_SECRET}", "x": 1}}', '{"app_secret": "***", "x": 1}'),
        (f"hub.verify_token={APP_SECRET}", "hub.verify_token=***"),
        (f"OPENAI_API_KEY: {OPENAI_KEY}", "OPENAI_API_KEY: ***"),
    ],
)  # fmt: skip
def test_redact_replaces_each_kind_of_secret(text: str, expected: str) -> None:
    assert redact(text) == expected
    assert redact(expected) == expected  # idempotent: a second filter changes nothing


@pytest.mark.parametrize(
    "text",
    [
        "Booked T4 for 4 guests on 2026-11-27 at 19:30 (code BR7K2Q)",
        "guest +79995550101 wrote: a table for two, tomorrow at 7 pm",
        "GET http://127.0.0.1:8080/v1/chat/completions 200",
        "local file /home/host/.local/share/ToBeOut/tobeout.sqlite3",
        "PostgreSQL server db.local:5432/tobeout",
        "Secret('********')",
    ],
)
def test_redact_leaves_ordinary_text_alone(text: str) -> None:
    assert redact(text) == text


def test_secrets_in_messages_arguments_and_tracebacks_are_written_redacted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = configure_logging(log_path=tmp_path / "logs" / "tobeout.log")
    assert path == tmp_path / "logs" / "tobeout.log" == current_log_file()
    url = f"postgresql+psycopg://host_stand:{DB_PASSWORD}@db.local:5432/tobeout"
    log.info("connecting to %s", url)
    log.info("sending to %r", f"https://api.telegram.org/bot{BOT_TOKEN}/sendMessage")
    log.warning("AI settings: %s", {"api_key": OPENAI_KEY, "model": "gpt-4o-mini"})
    log.info("WhatsApp call with Authorization: Bearer %s", WHATSAPP_TOKEN)
    log.info("key file holds %s", FERNET_KEY)
    logging.getLogger("urllib3.connectionpool").warning(
        "Retrying https://api.telegram.org/bot%s/getUpdates", BOT_TOKEN
    )
    try:
        raise ConnectionError(f"could not reach {url} with secret={APP_SECRET}")
    except ConnectionError:
        log.exception("sync failed")
    text = _read(path)
    for secret in SECRETS:
        assert secret not in text
    assert "host_stand:***@db.local:5432/tobeout" in text
    assert "bot***/sendMessage" in text and "bot***/getUpdates" in text
    assert "'api_key': '***'" in text and "gpt-4o-mini" in text
    assert "Traceback (most recent call last)" in text and "secret=***" in text
    assert "ConnectionError: could not reach postgresql+psycopg://host_stand:***@" in text
    # stderr shows warnings and errors only, redacted the same way.
    err = capsys.readouterr().err
    assert "sync failed" in err and "AI settings" in err and "connecting to" not in err
    for secret in SECRETS:
        assert secret not in err


def test_the_file_rotates_and_keeps_a_bounded_number_of_old_files(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    path = configure_logging(log_path=folder / "tobeout.log", max_bytes=4_000, backup_count=3)
    assert path is not None
    for number in range(400):
        log.info("line %04d %s", number, "x" * 60)
    _read(path)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["tobeout.log", "tobeout.log.1", "tobeout.log.2", "tobeout.log.3"]
    assert all(p.stat().st_size <= 4_000 for p in folder.iterdir())
    assert "line 0399" in path.read_text(encoding="utf-8")


def test_a_second_call_replaces_the_handlers_instead_of_doubling_them(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    configure_logging(log_path=tmp_path / "a.log")
    configure_logging(log_path=tmp_path / "b.log")
    assert len(root.handlers) == before + 2
    log.info("only once")
    assert _read(tmp_path / "b.log").count("only once") == 1
    assert "only once" not in _read(tmp_path / "a.log")


def test_chatty_libraries_keep_only_their_warnings_in_the_file(tmp_path: Path) -> None:
    path = configure_logging(log_path=tmp_path / "tobeout.log")
    assert path is not None
    logging.getLogger("httpx").info("HTTP Request: POST https://api.openai.com/v1/chat 200")
    logging.getLogger("httpx").warning("connection pool is full")
    log.info("an app note")
    text = _read(path)
    assert "HTTP Request" not in text
    assert "connection pool is full" in text and "an app note" in text


def test_an_uncreatable_log_folder_falls_back_to_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A file where the state folder should be: mkdir fails even for root (a read-only home).
    blocker = tmp_path / "state-is-a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    assert configure_logging() is None
    assert current_log_file() is None
    err = capsys.readouterr().err
    assert "Cannot write the log file" in err and "logging to stderr only" in err
    log.warning("the app keeps working")
    assert "the app keeps working" in capsys.readouterr().err


def test_every_command_logs_to_the_user_log_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["--database-url", url, "restaurant", "list"]) == 0
    path = log_file_path()
    assert current_log_file() == path
    assert str(path).startswith(os.environ["XDG_STATE_HOME"])
    text = _read(path)
    assert "ToBeOut Host Stand" in text and ": restaurant (Python" in text
    capsys.readouterr()
