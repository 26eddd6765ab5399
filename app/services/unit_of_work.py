"""One user action = one transaction (Cosmic Python's unit of work)."""

from __future__ import annotations

from collections import defaultdict
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from app.services.changes import Change, ChangeBus


class UnitOfWork:
    """A session that rolls back unless ``commit()`` is called, then announces the changes.

    Threading: a unit of work belongs to the thread that opened it.
    """

    def __init__(self, session_factory: sessionmaker[Session], bus: ChangeBus) -> None:
        self._session_factory = session_factory
        self._bus = bus
        self._changed: dict[str, set[int]] = defaultdict(set)
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def changed(self, kind: str, *ids: int) -> None:
        """Record that rows of ``kind`` were written (announced only if the commit succeeds)."""
        self._changed[kind].update(ids)

    def commit(self) -> None:
        self.session.commit()
        changes = [Change(kind, frozenset(ids)) for kind, ids in self._changed.items()]
        self._changed.clear()
        self._bus.publish(changes)
