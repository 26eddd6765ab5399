"""Editing a guest's profile: contact details, notes, allergies, preferences, the blocked list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.db.enums import VipTier
from app.db.models import Guest
from app.domain import fields
from app.domain.phones import normalize_phone
from app.domain.restaurant_spec import parse_email
from app.errors import Conflict, InvalidInput, NotFound
from app.services.accounts import UserSummary
from app.services.database import Database
from app.services.guest_views import GuestSummary, guest_summary
from app.services.permissions import Permission, require

EDITABLE = {"name", "phone", "email", "notes", "allergies", "preferences", "vip_status"}


def update_guest(
    db: Database, guest_id: int, changes: dict[str, Any], *, user: UserSummary | None = None
) -> GuestSummary:
    """Apply the given fields (each validated) in one transaction; a VIP tier needs a manager."""
    fields.check_keys(changes, EDITABLE, "guest")
    if "vip_status" in changes:
        require(user, Permission.BLACKLIST)
    with db.unit_of_work() as uow:
        guest = uow.session.get(Guest, guest_id)
        if guest is None:
            raise NotFound(f"There is no guest with id {guest_id}.")
        if "name" in changes:
            guest.name = fields.required_text(changes["name"], "name", max_length=200)
        if "phone" in changes:
            region = str((guest.restaurant.settings or {}).get("country") or "RU")
            phone = normalize_phone(str(changes["phone"] or ""), region)
            clash = uow.session.scalar(
                select(func.count()).where(
                    Guest.restaurant_id == guest.restaurant_id,
                    Guest.phone == phone,
                    Guest.id != guest.id,
                )
            )
            if clash:
                raise Conflict(f"Another guest already has the phone {phone}.")
            guest.phone = phone
        if "email" in changes:
            guest.email = parse_email(changes["email"], "email") if changes["email"] else None
        if "notes" in changes:
            guest.notes = fields.text(changes["notes"], "notes", max_length=4000)
        if "allergies" in changes:
            guest.allergies = fields.text_list(changes["allergies"], "allergies")
        if "preferences" in changes:
            prefs = changes["preferences"]
            if not isinstance(prefs, dict):
                raise InvalidInput("preferences must be an object.")
            guest.preferences = prefs
        if "vip_status" in changes:
            tier = changes["vip_status"]
            guest.vip_status = fields.choice(tier, VipTier, "VIP tier") if tier else None
        uow.session.flush()
        summary = guest_summary(guest)
        uow.changed("guest", guest.id)
        uow.commit()
    return summary


def set_blacklisted(
    db: Database,
    guest_id: int,
    blacklisted: bool,
    *,
    reason: str | None = None,
    user: UserSummary | None = None,
) -> GuestSummary:
    """Put a guest on (or take them off) the blocked list; managers and admins only."""
    require(user, Permission.BLACKLIST)
    with db.unit_of_work() as uow:
        guest = uow.session.get(Guest, guest_id)
        if guest is None:
            raise NotFound(f"There is no guest with id {guest_id}.")
        guest.blacklisted = blacklisted
        clean = fields.text(reason, "reason", max_length=1000)
        if blacklisted and clean:
            guest.notes = f"{guest.notes}\n{clean}".strip() if guest.notes else clean
        uow.session.flush()
        summary = guest_summary(guest)
        uow.changed("guest", guest.id)
        uow.commit()
    return summary
