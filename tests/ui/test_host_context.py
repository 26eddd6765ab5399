"""The shared UI plumbing: background tasks report back on the UI thread; one change signal."""

from __future__ import annotations

import datetime as dt
import threading

from pytestqt.qtbot import QtBot

from app.services.accounts import add_user
from app.services.database import Database
from app.services.day_sheet import day_reservations
from app.services.floor_plan import mark_cleaned
from tests.app.services.conftest import FRIDAY, create_place
from ui.host_context import HostContext
from ui.tasks import TaskRunner


def test_results_and_errors_come_back_on_the_ui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[tuple[str, object, bool]] = []
    main = threading.get_ident()
    worker_threads: list[int] = []

    def work(x: int) -> int:
        worker_threads.append(threading.get_ident())
        return x * 2

    def fail() -> None:
        raise ValueError("boom")

    runner.run(work, 21, on_done=lambda r: seen.append(("done", r, threading.get_ident() == main)))
    runner.run(
        fail, on_error=lambda e: seen.append(("error", str(e), threading.get_ident() == main))
    )
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert sorted(seen) == [("done", 42, True), ("error", "boom", True)]
    assert worker_threads and worker_threads[0] != main
    runner.shutdown()


def test_a_commit_on_a_worker_reaches_widgets_as_one_signal(qtbot: QtBot, db: Database) -> None:
    place = create_place(db)
    user = add_user(db, email="h@b.ru", name="Host", role="staff", password="long enough")
    context = HostContext(db, user, place.restaurant_id, dt.date(2026, 11, 27))
    received: list[tuple[str, frozenset[int]]] = []
    context.data_changed.connect(lambda kind, ids: received.append((kind, ids)))
    table_id = place.table_ids["A1"]
    context.tasks.run(mark_cleaned, db, table_id)
    qtbot.waitUntil(lambda: ("table", frozenset({table_id})) in received)
    days: list[dt.date] = []
    context.day_changed.connect(days.append)
    context.set_day(dt.date(2026, 11, 28))
    context.set_day(dt.date(2026, 11, 28))  # unchanged: no second signal
    assert days == [dt.date(2026, 11, 28)]
    context.close()


def test_panels_loading_together_share_one_call_and_a_booking_is_seen_at_once(
    db: Database,
) -> None:
    place = create_place(db)
    user = add_user(db, email="h@b.ru", name="Host", role="staff", password="long enough")
    context = HostContext(db, user, place.restaurant_id, FRIDAY)
    calls: list[int] = []
    started = threading.Event()
    release = threading.Event()

    def load(restaurant_id: int, day: dt.date) -> list[str]:
        calls.append(restaurant_id)
        started.set()
        release.wait(5)
        return [r.confirmation_code for r in day_reservations(db, restaurant_id, day)]

    answers: list[list[str]] = []
    first = threading.Thread(
        target=lambda: answers.append(context.shared.call(load, place.restaurant_id, FRIDAY))
    )
    first.start()
    assert started.wait(5)
    second = threading.Thread(
        target=lambda: answers.append(context.shared.call(load, place.restaurant_id, FRIDAY))
    )
    second.start()
    release.set()
    first.join(5)
    second.join(5)
    assert calls == [place.restaurant_id]  # asked twice at once, run once
    assert answers == [[], []]
    # A booking made through the services invalidates the shared answer: the next load sees it.
    booked = place.book().reservation
    assert context.shared.call(load, place.restaurant_id, FRIDAY) == [booked.confirmation_code]
    assert len(calls) == 2
    # So does another day (going back to a day queries it again).
    context.set_day(FRIDAY + dt.timedelta(days=1))
    context.set_day(FRIDAY)
    assert context.shared.call(load, place.restaurant_id, FRIDAY) == [booked.confirmation_code]
    assert len(calls) == 3
    context.close()
