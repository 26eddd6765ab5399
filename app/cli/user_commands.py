"""``user add --email E --name N --role R`` (password on stdin)."""

from __future__ import annotations

import argparse
import getpass
import sys

from app.cli.context import open_db
from app.cli.output import say
from app.db.enums import UserRole
from app.errors import InvalidInput
from app.services.accounts import add_user


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = subparsers.add_parser("user", help="user accounts")
    actions = user.add_subparsers(dest="user_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a user (the password is read from stdin)")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=[r.value for r in UserRole])
    add.set_defaults(handler=_add)


def read_password() -> str:
    """The password from a terminal prompt (typed twice) or the first line of piped stdin."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            raise InvalidInput("The two passwords differ.")
        return first
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput("No password on stdin: pipe it in, e.g. `printf '%s\\n' \"$PW\" | …`.")
    return line.rstrip("\r\n")


def _add(args: argparse.Namespace) -> int:
    password = read_password()
    db = open_db(args)
    try:
        user = add_user(db, email=args.email, name=args.name, role=args.role, password=password)
    finally:
        db.close()
    say(f"Added {user.role.value} {user.name} <{user.email}>.")
    print(user.id)
    return 0
