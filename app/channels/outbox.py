"""The outbox: every outbound channel message, once, under a unique idempotency key.

``enqueue`` adds a row in the caller's session (so it commits with whatever caused it) unless
the key exists. Delivery is claim → send → mark: the claim (``pending`` → ``sending``, one
attempt counted) is committed before the HTTP call, so a worker stopped after sending can never
send the row again; ``recover_interrupted`` turns such rows into ``failed`` ("delivery
uncertain") when a worker takes the integration over. A row that failed for sure goes back to
``pending`` with an exponential ``next_attempt_at`` until ``MAX_ATTEMPTS``.

Threading: each function is one unit of work (or uses the caller's session) on the calling thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.db.models import OutboxMessage
from app.db.models.channels import OutboxKind, OutboxStatus
from app.services.database import Database

MAX_ATTEMPTS = 8
BASE_RETRY_SECONDS = 5.0
MAX_RETRY_SECONDS = 3600.0
UNCERTAIN = "delivery uncertain: the worker stopped while sending; not resent to avoid a duplicate"


@dataclass(frozen=True)
class Outgoing:
    id: int
    integration_id: int
    recipient: str
    text: str
    kind: OutboxKind
    attempts: int
    payload: dict[str, Any]


def enqueue(
    session: Session,
    *,
    key: str,
    integration_id: int,
    recipient: str,
    text: str,
    kind: OutboxKind,
    now: dt.datetime,
    conversation_id: int | None = None,
    reservation_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> bool:
    """Add the message unless ``key`` is already queued or sent; True when added."""
    exists = session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key))
    if exists is not None:
        return False
    session.add(
        OutboxMessage(
            idempotency_key=key,
            integration_id=integration_id,
            recipient=recipient,
            text=text,
            kind=kind,
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            conversation_id=conversation_id,
            reservation_id=reservation_id,
            payload=payload or {},
        )  # fmt: skip
    )
    session.flush()
    return True


def key_exists(session: Session, key: str) -> bool:
    found = session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key))
    return found is not None


def due(db: Database, integration_id: int, now: dt.datetime, limit: int = 50) -> list[Outgoing]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.integration_id == integration_id,
                OutboxMessage.status == OutboxStatus.PENDING,
                or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        ).all()
        return [Outgoing(r.id, r.integration_id, r.recipient, r.text, r.kind, r.attempts,
                         dict(r.payload or {})) for r in rows]  # fmt: skip


def claim(db: Database, row_id: int, now: dt.datetime) -> bool:
    """``pending`` → ``sending`` (committed); False when another worker or a retry got it."""
    with db.unit_of_work() as uow:
        result = uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(
                status=OutboxStatus.SENDING, attempts=OutboxMessage.attempts + 1, updated_at=now
            )  # fmt: skip
        )
        uow.commit()
        return bool(getattr(result, "rowcount", 0) == 1)


def mark_sent(db: Database, row_id: int, now: dt.datetime, external_id: str | None) -> None:
    _finish(db, row_id, status=OutboxStatus.SENT, sent_at=now, external_id=external_id,
            last_error=None, updated_at=now)  # fmt: skip


def mark_failed(db: Database, row_id: int, now: dt.datetime, error: str) -> None:
    _finish(db, row_id, status=OutboxStatus.FAILED, last_error=error[:500], updated_at=now)


def retry_later(
    db: Database, row_id: int, now: dt.datetime, error: str, *, after: float | None = None
) -> bool:
    """Back to ``pending`` after a delay (``failed`` after ``MAX_ATTEMPTS``); True if kept."""
    with db.unit_of_work() as uow:
        row = uow.session.get(OutboxMessage, row_id)
        if row is None:
            return False
        if row.attempts >= MAX_ATTEMPTS:
            row.status = OutboxStatus.FAILED
            row.last_error = f"gave up after {row.attempts} attempts: {error}"[:500]
            kept = False
        else:
            delay = after if after is not None else backoff(row.attempts)
            row.status = OutboxStatus.PENDING
            row.next_attempt_at = now + dt.timedelta(seconds=delay)
            row.last_error = error[:500]
            kept = True
        uow.commit()
        return kept


def release_claim(db: Database, row_id: int, error: str) -> None:
    """The send was not attempted after all (the integration itself failed): not an attempt."""
    with db.unit_of_work() as uow:
        row = uow.session.get(OutboxMessage, row_id)
        if row is not None and row.status == OutboxStatus.SENDING:
            row.status = OutboxStatus.PENDING
            row.attempts = max(0, row.attempts - 1)
            row.last_error = error[:500]
        uow.commit()


def recover_interrupted(db: Database, integration_id: int, now: dt.datetime) -> int:
    """Rows a stopped worker left in ``sending`` → ``failed`` (never resent). The count."""
    with db.unit_of_work() as uow:
        result = uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.integration_id == integration_id,
                   OutboxMessage.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.FAILED, last_error=UNCERTAIN, updated_at=now)
        )  # fmt: skip
        uow.commit()
        return int(getattr(result, "rowcount", 0) or 0)


def backoff(attempts: int) -> float:
    return min(BASE_RETRY_SECONDS * 2 ** max(0, attempts - 1), MAX_RETRY_SECONDS)


def _finish(db: Database, row_id: int, **values: Any) -> None:
    with db.unit_of_work() as uow:
        uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values)
        )
        uow.commit()
