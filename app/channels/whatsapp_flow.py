"""WhatsApp messages in and out: one guest turn per ``wamid``, and the 24-hour window on sending.

``handle_incoming`` runs a guest's message through Sofia exactly once: the processed-update
record (external id = ``wamid``), Sofia's turn and the reply's outbox row commit together
(``app.channels.atomic``), so a message delivered twice, or again after a crash, is handled once.
The record's ``created_at`` is when the guest wrote (the message's timestamp, never later than
the clock), which is what ``last_inbound`` reads to know the customer-service window.

``send`` delivers one outbox row: free text while the window is open; outside it only a row
carrying a template (reminders, ``app.channels.reminders``, and confirmations of bookings staff
changed or cancelled, ``app.channels.pickup``) goes, as a template message; anything else (Sofia's
replies, staff messages) is refused (``OutsideWindow``) without calling Meta.

Threading: each function runs on the calling thread (the webhook's or the worker's).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.channels import outbox, pickup, texts
from app.channels.atomic import turn_transaction
from app.channels.integrations import ChannelAccess
from app.channels.outbox import Outgoing
from app.channels.whatsapp import IncomingMessage, OutsideWindow, WhatsAppClient
from app.db.enums import Platform
from app.db.models import ChannelUpdate, Reservation
from app.db.models.channels import OutboxKind, UpdateOutcome
from app.services.database import Database
from app.sofia.assistant import handle_message
from app.sofia.engine import SofiaEngine

log = logging.getLogger(__name__)

WINDOW = dt.timedelta(hours=24)


def handle_incoming(
    db: Database,
    access: ChannelAccess,
    message: IncomingMessage,
    now: dt.datetime,
    engine: SofiaEngine,
) -> int:
    """Handle one message exactly once; 1 when it was new, 0 when already seen."""
    received = min(message.sent_at, now) if message.sent_at else now
    if message.kind != "text":
        return record(db, access, message, UpdateOutcome.SKIPPED, received)
    try:
        return _turn(db, access, message, now, received, engine)
    except IntegrityError:
        if seen(db, access.integration_id, message.wamid):
            return 0  # a concurrent delivery of the same message won
        raise
    except SQLAlchemyError:
        raise  # the database is in trouble: Meta delivers it again later
    except Exception as exc:
        log.exception("integration %d: message %s failed", access.integration_id, message.wamid)
        detail = f"{type(exc).__name__}: {exc}"
        return record(db, access, message, UpdateOutcome.FAILED, received, detail, apology=True)


def _turn(
    db: Database,
    access: ChannelAccess,
    message: IncomingMessage,
    now: dt.datetime,
    received: dt.datetime,
    engine: SofiaEngine,
) -> int:
    with turn_transaction(db) as turn:
        session = turn.session
        if _seen(session, access.integration_id, message.wamid):
            return 0
        reply = handle_message(
            turn.db, access.restaurant_id, Platform.WHATSAPP.value, message.wa_id, message.text,
            thread_id=message.wa_id, now=now, engine=engine, phone="+" + message.wa_id,
            name=message.name,
        )  # fmt: skip
        key, kind, reservation_id = f"reply:{access.integration_id}:{message.wamid}", None, None
        if reply.reservation_id is not None:
            reservation = session.get(Reservation, reply.reservation_id)
            confirm = pickup.confirmation_key(reservation) if reservation else None
            if confirm and not outbox.key_exists(session, confirm):
                key, kind, reservation_id = confirm, OutboxKind.CONFIRMATION, reply.reservation_id
        session.add(ChannelUpdate(
            integration_id=access.integration_id, external_id=message.wamid,
            outcome=UpdateOutcome.PROCESSED, chat_id=message.wa_id,
            conversation_id=reply.conversation_id, created_at=received,
        ))  # fmt: skip
        if reply.text:  # empty: a colleague holds the thread, send nothing
            outbox.enqueue(
                session, key=key, integration_id=access.integration_id, recipient=message.wa_id,
                text=reply.text, kind=kind or OutboxKind.REPLY, now=now,
                conversation_id=reply.conversation_id, reservation_id=reservation_id,
            )  # fmt: skip
    return 1


def record(
    db: Database,
    access: ChannelAccess,
    message: IncomingMessage,
    outcome: UpdateOutcome,
    received: dt.datetime,
    detail: str | None = None,
    *,
    apology: bool = False,
) -> int:
    """Record a message that is not a guest turn (skipped, failed); 0 when already seen."""
    with db.unit_of_work() as uow:
        session = uow.session
        if _seen(session, access.integration_id, message.wamid):
            return 0
        session.add(ChannelUpdate(
            integration_id=access.integration_id, external_id=message.wamid, outcome=outcome,
            chat_id=message.wa_id, detail=(detail or "")[:500] or None, created_at=received,
        ))  # fmt: skip
        if apology:
            outbox.enqueue(
                session, key=f"reply:{access.integration_id}:{message.wamid}",
                integration_id=access.integration_id, recipient=message.wa_id,
                text=texts.say("sorry", None), kind=OutboxKind.REPLY, now=received,
            )  # fmt: skip
        uow.commit()
    return 1


def seen(db: Database, integration_id: int, wamid: str) -> bool:
    with db.unit_of_work() as uow:
        return _seen(uow.session, integration_id, wamid)


def last_inbound(session: Session, integration_id: int, chat: str) -> dt.datetime | None:
    """When the guest last wrote to this number (any message we received)."""
    return session.scalar(
        select(func.max(ChannelUpdate.created_at)).where(
            ChannelUpdate.integration_id == integration_id, ChannelUpdate.chat_id == chat
        )
    )


def window_open(db: Database, integration_id: int, chat: str, now: dt.datetime) -> bool:
    with db.unit_of_work() as uow:
        last = last_inbound(uow.session, integration_id, chat)
    return last is not None and now - last < WINDOW


def send(
    db: Database, access: ChannelAccess, client: WhatsAppClient, row: Outgoing, now: dt.datetime
) -> str:
    """Deliver one outbox row; its ``wamid``. ``OutsideWindow`` when it may not go as it is."""
    template = row.payload.get("template")
    if window_open(db, access.integration_id, row.recipient, now):
        return client.send_text(row.recipient, row.text)
    if isinstance(template, dict) and template.get("name"):
        parameters = [str(p) for p in template.get("parameters") or []]
        language = str(template.get("language") or "en_US")
        return client.send_template(row.recipient, str(template["name"]), language, parameters)
    raise OutsideWindow(
        "outside the 24-hour customer-service window: only a template message may be sent"
    )


def _seen(session: Session, integration_id: int, wamid: str) -> bool:
    found = session.scalar(
        select(ChannelUpdate.id).where(
            ChannelUpdate.integration_id == integration_id, ChannelUpdate.external_id == wamid
        )
    )
    return found is not None
