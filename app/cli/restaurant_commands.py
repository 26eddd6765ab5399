"""``restaurant import FILE.json | list``."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import open_db
from app.cli.output import emit_json, say, table
from app.services.restaurants import import_restaurant, list_restaurants, read_import_file


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    restaurant = subparsers.add_parser("restaurant", help="restaurants")
    actions = restaurant.add_subparsers(dest="restaurant_action", required=True, metavar="ACTION")
    imp = actions.add_parser("import", help="create a restaurant and its tables from JSON")
    imp.add_argument("file", type=Path, metavar="FILE.json")
    imp.set_defaults(handler=_import)
    lst = actions.add_parser("list", help="list restaurants")
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.set_defaults(handler=_list)


def _import(args: argparse.Namespace) -> int:
    document = read_import_file(args.file)  # bad files fail before the database is touched
    db = open_db(args)
    try:
        summary = import_restaurant(db, document)
    finally:
        db.close()
    say(f"Imported {summary.name!r}: {summary.table_count} active tables, {summary.seats} seats.")
    print(summary.id)
    return 0


def _list(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        restaurants = list_restaurants(db)
    finally:
        db.close()
    if args.json:
        emit_json([r.to_json() for r in restaurants])
        return 0
    if not restaurants:
        say("No restaurants yet: run `main.py demo` or `main.py restaurant import FILE.json`.")
        return 0
    rows = [
        [str(r.id), r.name + (" (demo)" if r.is_demo else ""), r.timezone, str(r.table_count),
         str(r.seats), "yes" if r.is_active else "no"]
        for r in restaurants
    ]  # fmt: skip
    print(table(rows, ["id", "name", "timezone", "tables", "seats", "active"]))
    return 0
