"""What every command gets: its parsed arguments and a way to open the database."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from app.services.database import Database, connect

Handler = Callable[[argparse.Namespace], int]


def open_db(args: argparse.Namespace) -> Database:
    """The configured database, upgraded to this program's schema (backup taken first)."""
    return connect(getattr(args, "database_url", None))
