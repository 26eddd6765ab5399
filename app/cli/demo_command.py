"""``demo [--reset]``: the demo restaurant; prints its id alone on stdout."""

from __future__ import annotations

import argparse

from app.cli.context import open_db
from app.cli.output import say


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = subparsers.add_parser("demo", help="create the demo restaurant (idempotent)")
    demo.add_argument("--reset", action="store_true", help="delete and recreate the demo data")
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from app.demo import DEMO_ACCOUNTS, create_demo

    db = open_db(args)
    try:
        restaurant_id = create_demo(db, reset=args.reset)
    finally:
        db.close()
    say("Demo restaurant ready. Sign in with:")
    for account in DEMO_ACCOUNTS:
        say(f"  {account.role.value:<8} {account.email}  password: {account.password}")
    print(restaurant_id)
    return 0
