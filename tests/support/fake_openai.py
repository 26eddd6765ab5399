"""A real HTTP server on 127.0.0.1 speaking the OpenAI Chat Completions wire format.

Tests script its answers in order: a completion (``tool_calls(...)`` / ``text(...)``), an HTTP
error (``status(500)``) or a hang (``hang(seconds)``). Every request is kept, parsed, with its
headers, so tests assert on what the client really sent.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "gpt-4o-mini-2024-07-18"
_ids = itertools.count(1)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def system(self) -> str:
        return str(self.messages[0]["content"]) if self.messages else ""


@dataclass
class Action:
    kind: str  # "json", "status", "hang"
    status: int = 200
    payload: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def tool_calls(*calls: tuple[str, Any], usage: tuple[int, int] = (120, 30),
               model: str = MODEL) -> Action:  # fmt: skip
    """A completion asking for tools; a call's arguments are a dict, or a raw string as sent."""
    items = []
    for name, arguments in calls:
        raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
        items.append({"id": f"call_{next(_ids)}", "type": "function",
                      "function": {"name": name, "arguments": raw}})  # fmt: skip
    message = {"role": "assistant", "content": None, "tool_calls": items}
    return Action("json", payload=_completion(message, "tool_calls", usage, model))


def text(content: str, usage: tuple[int, int] = (150, 40), model: str = MODEL) -> Action:
    message = {"role": "assistant", "content": content}
    return Action("json", payload=_completion(message, "stop", usage, model))


def status(code: int, message: str = "server error") -> Action:
    return Action("status", status=code,
                  payload={"error": {"message": message, "type": "server_error"}})  # fmt: skip


def hang(seconds: float) -> Action:
    return Action("hang", seconds=seconds)


def _completion(message: dict[str, Any], finish: str, usage: tuple[int, int],
                model: str) -> dict[str, Any]:  # fmt: skip
    return {
        "id": f"chatcmpl-{next(_ids)}", "object": "chat.completion", "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1],
                  "total_tokens": usage[0] + usage[1]},
    }  # fmt: skip


class FakeOpenAI:
    def __init__(self) -> None:
        self.script: deque[Action] = deque()
        self.received: list[Received] = []
        self.release = threading.Event()  # ends any hang at shutdown
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def add(self, *actions: Action) -> FakeOpenAI:
        self.script.extend(actions)
        return self

    def completions(self) -> list[Received]:
        return [r for r in self.received if r.path.endswith("/chat/completions")]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep the test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                body = json.loads(raw or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.received.append(Received(self.path, headers, body))
                if self.path != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": "not found"}})
                action = fake.script.popleft() if fake.script else status(500, "no script")
                if action.kind == "hang":
                    fake.release.wait(action.seconds)
                    return None
                return self._send(action.status, action.payload)

            def _send(self, code: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.send_header("retry-after-ms", "5")  # retries in tests stay quick
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def running() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    server.start()
    try:
        yield server
    finally:
        server.stop()
