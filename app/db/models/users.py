"""Accounts of the people who use the host stand."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, CreatedAt
from app.db.enums import UserRole
from app.db.types import UTCDateTime, str_enum

if TYPE_CHECKING:
    from app.db.models.restaurants import Restaurant


class User(CreatedAt, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("failed_login_count >= 0", name="failed_login_count_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased by the account service, so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    # A bcrypt hash, never the password itself.
    password: Mapped[str] = mapped_column(String(100), nullable=False)
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole, "user_role"), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    is_active: Mapped[bool] = mapped_column(default=True, nullable=False)
    last_login: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Lock-out after repeated wrong passwords (the login dialog's guard).
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    restaurants: Mapped[list[Restaurant]] = relationship(back_populates="owner")
