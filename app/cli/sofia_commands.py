"""``sofia parse``: what the offline engine reads from one guest message."""

from __future__ import annotations

import argparse
from datetime import datetime

from app.cli.output import emit_json
from app.cli.sofia_chat import register_chat
from app.cli.sofia_configure import register_configure
from app.errors import InvalidInput
from app.sofia.parsing.parse import DEFAULT_TIMEZONE, parse_message, to_json_dict, zone


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sofia = subparsers.add_parser("sofia", help="Sofia, the AI hostess")
    actions = sofia.add_subparsers(dest="sofia_action", metavar="ACTION", required=True)
    parse = actions.add_parser("parse", help="show what Sofia understands in a guest message")
    parse.add_argument("text", metavar="TEXT")
    parse.add_argument(
        "--now", metavar="ISO-DATETIME", help="the moment 'today' refers to (default: now)"
    )
    parse.add_argument(
        "--tz",
        default=DEFAULT_TIMEZONE,
        metavar="ZONE",
        help=f"the restaurant's IANA timezone (default: {DEFAULT_TIMEZONE})",
    )
    parse.add_argument("--json", action="store_true")
    parse.set_defaults(handler=_parse)
    register_chat(actions)
    register_configure(actions)


def _now(raw: str | None, tz_name: str) -> datetime:
    """``--now`` as an aware datetime; without an offset it is the restaurant's wall clock."""
    tz = zone(tz_name)
    if raw is None:
        return datetime.now(tz)
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise InvalidInput(
            f"--now must be an ISO date-time such as 2026-11-24T10:00+03:00, not {raw!r}."
        ) from exc
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def _parse(args: argparse.Namespace) -> int:
    now = _now(args.now, args.tz)
    document = to_json_dict(parse_message(args.text, now, args.tz))
    if args.json:
        emit_json(document)
    else:
        for key, value in document.items():
            print(f"{key}: {'-' if value is None else value}")
    return 0
