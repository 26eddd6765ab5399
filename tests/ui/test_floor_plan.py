"""The floor plan in service mode: real clicks and drops on the canvas, checked in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db.enums import ReservationSource, ReservationStatus
from app.domain.table_states import LiveState
from app.services.accounts import UserSummary, add_user
from app.services.database import Database
from app.services.day_sheet import day_reservations
from app.services.floor_plan import floor_tables, live_floor, save_table
from app.services.lifecycle import change_status
from app.services.reservation_views import ReservationView
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from ui.floor_plan import FloorPlanPanel, FloorPlanView
from ui.floor_plan.style import state_style
from ui.host_context import HostContext
from ui.reservations.day_list_model import reservation_mime

LEFT = Qt.MouseButton.LeftButton
MOSCOW = ZoneInfo("Europe/Moscow")
S = ReservationStatus
# The test restaurant, with the terrace beside the main room rather than on top of it.
TABLES: list[tuple[Any, ...]] = [
    ("A1", 1, 2, 0, 0, "Main room", ["window"], 8),
    ("A2", 1, 2, 200, 0, "Main room", [], 5),
    ("B1", 2, 4, 0, 200, "Main room", ["accessible"], 6),
    ("B2", 2, 4, 200, 200, "Main room", ["quiet"], 5),
    ("C1", 4, 6, 0, 400, "Main room", [], 5),
    ("C2", 4, 6, 180, 400, "Main room", [], 5),
    ("T1", 1, 4, 700, 0, "Terrace", ["outdoor"], 4),
]


def at(hour: int, minute: int = 0, day: dt.date = FRIDAY) -> dt.datetime:
    """A Moscow wall-clock time on the service day, as UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MOSCOW).astimezone(dt.UTC)


