"""This computer's settings: which database the desktop app opens.

The set-up wizard writes ``config.json`` in the platformdirs config folder
(``platformdirs.user_config_path("ToBeOut")``), for example::

    {"version": 1, "database": {"kind": "local"}}
    {"version": 1, "database": {"kind": "postgresql", "host": "db.lan", "port": 5432,
                                 "database": "tobeout", "user": "host", "password": "gAAAA…"}}

``kind: local`` is the default SQLite file (or ``"path"``, another SQLite file). A PostgreSQL
password is stored encrypted with ``app.security.secrets`` (Fernet; the key in the OS keyring or a
0600 key file), never in plain text. The file is written atomically (a private temporary file
renamed over the old one), readable by this user only.

A damaged, unreadable or undecryptable file raises ``LocalConfigUnreadable`` (a
``DatabaseProblem``) whose message names the file and says what happens next; the desktop app
shows it and asks for the database again, it never crashes on it.

Threading: small blocking file reads and writes on the calling thread; any thread may call.
"""

from __future__ import annotations

import json
import os
import secrets as _random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy.engine import URL

from app.errors import DatabaseProblem, InvalidInput
from app.paths import APP_NAME, default_sqlite_path
from app.security.secrets import Secret, SecretUnreadable, decrypt, encrypt

CONFIG_FILE_NAME = "config.json"
CONFIG_VERSION = 1
LOCAL = "local"
POSTGRESQL = "postgresql"
DEFAULT_PORT = 5432


class LocalConfigUnreadable(DatabaseProblem):
    """This computer's settings file cannot be used; the database must be chosen again."""


@dataclass(frozen=True)
class DatabaseChoice:
    """Where this computer's data lives: the local SQLite file or a PostgreSQL server.

    The password is a ``Secret``, so the choice can be logged or shown in a traceback safely.
    """

    kind: str
    path: str | None = None  # local: a SQLite file other than the default one
    host: str = ""
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    password: Secret | None = None

    @classmethod
    def local(cls, path: str | Path | None = None) -> DatabaseChoice:
        return cls(LOCAL, path=str(path) if path else None)

    @classmethod
    def postgresql(
        cls, *, host: str, port: int, database: str, user: str, password: str | Secret | None
    ) -> DatabaseChoice:
        """A server choice with its fields checked (``InvalidInput`` naming the field)."""
        host, database, user = (host or "").strip(), (database or "").strip(), (user or "").strip()
        if not host:
            raise InvalidInput("Host: enter the server's name or IP address.")
        if any(c.isspace() for c in host) or "/" in host:
            raise InvalidInput(f"Host: {host!r} is not a server name or IP address.")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
            raise InvalidInput(f"Port: {port!r} is not a port number (1 to 65535).")
        if not database:
            raise InvalidInput("Database: enter the name of the database on the server.")
        if not user:
            raise InvalidInput("User: enter the user name to connect as.")
        if isinstance(password, str):
            password = Secret(password) if password else None
        return cls(POSTGRESQL, host=host, port=port, database=database, user=user,
                   password=password)  # fmt: skip

    @property
    def is_local(self) -> bool:
        return self.kind == LOCAL

    def sqlite_path(self) -> Path:
        """The SQLite file of a local choice."""
        return Path(self.path) if self.path else default_sqlite_path()

    def url(self) -> str:
        """The SQLAlchemy URL to connect with (it carries the password: never log it)."""
        if self.is_local:
            return f"sqlite+pysqlite:///{self.sqlite_path()}"
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=self.password.reveal() if self.password else None,
            host=self.host,
            port=self.port,
            database=self.database,
        ).render_as_string(hide_password=False)

    def describe(self) -> str:
        if self.is_local:
            return f"local file {self.sqlite_path()}"
        return f"PostgreSQL server {self.host}:{self.port}/{self.database} (user {self.user})"


def config_file() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / CONFIG_FILE_NAME


def load_database_choice() -> DatabaseChoice | None:
    """The database chosen on this computer; None when none was chosen yet."""
    path = config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise _unreadable(path, f"it cannot be read ({reason})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _unreadable(path, f"it is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(document, dict):
        raise _unreadable(path, "it does not hold a settings object")
    version = document.get("version", CONFIG_VERSION)
    if isinstance(version, int) and version > CONFIG_VERSION:
        raise _unreadable(path, f"it was written by a newer ToBeOut (settings version {version})")
    raw = document.get("database")
    if raw is None:
        return None
    return _choice_from_json(path, raw)


def configured_database_url() -> str | None:
    """The URL of the database chosen on this computer, if any (``LocalConfigUnreadable``)."""
    choice = load_database_choice()
    return choice.url() if choice is not None else None


def save_database_choice(choice: DatabaseChoice) -> Path:
    """Remember ``choice`` on this computer (the password encrypted); returns the file."""
    path = config_file()
    document = _read_other_settings(path)
    document["version"] = CONFIG_VERSION
    document["database"] = _choice_to_json(choice)
    _write_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


def _choice_to_json(choice: DatabaseChoice) -> dict[str, Any]:
    if choice.is_local:
        return {"kind": LOCAL, **({"path": choice.path} if choice.path else {})}
    entry: dict[str, Any] = {
        "kind": POSTGRESQL, "host": choice.host, "port": choice.port,
        "database": choice.database, "user": choice.user,
    }  # fmt: skip
    if choice.password:
        entry["password"] = encrypt(choice.password)
    return entry


def _choice_from_json(path: Path, raw: Any) -> DatabaseChoice:
    if not isinstance(raw, dict):
        raise _unreadable(path, '"database" is not an object')
    kind = raw.get("kind")
    if kind == LOCAL:
        local_path = raw.get("path")
        if local_path is not None and (not isinstance(local_path, str) or not local_path.strip()):
            raise _unreadable(path, '"database.path" is not a file name')
        return DatabaseChoice.local(local_path)
    if kind != POSTGRESQL:
        raise _unreadable(path, f'"database.kind" is {kind!r}, not "local" or "postgresql"')
    password: Secret | None = None
    token = raw.get("password")
    if token is not None:
        try:
            password = decrypt(token, "The saved database password")
        except SecretUnreadable as exc:
            raise _unreadable(path, exc.message.rstrip(".")) from None
    try:
        return DatabaseChoice.postgresql(
            host=_text(raw.get("host")), port=raw.get("port", DEFAULT_PORT),
            database=_text(raw.get("database")), user=_text(raw.get("user")), password=password,
        )  # fmt: skip
    except InvalidInput as exc:
        raise _unreadable(path, exc.message.rstrip(".")) from None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _unreadable(path: Path, reason: str) -> LocalConfigUnreadable:
    return LocalConfigUnreadable(
        f"This computer's settings file {path} is damaged: {reason}. The database has to be "
        "chosen again: the desktop app asks for it and replaces the file (or give "
        "--database-url)."
    )


def _read_other_settings(path: Path) -> dict[str, Any]:
    """The settings file's other entries, kept when the database is saved (a damaged file
    is replaced as a whole)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return document if isinstance(document, dict) else {}


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{_random.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
