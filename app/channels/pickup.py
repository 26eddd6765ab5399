"""Outbound messages that arise outside a guest's turn: confirmations and staff messages.

Confirmations: a reservation made in a channel conversation gets one message per distinct state
(booked, changed, cancelled), keyed ``confirm:<id>:<status>:<date>T<time>:<guests>``; a
booking that replaced a confirmed one (a staff reschedule) is announced as changed. When Sofia
booked it in the chat her reply already is the confirmation and carries that key (see
``confirmation_key``), so the scan finds it queued and sends nothing more. Staff messages typed
in the assistant panel (``app.sofia.inbox``, metadata ``"delivery": "pending"``) are queued as
``staff:<message id>`` and marked ``"queued"``.

On WhatsApp a confirmation may go out after the guest's 24-hour window closed (staff moved or
cancelled the booking a day later), when only a template message may be sent: its row carries
the template the integration names (setting ``confirmation_template``, default
``booking_update``, language ``template_language``; body parameters: the restaurant and the
confirmation text), which ``app.channels.whatsapp_flow.send`` uses outside the window.

Threading: each function is one unit of work on the calling thread.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.channels import outbox, texts
from app.channels.integrations import ChannelAccess
from app.db.enums import IntegrationType, ReservationStatus, SenderType
from app.db.models import (
    ConversationThread,
    IntegrationSetting,
    Message,
    OutboxMessage,
    Reservation,
    Restaurant,
)
from app.db.models.channels import OutboxKind
from app.services.database import Database

CONFIRMED_LIKE = {ReservationStatus.CONFIRMED, ReservationStatus.REMINDED}
STAFF_LOOKBACK = dt.timedelta(days=7)
DEFAULT_CONFIRMATION_TEMPLATE = "booking_update"
DEFAULT_TEMPLATE_LANGUAGE = "en_US"


def confirmation_key(reservation: Reservation) -> str | None:
    """The key of the message confirming the reservation's current state (None: nothing to say)."""
    if reservation.status in CONFIRMED_LIKE:
        status = "confirmed"
    elif reservation.status == ReservationStatus.CANCELLED:
        status = "cancelled"
    else:
        return None
    when = f"{reservation.date.isoformat()}T{reservation.time.strftime('%H:%M')}"
    return f"confirm:{reservation.id}:{status}:{when}:{reservation.guests}"


def recipient_of(thread: ConversationThread) -> str:
    return thread.thread_id or thread.platform_user_id


def queue_pending(db: Database, access: ChannelAccess, now: dt.datetime) -> int:
    """Queue confirmations and staff messages due for this integration; the number queued."""
    with db.unit_of_work() as uow:
        session = uow.session
        platform = access.type.value
        setting = session.get(IntegrationSetting, access.integration_id)
        since = setting.created_at if setting is not None else now
        restaurant = session.get(Restaurant, access.restaurant_id)
        name = restaurant.name if restaurant is not None else ""
        added = 0
        rows = session.execute(
            select(Reservation, ConversationThread)
            .join(ConversationThread, Reservation.conversation_id == ConversationThread.id)
            .where(
                ConversationThread.restaurant_id == access.restaurant_id,
                ConversationThread.platform == platform,
                Reservation.starts_at > now,
                Reservation.updated_at >= since,
                Reservation.status.in_(CONFIRMED_LIKE | {ReservationStatus.CANCELLED}),
            )
        ).all()
        for reservation, thread in rows:
            key = confirmation_key(reservation)
            if key is None or outbox.key_exists(session, key):
                continue
            text = confirmation_text(session, reservation, thread, name)
            payload: dict[str, object] = {}
            if access.type == IntegrationType.WHATSAPP:  # used outside the 24-hour window
                payload["template"] = {
                    "name": access.settings.get("confirmation_template")
                    or DEFAULT_CONFIRMATION_TEMPLATE,
                    "language": access.settings.get("template_language")
                    or DEFAULT_TEMPLATE_LANGUAGE,
                    "parameters": [name, text],
                }
            added += outbox.enqueue(
                session, key=key, integration_id=access.integration_id,
                recipient=recipient_of(thread), text=text, kind=OutboxKind.CONFIRMATION, now=now,
                conversation_id=thread.id, reservation_id=reservation.id, payload=payload,
            )  # fmt: skip
        messages = session.execute(
            select(Message, ConversationThread)
            .join(ConversationThread, Message.conversation_id == ConversationThread.id)
            .where(
                ConversationThread.restaurant_id == access.restaurant_id,
                ConversationThread.platform == platform,
                Message.sender_type == SenderType.AGENT,
                Message.created_at >= now - STAFF_LOOKBACK,
            )
            .order_by(Message.id)
        ).all()
        for message, thread in messages:
            meta = dict(message.meta or {})
            if meta.get("delivery") != "pending":
                continue
            added += outbox.enqueue(
                session, key=f"staff:{message.id}", integration_id=access.integration_id,
                recipient=recipient_of(thread), text=message.message_text, kind=OutboxKind.STAFF,
                now=now, conversation_id=thread.id, payload={"message_id": message.id},
            )  # fmt: skip
            message.meta = {**meta, "delivery": "queued"}
        if added:
            uow.changed("outbox", access.integration_id)
        uow.commit()
        return added


def confirmation_text(
    session: Session, reservation: Reservation, thread: ConversationThread, restaurant: str
) -> str:
    language = texts.language_of((thread.context or {}).get("lang"))
    values = {"code": reservation.confirmation_code, "restaurant": restaurant,
              "date": texts.day(reservation.date), "time": reservation.time.strftime("%H:%M"),
              "guests": reservation.guests}  # fmt: skip
    if reservation.status == ReservationStatus.CANCELLED:
        return texts.say("cancelled", language, **values)
    # A staff reschedule replaces the booking with a new one: the guest was told about the one
    # it replaced, so for them it "has changed" (followed back through the chain).
    ids: list[int] = []
    source: Reservation | None = reservation
    while source is not None and source.id not in ids and len(ids) < 20:
        ids.append(source.id)
        source = source.rescheduled_from
    earlier = session.scalar(
        select(OutboxMessage.id)
        .where(or_(*(OutboxMessage.idempotency_key.startswith(f"confirm:{i}:confirmed:")
                     for i in ids)))
        .limit(1)
    )  # fmt: skip
    return texts.say("changed" if earlier else "confirmed", language, **values)


def mark_staff_sent(db: Database, message_id: int) -> None:
    with db.unit_of_work() as uow:
        message = uow.session.get(Message, message_id)
        if message is not None:
            message.meta = {**(message.meta or {}), "delivery": "sent"}
            uow.changed("conversation", message.conversation_id)
        uow.commit()
