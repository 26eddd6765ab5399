"""Reminders before the visit, through the guest's chat channel.

Offsets come from the restaurant's settings (``reminder_offsets_hours``, default 24 and 2).
A confirmed or reminded reservation whose guest has a conversation on this integration's
platform is due a reminder once ``starts_at - offset`` has passed (and the visit has not
started). When several offsets are due at once (a late booking, a worker that was off) only the
nearest is sent and the others are recorded as ``"skipped"``.

Each reminder is one transaction (``app.channels.atomic``): ``reservations.reminder_sent``
(``{"24h": "<when>", ...}``), confirmed → reminded (``lifecycle.change_status``, actor
``"sync"``) and the outbox row under the key ``remind:<reservation>:<offset>`` commit together,
so no restart and no second terminal sends it twice. On WhatsApp the row also carries the
template (integration settings ``reminder_template`` and ``template_language``; body
parameters: restaurant, date, time, guests) used when the 24-hour window is closed.

Threading: the calling thread (the worker's).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select

from app.channels import outbox, texts
from app.channels.atomic import turn_transaction
from app.channels.integrations import ChannelAccess
from app.channels.pickup import DEFAULT_TEMPLATE_LANGUAGE, recipient_of
from app.db.enums import IntegrationType, ReservationStatus
from app.db.models import ConversationThread, Reservation, Restaurant
from app.db.models.channels import OutboxKind
from app.services.database import Database
from app.services.lifecycle import change_status

log = logging.getLogger(__name__)

DEFAULT_OFFSETS = (24.0, 2.0)
DEFAULT_TEMPLATE = "booking_reminder"
SKIPPED = "skipped"
_DUE = (ReservationStatus.CONFIRMED, ReservationStatus.REMINDED)


def offsets_of(settings: dict[str, Any] | None) -> list[float]:
    """The restaurant's reminder offsets in hours, largest first (bad values fall back)."""
    raw = (settings or {}).get("reminder_offsets_hours", DEFAULT_OFFSETS)
    if not isinstance(raw, list | tuple):
        return list(DEFAULT_OFFSETS)
    numbers = [h for h in raw if isinstance(h, int | float) and not isinstance(h, bool)]
    hours = {float(h) for h in numbers if 0 < h <= 24 * 14}
    return sorted(hours, reverse=True)


def label(hours: float) -> str:
    return f"{hours:g}h"


def queue_due(db: Database, access: ChannelAccess, now: dt.datetime) -> int:
    """Queue every reminder due on this integration; the number queued."""
    with db.unit_of_work() as uow:
        restaurant = uow.session.get(Restaurant, access.restaurant_id)
        if restaurant is None:
            return 0
        name = restaurant.name
        offsets = offsets_of(restaurant.settings)
        if not offsets:
            return 0
        candidates = [
            r.id for r in uow.session.scalars(
                select(Reservation).where(
                    Reservation.restaurant_id == access.restaurant_id,
                    Reservation.status.in_(_DUE),
                    Reservation.starts_at > now,
                    Reservation.starts_at <= now + dt.timedelta(hours=offsets[0]),
                )
            )
            if _due_labels(r, offsets, now)
        ]  # fmt: skip
    queued = 0
    for reservation_id in candidates:
        try:
            queued += _remind(db, access, reservation_id, offsets, now, name)
        except Exception:
            log.exception("reminder for reservation %d failed", reservation_id)
    return queued


def _due_labels(reservation: Reservation, offsets: list[float], now: dt.datetime) -> list[str]:
    """Due offsets not yet handled, nearest last."""
    done = reservation.reminder_sent or {}
    starts = reservation.starts_at
    return [label(h) for h in offsets
            if now >= starts - dt.timedelta(hours=h) and label(h) not in done]  # fmt: skip


def _remind(
    db: Database,
    access: ChannelAccess,
    reservation_id: int,
    offsets: list[float],
    now: dt.datetime,
    restaurant: str,
) -> int:
    with turn_transaction(db) as turn:
        session = turn.session
        reservation = session.get(Reservation, reservation_id, populate_existing=True)
        if reservation is None or reservation.status not in _DUE:
            return 0
        due = _due_labels(reservation, offsets, now)
        thread = _thread(session, access, reservation)
        if not due or thread is None:
            return 0
        if reservation.status == ReservationStatus.CONFIRMED:
            change_status(turn.db, reservation.id, ReservationStatus.REMINDED, actor="sync",
                          now=now)  # fmt: skip
            session.refresh(reservation)
        sent = due[-1]
        record = dict(reservation.reminder_sent or {})
        record.update({key: SKIPPED for key in due[:-1]})
        record[sent] = now.isoformat()
        reservation.reminder_sent = record
        values = {"code": reservation.confirmation_code, "restaurant": restaurant,
                  "date": texts.day(reservation.date), "time": reservation.time.strftime("%H:%M"),
                  "guests": reservation.guests}  # fmt: skip
        language = texts.language_of((thread.context or {}).get("lang"))
        payload: dict[str, Any] = {}
        if access.type == IntegrationType.WHATSAPP:
            payload["template"] = {
                "name": access.settings.get("reminder_template") or DEFAULT_TEMPLATE,
                "language": access.settings.get("template_language") or DEFAULT_TEMPLATE_LANGUAGE,
                "parameters": [restaurant, values["date"], values["time"], str(reservation.guests)],
            }  # fmt: skip
        added = outbox.enqueue(
            session, key=f"remind:{reservation.id}:{sent}", integration_id=access.integration_id,
            recipient=recipient_of(thread), text=texts.say("reminder", language, **values),
            kind=OutboxKind.REMINDER, now=now, conversation_id=thread.id,
            reservation_id=reservation.id, payload=payload,
        )  # fmt: skip
        log.info("reservation %d: %s reminder queued", reservation.id, sent)
        return int(added)


def _thread(
    session: Any, access: ChannelAccess, reservation: Reservation
) -> ConversationThread | None:
    """The conversation the booking was made in, else the guest's latest on this platform."""
    platform = access.type.value
    if reservation.conversation_id is not None:
        thread = session.get(ConversationThread, reservation.conversation_id)
        if thread is not None and thread.platform.value == platform:
            return thread
    return session.scalars(
        select(ConversationThread)
        .where(
            ConversationThread.restaurant_id == access.restaurant_id,
            ConversationThread.platform == platform,
            ConversationThread.guest_id == reservation.guest_id,
        )
        .order_by(
            ConversationThread.last_message_at.desc().nulls_last(), ConversationThread.id.desc()
        )
        .limit(1)
    ).first()
