"""The demo sign-in accounts: one per role, with passwords printed by ``demo``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db.enums import UserRole
from app.db.models import User
from app.domain.passwords import hash_password


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: UserRole
    password: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin@tobeout.demo", "Alexei Voronin", UserRole.ADMIN, "admin-demo"),
    DemoAccount("manager@tobeout.demo", "Marina Sokolova", UserRole.MANAGER, "manager-demo"),
    DemoAccount("host@tobeout.demo", "Daria Kuznetsova", UserRole.STAFF, "host-demo"),
)


def demo_emails() -> list[str]:
    return [account.email for account in DEMO_ACCOUNTS]


def delete_demo_users(session: Session) -> None:
    """Remove the demo accounts (history rows keep their actor; the user link goes NULL)."""
    session.execute(
        delete(User)
        .where(User.email.in_(demo_emails()))
        .execution_options(synchronize_session=False)
    )


def ensure_demo_users(session: Session) -> dict[UserRole, User]:
    """The demo users by role, creating the missing ones (an existing e-mail is reused as is).

    ``add_user`` opens its own unit of work, so rows are inserted here directly to keep the
    whole demo in one transaction; the password still goes through the same bcrypt helper.
    """
    existing = {
        user.email: user
        for user in session.scalars(select(User).where(User.email.in_(demo_emails())))
    }
    users: dict[UserRole, User] = {}
    for account in DEMO_ACCOUNTS:
        user = existing.get(account.email)
        if user is None:
            user = User(
                email=account.email,
                name=account.name,
                role=account.role,
                password=hash_password(account.password),
            )
            session.add(user)
        users[account.role] = user
    session.flush()
    return users
