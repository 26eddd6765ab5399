"""Entry point: parse the command line, then run a command or open the desktop app."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app import __version__
from app.cli import (
    booking_commands,
    channel_commands,
    db_commands,
    demo_command,
    report_command,
    restaurant_commands,
    sofia_commands,
    user_commands,
)
from app.errors import ToBeOutError
from app.logging_setup import configure_logging

log = logging.getLogger("tobeout")

COMMAND_MODULES = (
    db_commands,
    demo_command,
    restaurant_commands,
    user_commands,
    booking_commands,
    sofia_commands,
    channel_commands,
    report_command,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        # The bundled program is called by its own name; a checkout runs main.py.
        prog=Path(sys.executable).name if getattr(sys, "frozen", False) else "main.py",
        description="ToBeOut Host Stand. Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"ToBeOut Host Stand {__version__}")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="postgresql+psycopg://user:password@host:port/db or sqlite:///FILE "
        "(default: $TOBEOUT_DATABASE_URL, else the local file)",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check this installation (a new database migrated from the bundled migrations, "
        "the demo restaurant, the host-stand window drawn offscreen, styles and icons) and "
        "exit; with --database-url, also connect to that database without changing it",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


DesktopLauncher = Callable[[str | None], int]


def main(
    argv: Sequence[str] | None = None,
    desktop: DesktopLauncher | None = None,
    self_check: DesktopLauncher | None = None,
) -> int:
    """Run the command in ``argv``; with no command, call ``desktop(database_url)``;
    with ``--self-check``, call ``self_check(database_url)``.

    The launchers are passed in by ``main.py`` because app/ never imports the Qt layer.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if args.self_check and handler is not None:
        parser.error("--self-check runs on its own, without a command")
    configure_logging()
    log.info(
        "ToBeOut Host Stand %s: %s (Python %s, %s)",
        __version__,
        "self-check" if args.self_check else (args.command or "desktop"),
        sys.version.split()[0],
        sys.platform,
    )
    try:
        if args.self_check:
            if self_check is None:
                print("error: the self-check needs the desktop program: main.py --self-check",
                      file=sys.stderr)  # fmt: skip
                return 2
            return self_check(args.database_url)
        if handler is None:
            if desktop is None:
                parser.print_help()
                return 0
            return desktop(args.database_url)
        return int(handler(args))
    except ToBeOutError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``report --csv | head``): not an error of ours. Point stdout
        # at devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
