"""``availability``, ``book`` and ``reservation …``: the booking engine from the command line."""

from __future__ import annotations

import argparse

from app.cli.context import open_db
from app.cli.output import emit_json, say, table
from app.domain.booking_rules import parse_date
from app.domain.opening_hours import parse_hhmm
from app.errors import InvalidInput, NotAvailable
from app.services.availability import check_availability
from app.services.booking import BookingRequest, book
from app.services.lifecycle import change_status, reschedule
from app.services.reservation_views import ReservationView


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    avail = subparsers.add_parser("availability", help="bookable slots of a day for a party")
    avail.add_argument("--restaurant", type=int, required=True, metavar="ID")
    avail.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    avail.add_argument("--party", required=True, metavar="N")
    avail.add_argument("--time", metavar="HH:MM", help="also explain this time, with alternatives")
    avail.add_argument("--duration", metavar="MINUTES")
    avail.add_argument("--json", action="store_true")
    avail.set_defaults(handler=_availability)

    booking = subparsers.add_parser("book", help="book a table (the engine picks it)")
    booking.add_argument("--restaurant", type=int, required=True, metavar="ID")
    booking.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    booking.add_argument("--time", required=True, metavar="HH:MM")
    booking.add_argument("--party", required=True, metavar="N")
    booking.add_argument("--name", required=True)
    booking.add_argument("--phone", required=True)
    booking.add_argument("--email")
    booking.add_argument("--requests", metavar="TEXT")
    booking.add_argument("--occasion", metavar="KIND")
    booking.add_argument("--source", default="phone")
    booking.add_argument("--duration", metavar="MINUTES")
    booking.add_argument("--table", action="append", default=[], metavar="NAME",
                         help="book this table (repeat to join tables)")  # fmt: skip
    booking.add_argument("--status", default="confirmed", help="inquiry, pending or confirmed")
    booking.add_argument("--json", action="store_true")
    booking.set_defaults(handler=_book)

    reservation = subparsers.add_parser("reservation", help="change a reservation")
    actions = reservation.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="move a reservation along the status flow")
    status.add_argument("code", metavar="CODE")
    status.add_argument("status", metavar="STATUS")
    status.add_argument("--reason", metavar="TEXT")
    status.add_argument("--total", metavar="AMOUNT", help="bill total, when completing")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    moved = actions.add_parser("reschedule", help="move a booking to another date and time")
    moved.add_argument("code", metavar="CODE")
    moved.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    moved.add_argument("--time", required=True, metavar="HH:MM")
    moved.add_argument("--party", metavar="N")
    moved.add_argument("--json", action="store_true")
    moved.set_defaults(handler=_reschedule)


def _party(raw: str) -> int:
    if not raw.strip().isdigit():
        raise InvalidInput(f"party size must be a whole number, not {raw!r}.")
    return int(raw)


def _minutes(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.strip().isdigit():
        raise InvalidInput(f"duration must be a number of minutes, not {raw!r}.")
    return int(raw)


def _availability(args: argparse.Namespace) -> int:
    day = parse_date(args.date, "date")
    clock = parse_hhmm(args.time, "time") if args.time else None
    party, duration = _party(args.party), _minutes(args.duration)
    db = open_db(args)
    try:
        result = check_availability(db, args.restaurant, day, party, time=clock,
                                    duration=duration)  # fmt: skip
    finally:
        db.close()
    if args.json:
        emit_json(result.to_json())
        return 0
    if result.closed:
        say(f"{day:%A %d %B %Y}: {result.closed}.")
        return 0
    rows = [
        [s.time, s.service, "yes" if s.available else "no", "+".join(s.tables),
         s.message or ""]
        for s in result.slots
    ]  # fmt: skip
    print(table(rows, ["time", "service", "free", "table", "why not"]))
    for line in result.explanation:
        say(line)
    if result.alternatives:
        say("Alternatives: " + ", ".join(str(a) for a in result.alternatives))
    return 0


def _print_reservation(view: ReservationView, as_json: bool) -> None:
    if as_json:
        emit_json(view.to_json())
        return
    print(view.confirmation_code)
    say(
        f"{view.status.value}: {view.guest_name}, {view.party_size} guests, "
        f"{view.date:%a %d %b} {view.time:%H:%M}, table {'+'.join(view.tables) or '—'}"
    )
    if view.deposit_required:
        say(f"Deposit required: {view.deposit_amount}")


def _book(args: argparse.Namespace) -> int:
    request = BookingRequest(
        restaurant_id=args.restaurant,
        date=parse_date(args.date, "date"),
        time=parse_hhmm(args.time, "time"),
        party_size=_party(args.party),
        name=args.name,
        phone=args.phone,
        email=args.email,
        special_requests=args.requests,
        occasion=args.occasion,
        source=args.source,
        duration=_minutes(args.duration),
        tables=tuple(args.table),
        status=args.status,
    )
    db = open_db(args)
    try:
        result = book(db, request, actor="cli")
    except NotAvailable as exc:
        if exc.alternatives:
            exc.message += " Available instead: " + ", ".join(map(str, exc.alternatives)) + "."
        raise
    finally:
        db.close()
    _print_reservation(result.reservation, args.json)
    if not args.json:
        for line in result.explanation:
            say(line)
    return 0


def _status(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        view = change_status(db, args.code, args.status, actor="cli", reason=args.reason,
                             total_amount=args.total)  # fmt: skip
    finally:
        db.close()
    _print_reservation(view, args.json)
    return 0


def _reschedule(args: argparse.Namespace) -> int:
    day = parse_date(args.date, "date")
    clock = parse_hhmm(args.time, "time")
    party = _party(args.party) if args.party else None
    db = open_db(args)
    try:
        view = reschedule(db, args.code, date=day, time=clock, party_size=party, actor="cli")
    finally:
        db.close()
    _print_reservation(view, args.json)
    return 0
