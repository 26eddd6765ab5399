"""A real HTTP server on 127.0.0.1 speaking the WhatsApp Cloud (Graph) API JSON, with faults.

``POST /<version>/<phone_number_id>/messages`` with ``Authorization: Bearer <token>`` records the
message (text or template) and answers ``{"messaging_product", "contacts", "messages": [{"id":
"wamid…"}]}``; a wrong token gets Graph's 401 (code 190). ``fail(...)`` queues faults for the
next sends: an HTTP status with a Graph error body (429 with a ``Retry-After`` header), or a raw
body. ``inbound`` builds the webhook payload Meta would post for a guest's text message, and
``post_webhook`` posts it signed (or not) to a webhook URL.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import requests

from app.channels.whatsapp import sign
from tests.support.local_http import reply_json, serving

ACCESS_TOKEN = "EAAGfakeAccessTokenForTestsOnly1234567890"
APP_SECRET = "fake-app-secret-for-tests-0123456789"
VERIFY_TOKEN = "fake-verify-token-4242"
PHONE_NUMBER_ID = "106540352242922"
VERSION = "v26.0"


@dataclass
class Fault:
    status: int
    body: bytes
    retry_after: int | None = None


@dataclass
class FakeWhatsApp:
    url: str = ""
    token: str = ACCESS_TOKEN
    sent: list[dict[str, Any]] = field(default_factory=list)  # the request bodies accepted
    calls: int = 0
    faults: deque[Fault] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _counter: int = 0

    def fail(self, status: int, *, code: int = 1, retry_after: int | None = None,
             raw: bytes | None = None, times: int = 1) -> None:  # fmt: skip
        if raw is None:
            raw = json.dumps({"error": {"message": f"scripted {status}", "type": "OAuthException",
                                        "code": code, "fbtrace_id": "Afake"}}).encode()  # fmt: skip
        for _ in range(times):
            self.faults.append(Fault(status, raw, retry_after))

    def texts(self, to: str | None = None) -> list[str]:
        return [m["text"]["body"] for m in self.sent
                if m.get("type") == "text" and (to is None or m.get("to") == to)]  # fmt: skip

    def templates(self) -> list[dict[str, Any]]:
        return [m["template"] for m in self.sent if m.get("type") == "template"]

    def handle(self, path: str, auth: str, body: Any) -> tuple[int, bytes, dict[str, str]]:
        with self.lock:
            self.calls += 1
            if path != f"/{VERSION}/{PHONE_NUMBER_ID}/messages":
                return 404, _graph_error(100, "Unsupported post request"), {}
            if auth != f"Bearer {self.token}":
                return 401, _graph_error(190, "Invalid OAuth access token"), {}
            if self.faults:
                fault = self.faults.popleft()
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
                return fault.status, fault.body, headers
            if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
                return 400, _graph_error(100, "Invalid parameter"), {}
            self._counter += 1
            self.sent.append(body)
            wamid = f"wamid.OUT{self._counter:06d}"
            answer = {"messaging_product": "whatsapp",
                      "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                      "messages": [{"id": wamid}]}  # fmt: skip
            return 200, json.dumps(answer).encode(), {}


def inbound(text: str, *, wa_id: str = "79161234567", name: str = "Anna Petrova",
            wamid: str | None = None, sent_at: float | None = None,
            phone_number_id: str = PHONE_NUMBER_ID) -> dict[str, Any]:  # fmt: skip
    """The webhook payload Meta posts when a guest writes ``text``."""
    stamp = str(int(sent_at if sent_at is not None else time.time()))
    message = {"from": wa_id, "id": wamid or f"wamid.IN{abs(hash((text, stamp))) % 10**12}",
               "timestamp": stamp, "type": "text", "text": {"body": text}}  # fmt: skip
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550000000",
                          "phone_number_id": phone_number_id},
             "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
             "messages": [message]}  # fmt: skip
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398",
                       "changes": [{"field": "messages", "value": value}]}]}  # fmt: skip


def post_webhook(url: str, payload: Any, *, secret: str | None = APP_SECRET,
                 raw: bytes | None = None) -> requests.Response:  # fmt: skip
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Hub-Signature-256"] = sign(secret, body)
    return requests.post(url, data=body, headers=headers, timeout=30)


def _graph_error(code: int, message: str) -> bytes:
    return json.dumps({"error": {"message": message, "type": "OAuthException", "code": code,
                                 "fbtrace_id": "Afake"}}).encode()  # fmt: skip


@contextmanager
def fake_whatsapp() -> Iterator[FakeWhatsApp]:
    fake = FakeWhatsApp()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = None
            status, payload, headers = fake.handle(
                self.path, self.headers.get("Authorization") or "", body
            )
            reply_json(self, status, payload, headers)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as url:
        fake.url = url
        yield fake
