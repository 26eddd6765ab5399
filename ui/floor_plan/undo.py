"""Undo for floor-plan edits: each record knows how to put the floor back through the same
services (move_tables, save_table, delete_table), so an undo is checked and saved like an edit.

Threading contract: the stack lives on the UI thread; ``Record.revert`` runs on a worker
thread (service calls only) and returns an id remap (a deleted table comes back with a new id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.services.accounts import UserSummary
from app.services.database import Database
from app.services.floor_plan import delete_table, move_tables, save_table

LIMIT = 50


@dataclass(frozen=True)
class Record:
    label: str

    def table_ids(self) -> tuple[int, ...]:
        return ()

    def remapped(self, old: int, new: int) -> Record:
        return self

    def revert(self, db: Database, restaurant_id: int, user: UserSummary) -> tuple[int, int] | None:
        raise NotImplementedError


@dataclass(frozen=True)
class MoveRecord(Record):
    """Positions (x, y, rotation…) as they were before a drag or a rotation."""

    before: tuple[tuple[int, dict[str, Any]], ...] = ()

    def table_ids(self) -> tuple[int, ...]:
        return tuple(table_id for table_id, _ in self.before)

    def remapped(self, old: int, new: int) -> Record:
        moves = tuple((new if i == old else i, p) for i, p in self.before)
        return MoveRecord(self.label, moves)

    def revert(self, db: Database, restaurant_id: int, user: UserSummary) -> None:
        move_tables(db, [(i, dict(p)) for i, p in self.before], user=user)
        return None


@dataclass(frozen=True)
class AddRecord(Record):
    table_id: int = 0

    def table_ids(self) -> tuple[int, ...]:
        return (self.table_id,)

    def remapped(self, old: int, new: int) -> Record:
        return AddRecord(self.label, new if self.table_id == old else self.table_id)

    def revert(self, db: Database, restaurant_id: int, user: UserSummary) -> None:
        delete_table(db, self.table_id, user=user)
        return None


@dataclass(frozen=True)
class DeleteRecord(Record):
    table_id: int = 0
    spec: dict[str, Any] | None = None

    def table_ids(self) -> tuple[int, ...]:
        return (self.table_id,)

    def revert(self, db: Database, restaurant_id: int, user: UserSummary) -> tuple[int, int]:
        restored = save_table(db, restaurant_id, dict(self.spec or {}), user=user)
        return (self.table_id, restored.id)


@dataclass(frozen=True)
class EditRecord(Record):
    """A table's whole property document as it was before a form edit."""

    table_id: int = 0
    spec: dict[str, Any] | None = None

    def table_ids(self) -> tuple[int, ...]:
        return (self.table_id,)

    def remapped(self, old: int, new: int) -> Record:
        return EditRecord(self.label, new if self.table_id == old else self.table_id, self.spec)

    def revert(self, db: Database, restaurant_id: int, user: UserSummary) -> None:
        save_table(db, restaurant_id, dict(self.spec or {}), self.table_id, user=user)
        return None


class UndoStack:
    def __init__(self) -> None:
        self._records: list[Record] = []

    def push(self, record: Record) -> None:
        self._records.append(record)
        del self._records[:-LIMIT]

    def pop(self) -> Record | None:
        return self._records.pop() if self._records else None

    def restore(self, record: Record) -> None:
        """Put back a record whose undo the database refused (it can be tried again)."""
        self._records.append(record)

    def remap(self, old: int, new: int) -> None:
        self._records = [r.remapped(old, new) for r in self._records]

    def peek(self) -> Record | None:
        return self._records[-1] if self._records else None

    def __len__(self) -> int:
        return len(self._records)

    def clear(self) -> None:
        self._records.clear()
