"""``sofia chat``: talk to Sofia on stdin, one guest message per line, one reply per line."""

from __future__ import annotations

import argparse
import json
import sys
import uuid

from app.cli.context import open_db
from app.cli.output import say
from app.errors import InvalidInput
from app.services.restaurants import list_restaurants
from app.sofia.assistant import handle_message
from app.sofia.engines import ENGINE_NAMES, engine_by_name


def register_chat(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    chat = actions.add_parser("chat", help="chat with Sofia as a guest (messages on stdin)")
    chat.add_argument("--restaurant", type=int, metavar="ID")
    chat.add_argument("--engine", choices=ENGINE_NAMES, default="offline")
    chat.add_argument("--phone", metavar="P", help="the guest's phone, as a channel knows it")
    chat.add_argument("--name", metavar="N", help="the guest's name, as a channel knows it")
    chat.add_argument("--now", metavar="ISO-DATETIME", help="the moment 'today' refers to")
    chat.add_argument("--json", action="store_true", help="one JSON line per reply")
    chat.set_defaults(handler=_chat)


def _chat(args: argparse.Namespace) -> int:
    from app.cli.sofia_commands import _now  # the same --now reading as `sofia parse`

    db = open_db(args)
    try:
        restaurant_id = _restaurant(db, args.restaurant)
        engine = engine_by_name(args.engine, db, restaurant_id)  # refused before any message
        tz = next(r.timezone for r in list_restaurants(db) if r.id == restaurant_id)
        now = _now(args.now, tz) if args.now else None
        user = f"cli:{args.phone or 'guest'}"
        thread = f"cli-{uuid.uuid4().hex[:12]}"
        for line in sys.stdin:
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            reply = handle_message(
                db, restaurant_id, "web", user, text, thread_id=thread, now=now,
                engine=engine, phone=args.phone, name=args.name,
            )  # fmt: skip
            if args.json:
                print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
            else:
                print(reply.text, flush=True)
    finally:
        db.close()
    return 0


def _restaurant(db: object, wanted: int | None) -> int:
    restaurants = list_restaurants(db)  # type: ignore[arg-type]
    if wanted is not None:
        if not any(r.id == wanted for r in restaurants):
            raise InvalidInput(f"There is no restaurant with id {wanted}.")
        return wanted
    if not restaurants:
        raise InvalidInput("There is no restaurant yet: run `demo` or `restaurant import` first.")
    if len(restaurants) > 1:
        say(f"Chatting with {restaurants[0].name} (id {restaurants[0].id}); use --restaurant.")
    return restaurants[0].id
