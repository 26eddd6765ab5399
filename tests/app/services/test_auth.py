"""Signing in: the right password works, five wrong ones lock the account for a while."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.db.enums import UserRole
from app.db.models import User
from app.errors import PermissionDenied
from app.services.accounts import add_user
from app.services.auth import LOCK_MINUTES, MAX_FAILURES, authenticate
from app.services.database import Database

NOW = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def host(db: Database) -> Database:
    add_user(db, email="Host@Bistro.ru", name="Maria", role="staff", password="correct horse")
    return db


def test_the_right_password_signs_in_whatever_the_case_of_the_email(host: Database) -> None:
    user = authenticate(host, "  HOST@bistro.ru ", "correct horse", now=NOW)
    assert (user.name, user.role) == ("Maria", UserRole.STAFF)
    assert user.last_login == NOW


def test_unknown_email_and_wrong_password_read_the_same(host: Database) -> None:
    with pytest.raises(PermissionDenied) as unknown:
        authenticate(host, "nobody@bistro.ru", "correct horse", now=NOW)
    with pytest.raises(PermissionDenied) as wrong:
        authenticate(host, "host@bistro.ru", "wrong", now=NOW)
    assert unknown.value.message == wrong.value.message == "Wrong e-mail or password."


def test_five_wrong_passwords_lock_the_account_then_it_unlocks(host: Database) -> None:
    for attempt in range(MAX_FAILURES):
        with pytest.raises(PermissionDenied) as refused:
            authenticate(host, "host@bistro.ru", f"guess {attempt}", now=NOW)
    assert "locked" in refused.value.message
    with pytest.raises(PermissionDenied, match="locked for 15 more minutes"):
        authenticate(host, "host@bistro.ru", "correct horse", now=NOW)  # even the right one
    later = NOW + dt.timedelta(minutes=LOCK_MINUTES, seconds=1)
    assert authenticate(host, "host@bistro.ru", "correct horse", now=later).name == "Maria"
    with host.unit_of_work() as uow:
        user = uow.session.scalars(sa.select(User)).one()
        assert (user.failed_login_count, user.locked_until) == (0, None)


def test_a_deactivated_account_cannot_sign_in(host: Database) -> None:
    with host.unit_of_work() as uow:
        uow.session.scalars(sa.select(User)).one().is_active = False
        uow.commit()
    with pytest.raises(PermissionDenied, match="deactivated"):
        authenticate(host, "host@bistro.ru", "correct horse", now=NOW)
