"""Managing users: administrators add, deactivate, reactivate, reset passwords and change roles;
nobody else may; the last active administrator can be neither deactivated nor demoted, even by
two administrators demoting each other at the same moment; deactivated users cannot sign in."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from app.db.enums import UserRole
from app.db.models import User
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied, ToBeOutError
from app.services import user_admin
from app.services.accounts import UserSummary, add_user
from app.services.auth import MAX_FAILURES, authenticate
from app.services.database import Database
from app.services.user_admin import (
    LastAdministrator,
    change_role,
    deactivate_user,
    list_users,
    reactivate_user,
    reset_password,
)

PASSWORD = "long enough"
NOW = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)


def account(db: Database, name: str, role: str) -> UserSummary:
    return add_user(db, email=f"{name.lower()}@bistro.ru", name=name, role=role,
                    password=PASSWORD)  # fmt: skip


def active_admins(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        query = select(User.name).where(User.role == UserRole.ADMIN, User.is_active.is_(True))
        return sorted(uow.session.scalars(query))


def test_an_admin_adds_lists_and_manages_users(db: Database) -> None:
    root = account(db, "Root", "admin")
    added = user_admin.add_user(db, email="Host@Bistro.ru", name="Host", role="staff",
                                password=PASSWORD, user=root)  # fmt: skip
    assert (added.email, added.role, added.is_active) == ("host@bistro.ru", UserRole.STAFF, True)
    assert [u.name for u in list_users(db, user=root)] == ["Host", "Root"]
    with pytest.raises(Conflict):
        user_admin.add_user(db, email="host@bistro.ru", name="Again", role="staff",
                            password=PASSWORD, user=root)  # fmt: skip

    promoted = change_role(db, added.id, "manager", user=root)
    assert promoted.role == UserRole.MANAGER
    off = deactivate_user(db, added.id, user=root)
    assert not off.is_active
    with pytest.raises(PermissionDenied, match="deactivated"):
        authenticate(db, "host@bistro.ru", PASSWORD, now=NOW)
    on = reactivate_user(db, added.id, user=root)
    assert on.is_active and authenticate(db, "host@bistro.ru", PASSWORD, now=NOW).id == added.id

    with pytest.raises(InvalidInput, match="at least 8"):
        reset_password(db, added.id, "short", user=root)
    reset_password(db, added.id, "a brand new secret", user=root)
    with pytest.raises(PermissionDenied):
        authenticate(db, "host@bistro.ru", PASSWORD, now=NOW)
    assert authenticate(db, "host@bistro.ru", "a brand new secret", now=NOW).id == added.id

    with pytest.raises(InvalidInput, match="role must be one of"):
        change_role(db, added.id, "owner", user=root)
    with pytest.raises(NotFound):
        deactivate_user(db, 9999, user=root)


def test_a_reset_password_lifts_a_lock_out(db: Database) -> None:
    root = account(db, "Root", "admin")
    host = account(db, "Host", "staff")
    for _ in range(MAX_FAILURES):
        with pytest.raises(PermissionDenied):
            authenticate(db, "host@bistro.ru", "wrong", now=NOW)
    with pytest.raises(PermissionDenied, match="locked"):
        authenticate(db, "host@bistro.ru", PASSWORD, now=NOW)
    reset_password(db, host.id, "fresh password", user=root)
    assert authenticate(db, "host@bistro.ru", "fresh password", now=NOW).id == host.id


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_only_administrators_manage_users(db: Database, role: str) -> None:
    root = account(db, "Root", "admin")
    actor = account(db, "Actor", role)
    calls: list[Any] = [
        lambda: list_users(db, user=actor),
        lambda: user_admin.add_user(db, email="x@bistro.ru", name="X", role="admin",
                                    password=PASSWORD, user=actor),
        lambda: deactivate_user(db, root.id, user=actor),
        lambda: reactivate_user(db, root.id, user=actor),
        lambda: reset_password(db, root.id, "taken over!", user=actor),
        lambda: change_role(db, actor.id, "admin", user=actor),
    ]  # fmt: skip
    for call in calls:
        with pytest.raises(PermissionDenied, match="may not manage users"):
            call()
    assert authenticate(db, "root@bistro.ru", PASSWORD, now=NOW).role == UserRole.ADMIN
    assert [u.name for u in list_users(db, user=root) if u.role == UserRole.ADMIN] == ["Root"]


def test_a_demoted_admin_acts_no_more_on_a_stale_summary(db: Database) -> None:
    first = account(db, "First", "admin")
    second = account(db, "Second", "admin")
    change_role(db, second.id, "staff", user=first)
    # ``second`` still says admin (signed in before the change): the database decides.
    with pytest.raises(PermissionDenied, match="no longer an active administrator"):
        change_role(db, first.id, "staff", user=second)
    with pytest.raises(PermissionDenied):
        user_admin.add_user(db, email="x@bistro.ru", name="X", role="admin", password=PASSWORD,
                            user=second)  # fmt: skip
    assert active_admins(db) == ["First"]


def test_the_last_admin_can_be_neither_deactivated_nor_demoted(db: Database) -> None:
    root = account(db, "Root", "admin")
    staff = account(db, "Host", "staff")
    with pytest.raises(LastAdministrator, match="You are the last active administrator"):
        deactivate_user(db, root.id, user=root)
    with pytest.raises(LastAdministrator, match="You are the last active administrator"):
        change_role(db, root.id, "manager", user=root)
    with pytest.raises(LastAdministrator, match="Root is the last active administrator"):
        change_role(db, root.id, "staff", user=None)  # the command line is refused too
    assert active_admins(db) == ["Root"]
    # Still an admin: these are no change to the count and pass.
    assert change_role(db, root.id, "admin", user=root).role == UserRole.ADMIN
    assert reactivate_user(db, root.id, user=root).is_active

    # With a second administrator, either one may step down (even themselves).
    change_role(db, staff.id, "admin", user=root)
    assert deactivate_user(db, root.id, user=root).is_active is False
    assert active_admins(db) == ["Host"]
    with pytest.raises(PermissionDenied):
        reactivate_user(db, root.id, user=root)  # no longer active: no longer an admin
    with pytest.raises(LastAdministrator):
        change_role(db, staff.id, "staff", user=staff)
    # A deactivated admin does not count, and an inactive admin's demotion is not guarded.
    assert change_role(db, root.id, "staff", user=staff).role == UserRole.STAFF


def test_two_admins_demoting_each_other_at_once_leave_one(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first transaction holds its locks for a while after reading the administrators; the
    second starts meanwhile. Without the lock both would read two administrators and both
    demotions would commit, leaving none."""
    alice = account(db, "Alice", "admin")
    bob = account(db, "Bob", "admin")
    locked = threading.Event()
    original = user_admin._locked_admins
    first_thread: list[threading.Thread] = []

    def slow(session: Any) -> set[int]:
        admins = original(session)
        if threading.current_thread() is first_thread[0]:
            locked.set()
            time.sleep(0.8)  # the other demotion starts while this one holds the rows
        return admins

    monkeypatch.setattr(user_admin, "_locked_admins", slow)
    results: dict[str, Any] = {}

    def demote(name: str, target: int, actor: UserSummary) -> None:
        try:
            results[name] = change_role(db, target, "manager", user=actor)
        except ToBeOutError as exc:
            results[name] = exc

    one = threading.Thread(target=demote, args=("alice demotes bob", bob.id, alice))
    two = threading.Thread(target=demote, args=("bob demotes alice", alice.id, bob))
    first_thread.append(one)
    one.start()
    assert locked.wait(10)
    two.start()
    one.join(30)
    two.join(30)
    assert isinstance(results["alice demotes bob"], UserSummary), results
    refused = results["bob demotes alice"]
    assert isinstance(refused, PermissionDenied | LastAdministrator), refused
    assert active_admins(db) == ["Alice"]


def test_many_simultaneous_demotions_always_leave_an_admin(db: Database) -> None:
    admins = [account(db, f"Admin{i}", "admin") for i in range(4)]
    start = threading.Barrier(len(admins))
    outcomes: list[object] = []

    def demote(index: int) -> None:
        actor, target = admins[index], admins[(index + 1) % len(admins)]
        start.wait()
        try:
            outcomes.append(deactivate_user(db, target.id, user=actor))
        except ToBeOutError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=demote, args=(i,)) for i in range(len(admins))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == len(admins)
    assert len(active_admins(db)) >= 1
    assert all(isinstance(o, UserSummary | PermissionDenied | LastAdministrator)
               for o in outcomes), outcomes  # fmt: skip
