"""A small WhatsApp Cloud API client over ``requests``, the webhook signature and payload reader.

Sending is ``POST {base}/{version}/{phone_number_id}/messages`` with the access token as a
bearer token: text messages, and template messages (the only kind allowed outside the 24-hour
customer-service window). Faults are handled as in ``app.channels.telegram``: HTTP 429 (or a
Graph throttling code) waits ``Retry-After`` up to ``max_wait`` else ``RateLimited``; 5xx,
timeouts and dropped connections back off exponentially (``TransientError``); a send that may
have reached Meta is never repeated (``DeliveryUncertain``: the Graph API has no idempotency
key). Error 131047 (re-engagement: the window is closed) raises ``OutsideWindow``.

``signature_ok`` checks ``X-Hub-Signature-256`` (``sha256=`` + hex HMAC-SHA256 of the raw body
with the app secret) in constant time; ``parse_webhook`` reads a webhook payload defensively.

Threading: a client belongs to the thread that uses it (one ``requests.Session``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from app.channels.errors import (
    Rejected,
    Unauthorized,
)
from app.channels.retrying import Done, Outcome, Retry, RetryPolicy, Wait
from app.channels.telegram import MalformedUpdate
from app.security.secrets import Secret

log = logging.getLogger(__name__)

DEFAULT_VERSION = "v26.0"
TEXT_LIMIT = 4096
_VERSION = re.compile(r"v[0-9]{1,3}\.[0-9]{1,3}")
_THROTTLED = {4, 80007, 130429, 131056}  # Graph / Cloud API rate-limit error codes
_AUTH = {190}
RE_ENGAGEMENT = 131047


class OutsideWindow(Rejected):
    """Free-form text outside the 24-hour customer-service window (only templates may go)."""


@dataclass(frozen=True)
class IncomingMessage:
    phone_number_id: str  # the business number it was sent to
    wamid: str
    wa_id: str  # the guest's WhatsApp id (their number, digits only)
    kind: str  # "text" or "other"
    text: str = ""
    name: str | None = None
    sent_at: dt.datetime | None = None


class WhatsAppClient:
    def __init__(
        self,
        base_url: str,
        phone_number_id: str,
        token: Secret,
        *,
        version: str = DEFAULT_VERSION,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 4,
        base_backoff: float = 1.0,
        max_backoff: float = 30.0,
        max_wait: float = 60.0,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
    ) -> None:
        self._url = messages_url(base_url, phone_number_id, version)
        self._token = token
        self._http = session or requests.Session()
        self.retry = RetryPolicy(sleep, max_attempts, base_backoff, max_backoff, max_wait)
        self._timeout = (connect_timeout, read_timeout)

    def close(self) -> None:
        self._http.close()

    def send_text(self, to: str, text: str) -> str:
        """The message's ``wamid``."""
        return self._send({"to": to, "type": "text",
                           "text": {"preview_url": False, "body": text[:TEXT_LIMIT]}})  # fmt: skip

    def send_template(self, to: str, name: str, language: str, parameters: list[str]) -> str:
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if parameters:
            body = [{"type": "text", "text": str(p)} for p in parameters]
            template["components"] = [{"type": "body", "parameters": body}]
        return self._send({"to": to, "type": "template", "template": template})

    def _send(self, message: dict[str, Any]) -> str:
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", **message}
        headers = {"Authorization": f"Bearer {self._token.reveal()}"}

        def send() -> requests.Response:
            return self._http.post(self._url, json=payload, headers=headers, timeout=self._timeout)

        def interpret(response: requests.Response) -> Outcome:
            status, body = response.status_code, _json(response)
            if status == 200 and body is not None:
                return Done(_wamid(body))
            code, description = _error(body, status)
            if status == 429 or code in _THROTTLED:
                return Wait(_retry_after(response, code))
            if code == RE_ENGAGEMENT:
                raise OutsideWindow(f"messages: {description}")
            if status in (401, 403) or code in _AUTH:
                raise Unauthorized(f"messages: {description}")
            if 400 <= status < 500:
                raise Rejected(f"messages: {description}")
            return Retry(f"messages: {description}")

        return str(self.retry.run("messages", send, interpret, resend_safe=False))


def messages_url(base_url: str, phone_number_id: str, version: str = DEFAULT_VERSION) -> str:
    """``base`` may already end in a version (``https://graph.facebook.com/v26.0``)."""
    base = base_url.rstrip("/")
    if not _VERSION.fullmatch(base.rsplit("/", 1)[-1]):
        base = f"{base}/{version}"
    return f"{base}/{phone_number_id}/messages"


