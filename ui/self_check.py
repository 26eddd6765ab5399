"""``main.py --self-check``: prove that this installation works, end to end, without a screen
and without touching the user's data, then exit 0 (every check passed) or 1.

In a new temporary folder: a new SQLite file migrated to head from the migration files (so a
bundle without ``migrations/`` fails), the demo restaurant, its admin signing in, then the real
host-stand window built (no live updates, no channel worker), drawn offscreen and checked for a
non-blank picture; the style sheet and every icon from ``resources/``. With ``--database-url``
that database is also connected to, read only. One line per check on stdout: ``ok <what>``, or
``FAILED <what>: <why>`` and exit status 1.

Threading: runs on the main thread; it waits for the window's background loads itself and
shuts every worker down before it returns.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import PySide6
from PySide6.QtCore import (
    QMessageLogContext,
    Qt,
    QThreadPool,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QIcon, QImage, QImageReader
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from app import self_check as core
from app.errors import ToBeOutError
from app.paths import resources_dir
from ui.application import make_application, open_main_window

log = logging.getLogger(__name__)

MIN_COLOURS = 24  # a blank or unstyled window has a handful of colours; the real one hundreds
LOAD_TIMEOUT_S = 60.0


class _Stop(Exception):
    """A check failed (already reported)."""


class Report:
    def __init__(self, out: TextIO | None) -> None:
        self.out = out
        self.passed = 0

    def line(self, text: str) -> None:
        if self.out is not None:  # None: a windowed Windows build has no console
            print(text, file=self.out, flush=True)

    @contextmanager
    def check(self, what: str) -> Iterator[Callable[[str], None]]:
        """Runs one check; the body calls the yielded ``ok(text)`` when it passes."""
        done: list[str] = []
        try:
            yield done.append
        except Exception as exc:
            if isinstance(exc, core.CheckFailed | ToBeOutError):  # a finding: its message says it
                log.info("self-check failed: %s: %s", what, exc)
            else:  # a bug or a broken bundle: the traceback helps (stderr and the log file)
                log.error("self-check failed: %s", what, exc_info=True)
            reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            self.line(f"FAILED {what}: {reason}")
            raise _Stop from exc
        for text in done:
            self.passed += 1
            self.line(f"ok {text}")


def use_offscreen_without_display() -> None:
    """Draw offscreen when there is no display to draw on (a server, CI, a container)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def run_self_check(database_url: str | None = None, out: TextIO | None = None) -> int:
    """Run every check, print one line each; 0 when all passed, else 1."""
    report = Report(out if out is not None else sys.stdout)
    folder = Path(tempfile.mkdtemp(prefix="tobeout-self-check-"))
    previous = qInstallMessageHandler(_qt_message)
    try:
        _run(report, folder, database_url)
    except _Stop:
        return 1
    finally:
        qInstallMessageHandler(previous)
        shutil.rmtree(folder, ignore_errors=True)
    report.line(f"self-check passed: {report.passed} checks")
    return 0


def _run(report: Report, folder: Path, database_url: str | None) -> None:
    with report.check("files") as ok:
        ok(core.check_files())
    with report.check("libraries") as ok:
        ok(core.check_libraries())
    if database_url:
        with report.check("database connection") as ok:
            ok(core.probe_database(database_url))
    with report.check("Qt") as ok:
        app = _application()
        ok(_qt_line(app))
    with report.check("style sheet") as ok:
        ok(_check_style(app))
    with report.check("icons") as ok:
        ok(_check_icons())
    with report.check("database migration") as ok:
        db, line = core.migrate_new_database(folder)
        ok(line)
    try:
        with report.check("demo restaurant") as ok:
            setup, line = core.create_demo_restaurant(db)
            ok(line)
        with report.check("host-stand window") as ok:
            ok(_check_window(app, setup))
    finally:
        db.close()
    with report.check("shut down") as ok:
        ok(_check_threads())


def _application() -> QApplication:
    use_offscreen_without_display()
    return make_application([sys.argv[0] if sys.argv else "tobeout-host-stand"])


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own chatter (the offscreen plugin's notes) goes to the log file, not the console."""
    level = (
        logging.WARNING
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        else (logging.INFO)
    )
    log.log(level, "Qt: %s", message)


def _qt_line(app: QApplication) -> str:
    return f"Qt {qVersion()} (PySide6 {PySide6.__version__}), platform {app.platformName()}"


def _check_style(app: QApplication) -> str:
    path = resources_dir() / "styles" / "host_stand.qss"
    style = app.styleSheet()
    if not style:
        raise RuntimeError(f"the style sheet {path} is missing or empty")
    if "@ICONS@" in style:
        raise RuntimeError("the style sheet's icon folder was not filled in")
    return f"style sheet {path} ({len(style)} characters)"


def _check_icons() -> str:
    folder = resources_dir() / "icons"
    files = sorted(p for p in folder.iterdir() if p.suffix in (".svg", ".png", ".ico"))
    if not (folder / "tobeout.svg").is_file():
        raise RuntimeError(f"no tobeout.svg in {folder}")
    for path in files:
        if path.suffix == ".svg":
            good = QSvgRenderer(str(path)).isValid()
        else:
            good = not QImageReader(str(path)).read().isNull()
        if not good or QIcon(str(path)).isNull():
            raise RuntimeError(f"cannot read the icon {path}")
    return f"icons: {len(files)} files in {folder}"


def _check_window(app: QApplication, setup: core.DemoSetup) -> str:
    from ui.shell.main_window import MainWindow

    window = open_main_window(setup.db, setup.admin, setup.restaurants, live=False, channels=False)
    assert isinstance(window, MainWindow)
    try:
        # Laid out and painted like a shown window, but never mapped on a real screen.
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        window.resize(1366, 768)
        window.show()
        panels = (window.day_list, window.floor, window.timeline)
        _wait(app, lambda: all(panel.loaded for panel in panels))
        _wait(app, lambda: False, seconds=0.3)  # let the last repaints land
        image = window.grab().toImage()
        if image.isNull() or image.width() < 100 or image.height() < 100:
            raise RuntimeError("the window could not be drawn")
        colours = _distinct_colours(image)
        if colours < MIN_COLOURS:
            raise RuntimeError(f"the window looks blank ({colours} colours)")
        rows = window.day_list.model.rowCount()
        size = f"{image.width()}x{image.height()}"
    finally:
        window.close()  # stops the window's workers (its HostContext waits for them)
        window.deleteLater()
        _wait(app, lambda: False, seconds=0.05)
    return f"host-stand window drawn ({size}, {colours} colours, {rows} bookings listed)"


def _check_threads() -> str:
    QThreadPool.globalInstance().waitForDone(5000)
    main = threading.main_thread()
    left = [
        t.name
        for t in threading.enumerate()
        if t is not main and t.is_alive() and not isinstance(t, threading._DummyThread)
    ]
    if left:
        raise RuntimeError(f"threads still running: {', '.join(left)}")
    return "closed cleanly (database closed, no worker threads left)"


def _wait(app: QApplication, done: Callable[[], bool], seconds: float = LOAD_TIMEOUT_S) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            if seconds >= LOAD_TIMEOUT_S:
                raise RuntimeError(f"the window did not finish loading in {seconds:.0f} s")
            return
        app.processEvents()
        time.sleep(0.01)


def _distinct_colours(image: QImage) -> int:
    """Colours on a 7-pixel grid (as the screenshot tests count them)."""
    width, height = image.width(), image.height()
    return len({image.pixel(x, y) for x in range(0, width, 7) for y in range(0, height, 7)})
