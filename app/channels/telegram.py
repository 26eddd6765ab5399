"""A small Telegram Bot API client over ``requests``: getMe, getUpdates, sendMessage.

Faults are handled here, once: HTTP 429 waits ``parameters.retry_after`` (up to
``max_wait``, else ``RateLimited`` is raised for the caller to defer); 5xx answers, timeouts and
dropped connections back off exponentially (``TransientError`` after ``max_attempts``). A
``sendMessage`` whose request may have reached Telegram (a read timeout, a connection dropped
after sending) is never repeated: ``DeliveryUncertain`` says so, because Telegram has no
idempotency key and a repeat would be a duplicate message. The bot token is part of every URL;
it never appears in an exception text or a log line (urllib3's debug lines are redacted).

``parse_update`` reads one update defensively: anything unexpected raises ``MalformedUpdate``.

Threading: a client belongs to the thread that uses it (one ``requests.Session``).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from app.channels.errors import (
    ChannelError,
    Rejected,
    TransientError,
    Unauthorized,
)
from app.channels.retrying import Done, Outcome, Retry, RetryPolicy, Wait
from app.logging_setup import MASK
from app.security.secrets import Secret

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096  # sendMessage accepts 1-4096 characters
_TOKEN_IN_TEXT = re.compile(r"bot[0-9]{1,20}:[A-Za-z0-9_-]+")


TelegramError = ChannelError  # the name the worker and tests have used


class PollConflict(ChannelError):
    """409: another getUpdates poller or a webhook holds this bot."""


class MalformedUpdate(ValueError):
    """An update that cannot be read."""


@dataclass(frozen=True)
class IncomingUpdate:
    update_id: int
    kind: str  # "text", "command", "contact", "other"
    chat_id: str
    user_id: str
    chat_type: str
    text: str = ""
    command: str = ""  # "/start" etc. (lower case, without @botname)
    phone: str | None = None
    name: str | None = None
    language: str | None = None  # the sender's Telegram language_code


class TelegramClient:
    def __init__(
        self,
        base_url: str,
        token: Secret,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 4,
        base_backoff: float = 1.0,
        max_backoff: float = 30.0,
        max_wait: float = 60.0,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
    ) -> None:
        self._base = f"{base_url.rstrip('/')}/bot"
        self._token = token
        self._http = session or requests.Session()
        self.retry = RetryPolicy(sleep, max_attempts, base_backoff, max_backoff, max_wait)
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        install_log_redaction()

    def close(self) -> None:
        self._http.close()

    def get_me(self) -> dict[str, Any]:
        result = self._call("getMe", {}, read_timeout=self._read_timeout, resend_safe=True)
        if not isinstance(result, dict):
            raise TransientError("getMe answered something that is not a bot")
        return result

    def get_updates(self, offset: int, *, timeout: int = 25, limit: int = 100) -> list[Any]:
        """Raw updates from ``offset`` (long polling up to ``timeout`` seconds)."""
        payload = {"offset": offset, "timeout": timeout, "limit": limit,
                   "allowed_updates": ["message"]}  # fmt: skip
        result = self._call(
            "getUpdates", payload, read_timeout=timeout + self._read_timeout, resend_safe=True
        )
        if not isinstance(result, list):
            raise TransientError("getUpdates answered something that is not a list")
        return result

    def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        payload = {"chat_id": chat_id, "text": text[:TEXT_LIMIT]}
        result = self._call("sendMessage", payload, read_timeout=self._read_timeout,
                            resend_safe=False)  # fmt: skip
        return result if isinstance(result, dict) else {}

    # -- the one call path -------------------------------------------------------------------

    def _call(self, method: str, payload: dict[str, Any], *, read_timeout: float,
              resend_safe: bool) -> Any:  # fmt: skip
        url = f"{self._base}{self._token.reveal()}/{method}"

        def send() -> requests.Response:
            return self._http.post(url, json=payload, timeout=(self._connect_timeout, read_timeout))

        def interpret(response: requests.Response) -> Outcome:
            status = response.status_code
            body = _json(response)
            if status == 200 and body is not None and body.get("ok") is True:
                return Done(body.get("result"))
            description = _describe(body, status)
            if status == 429:
                return Wait(_retry_after(body))
            if status in (401, 404):
                raise Unauthorized(f"{method}: {description}")
            if status == 409:
                raise PollConflict(f"{method}: {description}")
            if 400 <= status < 500:
                raise Rejected(f"{method}: {description}")
            return Retry(f"{method}: {description}")

        return self.retry.run(method, send, interpret, resend_safe=resend_safe)


def parse_update(raw: Any) -> IncomingUpdate:
    """One update from ``getUpdates``; ``MalformedUpdate`` when it cannot be read."""
    if not isinstance(raw, dict):
        raise MalformedUpdate("an update is not an object")
    update_id = raw.get("update_id")
    if isinstance(update_id, bool) or not isinstance(update_id, int):
        raise MalformedUpdate("an update without a numeric update_id")
    message = raw.get("message")
    if message is None:
        return IncomingUpdate(update_id, "other", "", "", "")
    if not isinstance(message, dict):
        raise MalformedUpdate(f"update {update_id}: message is not an object")
    chat, sender = message.get("chat"), message.get("from")
    if not isinstance(chat, dict) or not _is_id(chat.get("id")):
        raise MalformedUpdate(f"update {update_id}: no chat id")
    if not isinstance(sender, dict) or not _is_id(sender.get("id")):
        raise MalformedUpdate(f"update {update_id}: no sender id")
    chat_id, user_id = str(chat["id"]), str(sender["id"])
    chat_type = str(chat.get("type") or "")
    name = _name(sender)
    code = sender.get("language_code")
    language = code if isinstance(code, str) else None
    contact = message.get("contact")
    if isinstance(contact, dict):
        phone = contact.get("phone_number")
        if not isinstance(phone, str) or not phone.strip():
            raise MalformedUpdate(f"update {update_id}: a contact without a phone number")
        own = str(contact.get("user_id", "")) in ("", user_id)
        return IncomingUpdate(update_id, "contact", chat_id, user_id, chat_type,
                              phone=phone.strip() if own else None,
                              name=_name(contact) or name, language=language)  # fmt: skip
    text = message.get("text")
    if text is None:
        return IncomingUpdate(update_id, "other", chat_id, user_id, chat_type, name=name,
                              language=language)  # fmt: skip
    if not isinstance(text, str):
        raise MalformedUpdate(f"update {update_id}: text is not a string")
    stripped = text.strip()
    if stripped.startswith("/"):
        word = stripped.split(maxsplit=1)[0].split("@", 1)[0].lower()
        return IncomingUpdate(update_id, "command", chat_id, user_id, chat_type, text=stripped,
                              command=word, name=name, language=language)  # fmt: skip
    return IncomingUpdate(update_id, "text", chat_id, user_id, chat_type, text=text, name=name,
                          language=language)  # fmt: skip


def redact(text: str) -> str:
    # The same mask as the log file's own redaction, whichever filter runs first.
    return _TOKEN_IN_TEXT.sub(f"bot{MASK}", text)


class _RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_REDACTOR = _RedactTokens()


def install_log_redaction() -> None:
    """urllib3 logs request lines (with the token in the path) at DEBUG: redact them."""
    for name in ("urllib3.connectionpool", "urllib3.util.retry", "requests"):
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)


# -- helpers ---------------------------------------------------------------------------------


def _json(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _describe(body: dict[str, Any] | None, status: int) -> str:
    if body is None:
        return f"HTTP {status} without Bot API JSON"
    text = redact(str(body.get("description") or "no description"))[:200]
    return f"HTTP {status}: {text}"


def _retry_after(body: dict[str, Any] | None) -> float:
    params = (body or {}).get("parameters")
    value = params.get("retry_after") if isinstance(params, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return 1.0
    return float(value)


def _is_id(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.lstrip("-").isdigit()
    )


def _name(person: dict[str, Any]) -> str | None:
    parts = [person.get("first_name"), person.get("last_name")]
    name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return name[:200] or None
