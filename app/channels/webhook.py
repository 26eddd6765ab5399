"""The WhatsApp webhook the sync worker serves (``python main.py sync --webhook-port N``).

It listens on plain HTTP (127.0.0.1 by default) behind the restaurant's HTTPS proxy, which
Meta calls. ``GET`` is the verification handshake: ``hub.mode=subscribe`` and a
``hub.verify_token`` equal to an active WhatsApp integration's verify token → 200 with
``hub.challenge`` as the body, otherwise 403. ``POST`` must carry ``X-Hub-Signature-256``
matching the raw body under an active integration's app secret (403 and nothing changed
otherwise); each message then goes to its number's integration and is handled exactly once
(``app.channels.whatsapp_flow``). The answer is 200 once the messages are committed — a
malformed payload is logged and answered 200 too (Meta would only send it again) — and 500
when the database failed, so Meta delivers again and the ``wamid`` record keeps it to once.
Turns are handled one at a time. Replies go to the outbox; the worker sends them.

Threading: ``WebhookServer.start`` serves on its own threads (one per request);
``stop`` shuts it down. The clock and Sofia's engine are injected for tests.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy.exc import SQLAlchemyError

from app.channels import whatsapp_flow
from app.channels.integrations import ChannelAccess, active_accesses
from app.channels.telegram import MalformedUpdate
from app.channels.whatsapp import parse_webhook, signature_ok
from app.db.enums import IntegrationType
from app.security.secrets import SecretUnreadable
from app.services.database import Database
from app.sofia.engine import SofiaEngine
from app.sofia.engines import engine_for_restaurant

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # bytes; Meta's payloads are a few kilobytes


class WhatsAppWebhook:
    """The webhook's logic, without HTTP: ``verify`` and ``receive`` return (status, body)."""

    def __init__(
        self,
        db: Database,
        *,
        restaurant_id: int | None = None,
        now: Callable[[], dt.datetime] | None = None,
        engine: SofiaEngine | None = None,
    ) -> None:
        self.db = db
        self.restaurant_id = restaurant_id
        self.now = now or (lambda: dt.datetime.now(dt.UTC))
        self.engine = engine
        self.handled = 0  # new messages handled (for logs and tests)
        self._turns = threading.Lock()

    def verify(self, query: str) -> tuple[int, bytes]:
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        token = params.get("hub.verify_token", "")
        if params.get("hub.mode") != "subscribe" or not token:
            return 403, b"forbidden"
        for access in self._accesses():
            expected = access.credentials.get("verify_token")
            if expected and hmac.compare_digest(expected.reveal().encode(), token.encode()):
                return 200, params.get("hub.challenge", "").encode()
        log.warning("webhook verification with a wrong verify token refused")
        return 403, b"forbidden"

    def receive(self, raw: bytes, signature: str | None) -> tuple[int, bytes]:
        accesses = self._accesses()
        secrets = [
            a for a in accesses
            if (key := a.credentials.get("app_secret")) and signature_ok(key, raw, signature)
        ]  # fmt: skip
        if not secrets:
            log.warning("webhook POST with a missing or wrong signature refused")
            return 403, b"forbidden"
        try:
            messages, problems = parse_webhook(json.loads(raw))
        except (ValueError, MalformedUpdate) as exc:
            log.warning("malformed webhook payload skipped: %s", str(exc)[:200])
            return 200, b"ok"
        for problem in problems:
            log.warning("webhook: part of a payload skipped: %s", problem[:200])
        by_number = {str(a.settings.get("phone_number_id")): a for a in secrets}
        try:
            with self._turns:
                for message in messages:
                    access = by_number.get(message.phone_number_id)
                    if access is None:
                        log.warning("webhook: a message for number %s, which is not ours",
                                    message.phone_number_id[:40])  # fmt: skip
                        continue
                    engine = self.engine or engine_for_restaurant(self.db, access.restaurant_id)
                    self.handled += whatsapp_flow.handle_incoming(
                        self.db, access, message, self.now(), engine
                    )
        except SQLAlchemyError:
            log.exception("webhook: the database failed; Meta will deliver again")
            return 500, b"try again"
        return 200, b"ok"

    def _accesses(self) -> list[ChannelAccess]:
        try:
            return active_accesses(self.db, self.restaurant_id, (IntegrationType.WHATSAPP,))
        except SecretUnreadable as exc:
            log.error("WhatsApp credentials unreadable: %s", exc.message)
            return []
        except SQLAlchemyError:
            log.exception("webhook: cannot read the integrations")
            return []


class WebhookServer:
    """Serves a ``WhatsAppWebhook`` over HTTP on ``host:port`` (port 0: any free port)."""

    def __init__(self, webhook: WhatsAppWebhook, port: int, host: str = "127.0.0.1") -> None:
        self.webhook = webhook
        self._server = ThreadingHTTPServer((host, port), _handler(webhook))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="whatsapp-webhook", daemon=True
        )
        self._thread.start()
        log.info("WhatsApp webhook listening on %s", self.url)

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.server_close()


def _handler(webhook: WhatsAppWebhook) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            status, body = webhook.verify(urlsplit(self.path).query)
            self._reply(status, body)

        def do_POST(self) -> None:  # noqa: N802
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY:
                self._reply(413 if length > 0 else 400, b"bad length")
                return
            raw = self.rfile.read(length) if length else b""
            try:
                status, body = webhook.receive(raw, self.headers.get("X-Hub-Signature-256"))
            except Exception:
                log.exception("webhook: unexpected failure")
                status, body = 500, b"error"
            self._reply(status, body)

        def _reply(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            log.debug("webhook %s", format % args)

    return Handler
