"""The first start: which database, then the first restaurant and its administrator.

The desktop app asks ``plan_start`` what to open; a database with no restaurant (or no database
chosen on this computer yet) gets the set-up wizard, whose Finish is ``finish_setup``: open the
chosen database (created and migrated when new), create the restaurant and the admin account in
one unit of work (``create_first_restaurant``) or load the demo restaurant, then remember the
choice on this computer (``app.local_config``).

Field checks are pure (no database) so the wizard can show every problem beside its field
before anything is written; ``FieldErrors`` carries them keyed by the keyword argument's name.

Threading: ``finish_setup``, ``inspect_database`` and the services block (database, network,
bcrypt); GUI callers run them in a worker. The checks and ``plan_start`` are quick.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import func, select

from app.db.engine import DATABASE_URL_ENV
from app.db.enums import UserRole
from app.db.models import Restaurant, User
from app.db.server_check import Problem, ServerCheck, check_database
from app.domain import fields
from app.domain.opening_hours import WEEKDAYS, parse_opening_hours
from app.domain.passwords import check_password_rules, hash_password
from app.domain.restaurant_spec import DEFAULT_TIMEZONE, parse_email, parse_restaurant
from app.errors import Conflict, InvalidInput
from app.local_config import (
    DatabaseChoice,
    LocalConfigUnreadable,
    load_database_choice,
    save_database_choice,
)
from app.paths import default_sqlite_path
from app.services.accounts import UserSummary, summarize_user
from app.services.database import Database, connect
from app.services.profile_form import check_timezone
from app.services.restaurants import RestaurantSummary, get_restaurant

__all__ = [
    "DAY_NAMES", "DEFAULT_TIMEZONE", "DatabaseChoice", "FieldErrors", "Problem", "ServerCheck",
    "SetupDone", "StartPlan", "check_admin_fields", "check_restaurant_fields",
    "create_first_restaurant", "finish_setup", "inspect_database", "load_demo", "needs_setup",
    "plan_start", "timezone_choices",
]  # fmt: skip

DAY_NAMES = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
    "fri": "Friday", "sat": "Saturday", "sun": "Sunday",
}  # fmt: skip
_ORDINALS = ("first", "second", "third", "fourth")
_HOURS_PLACE = re.compile(r"opening_hours\.(mon|tue|wed|thu|fri|sat|sun)(?:\[(\d+)\])?")


class FieldErrors(InvalidInput):
    """Some fields are wrong; ``errors`` maps each field's name to what is wrong with it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


# -- field checks (pure) --------------------------------------------------------------------


def timezone_choices() -> list[str]:
    """IANA zone names for a picker: regions like Europe/Moscow, plus UTC."""
    names = {
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/", "US/"))
    }
    return sorted(names | {"UTC"})


def check_restaurant_fields(
    *, name: Any, address: Any, timezone: Any, opening_hours: Any
) -> dict[str, str]:
    """What is wrong with the restaurant's fields, by field name (empty when all is well)."""
    errors: dict[str, str] = {}
    _check(errors, "name", lambda: fields.required_text(name, "The restaurant's name",
                                                        max_length=200))  # fmt: skip
    _check(errors, "address", lambda: fields.text(address, "The address"))
    _check(errors, "timezone", lambda: check_timezone(timezone))
    _check(errors, "opening_hours", lambda: _opening_hours(opening_hours))
    return errors


def check_admin_fields(*, admin_name: Any, admin_email: Any, admin_password: Any) -> dict[str, str]:
    """What is wrong with the first administrator's fields, by field name."""
    errors: dict[str, str] = {}
    _check(errors, "admin_name", lambda: fields.required_text(admin_name, "Your name",
                                                              max_length=200))  # fmt: skip
    _check(errors, "admin_email", lambda: _email(admin_email))
    _check(errors, "admin_password", lambda: _password(admin_password))
    return errors


def _check(errors: dict[str, str], field: str, parse: Any) -> None:
    try:
        parse()
    except InvalidInput as exc:
        errors[field] = exc.message


def _email(value: Any) -> str:
    email = parse_email(value, "The e-mail address")
    if email is None:
        raise InvalidInput("The e-mail address is required: it is how you sign in.")
    return email


def _password(value: Any) -> None:
    if not isinstance(value, str):
        raise InvalidInput("The password is required.")
    check_password_rules(value)


def _opening_hours(value: Any) -> None:
    try:
        hours = parse_opening_hours(value)
    except InvalidInput as exc:
        raise InvalidInput(_HOURS_PLACE.sub(_day_words, exc.message)) from None
    if not any(hours[day] for day in WEEKDAYS):
        raise InvalidInput("The restaurant is closed every day: open it on at least one day.")


def _day_words(match: re.Match[str]) -> str:
    day = DAY_NAMES[match.group(1)]
    if match.group(2) is None:
        return day
    index = int(match.group(2))
    ordinal = _ORDINALS[index] if index < len(_ORDINALS) else f"#{index + 1}"
    return f"{day}, {ordinal} service"


# -- the database ---------------------------------------------------------------------------


def needs_setup(db: Database) -> bool:
    """True while the database holds no restaurant at all."""
    with db.unit_of_work() as uow:
        return not uow.session.scalar(select(func.count()).select_from(Restaurant))


