"""What the channel sync worker keeps: processed updates, poll cursors and the outbox.

``channel_updates`` makes incoming delivery exactly-once: a row per external update (Telegram
``update_id``, WhatsApp ``wamid``), unique per integration, committed in the same transaction as
the update's effects. ``channel_cursors`` holds the next ``getUpdates`` offset. ``outbox`` holds
every outbound message under a unique idempotency key; the worker claims a row (``sending``)
before the HTTP call, so a worker stopped mid-send never sends it again.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, CreatedAt, Timestamps
from app.db.types import JSONType, UTCDateTime, str_enum


class UpdateOutcome(StrEnum):
    PROCESSED = "processed"  # handled; its effects were committed with this row
    SKIPPED = "skipped"  # nothing to do (an edited message, a sticker, another chat type)
    MALFORMED = "malformed"  # unreadable payload, logged and passed over
    FAILED = "failed"  # handling raised; recorded so it is not retried forever


class OutboxKind(StrEnum):
    REPLY = "reply"
    CONFIRMATION = "confirmation"
    REMINDER = "reminder"
    STAFF = "staff"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed: the HTTP call may be under way
    SENT = "sent"
    FAILED = "failed"


class ChannelUpdate(CreatedAt, Base):
    __tablename__ = "channel_updates"
    __table_args__ = (UniqueConstraint("integration_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    integration_id: Mapped[int] = mapped_column(
        ForeignKey("integration_settings.id", ondelete="CASCADE"), nullable=False
    )
    external_id: Mapped[str] = mapped_column(String(128), nullable=False)
    outcome: Mapped[UpdateOutcome] = mapped_column(
        str_enum(UpdateOutcome, "update_outcome"), nullable=False
    )
    chat_id: Mapped[str | None] = mapped_column(String(128))
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation_threads.id", ondelete="SET NULL")
    )
    detail: Mapped[str | None] = mapped_column(Text)


class ChannelCursor(Timestamps, Base):
    __tablename__ = "channel_cursors"

    integration_id: Mapped[int] = mapped_column(
        ForeignKey("integration_settings.id", ondelete="CASCADE"), primary_key=True
    )
    next_offset: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)


class OutboxMessage(Timestamps, Base):
    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        Index("ix_outbox_due", "integration_id", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), nullable=False)
    integration_id: Mapped[int] = mapped_column(
        ForeignKey("integration_settings.id", ondelete="CASCADE"), nullable=False
    )
    recipient: Mapped[str] = mapped_column(String(128), nullable=False)  # chat id / phone
    text: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[OutboxKind] = mapped_column(str_enum(OutboxKind, "outbox_kind"), nullable=False)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), nullable=False
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation_threads.id", ondelete="SET NULL")
    )
    reservation_id: Mapped[int | None] = mapped_column(
        ForeignKey("reservations.id", ondelete="SET NULL")
    )
    external_id: Mapped[str | None] = mapped_column(String(128))  # the channel's message id
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