class Clock:
    """The context's clock; tests move it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db, tables=TABLES)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


def make_context(db: Database, place: Place, clock: Clock, role: str) -> HostContext:
    user = add_user(db, email=f"{role}@bistro.ru", name=f"Maria {role.title()}", role=role,
                    password="long enough")  # fmt: skip
    return HostContext(db, user, place.restaurant_id, FRIDAY, clock=clock)


@pytest.fixture
def context(db: Database, place: Place, clock: Clock) -> Iterator[HostContext]:
    context = make_context(db, place, clock, "staff")
    yield context
    context.close()


def open_panel(qtbot: QtBot, context: HostContext) -> FloorPlanPanel:
    panel = FloorPlanPanel(context)
    qtbot.addWidget(panel)
    panel.resize(1280, 700)
    panel.show()
    wait_loaded(qtbot, panel)
    panel.fit()
    return panel


def wait_loaded(qtbot: QtBot, panel: FloorPlanPanel) -> None:
    qtbot.waitUntil(lambda: panel.loaded and panel.snapshot is not None, timeout=10_000)


def reload(qtbot: QtBot, panel: FloorPlanPanel) -> None:
    panel.refresh()
    wait_loaded(qtbot, panel)


@pytest.fixture
def panel(qtbot: QtBot, context: HostContext) -> FloorPlanPanel:
    return open_panel(qtbot, context)


def click_table(qtbot: QtBot, view: FloorPlanView, table_id: int) -> None:
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.table_point(table_id))


def drop(view: FloorPlanView, code: str, table_id: int) -> None:
    """A reservation from the day list released over a table (the day list's own MIME data)."""
    mime = reservation_mime(code)  # kept alive: the events do not own it
    point = QPointF(view.table_point(table_id))
    action, none = Qt.DropAction.MoveAction, Qt.KeyboardModifier.NoModifier
    for event in (
        QDragEnterEvent(point.toPoint(), action, mime, LEFT, none),
        QDragMoveEvent(point.toPoint(), action, mime, LEFT, none),
        QDropEvent(point, action, mime, LEFT, none),
    ):
        QApplication.sendEvent(view.viewport(), event)


def reservation(db: Database, place: Place, code: str, day: dt.date = FRIDAY) -> ReservationView:
    [row] = [
        r for r in day_reservations(db, place.restaurant_id, day) if r.confirmation_code == code
    ]
    return row


def table_row(db: Database, place: Place, name: str) -> Any:
    [row] = [t for t in floor_tables(db, place.restaurant_id) if t.name == name]
    return row


def staff(context: HostContext) -> UserSummary:
    return context.user


# -- the canvas ------------------------------------------------------------------------------


def test_the_scene_has_one_item_per_active_table(
    qtbot: QtBot, db: Database, place: Place, context: HostContext
) -> None:
    c2 = table_row(db, place, "C2")
    save_table(db, place.restaurant_id, {**c2.to_spec(), "is_active": False}, c2.id)
    panel = open_panel(qtbot, context)
    active = {t.id for t in floor_tables(db, place.restaurant_id) if t.is_active}
    assert set(panel.view.floor.items_by_id) == active
    assert len(active) == len(TABLES) - 1
    # Tables sit where the database says, grouped under their area's name.
    b1 = panel.view.floor.items_by_id[place.table_ids["B1"]]
    assert (b1.top_left().x(), b1.top_left().y()) == (0, 200)
    assert set(panel.view.floor.area_rects) == {"Main room", "Terrace"}
    assert panel.view.floor.area_rects["Terrace"].contains(
        panel.view.floor.items_by_id[place.table_ids["T1"]].pos()
    )


def test_live_colours_match_live_floor(
    qtbot: QtBot, db: Database, place: Place, context: HostContext, clock: Clock
) -> None:
    seated = place.book(tables=("B1",), party_size=3).reservation
    place.book(tables=("A2",), time=dt.time(19, 30), phone="+79160000001", name="Oleg")
    done = place.book(tables=("C1",), time=dt.time(18, 0), party_size=4, phone="+79160000002",
                      name="Ira").reservation  # fmt: skip
    change_status(db, done.confirmation_code, S.SEATED, now=at(18, 0))
    change_status(db, done.confirmation_code, S.COMPLETED, now=at(19, 0))
    change_status(db, seated.confirmation_code, S.SEATED, now=at(19, 2))
    clock.now = at(19, 12)
    panel = open_panel(qtbot, context)
    live = {t.table.id: t.live.state for t in live_floor(db, place.restaurant_id, at(19, 12))}
    assert live[place.table_ids["B1"]] == LiveState.SEATED
    assert live[place.table_ids["A2"]] == LiveState.RESERVED_SOON
    assert live[place.table_ids["C1"]] == LiveState.NEEDS_CLEANING
    assert live[place.table_ids["B2"]] == LiveState.FREE
    for table_id, item in panel.view.floor.items_by_id.items():
        assert item.state == live[table_id]
        assert item.style().fill == state_style(live[table_id]).fill
    b1 = panel.view.floor.items_by_id[place.table_ids["B1"]]
    assert b1.minutes_seated == 10
    assert panel.view.floor.items_by_id[place.table_ids["A2"]].next_time == "19:30"
    # The timer moves on with the clock.
    clock.now = at(19, 42)
    reload(qtbot, panel)
    assert panel.view.floor.items_by_id[place.table_ids["B1"]].minutes_seated == 40


def test_a_reload_updates_the_items_in_place_with_a_booking_made_through_the_services(
    qtbot: QtBot, db: Database, place: Place, context: HostContext, clock: Clock
) -> None:
    clock.now = at(19, 0)
    panel = open_panel(qtbot, context)
    floor = panel.view.floor
    items = dict(floor.items_by_id)
    a2 = place.table_ids["A2"]
    assert items[a2].state == LiveState.FREE and items[a2].next_time is None
    place.book(tables=("A2",), time=dt.time(19, 30), phone="+79160000001", name="Oleg")
    qtbot.waitUntil(lambda: floor.items_by_id[a2].next_time == "19:30", timeout=10_000)
    assert floor.items_by_id[a2].state == LiveState.RESERVED_SOON
    # The same items were updated (no rebuild): selection and cached pictures of the others stay.
    assert all(floor.items_by_id[table_id] is item for table_id, item in items.items())


def test_zoom_buttons_and_fit(qtbot: QtBot, panel: FloorPlanPanel) -> None:
    before = panel.view.scale_factor
    qtbot.mouseClick(panel.zoom_in, LEFT)
    assert panel.view.scale_factor == pytest.approx(before * 1.25)
    qtbot.mouseClick(panel.zoom_out, LEFT)
    qtbot.mouseClick(panel.zoom_out, LEFT)
    assert panel.view.scale_factor == pytest.approx(before / 1.25)
    panel.show_area("Terrace")
    assert panel.view.scale_factor > before  # one table's area fills the view


# -- walk-ins and cleaning -------------------------------------------------------------------


def test_a_walk_in_is_seated_on_a_free_table(
    qtbot: QtBot, db: Database, place: Place, panel: FloorPlanPanel, clock: Clock
) -> None:
    b2 = place.table_ids["B2"]
    click_table(qtbot, panel.view, b2)
    assert panel.popup.isVisible() and panel.popup.table_id == b2
    assert panel.popup.walk_in.isVisible() and not panel.popup.clean.isVisible()
    panel.popup.party.setValue(3)
    with qtbot.waitSignal(panel.service.walk_in_seated, timeout=10_000):
        qtbot.mouseClick(panel.popup.walk_in, LEFT)
    today = clock.now.astimezone(MOSCOW).date()
    [walk_in] = day_reservations(db, place.restaurant_id, today)
    assert walk_in.status == S.SEATED
    assert walk_in.source == ReservationSource.WALK_IN.value
    assert walk_in.party_size == 3 and walk_in.tables == ("B2",)
    assert walk_in.arrival_time == clock.now
    qtbot.waitUntil(lambda: panel.view.floor.items_by_id[b2].state == LiveState.SEATED)


def test_a_too_large_walk_in_is_refused_with_the_reason(
    qtbot: QtBot, db: Database, place: Place, panel: FloorPlanPanel, clock: Clock
) -> None:
    click_table(qtbot, panel.view, place.table_ids["A1"])
    panel.popup.party.setMaximum(10)
    panel.popup.party.setValue(5)
    with qtbot.waitSignal(panel.context.message_posted, timeout=10_000) as posted:
        qtbot.mouseClick(panel.popup.walk_in, LEFT)
    assert "do not fit" in posted.args[0]
    assert panel.notice.isVisible() and "do not fit" in panel.notice.text()
    assert day_reservations(db, place.restaurant_id, clock.now.astimezone(MOSCOW).date()) == []


def test_mark_cleaned_sets_last_cleaned(
    qtbot: QtBot, db: Database, place: Place, context: HostContext, clock: Clock
) -> None:
    done = place.book(tables=("C1",), time=dt.time(18, 0), party_size=4).reservation
    change_status(db, done.confirmation_code, S.SEATED, now=at(18, 0))
    change_status(db, done.confirmation_code, S.COMPLETED, now=at(19, 0))
    clock.now = at(19, 5)
    panel = open_panel(qtbot, context)
    c1 = place.table_ids["C1"]
    assert panel.view.floor.items_by_id[c1].state == LiveState.NEEDS_CLEANING
    click_table(qtbot, panel.view, c1)
    assert panel.popup.clean.isVisible() and not panel.popup.walk_in.isVisible()
    with qtbot.waitSignal(panel.service.table_cleaned, timeout=10_000):
        qtbot.mouseClick(panel.popup.clean, LEFT)
    assert table_row(db, place, "C1").last_cleaned == at(19, 5)
    qtbot.waitUntil(lambda: panel.view.floor.items_by_id[c1].state == LiveState.FREE)


# -- drops from the day list -----------------------------------------------------------------


def test_a_drop_on_a_too_small_table_is_refused_and_nothing_changes(
    qtbot: QtBot, db: Database, place: Place, panel: FloorPlanPanel
) -> None:
    code = place.book(tables=("B1",), party_size=4).reservation.confirmation_code
    reload(qtbot, panel)
    messages: list[str] = []
    panel.context.message_posted.connect(messages.append)
    with qtbot.waitSignal(panel.service.drop_refused, timeout=10_000) as refused:
        drop(panel.view, code, place.table_ids["A2"])
    reason = refused.args[1]
    assert reason and refused.args[0] == code
    assert panel.notice.isVisible() and reason in panel.notice.text()
    assert any(reason in m for m in messages)
    after = reservation(db, place, code)
    assert after.tables == ("B1",) and after.status == S.CONFIRMED
    assert after.time == dt.time(19, 0) and after.party_size == 4


def test_a_drop_moves_the_booking_to_the_table(
    qtbot: QtBot, db: Database, place: Place, panel: FloorPlanPanel
) -> None:
    code = place.book(tables=("A1",)).reservation.confirmation_code
    reload(qtbot, panel)
    with qtbot.waitSignal(panel.service.reservation_placed, timeout=10_000):
        drop(panel.view, code, place.table_ids["A2"])
    after = reservation(db, place, code)
    assert after.tables == ("A2",)
    assert after.status == S.CONFIRMED and after.time == dt.time(19, 0)


def test_a_drop_of_a_booking_due_now_seats_it_there(
    qtbot: QtBot, db: Database, place: Place, context: HostContext, clock: Clock
) -> None:
    code = place.book(tables=("A1",)).reservation.confirmation_code
    clock.now = at(18, 52)
    panel = open_panel(qtbot, context)
    with qtbot.waitSignal(panel.service.reservation_placed, timeout=10_000):
        drop(panel.view, code, place.table_ids["B2"])
    after = reservation(db, place, code)
    assert after.tables == ("B2",) and after.status == S.SEATED
    assert after.arrival_time == at(18, 52)
    b2 = place.table_ids["B2"]
    qtbot.waitUntil(lambda: panel.view.floor.items_by_id[b2].state == LiveState.SEATED)


def test_the_card_lists_current_and_upcoming_bookings(
    qtbot: QtBot, db: Database, place: Place, panel: FloorPlanPanel
) -> None:
    place.book(tables=("B1",), party_size=3, name="Anna Petrova")
    place.book(tables=("B1",), time=dt.time(21, 30), phone="+79160000003", name="Boris")
    reload(qtbot, panel)
    click_table(qtbot, panel.view, place.table_ids["B1"])
    lines = [panel.popup.bookings.item(i).text() for i in range(panel.popup.bookings.count())]
    assert len(lines) == 2
    assert lines[0].startswith("19:00") and "Anna Petrova" in lines[0]
    assert "Boris" in lines[1]
    qtbot.mouseClick(panel.view.viewport(), LEFT, pos=panel.view.mapFromScene(QPointF(900, 900)))
    assert not panel.popup.isVisible()
