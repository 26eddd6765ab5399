"""Edit-mode actions (managers and admins): move, rotate, add, duplicate, delete and edit
tables, and undo the last edits. Every change goes through the floor-plan services, which
check the permission again; a refusal puts the canvas back and says why.

Threading contract: UI thread; service calls run through ``context.tasks``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPointF, Signal
from PySide6.QtWidgets import QMessageBox

from app.services.floor_plan import FloorTable, delete_table, move_tables, save_table
from ui.errors import error_text
from ui.floor_plan.style import GRID, ROTATE_STEP
from ui.floor_plan.table_editor import TableEditor
from ui.floor_plan.undo import AddRecord, DeleteRecord, EditRecord, MoveRecord, Record, UndoStack
from ui.floor_plan.view import TableMove, snap

if TYPE_CHECKING:
    from ui.floor_plan.panel import FloorPlanPanel

DUPLICATE_OFFSET = 4 * GRID


def unique_name(base: str, taken: set[str]) -> str:
    stem = base.rstrip("0123456789") or base
    number = 1
    while f"{stem}{number}".lower() in taken:
        number += 1
    return f"{stem}{number}"


class EditActions(QObject):
    edit_saved = Signal(str)  # what was done, e.g. "Moved B1"
    edit_refused = Signal(str)  # the service's reason
    undone = Signal(str)

    def __init__(self, panel: FloorPlanPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.context = panel.context
        self.undo_stack = UndoStack()
        self.editor: TableEditor | None = None
        # Replaced in tests; asks before a table is deleted.
        self.confirm: Callable[[str], bool] = self._ask

    # -- plumbing ---------------------------------------------------------------------------

    def _tables(self) -> dict[int, FloorTable]:
        snapshot = self.panel.snapshot
        return {} if snapshot is None else {t.table.id: t.table for t in snapshot.tables}

    def _run(self, label: str, fn: Callable[..., Any], *args: Any,
             record: Callable[[Any], Record | None], rollback: Callable[[], None] | None = None,
             **kwargs: Any) -> None:  # fmt: skip
        def done(result: Any) -> None:
            entry = record(result)
            if entry is not None:
                self.undo_stack.push(entry)
            self.panel.hide_notice()
            self.context.message_posted.emit(label)
            self.edit_saved.emit(label)
            self.panel.refresh()

        def failed(exc: Exception) -> None:
            if rollback is not None:
                rollback()
            reason = error_text(exc)
            self.panel.show_notice(f"Not saved: {reason}")
            self.context.message_posted.emit(reason)
            self.edit_refused.emit(reason)
            self.panel.refresh()

        self.context.tasks.run(fn, *args, user=self.context.user, on_done=done, on_error=failed,
                               **kwargs)  # fmt: skip

    def _ask(self, text: str) -> bool:
        answer = QMessageBox.question(self.panel, "Delete table", text)
        return answer == QMessageBox.StandardButton.Yes

    # -- move and rotate --------------------------------------------------------------------

    def move(self, moves: list[TableMove]) -> None:
        tables = self._tables()
        before = tuple((m.table_id, {"x": m.before.x(), "y": m.before.y()}) for m in moves)
        payload = [(m.table_id, {"x": snap(m.after.x()), "y": snap(m.after.y())}) for m in moves]
        names = ", ".join(tables[m.table_id].name for m in moves if m.table_id in tables)

        def rollback() -> None:
            for m in moves:
                item = self.panel.view.floor.items_by_id.get(m.table_id)
                if item is not None:
                    t = item.table
                    item.setPos(m.before + QPointF(t.width / 2, t.height / 2))

        self._run(f"Moved {names}.", move_tables, self.context.db, payload,
                  record=lambda _r: MoveRecord("move", before), rollback=rollback)  # fmt: skip

    def rotate(self, step: float = ROTATE_STEP) -> None:
        items = self.panel.view.floor.selected_tables()
        if not items:
            self.panel.show_notice("Select a table to rotate.")
            return
        before = tuple((i.table_id, {"rotation": i.rotation_deg}) for i in items)
        payload = []
        for item in items:
            item.set_rotation_deg(item.rotation_deg + step)
            payload.append((item.table_id, {"rotation": item.rotation_deg}))

        def rollback() -> None:
            for table_id, position in before:
                item = self.panel.view.floor.items_by_id.get(table_id)
                if item is not None:
                    item.set_rotation_deg(position["rotation"])

        names = ", ".join(i.table.name for i in items)
        self._run(f"Rotated {names}.", move_tables, self.context.db, payload,
                  record=lambda _r: MoveRecord("rotate", before), rollback=rollback)  # fmt: skip

    # -- add, duplicate, delete -------------------------------------------------------------

    def add(self) -> None:
        view = self.panel.view
        centre = view.mapToScene(view.viewport().rect().center())
        area = self.panel.current_area() or self._area_at(centre) or "Main room"
        taken = {t.name.lower() for t in self._tables().values()}
        spec = {
            "name": unique_name("N", taken), "min_guests": 1, "max_guests": 4, "shape": "square",
            "position": {"x": snap(centre.x() - 40), "y": snap(centre.y() - 40), "width": 80,
                         "height": 80, "rotation": 0, "area": area},
        }  # fmt: skip
        self._create(spec, "Added")

    def duplicate(self) -> None:
        items = self.panel.view.floor.selected_tables()
        if len(items) != 1:
            self.panel.show_notice("Select one table to duplicate.")
            return
        spec = copy.deepcopy(items[0].table.to_spec())
        taken = {t.name.lower() for t in self._tables().values()}
        spec["name"] = unique_name(spec["name"], taken)
        spec["position"]["x"] += DUPLICATE_OFFSET
        spec["position"]["y"] += DUPLICATE_OFFSET
        self._create(spec, "Duplicated as")

    def _create(self, spec: dict[str, Any], verb: str) -> None:
        def record(table: FloorTable) -> Record:
            self.panel.select_after_load(table.id)
            return AddRecord("add", table.id)

        self._run(f"{verb} table {spec['name']}.", save_table, self.context.db,
                  self.context.restaurant_id, spec, record=record)  # fmt: skip

    def delete(self) -> None:
        items = self.panel.view.floor.selected_tables()
        if len(items) != 1:
            self.panel.show_notice("Select one table to delete.")
            return
        table = items[0].table
        if not self.confirm(f"Delete table {table.name}? Past bookings keep their history."):
            return
        spec = table.to_spec()
        self._run(f"Deleted table {table.name}.", delete_table, self.context.db, table.id,
                  now=self.context.now(),
                  record=lambda _r: DeleteRecord("delete", table.id, spec))  # fmt: skip

    # -- properties -------------------------------------------------------------------------

    def edit_properties(self, table_id: int | None = None) -> TableEditor | None:
        if table_id is None:
            items = self.panel.view.floor.selected_tables()
            if len(items) != 1:
                self.panel.show_notice("Select one table to edit.")
                return None
            table_id = items[0].table_id
        table = self._tables().get(table_id)
        if table is None:
            return None
        before = table.to_spec()
        areas = sorted({t.area for t in self._tables().values()})
        editor = TableEditor(before, areas, title=f"Table {table.name}", parent=self.panel)
        self.editor = editor

        def submitted(spec: dict[str, Any]) -> None:
            def done(saved: FloorTable) -> None:
                self.undo_stack.push(EditRecord("edit", table_id, before))
                editor.accept()
                self.panel.activateWindow()
                self.panel.view.setFocus()
                self.context.message_posted.emit(f"Saved table {saved.name}.")
                self.edit_saved.emit(f"Saved table {saved.name}.")
                self.panel.refresh()

            self.context.tasks.run(
                save_table, self.context.db, self.context.restaurant_id, spec, table_id,
                user=self.context.user, on_done=done,
                on_error=lambda exc: editor.show_error(error_text(exc)),
            )  # fmt: skip

        editor.submitted.connect(submitted)
        editor.open()
        return editor

    # -- undo -------------------------------------------------------------------------------

    def undo(self) -> None:
        record = self.undo_stack.pop()
        if record is None:
            self.context.message_posted.emit("Nothing to undo.")
            return

        def done(remap: tuple[int, int] | None) -> None:
            if remap is not None:
                self.undo_stack.remap(*remap)
            text = f"Undid the last {record.label}."
            self.context.message_posted.emit(text)
            self.undone.emit(text)
            self.panel.refresh()

        def failed(exc: Exception) -> None:
            self.undo_stack.restore(record)
            reason = error_text(exc)
            self.panel.show_notice(f"Could not undo: {reason}")
            self.edit_refused.emit(reason)

        context = self.context
        context.tasks.run(record.revert, context.db, context.restaurant_id, context.user,
                          on_done=done, on_error=failed)  # fmt: skip

    # -- helpers ----------------------------------------------------------------------------

    def _area_at(self, point: QPointF) -> str | None:
        for area, rect in self.panel.view.floor.area_rects.items():
            if rect.contains(point):
                return area
        return None
