"""One database transaction around a whole guest turn, so an update is handled exactly once.

``handle_message`` (and the booking services its tools call) commit their own units of work.
Inside ``turn_transaction`` they run on one connection whose sessions join an outer transaction
with savepoints: their ``commit()`` releases a savepoint, and nothing is durable until the worker
has also written the processed-update record, the cursor and the outbox row and commits the
outer transaction. A crash anywhere before that commit leaves no trace, so the update is handled
again from scratch; after it, the update is never handled again.

Change notifications raised inside are held back and published after the outer commit.

Caveat: on SQLite the outer transaction holds the write lock (``BEGIN IMMEDIATE``) for the whole
turn; with a network LLM engine that can be seconds, during which other writers wait.

Threading: the calling thread only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.services.changes import Change, ChangeBus
from app.services.database import Database


class _HeldChanges(ChangeBus):
    def __init__(self) -> None:
        super().__init__()
        self.held: list[Change] = []

    def publish(self, changes: Iterable[Change]) -> None:
        self.held.extend(changes)


@dataclass
class Turn:
    db: Database  # hand this to handle_message / services: their commits are savepoints
    session: Session  # the worker's own writes, in the same transaction


@contextmanager
def turn_transaction(db: Database) -> Iterator[Turn]:
    """Commit everything done through the yielded ``Turn`` at the end, or nothing at all."""
    held = _HeldChanges()
    with db.engine.connect() as conn:
        outer = conn.begin()
        factory = sessionmaker(
            bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        inner = Database(db.engine, factory, held)
        session = factory()
        try:
            yield Turn(inner, session)
            session.flush()
            outer.commit()
        except BaseException:
            outer.rollback()
            raise
        finally:
            session.close()
    db.changes.publish(_merged(held.held))


def _merged(changes: list[Change]) -> list[Change]:
    by_kind: dict[str, set[int]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, set()).update(change.ids)
    return [Change(kind, frozenset(ids)) for kind, ids in by_kind.items()]
