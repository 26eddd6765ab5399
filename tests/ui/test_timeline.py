"""The reservation timeline: real drags on the canvas, checked against the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db.enums import ReservationStatus, TableShape, TableStatus
from app.domain.service_hours import ServiceWindow
from app.services.accounts import add_user
from app.services.database import Database
from app.services.day_sheet import day_reservations
from app.services.floor_plan import FloorTable, floor_tables, save_table
from app.services.guest_admin import update_guest
from app.services.lifecycle import change_status
from app.services.reservation_views import ReservationView
from app.services.service_hours_view import ServiceHours
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from ui.host_context import HostContext
from ui.timeline import TimelinePanel, TimelineView
from ui.timeline.axis import TimeAxis, build_spans, snap
from ui.timeline.model import TimelineModel, TimelineSnapshot
from ui.timeline.style import status_style

LEFT = Qt.MouseButton.LeftButton
MOSCOW = ZoneInfo("Europe/Moscow")
S = ReservationStatus


def at(hour: int, minute: int = 0, day: dt.date = FRIDAY) -> dt.datetime:
    """A Moscow wall-clock time on the service day, as UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MOSCOW).astimezone(dt.UTC)


@pytest.fixture
def place(db: Database) -> Place:
    place = create_place(db)
    anna = place.book(name="Anna Petrova", phone="+79161234567", tables=("A1",))
    update_guest(db, anna.reservation.guest_id, {"allergies": ["peanuts"], "vip_status": "gold"})
    return place


@pytest.fixture
def context(db: Database, place: Place) -> Iterator[HostContext]:
    user = add_user(
        db, email="host@bistro.ru", name="Maria Host", role="staff", password="long enough"
    )
    context = HostContext(db, user, place.restaurant_id, FRIDAY, clock=lambda: NOW)
    yield context
    context.close()


@pytest.fixture
def panel(qtbot: QtBot, context: HostContext) -> TimelinePanel:
    panel = TimelinePanel(context)
    qtbot.addWidget(panel)
    panel.resize(1280, 640)
    panel.show()
    qtbot.waitUntil(lambda: panel.loaded and panel.model is not None)
    return panel


def booked(db: Database, place: Place, name: str) -> ReservationView:
    [row] = [r for r in day_reservations(db, place.restaurant_id, FRIDAY) if r.guest_name == name]
    return row


def drag(qtbot: QtBot, view: TimelineView, start: QPointF, end: QPointF) -> None:
    """Press, move in a few steps (like a hand), release — on the real viewport."""
    viewport = view.viewport()
    qtbot.mousePress(viewport, LEFT, pos=start.toPoint())
    for step in range(1, 5):
        point = start + (end - start) * (step / 4)
        qtbot.mouseMove(viewport, pos=point.toPoint())
    qtbot.mouseRelease(viewport, LEFT, pos=end.toPoint())


def test_blocks_sit_on_their_table_rows_at_their_times(panel: TimelinePanel, place: Place) -> None:
    view = panel.view
    anna = booked(place.db, place, "Anna Petrova")
    rect = view.block_rect(anna.confirmation_code)
    assert rect is not None
    assert rect.left() == pytest.approx(view.time_x(at(19)), abs=1)
    assert rect.right() == pytest.approx(view.time_x(at(20, 30)), abs=1)
    assert rect.top() < view.row_centre_y("A1") < rect.bottom()  # type: ignore[operator]
    assert view.block_rect(anna.confirmation_code, "B1") is None
    assert panel.summary.text() == "1 bookings · 2 covers"


def test_a_cached_block_picture_follows_a_change_made_through_the_services(
    qtbot: QtBot, db: Database, panel: TimelinePanel, place: Place
) -> None:
    view = panel.view
    code = booked(db, place, "Anna Petrova").confirmation_code
    view.scroll_to_instant(at(18))

    def fill_at_block() -> object:
        rect = view.block_rect(code)
        assert rect is not None
        image = view.viewport().grab().toImage()
        return image.pixelColor(QPoint(round(rect.center().x()), round(rect.top() + 3))).name()

    confirmed = fill_at_block()
    assert len(view.canvas.pictures) > 0  # the block was drawn from a cached picture
    assert confirmed == fill_at_block()
    change_status(db, code, S.SEATED, now=at(19, 1))
    qtbot.waitUntil(lambda: view.model is not None and view.model.by_code[code].status == S.SEATED,
                    timeout=10_000)  # fmt: skip
    seated = fill_at_block()
    assert seated != confirmed
    assert seated == status_style(S.SEATED).fill.name()


