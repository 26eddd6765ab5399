"""An integration's health as the app shows it: ``last_sync``, ``error_count``, ``last_error``.

Threading: each function is one unit of work on the calling thread.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.exc import SQLAlchemyError

from app.db.models import IntegrationSetting
from app.services.database import Database

log = logging.getLogger(__name__)


# A healthy integration's ``last_sync`` is rewritten at most this often: every write is a commit
# that other terminals' change watchers hear (with SQLite, as "everything may have changed").
LAST_SYNC_EVERY = dt.timedelta(seconds=60)


def record_success(db: Database, integration_id: int, now: dt.datetime) -> None:
    with db.unit_of_work() as uow:
        row = uow.session.get(IntegrationSetting, integration_id)
        if row is not None:
            changed = row.error_count != 0 or row.last_error is not None
            last = row.last_sync
            if last is not None and last.tzinfo is None:
                last = last.replace(tzinfo=dt.UTC)
            if not changed and last is not None and dt.timedelta(0) <= now - last < LAST_SYNC_EVERY:
                return  # nothing new to say: no commit
            row.last_sync = now
            row.error_count = 0
            row.last_error = None
            if changed:
                uow.changed("integration", row.id)
            uow.commit()


def record_failure(db: Database, integration_id: int, error: str) -> int:
    """Count one more failed round; the consecutive failures so far (0 if not recorded)."""
    log.warning("integration %d: %s", integration_id, error)
    try:
        with db.unit_of_work() as uow:
            row = uow.session.get(IntegrationSetting, integration_id)
            if row is None:
                return 0
            row.error_count = (row.error_count or 0) + 1
            row.last_error = error[:500]
            count = row.error_count
            uow.changed("integration", row.id)
            uow.commit()
            return count
    except SQLAlchemyError:
        log.exception("cannot record the integration's error")
        return 0
