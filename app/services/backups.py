"""The automatic daily backup of the open database, for the desktop app's scheduler.

A thin use case over ``app.db.backups``: the UI hands over its ``Database`` and never touches the
database layer itself. Only a local SQLite file is backed up; a PostgreSQL server has its own
backup regime (docs/deployment.md).

Threading contract: ``daily_backup`` blocks on file I/O (an online copy of the whole file);
run it on a worker thread. ``takes_daily_backups`` is instant.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.db import backups
from app.services.database import Database

DAILY_KEEP_DAYS = backups.DAILY_KEEP_DAYS


def takes_daily_backups(db: Database) -> bool:
    return db.is_sqlite


def daily_backup(
    db: Database,
    *,
    now: dt.datetime,
    folder: Path | None = None,
    keep_days: int = DAILY_KEEP_DAYS,
) -> Path | None:
    """Today's backup of the local file (the path written, or None when there was nothing to
    do); see ``app.db.backups.daily_backup``."""
    return backups.daily_backup(db.url, now=now, folder=folder, keep_days=keep_days)