def test_drag_to_another_table_and_a_later_time_is_saved(
    qtbot: QtBot, panel: TimelinePanel, place: Place
) -> None:
    view = panel.view
    code = booked(place.db, place, "Anna Petrova").confirmation_code
    rect = view.block_rect(code)
    assert rect is not None
    start = QPointF(rect.left() + 30, rect.center().y())
    end = QPointF(start.x() + view.time_x(at(20)) - view.time_x(at(19)), view.row_centre_y("B1"))
    with qtbot.waitSignal(panel.reservation_moved, timeout=10_000) as moved:
        drag(qtbot, view, start, end)
    assert moved.args == [code]
    after = booked(place.db, place, "Anna Petrova")
    assert after.tables == ("B1",)
    assert after.time == dt.time(20, 0) and after.starts_at == at(20)
    assert after.duration == 90
    # The block stays where it was dropped, and the reload from data_changed agrees.
    qtbot.waitUntil(lambda: panel.loaded and view.block_rect(code, "B1") is not None)
    moved_rect = view.block_rect(code)
    assert moved_rect is not None
    assert moved_rect.left() == pytest.approx(view.time_x(at(20)), abs=1)
    assert view.block_rect(code, "A1") is None


def test_dragging_the_right_edge_changes_the_duration(
    qtbot: QtBot, panel: TimelinePanel, place: Place
) -> None:
    view = panel.view
    code = booked(place.db, place, "Anna Petrova").confirmation_code
    rect = view.block_rect(code)
    assert rect is not None
    start = QPointF(rect.right() - 2, rect.center().y())
    # 21:05 snaps to 21:00: two hours instead of ninety minutes.
    end = QPointF(view.time_x(at(21, 5)), rect.center().y())
    with qtbot.waitSignal(panel.reservation_moved, timeout=10_000):
        drag(qtbot, view, start, end)
    after = booked(place.db, place, "Anna Petrova")
    assert after.duration == 120
    assert (after.starts_at, after.ends_at) == (at(19), at(21))
    assert after.tables == ("A1",)
    qtbot.waitUntil(lambda: panel.loaded)
    new_rect = view.block_rect(code)
    assert new_rect is not None
    assert new_rect.right() == pytest.approx(view.time_x(at(21)), abs=1)


def test_a_refused_drag_snaps_back_and_says_why(
    qtbot: QtBot, panel: TimelinePanel, place: Place, context: HostContext
) -> None:
    place.book(name="Olga Smirnova", phone="+79031112233", tables=("A2",))  # A2 at 19:00
    view = panel.view
    code = booked(place.db, place, "Anna Petrova").confirmation_code
    qtbot.waitUntil(lambda: panel.loaded and len(panel.model.by_code) == 2)  # type: ignore[union-attr]
    original = view.block_rect(code)
    assert original is not None
    messages: list[str] = []
    context.message_posted.connect(messages.append)
    start = QPointF(original.left() + 30, original.center().y())
    end = QPointF(start.x(), view.row_centre_y("A2"))
    with qtbot.waitSignal(panel.move_refused, timeout=10_000) as refused:
        drag(qtbot, view, start, end)
    assert refused.args[0] == code
    reason = refused.args[1]
    assert reason and reason in messages
    assert view.block_rect(code) == original
    assert view.block_rect(code, "A2") is None
    assert panel.notice.isVisible() and reason in panel.notice.text()
    after = booked(place.db, place, "Anna Petrova")
    assert after.tables == ("A1",) and after.starts_at == at(19) and after.duration == 90


def test_a_drag_that_ends_where_it_started_changes_nothing(
    qtbot: QtBot, panel: TimelinePanel, place: Place
) -> None:
    view = panel.view
    code = booked(place.db, place, "Anna Petrova").confirmation_code
    rect = view.block_rect(code)
    assert rect is not None
    start = QPointF(rect.left() + 30, rect.center().y())
    requests: list[object] = []
    view.move_requested.connect(requests.append)
    drag(qtbot, view, start, start + QPointF(4, 3))  # a wobble below the drag distance
    viewport = view.viewport()
    qtbot.mousePress(viewport, LEFT, pos=start.toPoint())
    qtbot.mouseMove(viewport, pos=(start + QPointF(90, 0)).toPoint())
    assert view.canvas.active_drag is not None  # the ghost follows the pointer…
    qtbot.mouseMove(viewport, pos=start.toPoint())
    qtbot.mouseRelease(viewport, LEFT, pos=start.toPoint())  # …and is put back
    assert requests == []
    assert view.block_rect(code) == rect
    assert booked(place.db, place, "Anna Petrova").starts_at == at(19)


