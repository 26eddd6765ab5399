"""Restaurants: import from a JSON document, list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.db.models import DiningTable, Restaurant
from app.domain.restaurant_spec import parse_restaurant
from app.domain.table_spec import parse_table
from app.errors import InvalidInput, NotFound
from app.services.database import Database


@dataclass(frozen=True)
class RestaurantSummary:
    id: int
    name: str
    timezone: str
    address: str | None
    cuisine: str | None
    is_active: bool
    table_count: int
    seats: int
    is_demo: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "timezone": self.timezone,
            "address": self.address,
            "cuisine": self.cuisine,
            "is_active": self.is_active,
            "tables": self.table_count,
            "seats": self.seats,
            "demo": self.is_demo,
        }


def list_restaurants(db: Database) -> list[RestaurantSummary]:
    counts = (
        select(
            DiningTable.restaurant_id,
            func.count(DiningTable.id).label("tables"),
            func.coalesce(func.sum(DiningTable.max_guests), 0).label("seats"),
        )
        .where(DiningTable.is_active.is_(True))
        .group_by(DiningTable.restaurant_id)
        .subquery()
    )
    query = (
        select(Restaurant, counts.c.tables, counts.c.seats)
        .outerjoin(counts, counts.c.restaurant_id == Restaurant.id)
        .order_by(Restaurant.name, Restaurant.id)
    )
    with db.unit_of_work() as uow:
        return [
            _summary(restaurant, tables or 0, seats or 0)
            for restaurant, tables, seats in uow.session.execute(query)
        ]


def get_restaurant(db: Database, restaurant_id: int) -> RestaurantSummary:
    for summary in list_restaurants(db):
        if summary.id == restaurant_id:
            return summary
    raise NotFound(f"There is no restaurant with id {restaurant_id}.")


def _summary(restaurant: Restaurant, tables: int, seats: int) -> RestaurantSummary:
    return RestaurantSummary(
        id=restaurant.id,
        name=restaurant.name,
        timezone=restaurant.timezone,
        address=restaurant.address,
        cuisine=restaurant.cuisine,
        is_active=restaurant.is_active,
        table_count=int(tables),
        seats=int(seats),
        is_demo=bool((restaurant.settings or {}).get("demo")),
    )


def read_import_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"No such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Cannot read {path}: {exc}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    if not isinstance(document, dict):
        raise InvalidInput(f'{path} must hold an object with "restaurant" and "tables".')
    return document


def import_restaurant(db: Database, document: dict[str, Any]) -> RestaurantSummary:
    """Create a restaurant and its tables from an import document, all or nothing."""
    unknown = sorted(set(document) - {"restaurant", "tables"})
    if unknown:
        raise InvalidInput(
            f'Unknown top-level field {", ".join(map(repr, unknown))}; expected "restaurant" '
            'and "tables".'
        )
    spec = parse_restaurant(document.get("restaurant"))
    tables_raw = document.get("tables") or []
    if not isinstance(tables_raw, list):
        raise InvalidInput('"tables" must be a list of table objects.')
    tables = [parse_table(raw, f"tables[{index}]") for index, raw in enumerate(tables_raw)]
    names = [t.name.casefold() for t in tables]
    duplicates = sorted({t.name for t in tables if names.count(t.name.casefold()) > 1})
    if duplicates:
        raise InvalidInput(f"Table names must be unique; repeated: {', '.join(duplicates)}.")

    with db.unit_of_work() as uow:
        restaurant = Restaurant(**spec.__dict__)
        restaurant.tables = [DiningTable(**table.__dict__) for table in tables]
        uow.session.add(restaurant)
        uow.session.flush()
        uow.changed("restaurant", restaurant.id)
        uow.changed("table", *(t.id for t in restaurant.tables))
        summary = _summary(
            restaurant,
            sum(1 for t in tables if t.is_active),
            sum(t.max_guests for t in tables if t.is_active),
        )
        uow.commit()
    return summary
