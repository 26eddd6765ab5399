"""Managing accounts (administrators only): add, deactivate, reactivate, reset a password,
change a role — always leaving at least one active administrator.

Every change runs in one transaction that first locks the rows of all active administrators
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds the write
lock). Two administrators demoting each other at the same moment are therefore serialized: the
second waits for the first, then reads one administrator left and is refused. The acting user is
checked against those locked rows too, so a summary signed in before a demotion acts no more.
``None`` as the acting user is the machine's own operator (the command line), as elsewhere.

Threading: plain functions; each call opens its own unit of work.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.enums import UserRole
from app.db.models import User
from app.domain import fields
from app.domain.passwords import hash_password
from app.errors import NotAvailable, NotFound, PermissionDenied
from app.services import accounts
from app.services.accounts import UserSummary, summarize_user
from app.services.database import Database
from app.services.permissions import Permission, require


class LastAdministrator(NotAvailable):
    """The change would leave no active administrator to manage users."""


def list_users(db: Database, *, user: UserSummary | None) -> list[UserSummary]:
    """Every account, by e-mail."""
    if user is not None:
        with db.unit_of_work() as uow:
            query = select(User.id).where(User.role == UserRole.ADMIN, User.is_active.is_(True))
            _check_actor(user, set(uow.session.scalars(query)))
    return accounts.list_users(db)


def add_user(
    db: Database, *, email: str, name: str, role: str, password: str, user: UserSummary | None
) -> UserSummary:
    """A new account (``accounts.add_user``'s checks), by an active administrator."""
    if user is not None:
        with db.unit_of_work() as uow:
            _check_actor(user, _locked_admins(uow.session))
    return accounts.add_user(db, email=email, name=name, role=role, password=password)


def deactivate_user(db: Database, user_id: int, *, user: UserSummary | None) -> UserSummary:
    """The account can no longer sign in; refused for the last active administrator."""

    def deactivate(target: User) -> None:
        target.is_active = False

    return _change(db, user_id, user, deactivate)


def reactivate_user(db: Database, user_id: int, *, user: UserSummary | None) -> UserSummary:
    def reactivate(target: User) -> None:
        target.is_active = True

    return _change(db, user_id, user, reactivate)


def reset_password(
    db: Database, user_id: int, new_password: str, *, user: UserSummary | None
) -> UserSummary:
    """A new password (the usual rules); a lock-out from wrong passwords is lifted too."""
    hashed = hash_password(new_password)  # slow on purpose: before the transaction, not in it

    def reset(target: User) -> None:
        target.password = hashed
        target.failed_login_count = 0
        target.locked_until = None

    return _change(db, user_id, user, reset)


def change_role(db: Database, user_id: int, role: str, *, user: UserSummary | None) -> UserSummary:
    """Another role; demoting the last active administrator is refused."""
    new_role = fields.choice(role, UserRole, "role")

    def promote_or_demote(target: User) -> None:
        target.role = new_role

    return _change(db, user_id, user, promote_or_demote)


# -- the guarded change -----------------------------------------------------------------------


def _locked_admins(session: Session) -> set[int]:
    """Ids of the active administrators, their rows locked until the transaction ends (in id
    order, so two transactions lock them in the same order and never deadlock)."""
    query = (
        select(User.id)
        .where(User.role == UserRole.ADMIN, User.is_active.is_(True))
        .order_by(User.id)
        .with_for_update()
    )
    return set(session.scalars(query))


def _check_actor(actor: UserSummary, admins: set[int]) -> None:
    """The database decides, not the summary the actor signed in with (it may be stale)."""
    if actor.id in admins:
        return
    require(actor, Permission.USERS)  # the usual words for someone who never was an admin
    raise PermissionDenied(
        f"{actor.name} is no longer an active administrator and may not manage users."
    )


def _change(
    db: Database, user_id: int, actor: UserSummary | None, change: Callable[[User], None]
) -> UserSummary:
    with db.unit_of_work() as uow:
        admins = _locked_admins(uow.session)
        if actor is not None:
            _check_actor(actor, admins)
        target = uow.session.get(User, user_id, with_for_update=True)
        if target is None:
            raise NotFound(f"There is no user with id {user_id}.")
        change(target)
        still_admin = target.is_active and target.role == UserRole.ADMIN
        if target.id in admins and not still_admin and len(admins) == 1:
            who = "You are" if actor is not None and actor.id == target.id else f"{target.name} is"
            raise LastAdministrator(
                f"{who} the last active administrator: make another user an administrator "
                "first, so someone can still manage users."
            )
        uow.session.flush()
        summary = summarize_user(target)
        uow.changed("user", target.id)
        uow.commit()
    return summary
