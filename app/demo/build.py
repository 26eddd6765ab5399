"""``create_demo``: the whole demo restaurant in one transaction, reproducible from a seed."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.db.enums import UserRole
from app.db.models import Reservation, Restaurant
from app.demo.accounts import delete_demo_users, ensure_demo_users
from app.demo.ai_log import build_activities
from app.demo.bookings import WINDOW_DAYS, Planner
from app.demo.conversations import ConversationBuilder
from app.demo.floor import build_tables, demo_table_specs
from app.demo.guests import build_guests, finalize_guest
from app.demo.lifecycle import Lifecycle
from app.demo.profile import OPENING_HOURS, TIMEZONE, build_restaurant, special_date
from app.demo.schedule import ServicePeriod, services_of_day
from app.demo.slots import SLOT_DAYS, build_timeslots, count_bookings
from app.domain.opening_hours import parse_opening_hours
from app.services.database import Database
from app.services.unit_of_work import UnitOfWork

# With an explicit ``today`` the demo clock stands at 19:30 local: mid-dinner, so the floor
# shows finished lunches, seated and dining tables, and bookings still to come.
DEMO_CLOCK = dt.time(19, 30)


def create_demo(
    db: Database,
    *,
    reset: bool = False,
    today: dt.date | None = None,
    seed: int = 2026,
    now: dt.datetime | None = None,
) -> int:
    """Create (or find) the demo restaurant and return its id.

    Idempotent: an existing demo restaurant is returned untouched unless ``reset``, which
    deletes it and the demo accounts first. Everything happens in one unit of work, so a
    failure leaves nothing behind. The same ``seed`` and ``today`` give the same data.
    ``now`` (aware) defaults to the real time when ``today`` is not given.
    """
    zone = ZoneInfo(TIMEZONE)
    if now is None:
        if today is None:
            now = dt.datetime.now(dt.UTC)
        else:
            now = dt.datetime.combine(today, DEMO_CLOCK, tzinfo=zone)
    now = now.astimezone(dt.UTC).replace(microsecond=0)
    if today is None:
        today = now.astimezone(zone).date()
    with db.unit_of_work() as uow:
        existing = demo_restaurant_ids(uow.session)
        if existing and not reset:
            return existing[0]
        next_id = _next_restaurant_id(uow.session)
        if existing:
            _delete_restaurants(uow.session, existing)
        if reset:
            delete_demo_users(uow.session)
        restaurant_id = _populate(uow, today, now, random.Random(seed), next_id)
        uow.commit()
    return restaurant_id


def demo_restaurant_ids(session: Session) -> list[int]:
    """Restaurants flagged ``settings["demo"]``, oldest first (a handful of rows: filtered here
    rather than with dialect-specific JSON operators)."""
    rows = session.execute(select(Restaurant.id, Restaurant.settings).order_by(Restaurant.id))
    return [rid for rid, settings in rows if (settings or {}).get("demo") is True]


def _next_restaurant_id(session: Session) -> int | None:
    """SQLite hands a deleted highest id out again; a reset demo must get a fresh one, or a
    terminal still showing the old demo would take the new one for it. PostgreSQL's sequence
    never reuses ids, so it keeps assigning them itself."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    return (session.scalar(select(func.max(Restaurant.id))) or 0) + 1


def _delete_restaurants(session: Session, ids: list[int]) -> None:
    # Reservations first: their guest link is ON DELETE RESTRICT, so the restaurant's cascade
    # must not reach the guests while bookings still point at them. History and table links
    # go with the reservations; the restaurant's cascade takes the rest.
    for statement in (
        delete(Reservation).where(Reservation.restaurant_id.in_(ids)),
        delete(Restaurant).where(Restaurant.id.in_(ids)),
    ):
        session.execute(statement.execution_options(synchronize_session=False))


def _periods(first: dt.date, days: int) -> list[ServicePeriod]:
    hours = parse_opening_hours(OPENING_HOURS)
    return [
        period
        for offset in range(days)
        for period in services_of_day(hours, first + dt.timedelta(days=offset))
    ]


def _populate(
    uow: UnitOfWork, today: dt.date, now: dt.datetime, rng: random.Random, new_id: int | None
) -> int:
    session = uow.session
    founded = now - dt.timedelta(days=400)
    users = ensure_demo_users(session)
    restaurant = build_restaurant(today, users[UserRole.ADMIN], founded)
    restaurant.id = new_id  # None: the database assigns it
    specs = demo_table_specs()
    restaurant.tables = build_tables(specs, now, [rng.uniform(0.45, 0.95) for _ in specs])
    for table in restaurant.tables:
        table.created_at = founded
    session.add(restaurant)
    session.flush()

    closed = special_date(today)
    slots = build_timeslots(_periods(today, SLOT_DAYS), closed, "Private event")
    for slot in slots.values():
        slot.restaurant_id = restaurant.id
    session.add_all(slots.values())

    seeds = build_guests(rng, restaurant.id, now)
    session.add_all(seed.guest for seed in seeds)

    planner = Planner(rng, restaurant.tables, seeds, now, ZoneInfo(restaurant.timezone))
    first = today - dt.timedelta(days=WINDOW_DAYS)
    for period in _periods(first, 2 * WINDOW_DAYS + 1):
        if period.day != closed:
            planner.plan_period(period, today)

    taken = set(session.scalars(select(Reservation.confirmation_code)))
    lifecycle = Lifecycle(rng, now, users, slots, taken)
    reservations = [lifecycle.build(plan) for plan in planner.plans]
    for reservation in reservations:
        reservation.restaurant_id = restaurant.id
    session.add_all(reservations)
    count_bookings(slots, reservations)
    for seed in seeds:
        finalize_guest(seed)

    threads = ConversationBuilder(rng, restaurant.id, seeds, reservations, now).build()
    session.add_all(threads)
    session.flush()
    lifecycle.write_history(session)
    window_start = dt.datetime.combine(first, dt.time(6), tzinfo=ZoneInfo(restaurant.timezone))
    activities = build_activities(rng, restaurant.id, reservations, threads, now, window_start)
    session.add_all(activities)
    session.flush()

    uow.changed("user", *(user.id for user in users.values()))
    uow.changed("restaurant", restaurant.id)
    uow.changed("table", *(table.id for table in restaurant.tables))
    uow.changed("timeslot", *(slot.id for slot in slots.values()))
    uow.changed("guest", *(seed.guest.id for seed in seeds))
    uow.changed("reservation", *(r.id for r in reservations))
    uow.changed("conversation", *(thread.id for thread in threads))
    uow.changed("ai_activity", *(activity.id for activity in activities))
    return restaurant.id
