"""Guest look-ups for the host: summaries, search as you type, the full profile with history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.db.enums import ConversationStatus, Platform, ReservationStatus, SenderType, VipTier
from app.db.models import ConversationThread, Guest, Message, Reservation, ReservationTable
from app.errors import NotFound
from app.services.database import Database
from app.services.reservation_views import ReservationView, view_of

SEARCH_LIMIT = 20
# A profile shows the latest messages of each conversation; older ones stay in the database.
MESSAGES_PER_CONVERSATION = 50


@dataclass(frozen=True)
class GuestSummary:
    id: int
    name: str
    phone: str
    email: str | None
    vip_status: VipTier | None
    visit_count: int
    total_spent: Decimal
    last_visit: dt.date | None
    allergies: tuple[str, ...]
    blacklisted: bool
    notes: str | None
    preferred_times: tuple[str, ...]
    average_party_size: float | None
    loyalty_points: int = 0
    preferences: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class MessageView:
    sender: SenderType
    text: str
    sent_at: dt.datetime


@dataclass(frozen=True)
class ConversationView:
    id: int
    platform: Platform
    status: ConversationStatus
    started_at: dt.datetime
    last_message_at: dt.datetime | None
    agent_handoff: bool
    messages: tuple[MessageView, ...]


@dataclass(frozen=True)
class GuestProfile:
    guest: GuestSummary
    reservations: tuple[ReservationView, ...]
    no_shows: int
    cancellations: int
    conversations: tuple[ConversationView, ...] = ()


def guest_summary(guest: Guest) -> GuestSummary:
    return GuestSummary(
        guest.id, guest.name, guest.phone, guest.email, guest.vip_status, guest.visit_count,
        guest.total_spent, guest.last_visit, tuple(guest.allergies or ()), guest.blacklisted,
        guest.notes, tuple(guest.preferred_times or ()), guest.average_party_size,
        guest.loyalty_points or 0, dict(guest.preferences or {}),
    )  # fmt: skip


def phone_fragments(text: str) -> list[str]:
    """Digit strings a typed phone fragment may appear as in a stored E.164 number.

    Hosts type numbers the way guests say them: "8 916…" in Russia and "020…" in the UK
    carry a trunk prefix that the stored "+7916…" / "+4420…" does not.
    """
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < 3:
        return []
    fragments = [digits]
    if digits.startswith("8") and len(digits) >= 4:
        fragments.append("7" + digits[1:])
    if digits.startswith("0") and len(digits) >= 4:
        fragments.append(digits[1:])
    return fragments


def find_guests(db: Database, restaurant_id: int, text: str) -> list[GuestSummary]:
    """Guests whose name or phone matches what the host is typing (best customers first)."""
    cleaned = text.strip().lower()
    if len(cleaned) < 2:
        return []
    conditions = [func.lower(Guest.name).like(f"%{cleaned}%")]
    conditions += [Guest.phone.like(f"%{digits}%") for digits in phone_fragments(cleaned)]
    query = (
        select(Guest)
        .where(Guest.restaurant_id == restaurant_id, or_(*conditions))
        .order_by(Guest.visit_count.desc(), Guest.name)
        .limit(SEARCH_LIMIT)
    )
    with db.unit_of_work() as uow:
        return [guest_summary(g) for g in uow.session.scalars(query)]


def guest_profile(db: Database, guest_id: int) -> GuestProfile:
    with db.unit_of_work() as uow:
        session = uow.session
        guest = session.get(Guest, guest_id)
        if guest is None:
            raise NotFound(f"There is no guest with id {guest_id}.")
        rows = session.scalars(
            select(Reservation)
            .where(Reservation.guest_id == guest_id)
            .options(selectinload(Reservation.table_links).selectinload(ReservationTable.table))
            .order_by(Reservation.starts_at.desc())
        ).all()
        views = tuple(view_of(r) for r in rows)
        threads = session.scalars(
            select(ConversationThread)
            .where(ConversationThread.guest_id == guest_id)
            .order_by(ConversationThread.created_at.desc())
        ).all()
        conversations = tuple(_conversation(session, thread) for thread in threads)
        return GuestProfile(
            guest_summary(guest),
            views,
            sum(1 for v in views if v.status is ReservationStatus.NO_SHOW),
            sum(1 for v in views if v.status is ReservationStatus.CANCELLED),
            conversations,
        )


def _conversation(session: Any, thread: ConversationThread) -> ConversationView:
    latest = session.scalars(
        select(Message)
        .where(Message.conversation_id == thread.id)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(MESSAGES_PER_CONVERSATION)
    ).all()
    messages = tuple(
        MessageView(m.sender_type, m.message_text, m.created_at) for m in reversed(latest)
    )
    return ConversationView(
        thread.id, thread.platform, thread.status, thread.created_at, thread.last_message_at,
        thread.agent_handoff, messages,
    )  # fmt: skip
