"""The channel sync worker: carries guests' messages to Sofia and her replies back.

``run_once`` does one round over every active integration this terminal may serve (one worker
per integration across terminals, ``app.channels.locks``; the others stand by):

1. Telegram: ``getUpdates`` from the stored offset, each update in one transaction
   (``app.channels.atomic``): Sofia's turn, the processed-update record, the next offset and
   the reply's outbox row commit together or not at all. (WhatsApp messages arrive through the
   webhook, ``app.channels.webhook``, by the same path.)
2. confirmations and staff messages due are queued (``app.channels.pickup``), and reminders
   (``app.channels.reminders``);
3. pending outbox rows are sent within the integration's token buckets (WhatsApp: text inside
   the 24-hour window, templates outside it, ``app.channels.whatsapp_flow``).

The integration's ``last_sync``, ``error_count`` (consecutive failed rounds) and ``last_error``
are kept; after ``CIRCUIT_THRESHOLD`` failed rounds the circuit opens and the integration is
left alone for a growing pause. The clock and ``sleep`` are injected (tests never wait).

Threading: a worker and its clients belong to the thread that runs it; ``run_forever`` returns
when ``stop_event`` is set (checked between rounds and during pauses).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.channels import health, outbox, pickup, reminders, texts, whatsapp_flow
from app.channels.atomic import turn_transaction
from app.channels.errors import DeliveryUncertain, RateLimited
from app.channels.integrations import ChannelAccess, active_accesses
from app.channels.locks import PollerLock, poller_lock
from app.channels.ratelimit import ChannelLimiter
from app.channels.telegram import (
    IncomingUpdate,
    MalformedUpdate,
    Rejected,
    TelegramClient,
    TelegramError,
    parse_update,
    redact,
)
from app.channels.whatsapp import DEFAULT_VERSION, WhatsAppClient
from app.db.enums import IntegrationType, Platform
from app.db.models import ChannelCursor, ChannelUpdate, Reservation, Restaurant
from app.db.models.channels import OutboxKind, UpdateOutcome
from app.security.secrets import SecretUnreadable
from app.services.database import Database
from app.sofia.assistant import handle_message
from app.sofia.engine import SofiaEngine
from app.sofia.engines import engine_for_restaurant

log = logging.getLogger(__name__)

CIRCUIT_THRESHOLD = 5
CIRCUIT_BASE_PAUSE = 30.0  # seconds; doubles per further failure up to CIRCUIT_MAX_PAUSE
CIRCUIT_MAX_PAUSE = 900.0
IDLE_PAUSE = 1.0  # between rounds of run_forever when nothing long-polls
_TYPES = (IntegrationType.TELEGRAM, IntegrationType.WHATSAPP)


@dataclass
class RoundReport:
    polled: list[int] = field(default_factory=list)  # integration ids this worker polled
    standby: list[int] = field(default_factory=list)  # held by another worker
    skipped: list[int] = field(default_factory=list)  # circuit open
    failed: list[int] = field(default_factory=list)
    updates: int = 0
    sent: int = 0


@dataclass
class _State:
    lock: PollerLock
    limiter: ChannelLimiter | None = None
    client: TelegramClient | WhatsAppClient | None = None
    client_key: tuple[object, ...] = ()  # what the client was built from
    recovered: bool = False
    circuit_until: float = 0.0


class SyncWorker:
    def __init__(
        self,
        db: Database,
        *,
        now: Callable[[], dt.datetime] | None = None,
        sleep: Callable[[float], None] | None = None,
        restaurant_id: int | None = None,
        engine: SofiaEngine | None = None,
        long_poll: bool = False,
        read_timeout: float = 15.0,
    ) -> None:
        self.db = db
        self.read_timeout = read_timeout  # seconds a channel API may take to answer
        self.now = now or (lambda: dt.datetime.now(dt.UTC))
        self.sleep = sleep or time.sleep
        self.restaurant_id = restaurant_id
        self.engine = engine
        self.long_poll = long_poll
        self._states: dict[int, _State] = {}

    # -- loop --------------------------------------------------------------------------------

    def run_forever(self, stop_event: threading.Event) -> None:
        """Rounds until ``stop_event`` is set; errors are logged, never fatal."""
        try:
            while not stop_event.is_set():
                try:
                    report = self.run_once()
                except Exception:
                    log.exception("sync round failed")
                    report = RoundReport()
                if not (self.long_poll and report.polled):
                    stop_event.wait(IDLE_PAUSE)
        finally:
            self.close()

    def close(self) -> None:
        for state in self._states.values():
            state.lock.release()
            if state.client is not None:
                state.client.close()
        self._states.clear()

    def run_once(self) -> RoundReport:
        report = RoundReport()
        try:
            accesses = active_accesses(self.db, self.restaurant_id, _TYPES)
        except SecretUnreadable as exc:
            log.error("channel credentials unreadable: %s", exc.message)
            return report
        single = len(accesses) == 1
        for access in accesses:
            state = self._state(access)
            if not state.lock.acquire():
                report.standby.append(access.integration_id)
                continue
            if self.now().timestamp() < state.circuit_until:
                report.skipped.append(access.integration_id)
                continue
            report.polled.append(access.integration_id)
            try:
                self._round(access, state, report, long_poll=self.long_poll and single)
            except (TelegramError, SQLAlchemyError) as exc:
                report.failed.append(access.integration_id)
                self._record_failure(access, state, _describe(exc))
            else:
                self._record_success(access)
        return report

    # -- one integration ---------------------------------------------------------------------

    def _state(self, access: ChannelAccess) -> _State:
        state = self._states.get(access.integration_id)
        if state is None:
            state = _State(poller_lock(self.db, access.integration_id))
            self._states[access.integration_id] = state
        token = access.credentials.get("token")
        wa_token = access.credentials.get("access_token")
        key = (access.api_base_url, token, wa_token, access.settings.get("api_version"),
               access.settings.get("phone_number_id"))  # fmt: skip
        if state.client is not None and key != state.client_key:  # edited in the meantime
            state.client.close()
            state.client = None
        state.client_key = key
        if state.client is None and access.type == IntegrationType.TELEGRAM and token:
            state.client = TelegramClient(access.api_base_url, token, sleep=self.sleep,
                                          read_timeout=self.read_timeout)  # fmt: skip
        elif state.client is None and access.type == IntegrationType.WHATSAPP and wa_token:
            version = str(access.settings.get("api_version") or DEFAULT_VERSION)
            number = str(access.settings.get("phone_number_id") or "")
            state.client = WhatsAppClient(access.api_base_url, number, wa_token,
                                          version=version, sleep=self.sleep,
                                          read_timeout=self.read_timeout)  # fmt: skip
        if state.limiter is None or state.limiter.limits != access.rate_limits:  # edited meanwhile
            state.limiter = ChannelLimiter(access.rate_limits, lambda: self.now().timestamp())
        return state

    def _round(
        self, access: ChannelAccess, state: _State, report: RoundReport, *, long_poll: bool
    ) -> None:
        client = state.client
        if client is None:
            raise Rejected("the integration has no token")
        if not state.recovered:
            lost = outbox.recover_interrupted(self.db, access.integration_id, self.now())
            if lost:
                log.warning("%d message(s) were being sent when a worker stopped; not resent", lost)
            state.recovered = True
        if isinstance(client, TelegramClient):
            offset = self._offset(access.integration_id)
            timeout = int(access.settings.get("poll_timeout", 25)) if long_poll else 0
            limit = int(access.settings.get("poll_limit", 100))
            raw_updates = client.get_updates(offset, timeout=timeout, limit=limit)
            engine = self.engine or engine_for_restaurant(self.db, access.restaurant_id)
            for raw in raw_updates:
                report.updates += self._process(access, raw, engine)
        pickup.queue_pending(self.db, access, self.now())
        reminders.queue_due(self.db, access, self.now())
        report.sent += self.deliver(access, state)

    def _offset(self, integration_id: int) -> int:
        with self.db.unit_of_work() as uow:
            cursor = uow.session.get(ChannelCursor, integration_id)
            return cursor.next_offset if cursor is not None else 0

    def _process(self, access: ChannelAccess, raw: object, engine: SofiaEngine) -> int:
        """Handle one raw update exactly once; 1 when it was new."""
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if isinstance(update_id, bool) or not isinstance(update_id, int):
            log.warning("integration %d: an update without an update_id, skipped",
                        access.integration_id)  # fmt: skip
            return 0
        try:
            update = parse_update(raw)
        except MalformedUpdate as exc:
            log.warning("integration %d: malformed update skipped: %s", access.integration_id, exc)
            return self._record(access, update_id, UpdateOutcome.MALFORMED, detail=str(exc))
        if update.kind == "other" or update.chat_type not in ("private", ""):
            return self._record(access, update_id, UpdateOutcome.SKIPPED, chat=update.chat_id)
        try:
            return self._turn(access, update, engine)
        except SQLAlchemyError:
            raise  # the database is in trouble: stop the round, the update is tried again
        except Exception as exc:
            log.exception("integration %d: update %d failed", access.integration_id, update_id)
            return self._record(access, update_id, UpdateOutcome.FAILED, chat=update.chat_id,
                                detail=_describe(exc), apology=update)  # fmt: skip

    def _turn(self, access: ChannelAccess, update: IncomingUpdate, engine: SofiaEngine) -> int:
        now = self.now()
        with turn_transaction(self.db) as turn:
            session = turn.session
            if _seen(session, access.integration_id, update.update_id):
                _advance(session, access.integration_id, update.update_id)
                return 0
            language = texts.language_of(update.language)
            conversation_id = None
            key = f"reply:{access.integration_id}:{update.update_id}"
            kind, reservation_id = OutboxKind.REPLY, None
            if update.kind == "command" and update.command != "/cancel":
                restaurant = session.get(Restaurant, access.restaurant_id)
                name = restaurant.name if restaurant is not None else ""
                word = "start" if update.command == "/start" else "help"
                text = texts.say(word, language, restaurant=name)
            else:
                message = {"text": update.text, "contact": update.phone or "",
                           "command": "cancel"}[update.kind]  # fmt: skip
                reply = handle_message(
                    turn.db, access.restaurant_id, Platform.TELEGRAM.value, update.user_id,
                    message, thread_id=update.chat_id, now=now, engine=engine,
                    phone=update.phone, name=update.name,
                )  # fmt: skip
                text, conversation_id = reply.text, reply.conversation_id
                if reply.reservation_id is not None:
                    reservation = session.get(Reservation, reply.reservation_id)
                    confirm = pickup.confirmation_key(reservation) if reservation else None
                    if confirm and not outbox.key_exists(session, confirm):
                        key, kind = confirm, OutboxKind.CONFIRMATION
                        reservation_id = reply.reservation_id
            session.add(ChannelUpdate(
                integration_id=access.integration_id, external_id=str(update.update_id),
                outcome=UpdateOutcome.PROCESSED, chat_id=update.chat_id,
                conversation_id=conversation_id,
            ))  # fmt: skip
            if text:  # empty: a colleague holds the thread, send nothing
                outbox.enqueue(
                    session, key=key, integration_id=access.integration_id,
                    recipient=update.chat_id, text=text, kind=kind, now=now,
                    conversation_id=conversation_id, reservation_id=reservation_id,
                )  # fmt: skip
            _advance(session, access.integration_id, update.update_id)
            self.after_commit_point(update)
        return 1

    def after_commit_point(self, update: IncomingUpdate) -> None:
        """A seam for fault tests: runs just before the turn's transaction commits."""

    def _record(
        self,
        access: ChannelAccess,
        update_id: int,
        outcome: UpdateOutcome,
        *,
        chat: str | None = None,
        detail: str | None = None,
        apology: IncomingUpdate | None = None,
    ) -> int:
        now = self.now()
        with self.db.unit_of_work() as uow:
            session = uow.session
            if _seen(session, access.integration_id, update_id):
                _advance(session, access.integration_id, update_id)
                uow.commit()
                return 0
            session.add(
                ChannelUpdate(
                    integration_id=access.integration_id,
                    external_id=str(update_id),
                    outcome=outcome,
                    chat_id=chat or None,
                    detail=(detail or "")[:500] or None,
                )  # fmt: skip
            )
            if apology is not None and apology.chat_id:
                outbox.enqueue(
                    session, key=f"reply:{access.integration_id}:{update_id}",
                    integration_id=access.integration_id, recipient=apology.chat_id,
                    text=texts.say("sorry", texts.language_of(apology.language)),
                    kind=OutboxKind.REPLY, now=now,
                )  # fmt: skip
            _advance(session, access.integration_id, update_id)
            uow.commit()
        return 1

    # -- sending -----------------------------------------------------------------------------

    def deliver(self, access: ChannelAccess, state: _State) -> int:
        """Send what is due; stops at the first integration-wide failure (raised)."""
        client, limiter = state.client, state.limiter
        assert client is not None and limiter is not None
        sent = 0
        for row in outbox.due(self.db, access.integration_id, self.now()):
            wait = limiter.reserve(row.recipient)
            while wait > 0:
                self.sleep(wait)
                wait = limiter.reserve(row.recipient)
            if not outbox.claim(self.db, row.id, self.now()):
                continue
            try:
                external = self._send(access, client, row)
            except Rejected as exc:
                outbox.mark_failed(self.db, row.id, self.now(), _describe(exc))
                continue
            except DeliveryUncertain as exc:
                outbox.mark_failed(self.db, row.id, self.now(), _describe(exc))
                continue
            except RateLimited as exc:
                outbox.retry_later(self.db, row.id, self.now(), _describe(exc),
                                   after=exc.retry_after)  # fmt: skip
                raise
            except TelegramError as exc:
                outbox.retry_later(self.db, row.id, self.now(), _describe(exc))
                raise
            outbox.mark_sent(self.db, row.id, self.now(), external)
            if row.kind == OutboxKind.STAFF and isinstance(row.payload.get("message_id"), int):
                pickup.mark_staff_sent(self.db, row.payload["message_id"])
            sent += 1
        return sent

    def _send(
        self, access: ChannelAccess, client: TelegramClient | WhatsAppClient, row: outbox.Outgoing
    ) -> str | None:
        """Send one row; the channel's message id."""
        if isinstance(client, WhatsAppClient):
            return whatsapp_flow.send(self.db, access, client, row, self.now()) or None
        message_id = client.send_message(row.recipient, row.text).get("message_id")
        return str(message_id) if message_id is not None else None

    # -- integration state -------------------------------------------------------------------

    def _record_success(self, access: ChannelAccess) -> None:
        health.record_success(self.db, access.integration_id, self.now())

    def _record_failure(self, access: ChannelAccess, state: _State, error: str) -> None:
        count = health.record_failure(self.db, access.integration_id, error)
        if count >= CIRCUIT_THRESHOLD:
            pause = min(CIRCUIT_BASE_PAUSE * 2 ** (count - CIRCUIT_THRESHOLD), CIRCUIT_MAX_PAUSE)
            state.circuit_until = self.now().timestamp() + pause
            log.warning("integration %d: circuit open for %g s", access.integration_id, pause)


def _seen(session: Session, integration_id: int, update_id: int) -> bool:
    found = session.scalar(
        select(ChannelUpdate.id).where(
            ChannelUpdate.integration_id == integration_id,
            ChannelUpdate.external_id == str(update_id),
        )
    )
    return found is not None


def _advance(session: Session, integration_id: int, update_id: int) -> None:
    cursor = session.get(ChannelCursor, integration_id)
    if cursor is None:
        session.add(ChannelCursor(integration_id=integration_id, next_offset=update_id + 1))
    elif cursor.next_offset <= update_id:
        cursor.next_offset = update_id + 1


def _describe(exc: BaseException) -> str:
    text = exc.message if hasattr(exc, "message") else str(exc)
    return redact(f"{type(exc).__name__}: {text}")[:500]
