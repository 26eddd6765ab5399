"""The open database: engine, session factory and change bus, handed to every service."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import READ_ONLY, describe_url, make_session_factory, resolve_database_url
from app.db.schema import open_database
from app.services.changes import ChangeBus
from app.services.unit_of_work import UnitOfWork


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    changes: ChangeBus = field(default_factory=ChangeBus)

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def is_sqlite(self) -> bool:
        return self.engine.url.get_backend_name() == "sqlite"

    def describe(self) -> str:
        return describe_url(self.engine.url)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.changes)

    def read_session(self) -> Session:
        """A session for reads only: on SQLite it does not take the write lock, so a long
        report never holds up a booking. Writing through it is a programming error."""
        return Session(self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    @classmethod
    def from_engine(cls, engine: Engine) -> Database:
        return cls(engine, make_session_factory(engine))


def connect(database_url: str | URL | None = None) -> Database:
    """Open (and upgrade, backing up first) the configured database."""
    url = database_url if isinstance(database_url, URL) else resolve_database_url(database_url)
    return Database.from_engine(open_database(url))
