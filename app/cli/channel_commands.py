"""``integration add|list|enable|disable|test`` and ``sync``: channel integrations from a shell.

Credentials are read from stdin (or ``--token`` for a Telegram bot) and never printed.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from app.channels import integrations
from app.channels.telegram import TelegramClient, TelegramError
from app.channels.webhook import WebhookServer, WhatsAppWebhook
from app.channels.worker import SyncWorker
from app.cli.context import open_db
from app.cli.output import emit_json, say, table
from app.errors import InvalidInput, NotAvailable


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = subparsers.add_parser("integration", help="chat-channel integrations (managers)")
    actions = group.add_subparsers(dest="integration_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add a Telegram bot (token on stdin unless --token) or a WhatsApp number "
        "(access token, app secret and verify token on stdin, one per line)",
    )
    add.add_argument("type", choices=["telegram", "whatsapp"])
    add.add_argument("--restaurant", type=int, required=True, metavar="ID")
    add.add_argument("--token", help="the bot token (default: read from stdin)")
    add.add_argument("--phone-number-id", metavar="ID", help="WhatsApp: the number's id")
    add.add_argument("--api-base-url", metavar="URL")
    add.add_argument("--replace", action="store_true", help="replace an existing bot's token")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=_add)
    listing = actions.add_parser("list", help="integrations, credentials masked")
    listing.add_argument("--restaurant", type=int, metavar="ID")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    for name, active in (("enable", True), ("disable", False)):
        toggle = actions.add_parser(name, help=f"{name} an integration")
        toggle.add_argument("id", type=int)
        toggle.set_defaults(handler=_toggle, active=active)
    test = actions.add_parser("test", help="ask Telegram who the bot is (getMe)")
    test.add_argument("id", type=int)
    test.set_defaults(handler=_test)
    sync = subparsers.add_parser("sync", help="headless channel worker")
    sync.add_argument("--once", action="store_true", help="process what is pending and exit")
    sync.add_argument("--restaurant", type=int, metavar="ID")
    sync.add_argument(
        "--webhook-port",
        type=int,
        metavar="N",
        help="serve the WhatsApp webhook on this port (behind an HTTPS proxy)",
    )
    sync.add_argument(
        "--webhook-host",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="the webhook's listening address (default 127.0.0.1)",
    )
    sync.set_defaults(handler=_sync)


def _add(args: argparse.Namespace) -> int:
    if args.type == "whatsapp":
        return _add_whatsapp(args)
    token = args.token if args.token is not None else sys.stdin.readline().strip()
    if not token:
        raise InvalidInput("Give the bot token with --token or on stdin.")
    view = integrations.add_telegram(
        open_db(args), args.restaurant, token, api_base_url=args.api_base_url, replace=args.replace
    )
    if args.json:
        emit_json(view.to_json())
    else:
        say(f"Telegram bot added as integration {view.id} ({view.credential_hint}).")
        print(view.id)
    return 0


def _add_whatsapp(args: argparse.Namespace) -> int:
    if not args.phone_number_id:
        raise InvalidInput("Give the WhatsApp number's id with --phone-number-id.")
    if args.token is not None:
        raise InvalidInput("WhatsApp credentials are read from stdin, not given with --token.")
    lines = [sys.stdin.readline().strip() for _ in range(3)]
    if not all(lines):
        raise InvalidInput(
            "Give the access token, the app secret and the verify token on stdin, one per line."
        )
    access_token, app_secret, verify_token = lines
    view = integrations.add_whatsapp(
        open_db(args), args.restaurant, phone_number_id=args.phone_number_id,
        access_token=access_token, app_secret=app_secret, verify_token=verify_token,
        api_base_url=args.api_base_url, replace=args.replace,
    )  # fmt: skip
    if args.json:
        emit_json(view.to_json())
    else:
        say(f"WhatsApp number added as integration {view.id} ({view.credential_hint}).")
        print(view.id)
    return 0


def _list(args: argparse.Namespace) -> int:
    views = integrations.list_integrations(open_db(args), args.restaurant)
    if args.json:
        emit_json([v.to_json() for v in views])
        return 0
    body = [[str(v.id), str(v.restaurant_id), v.type.value, "on" if v.is_active else "off",
             v.credential_hint, v.api_base_url, str(v.error_count), v.last_error or "-"]
            for v in views]  # fmt: skip
    headers = ["id", "restaurant", "type", "active", "credentials", "api", "errors", "last error"]
    print(table(body, headers))
    return 0


def _toggle(args: argparse.Namespace) -> int:
    view = integrations.set_active(open_db(args), args.id, args.active)
    say(f"Integration {view.id} {'enabled' if view.is_active else 'disabled'}.")
    return 0


def _test(args: argparse.Namespace) -> int:
    db = open_db(args)
    found = [v for v in integrations.list_integrations(db) if v.id == args.id]
    if not found:
        raise InvalidInput(f"There is no integration with id {args.id}.")
    with db.unit_of_work() as uow:
        from app.db.models import IntegrationSetting

        row = uow.session.get(IntegrationSetting, args.id)
        assert row is not None
        access = integrations.access_of(row)
    token = access.credentials.get("token")
    if token is None:
        raise InvalidInput("Only Telegram integrations can be tested here for now.")
    client = TelegramClient(access.api_base_url, token, max_attempts=2)
    try:
        bot = client.get_me()
    except TelegramError as exc:
        raise NotAvailable(f"Telegram did not answer as expected: {exc}") from None
    finally:
        client.close()
    print(f"@{bot.get('username', '?')}")
    return 0


def _sync(args: argparse.Namespace) -> int:
    logging.getLogger("app.channels").setLevel(logging.INFO)
    db = open_db(args)
    if args.webhook_port is not None and args.once:
        raise InvalidInput("The webhook needs a running worker: leave out --once.")
    if args.webhook_port is not None and not 0 <= args.webhook_port <= 65535:
        raise InvalidInput(f"There is no port {args.webhook_port}.")
    worker = SyncWorker(db, restaurant_id=args.restaurant, long_poll=not args.once)
    if args.once:
        try:
            report = worker.run_once()
        finally:
            worker.close()
        counts = f"{len(report.polled)} polled, {len(report.standby)} on standby"
        say(
            f"{counts}, {len(report.failed)} failed; {report.updates} update(s), {report.sent} sent"
        )
        return 3 if report.failed else 0
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server = None
    if args.webhook_port is not None:
        webhook = WhatsAppWebhook(db, restaurant_id=args.restaurant)
        try:
            server = WebhookServer(webhook, args.webhook_port, args.webhook_host)
        except OSError as exc:
            raise NotAvailable(f"Cannot listen on port {args.webhook_port}: {exc}") from None
        server.start()
        say(f"WhatsApp webhook listening on {server.url}")
    say("sync worker running; Ctrl+C stops it")
    try:
        worker.run_forever(stop)
    finally:
        if server is not None:
            server.stop()
    return 0