def test_double_click_opens_the_reservation(
    qtbot: QtBot, panel: TimelinePanel, place: Place
) -> None:
    view = panel.view
    code = booked(place.db, place, "Anna Petrova").confirmation_code
    rect = view.block_rect(code)
    assert rect is not None
    with qtbot.waitSignal(panel.reservation_opened, timeout=2_000) as opened:
        qtbot.mouseDClick(view.viewport(), LEFT, pos=rect.center().toPoint())
    assert opened.args == [code]


def test_service_layer_changes_show_up(
    qtbot: QtBot, panel: TimelinePanel, place: Place, db: Database
) -> None:
    view = panel.view
    ivan = place.book(name="Ivan Sidorov", phone="+79264445566", time=dt.time(13, 0),
                      tables=("B2",)).reservation  # fmt: skip
    code = ivan.confirmation_code
    qtbot.waitUntil(lambda: view.block_rect(code, "B2") is not None, timeout=10_000)
    rect = view.block_rect(code)
    assert rect is not None and rect.left() == pytest.approx(view.time_x(at(13)), abs=1)
    # Cancelled bookings leave the timeline unless the host asks to see them.
    change_status(db, code, "cancelled", reason="Guest called", now=NOW)
    qtbot.waitUntil(lambda: view.block_rect(code) is None, timeout=10_000)
    panel.show_cancelled.setChecked(True)
    assert view.block_rect(code, "B2") is not None
    assert panel.model is not None and panel.model.by_code[code].status is S.CANCELLED


def test_joined_tables_show_the_block_on_each_row(
    qtbot: QtBot, panel: TimelinePanel, place: Place
) -> None:
    big = place.book(name="Team Dinner", phone="+79035556677", party_size=10,
                     time=dt.time(18, 30), tables=("C1", "C2")).reservation  # fmt: skip
    view = panel.view
    qtbot.waitUntil(lambda: view.block_rect(big.confirmation_code) is not None, timeout=10_000)
    c1 = view.block_rect(big.confirmation_code, "C1")
    c2 = view.block_rect(big.confirmation_code, "C2")
    assert c1 is not None and c2 is not None
    assert c1.left() == c2.left() and c1.width() == c2.width() and c1.top() < c2.top()


def test_inactive_tables_are_hidden_and_maintenance_rows_marked(
    qtbot: QtBot, context: HostContext, place: Place, db: Database
) -> None:
    tables = {t.name: t for t in floor_tables(db, place.restaurant_id)}
    save_table(db, place.restaurant_id, tables["T1"].to_spec() | {"is_active": False},
               tables["T1"].id)  # fmt: skip
    save_table(db, place.restaurant_id, tables["C2"].to_spec() | {"status": "maintenance"},
               tables["C2"].id)  # fmt: skip
    panel = TimelinePanel(context)
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    qtbot.waitUntil(lambda: panel.loaded and panel.model is not None)
    rows = panel.model.rows.rows  # type: ignore[union-attr]
    assert [r.title for r in rows] == ["Main room · 6", "A1", "A2", "B1", "B2", "C1", "C2"]
    assert [r.title for r in rows if r.in_maintenance] == ["C2"]
    assert panel.view.row_centre_y("T1") is None


