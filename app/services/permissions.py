"""Who may do what, checked in the services so a hidden button is never the only guard.

Staff book, seat and edit reservations; managers also edit the floor plan, blacklist guests,
see reports and manage integrations; admins also manage users and restaurants. ``None`` as the
user means the machine's own operator (the command line, the sync worker), which is trusted.
"""

from __future__ import annotations

from enum import StrEnum

from app.db.enums import UserRole
from app.errors import PermissionDenied
from app.services.accounts import UserSummary


class Permission(StrEnum):
    BOOK = "book and seat guests"
    EDIT_FLOOR = "edit the floor plan"
    BLACKLIST = "block guests"
    REPORTS = "see reports"
    INTEGRATIONS = "manage channel integrations"
    SETTINGS = "change restaurant settings"
    USERS = "manage users"
    RESTAURANTS = "manage restaurants"


_STAFF = frozenset({Permission.BOOK})
_MANAGER = _STAFF | {
    Permission.EDIT_FLOOR,
    Permission.BLACKLIST,
    Permission.REPORTS,
    Permission.INTEGRATIONS,
    Permission.SETTINGS,
}
GRANTS: dict[UserRole, frozenset[Permission]] = {
    UserRole.STAFF: _STAFF,
    UserRole.MANAGER: frozenset(_MANAGER),
    UserRole.ADMIN: frozenset(_MANAGER | {Permission.USERS, Permission.RESTAURANTS}),
}


def allowed(user: UserSummary | None, permission: Permission) -> bool:
    if user is None:
        return True
    return user.is_active and permission in GRANTS[user.role]


def require(user: UserSummary | None, permission: Permission) -> None:
    if not allowed(user, permission):
        assert user is not None
        raise PermissionDenied(
            f"{user.name} ({user.role.value}) may not {permission.value}; "
            "ask a manager or an administrator."
        )
