"""ToBeOut Host Stand: ``python main.py`` opens the desktop app; ``--help`` lists commands."""

from __future__ import annotations

import sys

from app.cli.main import main


def launch_desktop(database_url: str | None) -> int:
    try:
        from ui.application import run_desktop
    except ModuleNotFoundError as exc:
        if exc.name != "ui.application":
            raise
        # Until the desktop UI lands, the run command shows what the program can do.
        from app.cli.main import build_parser

        build_parser().print_help()
        return 0
    return run_desktop(database_url)


def launch_self_check(database_url: str | None) -> int:
    from ui.self_check import run_self_check

    return run_self_check(database_url)


if __name__ == "__main__":
    sys.exit(main(desktop=launch_desktop, self_check=launch_self_check))
