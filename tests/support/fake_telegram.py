"""A real HTTP server on 127.0.0.1 speaking the Telegram Bot API JSON, with scripted faults.

``/bot<TOKEN>/getUpdates`` answers the queued updates from the requested ``offset`` (like
Telegram, updates below the offset are confirmed and forgotten); ``/sendMessage`` records the
message; ``/getMe`` names the bot. ``fail(method, ...)`` queues faults for the next calls of a
method: an HTTP status with a Bot API error body (429 with ``retry_after``), or a raw body
(malformed JSON). ``raw_update`` queues an update exactly as given (malformed ones included).
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.local_http import reply_json, serving

TOKEN = "123456789:AAHfakeTokenForTestsOnly_abcdefghijk"


@dataclass
class Fault:
    status: int
    body: bytes
    delay: float = 0.0  # seconds the server says nothing first (a hung peer)


@dataclass
class FakeTelegram:
    token: str = TOKEN
    url: str = ""
    updates: list[Any] = field(default_factory=list)  # raw updates, in queue order
    sent: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    faults: dict[str, deque[Fault]] = field(default_factory=lambda: defaultdict(deque))
    lock: threading.Lock = field(default_factory=threading.Lock)
    _next_id: int = 1000
    _confirmed: int = 0  # updates below this offset are forgotten

    # -- scripting ---------------------------------------------------------------------------

    def message(self, text: str, *, chat: int = 5001, user: int = 5001, first: str = "Anna",
                language: str = "en") -> int:  # fmt: skip
        return self.raw_update(self._message(chat, user, first, language, {"text": text}))

    def contact(self, phone: str, *, chat: int = 5001, user: int = 5001,
                first: str = "Anna") -> int:  # fmt: skip
        extra = {"contact": {"phone_number": phone, "first_name": first, "user_id": user}}
        return self.raw_update(self._message(chat, user, first, "en", extra))

    def raw_update(self, update: Any, *, update_id: int | None = None) -> int:
        with self.lock:
            if update_id is None:
                self._next_id += 1
                update_id = self._next_id
            if isinstance(update, dict) and "update_id" not in update:
                update = {"update_id": update_id, **update}
            self.updates.append(update)
            return update_id

    def redeliver(self, update_id: int) -> None:
        """Telegram delivering an update again (at-least-once)."""
        with self.lock:
            original = next(u for u in self.updates if _uid(u) == update_id)
            self._confirmed = min(self._confirmed, update_id)
            self.updates.append(dict(original))

    def fail(self, method: str, status: int, *, retry_after: int | None = None,
             raw: bytes | None = None, times: int = 1) -> None:  # fmt: skip
        if raw is None:
            body: dict[str, Any] = {"ok": False, "error_code": status,
                                    "description": f"scripted {status}"}  # fmt: skip
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            raw = json.dumps(body).encode()
        for _ in range(times):
            self.faults[method].append(Fault(status, raw))

    def hang(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer normally, but only after ``seconds``."""
        for _ in range(times):
            self.faults[method].append(Fault(0, b"", delay=seconds))

    def texts(self, chat: int | None = None) -> list[str]:
        return [m["text"] for m in self.sent if chat is None or str(m["chat_id"]) == str(chat)]

    def count(self, method: str) -> int:
        return sum(1 for name, _ in self.calls if name == method)

    # -- serving -----------------------------------------------------------------------------

    def handle(self, method: str, body: dict[str, Any]) -> tuple[int, bytes]:
        with self.lock:
            self.calls.append((method, body))
            fault = self.faults[method].popleft() if self.faults[method] else None
        if fault is not None and fault.delay:
            time.sleep(fault.delay)  # outside the lock: the peer hangs, the server does not
            fault = None
        with self.lock:
            if fault is not None:
                return fault.status, fault.body
            if method == "getMe":
                return _ok({"id": 123456789, "is_bot": True, "first_name": "Sofia",
                            "username": "test_sofia_bot"})  # fmt: skip
            if method == "getUpdates":
                offset = int(body.get("offset") or 0)
                self._confirmed = max(self._confirmed, offset)
                pending = [u for u in self.updates if _uid(u) is None or _uid(u) >= offset]
                limit = int(body.get("limit") or 100)
                return _ok(pending[:limit])
            if method == "sendMessage":
                message = {"message_id": len(self.sent) + 1, "chat_id": body.get("chat_id"),
                           "text": body.get("text")}  # fmt: skip
                self.sent.append(message)
                chat = {"id": body.get("chat_id")}
                return _ok({"message_id": message["message_id"], "chat": chat,
                            "text": body.get("text")})  # fmt: skip
            return 404, json.dumps({"ok": False, "error_code": 404,
                                    "description": "Not Found"}).encode()  # fmt: skip

    @staticmethod
    def _message(chat: int, user: int, first: str, language: str,
                 extra: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
        return {"message": {
            "message_id": 1, "date": 1764000000,
            "from": {"id": user, "is_bot": False, "first_name": first, "language_code": language},
            "chat": {"id": chat, "type": "private", "first_name": first}, **extra,
        }}  # fmt: skip


def _uid(update: Any) -> int | None:
    value = update.get("update_id") if isinstance(update, dict) else None
    return value if isinstance(value, int) else None


def _ok(result: Any) -> tuple[int, bytes]:
    return 200, json.dumps({"ok": True, "result": result}).encode()


@contextmanager
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            prefix = f"/bot{fake.token}/"
            if not self.path.startswith(prefix):
                reply_json(self, 401, json.dumps({"ok": False, "error_code": 401,
                                             "description": "Unauthorized"}).encode())  # fmt: skip
                return
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            status, payload = fake.handle(self.path[len(prefix) :], body)
            reply_json(self, status, payload)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as url:
        fake.url = url
        yield fake
