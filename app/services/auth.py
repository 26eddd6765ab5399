"""Signing in: bcrypt check, and five wrong passwords lock the account for a while."""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import func, select

from app.db.models import User
from app.domain.passwords import verify_password
from app.errors import PermissionDenied
from app.services.accounts import UserSummary, summarize_user
from app.services.database import Database

MAX_FAILURES = 5
LOCK_MINUTES = 15
_WRONG = "Wrong e-mail or password."


def authenticate(
    db: Database, email: str, password: str, *, now: dt.datetime | None = None
) -> UserSummary:
    """The signed-in user, or PermissionDenied with a message for the login dialog.

    A wrong password and an unknown e-mail read the same, so the dialog does not reveal which
    accounts exist. The failure counter is committed even though the sign-in fails.
    """
    now = now or dt.datetime.now(dt.UTC)
    clean = (email or "").strip().lower()
    with db.unit_of_work() as uow:
        user = uow.session.scalars(select(User).where(func.lower(User.email) == clean)).first()
        if user is None:
            raise PermissionDenied(_WRONG)
        if user.locked_until is not None and user.locked_until > now:
            minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
            raise PermissionDenied(
                f"Too many wrong passwords: this account is locked for {minutes} more minute"
                f"{'s' if minutes != 1 else ''}. A manager can also reset the password."
            )
        if not verify_password(password or "", user.password):
            user.failed_login_count += 1
            message = _WRONG
            if user.failed_login_count >= MAX_FAILURES:
                user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                user.failed_login_count = 0
                message = (
                    f"{_WRONG} After {MAX_FAILURES} wrong passwords the account is locked for "
                    f"{LOCK_MINUTES} minutes."
                )
            uow.commit()
            raise PermissionDenied(message)
        if not user.is_active:
            raise PermissionDenied("This account has been deactivated. Ask an administrator.")
        user.failed_login_count = 0
        user.locked_until = None
        user.last_login = now
        summary = summarize_user(user)
        uow.changed("user", user.id)
        uow.commit()
        return summary
