"""Chat-channel integrations (Telegram, WhatsApp, ...) of a restaurant."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamps
from app.db.enums import IntegrationType
from app.db.types import JSONType, UTCDateTime, str_enum


class IntegrationSetting(Timestamps, Base):
    __tablename__ = "integration_settings"
    __table_args__ = (
        UniqueConstraint("restaurant_id", "type"),
        CheckConstraint("error_count >= 0", name="error_count_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(
        ForeignKey("restaurants.id", ondelete="CASCADE"), nullable=False
    )
    type: Mapped[IntegrationType] = mapped_column(
        str_enum(IntegrationType, "integration_type"), nullable=False
    )
    # Non-secret configuration: API base URL, template names, poll timeout...
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    # A Fernet token of the JSON credentials; never the credentials in clear.
    credentials: Mapped[str | None] = mapped_column(Text)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    last_sync: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    rate_limits: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, nullable=False)
    features: Mapped[list[str]] = mapped_column(JSONType, default=list, nullable=False)