def create_first_restaurant(
    db: Database,
    *,
    name: str,
    address: str | None,
    timezone: str,
    opening_hours: dict[str, list[list[str]]],
    admin_name: str,
    admin_email: str,
    admin_password: str,
) -> tuple[RestaurantSummary, UserSummary]:
    """The restaurant and its administrator, in one unit of work: all or nothing.

    ``FieldErrors`` names every bad field before anything is written (also an e-mail that an
    account already uses); ``Conflict`` when the database already has a restaurant.
    """
    errors = check_restaurant_fields(name=name, address=address, timezone=timezone,
                                     opening_hours=opening_hours)  # fmt: skip
    errors |= check_admin_fields(admin_name=admin_name, admin_email=admin_email,
                                 admin_password=admin_password)  # fmt: skip
    if errors:
        raise FieldErrors(errors)
    spec = parse_restaurant({"name": name, "address": address, "timezone": timezone,
                             "opening_hours": opening_hours})  # fmt: skip
    email = _email(admin_email)
    hashed = hash_password(admin_password)  # slow on purpose: before the transaction
    with db.unit_of_work() as uow:
        session = uow.session
        if not db.is_sqlite:  # SQLite's BEGIN IMMEDIATE already serialises two set-ups
            session.execute(select(func.pg_advisory_xact_lock(7_000_001)))
        existing = session.scalars(select(Restaurant.name).order_by(Restaurant.id)).first()
        if existing is not None:
            raise Conflict(f"This database already has a restaurant ({existing}): sign in instead.")
        if session.scalar(select(func.count()).where(func.lower(User.email) == email)):
            raise FieldErrors({"admin_email": f"An account with the e-mail {email} already "
                               "exists in this database; use another address."})  # fmt: skip
        restaurant = Restaurant(**spec.__dict__)
        admin = User(email=email, name=admin_name.strip(), role=UserRole.ADMIN, password=hashed)
        session.add_all([restaurant, admin])
        session.flush()
        uow.changed("restaurant", restaurant.id)
        uow.changed("user", admin.id)
        summary = RestaurantSummary(
            id=restaurant.id, name=restaurant.name, timezone=restaurant.timezone,
            address=restaurant.address, cuisine=None, is_active=True, table_count=0, seats=0,
            is_demo=False,
        )  # fmt: skip
        user = summarize_user(admin)
        uow.commit()
    return summary, user


def load_demo(db: Database) -> tuple[RestaurantSummary, UserSummary | None]:
    """The demo restaurant, and its admin account signed in (None when that account exists
    with another password: the sign-in dialog then asks)."""
    from app.demo import DEMO_ACCOUNTS, create_demo
    from app.errors import PermissionDenied
    from app.services.auth import authenticate

    restaurant = get_restaurant(db, create_demo(db))
    admin = next(a for a in DEMO_ACCOUNTS if a.role is UserRole.ADMIN)
    try:
        user: UserSummary | None = authenticate(db, admin.email, admin.password)
    except PermissionDenied:
        user = None
    return restaurant, user


def inspect_database(choice: DatabaseChoice) -> ServerCheck:
    """The "Test connection": whether ``choice`` can be used, and what it already holds."""
    return check_database(choice.url())


# -- start-up -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartPlan:
    """What the desktop app opens first.

    ``url`` None: nothing to open, the wizard asks (``problem`` says why, when something was
    wrong). ``explicit``: the URL came from ``--database-url`` or the environment, so the wizard
    may not choose another database. ``choice``: the database chosen on this computer.
    """

    url: str | None
    explicit: bool = False
    choice: DatabaseChoice | None = None
    problem: str | None = None


def plan_start(explicit_url: str | None) -> StartPlan:
    explicit = explicit_url or os.environ.get(DATABASE_URL_ENV)
    if explicit:
        return StartPlan(explicit, explicit=True)
    try:
        choice = load_database_choice()
    except LocalConfigUnreadable as exc:
        return StartPlan(None, problem=exc.message)
    if choice is not None:
        return StartPlan(choice.url(), choice=choice)
    default = default_sqlite_path()
    if default.exists():  # from before the wizard, or `main.py demo`: use it
        return StartPlan(DatabaseChoice.local().url(), choice=DatabaseChoice.local())
    return StartPlan(None)


@dataclass(frozen=True)
class SetupDone:
    """The wizard's result: the open database, the restaurant made (None when joining a
    database that already had restaurants) and the signed-in user (None: sign in)."""

    db: Database
    restaurant: RestaurantSummary | None
    user: UserSummary | None
    saved_to: Path | None


def finish_setup(
    target: DatabaseChoice | Database,
    *,
    restaurant: Mapping[str, Any] | None = None,
    demo: bool = False,
) -> SetupDone:
    """The wizard's Finish. ``target``: the chosen database (opened, created or upgraded here,
    then remembered on this computer) or one already open (given on the command line: not
    remembered). ``restaurant``: ``create_first_restaurant``'s keyword arguments; ``demo``: the
    demo restaurant instead; neither: join a database that already has restaurants.

    Bad fields fail before the database is touched; any failure closes what was opened here
    and remembers nothing.
    """
    if restaurant is not None:
        given = dict(restaurant)
        errors = check_restaurant_fields(
            name=given.get("name"), address=given.get("address"),
            timezone=given.get("timezone"), opening_hours=given.get("opening_hours"),
        )  # fmt: skip
        errors |= check_admin_fields(
            admin_name=given.get("admin_name"), admin_email=given.get("admin_email"),
            admin_password=given.get("admin_password"),
        )  # fmt: skip
        if errors:
            raise FieldErrors(errors)
    db = target if isinstance(target, Database) else connect(target.url())
    try:
        made: RestaurantSummary | None = None
        user: UserSummary | None = None
        if restaurant is not None:
            made, user = create_first_restaurant(db, **restaurant)
        elif demo:
            made, user = load_demo(db)
        elif needs_setup(db):
            raise InvalidInput("This database has no restaurant yet: set one up first.")
        saved = None if isinstance(target, Database) else save_database_choice(target)
    except BaseException:
        if not isinstance(target, Database):
            db.close()
        raise
    return SetupDone(db, made, user, saved)
