"""User accounts: create and list (passwords only ever as bcrypt hashes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.db.enums import UserRole
from app.db.models import User
from app.domain import fields
from app.domain.passwords import hash_password
from app.domain.restaurant_spec import parse_email
from app.errors import Conflict, InvalidInput
from app.services.database import Database


@dataclass(frozen=True)
class UserSummary:
    id: int
    email: str
    name: str
    role: UserRole
    is_active: bool
    last_login: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "role": self.role.value,
            "is_active": self.is_active,
            "last_login": self.last_login.isoformat() if self.last_login else None,
        }


def summarize_user(user: User) -> UserSummary:
    return UserSummary(user.id, user.email, user.name, user.role, user.is_active, user.last_login)


def add_user(db: Database, *, email: str, name: str, role: str, password: str) -> UserSummary:
    """Create an account; the e-mail is unique regardless of letter case."""
    clean_email = parse_email(email, "email")
    if clean_email is None:
        raise InvalidInput("email is required.")
    clean_name = fields.required_text(name, "name", max_length=200)
    clean_role = fields.choice(role, UserRole, "role")
    hashed = hash_password(password)
    with db.unit_of_work() as uow:
        exists = uow.session.scalar(select(func.count()).where(User.email == clean_email))
        if exists:
            raise Conflict(f"A user with the e-mail {clean_email} already exists.")
        user = User(email=clean_email, name=clean_name, role=clean_role, password=hashed)
        uow.session.add(user)
        uow.session.flush()
        uow.changed("user", user.id)
        summary = summarize_user(user)
        uow.commit()
    return summary


def list_users(db: Database) -> list[UserSummary]:
    with db.unit_of_work() as uow:
        users = uow.session.scalars(select(User).order_by(User.email)).all()
        return [summarize_user(u) for u in users]
