"""The floor plan in edit mode: real drags and buttons, every edit and undo found in the
database; staff cannot edit, in the panel or in the service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.errors import PermissionDenied
from app.services.database import Database
from app.services.floor_plan import floor_tables, move_tables, save_table
from tests.app.services.conftest import Place
from tests.ui import test_floor_plan as service
from tests.ui.test_floor_plan import (
    Clock,
    click_table,
    make_context,
    open_panel,
    table_row,
    wait_loaded,
)
from ui.floor_plan import FloorPlanPanel
from ui.floor_plan.view import FloorPlanView
from ui.host_context import HostContext

LEFT = Qt.MouseButton.LeftButton
# The service-mode tests' fixtures: the same restaurant, clock and staff context.
place = service.place
clock = service.clock
context = service.context


@pytest.fixture
def manager(db: Database, place: Place, clock: Clock) -> Iterator[HostContext]:
    context = make_context(db, place, clock, "manager")
    yield context
    context.close()


@pytest.fixture
def editor(qtbot: QtBot, manager: HostContext) -> FloorPlanPanel:
    panel = open_panel(qtbot, manager)
    assert panel.edit_toggle.isVisible()
    qtbot.mouseClick(panel.edit_toggle, LEFT)
    assert panel.edit_mode and panel.edit_bar.isVisible()
    return panel


def drag(qtbot: QtBot, view: FloorPlanView, start: QPoint, end: QPoint) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, LEFT, pos=start)
    for step in range(1, 5):
        qtbot.mouseMove(viewport, pos=start + (end - start) * (step / 4))
    qtbot.mouseRelease(viewport, LEFT, pos=end)


def saved(qtbot: QtBot, panel: FloorPlanPanel) -> object:
    return qtbot.waitSignal(panel.edits.edit_saved, timeout=10_000)


def undo(qtbot: QtBot, panel: FloorPlanPanel) -> None:
    with qtbot.waitSignal(panel.edits.undone, timeout=10_000):
        qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_loaded(qtbot, panel)


def names(db: Database, place: Place) -> set[str]:
    return {t.name for t in floor_tables(db, place.restaurant_id)}


def test_a_dragged_table_is_saved_snapped_and_undo_puts_it_back(
    qtbot: QtBot, db: Database, place: Place, editor: FloorPlanPanel
) -> None:
    view = editor.view
    b2 = place.table_ids["B2"]
    start = view.table_point(b2)
    end = start + QPoint(83, 47)
    scale = view.scale_factor
    with saved(qtbot, editor):
        drag(qtbot, view, start, end)
    row = table_row(db, place, "B2")
    assert row.x % 10 == 0 and row.y % 10 == 0
    assert row.x == pytest.approx(200 + 83 / scale, abs=10)
    assert row.y == pytest.approx(200 + 47 / scale, abs=10)
    assert (row.x, row.y) != (200, 200)
    assert (row.width, row.height, row.area) == (80, 80, "Main room")
    wait_loaded(qtbot, editor)
    assert editor.view.floor.items_by_id[b2].top_left().x() == row.x
    undo(qtbot, editor)
    row = table_row(db, place, "B2")
    assert (row.x, row.y) == (200, 200)


def test_rotate_and_undo(qtbot: QtBot, db: Database, place: Place, editor: FloorPlanPanel) -> None:
    click_table(qtbot, editor.view, place.table_ids["C1"])
    with saved(qtbot, editor):
        qtbot.mouseClick(editor.rotate_right, LEFT)
    assert table_row(db, place, "C1").rotation == 15
    wait_loaded(qtbot, editor)
    with saved(qtbot, editor):
        qtbot.mouseClick(editor.rotate_left, LEFT)
    wait_loaded(qtbot, editor)
    with saved(qtbot, editor):
        qtbot.mouseClick(editor.rotate_left, LEFT)
    assert table_row(db, place, "C1").rotation == 345
    wait_loaded(qtbot, editor)
    undo(qtbot, editor)
    undo(qtbot, editor)
    assert table_row(db, place, "C1").rotation == 15


def test_add_duplicate_and_undo(
    qtbot: QtBot, db: Database, place: Place, editor: FloorPlanPanel
) -> None:
    with saved(qtbot, editor):
        qtbot.mouseClick(editor.add_button, LEFT)
    assert names(db, place) == {*place.table_ids, "N1"}
    wait_loaded(qtbot, editor)
    added = table_row(db, place, "N1")
    assert added.x % 10 == 0 and added.y % 10 == 0
    assert editor.view.floor.items_by_id[added.id].isSelected()
    click_table(qtbot, editor.view, place.table_ids["C1"])
    with saved(qtbot, editor):
        qtbot.mouseClick(editor.duplicate_button, LEFT)
    copy = table_row(db, place, "C2".replace("2", "3"))
    c1 = table_row(db, place, "C1")
    assert (copy.min_guests, copy.max_guests, copy.shape) == (4, 6, c1.shape)
    assert (copy.x, copy.y) == (c1.x + 40, c1.y + 40)
    wait_loaded(qtbot, editor)
    undo(qtbot, editor)
    assert "C3" not in names(db, place)
    undo(qtbot, editor)
    assert names(db, place) == set(place.table_ids)


def test_delete_asks_first_and_undo_brings_the_table_back(
    qtbot: QtBot, db: Database, place: Place, editor: FloorPlanPanel
) -> None:
    before = table_row(db, place, "B1")
    questions: list[str] = []
    editor.edits.confirm = lambda text: questions.append(text) or False  # type: ignore[func-returns-value]
    click_table(qtbot, editor.view, before.id)
    qtbot.mouseClick(editor.delete_button, LEFT)
    assert questions and "B1" in questions[0]
    assert "B1" in names(db, place)  # the host said no
    editor.edits.confirm = lambda _text: True
    with saved(qtbot, editor):
        qtbot.mouseClick(editor.delete_button, LEFT)
    assert "B1" not in names(db, place)
    wait_loaded(qtbot, editor)
    assert before.id not in editor.view.floor.items_by_id
    undo(qtbot, editor)
    back = table_row(db, place, "B1")
    assert back.to_spec() == before.to_spec()


def test_property_edits_are_saved_refused_inline_and_undone(
    qtbot: QtBot, db: Database, place: Place, editor: FloorPlanPanel
) -> None:
    b1 = place.table_ids["B1"]
    before = table_row(db, place, "B1").to_spec()
    form = editor.edits.edit_properties(b1)
    assert form is not None and form.name.text() == "B1"
    form.name.setText("A2")  # taken: the service refuses, the form says why
    form.submit()
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=10_000)
    assert "already a table named" in form.error.text()
    assert table_row(db, place, "B1").to_spec() == before
    form.name.setText("Booth 1")
    form.max_guests.setValue(5)
    form.shape.setCurrentIndex(form.shape.findData("round"))
    form.priority.setValue(9)
    form.notes.setPlainText("By the fireplace")
    for i in range(form.features.count()):
        item = form.features.item(i)
        if item.text() == "fireplace":
            item.setCheckState(Qt.CheckState.Checked)
    for i in range(form.preferred_for.count()):
        item = form.preferred_for.item(i)
        if item.text() == "romantic":
            item.setCheckState(Qt.CheckState.Checked)
    form.active.setChecked(False)
    with saved(qtbot, editor):
        form.submit()
    row = table_row(db, place, "Booth 1")
    assert row.id == b1 and row.max_guests == 5 and row.shape.value == "round"
    assert row.priority == 9 and row.notes == "By the fireplace" and not row.is_active
    assert set(row.features) == {"accessible", "fireplace"} and row.preferred_for == ("romantic",)
    wait_loaded(qtbot, editor)
    assert b1 in editor.view.floor.items_by_id  # inactive tables still show in edit mode
    undo(qtbot, editor)
    assert table_row(db, place, "B1").to_spec() == before


def test_staff_cannot_edit_the_floor(
    qtbot: QtBot, db: Database, place: Place, context: HostContext
) -> None:
    panel = open_panel(qtbot, context)
    assert not panel.edit_toggle.isVisible()
    panel.set_edit_mode(True)
    assert not panel.edit_mode and not panel.edit_bar.isVisible()
    # A drag in service mode moves nothing.
    a2 = place.table_ids["A2"]
    start = panel.view.table_point(a2)
    drag(qtbot, panel.view, start, start + QPoint(60, 60))
    qtbot.wait(100)
    assert (table_row(db, place, "A2").x, table_row(db, place, "A2").y) == (200, 0)
    # And the services refuse staff even without the panel.
    spec = table_row(db, place, "A2").to_spec()
    with pytest.raises(PermissionDenied):
        save_table(db, place.restaurant_id, {**spec, "max_guests": 3}, a2, user=context.user)
    with pytest.raises(PermissionDenied):
        move_tables(db, [(a2, {"x": 500})], user=context.user)
    assert table_row(db, place, "A2").to_spec() == spec


def test_leaving_edit_mode_restores_service_colours(
    qtbot: QtBot, editor: FloorPlanPanel, place: Place
) -> None:
    item = editor.view.floor.items_by_id[place.table_ids["A1"]]
    assert item.edit_mode
    qtbot.mouseClick(editor.edit_toggle, LEFT)
    assert not editor.edit_mode and editor.legend.isVisible()
    assert not editor.view.floor.items_by_id[place.table_ids["A1"]].edit_mode
