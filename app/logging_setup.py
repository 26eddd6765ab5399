"""Where the log goes, and what it never contains.

``configure_logging`` is called once per process by ``app.cli.main.main`` (the desktop app and
every command): INFO and above go to a rotating file ``tobeout.log`` in ``app.paths.log_dir()``
(1 MB, five old files kept), WARNING and above to stderr as before. When the log folder cannot
be created or written (a read-only home), the app still runs, logging to stderr only.

Every record passing through these handlers goes through ``RedactSecrets`` first: database URL
passwords, Telegram bot tokens, bearer tokens, OpenAI-style ``sk-`` keys, WhatsApp (Meta) access
tokens, Fernet keys and tokens, and ``password=``/``token=``/``secret=`` values are replaced by
``***`` in the message, its arguments, the exception text and the stack text.

Threading: ``configure_logging`` is called on the main thread before any worker starts; the
handlers and the filter are safe to use from any thread (``logging`` locks each handler).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app import paths

LOG_FILE_NAME = "tobeout.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
LEVEL_ENV = "TOBEOUT_LOG_LEVEL"  # e.g. DEBUG, for a support session
FILE_FORMAT = "%(asctime)s %(levelname)-7s [%(process)d %(threadName)s] %(name)s: %(message)s"
STDERR_FORMAT = "%(levelname)s %(name)s: %(message)s"
MASK = "***"

# Third-party loggers that say too much below WARNING (one line per HTTP request): the file
# keeps only their warnings. A handler filter, so their own levels (and tests) are untouched.
CHATTY_LOGGERS = ("httpx", "httpcore", "openai", "urllib3", "requests", "asyncio", "PIL")

_KEY = r"[A-Za-z0-9_.-]*(?:password|passwd|pwd|token|secret|api[_-]?key|apikey)"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # scheme://user:PASSWORD@host (database URLs, proxies)
    (re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:)[^\s@]+(@)"), rf"\g<1>{MASK}\g<2>"),
    # Telegram bot tokens, alone or inside api.telegram.org/bot<token>/ URLs
    (re.compile(r"(?<![0-9])[0-9]{6,}:[A-Za-z0-9_-]{30,}"), MASK),
    # Authorization: Bearer|Basic|Token <credentials>, as a header line or a dict entry
    (
        re.compile(
            r"""(?i)(\bauthorization["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token|bot)\s+)?"""
            r"""[^\s"',;}]+"""
        ),
        rf"\g<1>{MASK}",
    ),
    # Bearer <token> anywhere else
    (re.compile(r"(\bBearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE), rf"\g<1>{MASK}"),
    # OpenAI-style API keys (sk-..., sk-proj-...)
    (re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"), f"sk-{MASK}"),
    # Meta / WhatsApp Cloud API access tokens
    (re.compile(r"\bEAA[A-Za-z0-9]{20,}"), MASK),
    # Fernet tokens (ciphertext) and Fernet keys (32 bytes, url-safe base64)
    (re.compile(r"\bgAAAAA[A-Za-z0-9_=-]{40,}"), MASK),
    (re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}="), MASK),
    # password=..., "token": "...", app_secret: ..., ?access_token=...&
    (
        re.compile(rf"""(?i)(["']?\b{_KEY}["']?\s*[=:]\s*["']?)(?!\*\*\*)[^\s"'&,;)}}\]]+"""),
        rf"\g<1>{MASK}",
    ),
)


def redact(text: str) -> str:
    """``text`` with every secret this module recognises replaced by ``***``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites a record so that no handler after it sees a secret; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            self._redact(record)
        except Exception:  # never let an unredacted record through, never lose the event
            record.msg, record.args = "<log record could not be redacted>", None
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True

    @staticmethod
    def _redact(record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # bad %-args: keep both parts, redacted
            message = f"{record.msg!s} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)


class _QuietThirdParty(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return record.name.split(".", 1)[0] not in CHATTY_LOGGERS


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (a test's capture, a redirected pipe)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass

    def emit(self, record: logging.LogRecord) -> None:
        if sys.stderr is not None:  # None in a windowed (no console) Windows build
            super().emit(record)


# The handlers this module installed (replaced, not added to, by a second call).
_installed: list[logging.Handler] = []
_log_file: Path | None = None


def log_file_path() -> Path:
    """Where the log file is (or would be) kept: ``<log folder>/tobeout.log``."""
    return paths.log_dir() / LOG_FILE_NAME


def current_log_file() -> Path | None:
    """The file being logged to, or None before ``configure_logging`` or without a file."""
    return _log_file


def configure_logging(
    *,
    log_path: Path | None = None,
    file_level: int | str | None = None,
    stderr_level: int = logging.WARNING,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path | None:
    """Send records to the rotating log file and stderr, redacted; return the file (or None).

    Safe to call again (a test, a second ``main()`` in one process): the previous handlers are
    closed and replaced. ``log_path`` defaults to ``log_file_path()``; ``file_level`` to
    ``$TOBEOUT_LOG_LEVEL`` or INFO.
    """
    global _log_file
    level = _level(file_level if file_level is not None else os.environ.get(LEVEL_ENV))
    shutdown_logging()
    root = logging.getLogger()

    redactor = RedactSecrets()
    stderr = _StderrHandler()
    stderr.setLevel(stderr_level)
    stderr.setFormatter(logging.Formatter(STDERR_FORMAT))
    stderr.addFilter(redactor)
    _installed.append(stderr)

    problem: str | None = None
    file_handler: RotatingFileHandler | None = None
    try:
        target = log_path if log_path is not None else log_file_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(
            target, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
        )
    except OSError as exc:  # read-only home, a file where the folder should be, a full disk
        problem = f"{exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}".rstrip(": ")
        target = None
    if file_handler is not None:
        file_handler.setLevel(level)
        file_handler.setFormatter(logging.Formatter(FILE_FORMAT))
        file_handler.addFilter(_QuietThirdParty())
        file_handler.addFilter(redactor)
        _installed.append(file_handler)

    for handler in _installed:
        root.addHandler(handler)
    wanted = min(level, stderr_level)
    if root.level == logging.NOTSET or root.level > wanted:
        root.setLevel(wanted)
    _install_excepthook()
    _log_file = target
    if problem is not None:
        logging.getLogger("tobeout").warning(
            "Cannot write the log file (%s); logging to stderr only.", problem
        )
    return target


def shutdown_logging() -> None:
    """Remove and close the handlers ``configure_logging`` installed (tests; a clean exit)."""
    global _log_file
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
    _log_file = None


def _log_uncaught(kind: type[BaseException], value: BaseException, tb: object) -> None:
    """An uncaught exception (also one raised in a Qt slot) goes to the log, redacted, and
    through it to stderr; Ctrl+C keeps Python's usual behaviour."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)  # type: ignore[arg-type]
        return
    logging.getLogger("tobeout").critical(
        "Unexpected error",
        exc_info=(kind, value, tb),  # type: ignore[arg-type]
    )


def _install_excepthook() -> None:
    # Only over Python's own hook: a debugger's or pytest-qt's stays in charge.
    if sys.excepthook is sys.__excepthook__:
        sys.excepthook = _log_uncaught


def _level(value: int | str | None) -> int:
    if isinstance(value, int):
        return value
    if value:
        named = logging.getLevelName(value.strip().upper())
        if isinstance(named, int):
            return named
    return logging.INFO