def test_toolbar_zoom_fit_and_now(qtbot: QtBot, panel: TimelinePanel, context: HostContext) -> None:
    view = panel.view
    before = view.px_per_minute
    panel.zoom_in.click()
    assert view.px_per_minute == pytest.approx(before * 1.25)
    wheel = QWheelEvent(
        QPointF(400, 200), QPointF(view.viewport().mapToGlobal(QPoint(400, 200))),
        QPoint(0, 0), QPoint(0, -120), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.px_per_minute == pytest.approx(before)
    panel.fit.click()
    assert view.axis is not None
    assert view.axis.width <= view.viewport().width()
    # "Now" (Tuesday morning) is not on Friday's timeline: the host is told so.
    messages: list[str] = []
    context.message_posted.connect(messages.append)
    panel.now_button.click()
    assert messages and "not on this day" in messages[0]


def test_day_change_reloads(qtbot: QtBot, panel: TimelinePanel, context: HostContext) -> None:
    saturday = FRIDAY + dt.timedelta(days=1)
    context.set_day(saturday)
    qtbot.waitUntil(lambda: panel.loaded and panel.model.snapshot.day == saturday)  # type: ignore[union-attr]
    assert panel.model is not None and not panel.model.by_code
    assert panel.title.text() == "Timeline · Sat 28 Nov"


# -- the axis, without a database ---------------------------------------------------------


def _window(label: str, opens: dt.datetime, closes: dt.datetime) -> ServiceWindow:
    return ServiceWindow(FRIDAY, label, opens, closes, closes - dt.timedelta(hours=1))


def test_axis_compresses_the_afternoon_and_maps_both_ways() -> None:
    saturday = FRIDAY + dt.timedelta(days=1)
    windows = [_window("lunch", at(12), at(15)), _window("dinner", at(18), at(1, 0, saturday))]
    spans = build_spans(windows, [(at(23, 30), at(1, 40, saturday))], MOSCOW, FRIDAY)
    assert [(s.start, s.end) for s in spans] == [(at(12), at(15)), (at(18), at(2, 0, saturday))]
    axis = TimeAxis(spans, MOSCOW, px_per_minute=2)
    [(gap_start, gap_end)] = axis.gaps()
    assert gap_start == 360 and gap_end - gap_start < 60
    assert axis.x_of(at(19)) == gap_end + 120
    assert axis.instant_at(axis.x_of(at(20, 15))) == at(20, 15)
    assert axis.x_of(at(16)) == gap_start  # a closed instant sits on the nearer edge
    assert snap(at(19, 7), 15) == at(19, 0) and snap(at(19, 8), 15) == at(19, 15)
    labels = [f"{t.local:%H:%M}" for t in axis.ticks(0, axis.width, 60)]
    assert labels[:4] == ["12:00", "13:00", "14:00", "15:00"] and labels[4] == "18:00"


# -- a big floor stays quick --------------------------------------------------------------


def _big_snapshot(tables: int, bookings: int) -> TimelineSnapshot:
    floor = [
        FloorTable(
            id=i, name=f"T{i}", min_guests=1, max_guests=4, shape=TableShape.SQUARE, x=0, y=0,
            width=80, height=80, rotation=0, area=f"Area {i % 6}", features=(), preferred_for=(),
            priority=5, notes=None, is_active=True, status=TableStatus.FREE, last_cleaned=None,
            ai_score=0.0,
        )
        for i in range(1, tables + 1)
    ]  # fmt: skip
    statuses = [S.CONFIRMED, S.PENDING, S.SEATED, S.DINING, S.COMPLETED, S.REMINDED]
    reservations = []
    for i in range(bookings):
        start = at(12) + dt.timedelta(minutes=15 * (i % 40))
        table = floor[i % tables]
        reservations.append(ReservationView(
            id=i, confirmation_code=f"C{i:05d}", restaurant_id=1, guest_id=i,
            guest_name=f"Guest {i}", guest_phone="+70000000000", vip_status=None,
            allergies=("nuts",) if i % 7 == 0 else (), date=FRIDAY, time=dt.time(12),
            starts_at=start, ends_at=start + dt.timedelta(minutes=90), party_size=2,
            duration=90, status=statuses[i % len(statuses)], table_ids=(table.id,),
            tables=(table.name,), special_requests=None, occasion=None, source="phone",
            deposit_required=False, deposit_amount=Decimal(0), arrival_time=None,
            departure_time=None, total_amount=None, rescheduled_from_id=None,
        ))  # fmt: skip
    hours = ServiceHours(FRIDAY, "Europe/Moscow", (_window("all day", at(12), at(23)),), 15, 15)
    return TimelineSnapshot(1, FRIDAY, hours, tuple(floor), tuple(reservations))


def test_300_tables_and_1000_bookings_lay_out_on_every_row(qtbot: QtBot) -> None:
    """The scaled day lays out completely (its speed is measured by benchmarks/ui.py)."""
    model = TimelineModel(_big_snapshot(300, 1000))
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.set_model(model)
    view.show()
    for scroll in (0, 4000, 9000):
        view.verticalScrollBar().setValue(scroll)
        assert not view.viewport().grab().isNull()
    assert view.verticalScrollBar().maximum() > 9000