def sign(app_secret: str | Secret, raw: bytes) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends for ``raw``."""
    key = app_secret.reveal() if isinstance(app_secret, Secret) else app_secret
    return "sha256=" + hmac.new(key.encode(), raw, hashlib.sha256).hexdigest()


def signature_ok(app_secret: Secret, raw: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(sign(app_secret, raw).encode(), header.strip().encode())


def parse_webhook(payload: Any) -> tuple[list[IncomingMessage], list[str]]:
    """The messages of a webhook payload and the problems met (each skipped, never fatal).

    ``MalformedUpdate`` when the payload as a whole is unreadable. Delivery receipts
    (``statuses``) and other fields are passed over silently.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise MalformedUpdate("a webhook payload without an entry list")
    messages: list[IncomingMessage] = []
    problems: list[str] = []
    for entry in payload["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            problems.append("an entry without changes")
            continue
        for change in changes:
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = change.get("value")
            if not isinstance(value, dict):
                problems.append("a change without a value")
                continue
            metadata = value.get("metadata")
            number = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
            if not isinstance(number, str | int) or isinstance(number, bool):
                problems.append("a change without metadata.phone_number_id")
                continue
            names = _contact_names(value.get("contacts"))
            for raw in value.get("messages") or []:
                try:
                    messages.append(_message(str(number), raw, names))
                except MalformedUpdate as exc:
                    problems.append(str(exc))
    return messages, problems


# -- helpers ---------------------------------------------------------------------------------


def _message(number: str, raw: Any, names: dict[str, str]) -> IncomingMessage:
    if not isinstance(raw, dict):
        raise MalformedUpdate("a message is not an object")
    wamid, sender = raw.get("id"), raw.get("from")
    if not isinstance(wamid, str) or not wamid.strip() or len(wamid) > 128:
        raise MalformedUpdate("a message without an id")
    if not isinstance(sender, str) or not sender.isdigit() or len(sender) > 20:
        raise MalformedUpdate(f"message {wamid[:40]}: no sender number")
    sent_at = None
    stamp = raw.get("timestamp")
    if isinstance(stamp, str) and stamp.isdigit():
        sent_at = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
    text = _text_of(raw)
    kind = "text" if text is not None else "other"
    return IncomingMessage(number, wamid, sender, kind, text or "", names.get(sender), sent_at)


def _text_of(raw: dict[str, Any]) -> str | None:
    kind = raw.get("type")
    part = raw.get(kind) if isinstance(kind, str) else None
    if not isinstance(part, dict):
        return None
    if kind == "text":
        value = part.get("body")
    elif kind == "button":
        value = part.get("text")
    elif kind == "interactive":
        reply = part.get("button_reply") or part.get("list_reply")
        value = reply.get("title") if isinstance(reply, dict) else None
    else:
        return None
    return value if isinstance(value, str) and value.strip() else None


def _contact_names(contacts: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for contact in contacts if isinstance(contacts, list) else []:
        if not isinstance(contact, dict):
            continue
        profile = contact.get("profile")
        name = profile.get("name") if isinstance(profile, dict) else None
        wa_id = contact.get("wa_id")
        if isinstance(wa_id, str) and isinstance(name, str) and name.strip():
            names[wa_id] = name.strip()[:200]
    return names


def _json(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _wamid(body: dict[str, Any]) -> str:
    messages = body.get("messages")
    first = messages[0] if isinstance(messages, list) and messages else None
    wamid = first.get("id") if isinstance(first, dict) else None
    return str(wamid) if wamid else ""


def _error(body: dict[str, Any] | None, status: int) -> tuple[int | None, str]:
    error = (body or {}).get("error")
    if not isinstance(error, dict):
        return None, f"HTTP {status} without Graph API JSON"
    code = error.get("code")
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    text = str(error.get("message") or "no description")[:200]
    return code, f"HTTP {status}: ({code}) {text}"


def _retry_after(response: requests.Response, code: int | None) -> float:
    header = response.headers.get("Retry-After", "")
    try:
        value = float(header)
    except ValueError:
        value = -1.0
    if value >= 0:
        return value
    return 6.0 if code == 131056 else 1.0  # 131056: about one message per 6 s to one user
