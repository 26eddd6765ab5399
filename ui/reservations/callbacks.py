"""Service calls for a widget that may be gone when the answer comes back (a closed dialog).

Threading contract: ``run_for`` is called on the UI thread, like ``TaskRunner.run``; the
callbacks run on the UI thread, and are dropped once ``owner``'s Qt object has been destroyed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject

from ui.tasks import TaskRunner


def _guard(owner: QObject, callback: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
    if callback is None:
        return None

    def call(value: Any) -> None:
        if shiboken6.isValid(owner):
            callback(value)

    return call


def run_for(
    owner: QObject,
    runner: TaskRunner,
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    **kwargs: Any,
) -> None:
    """``runner.run(fn, *args, **kwargs)`` with callbacks that only reach a living ``owner``."""
    runner.run(fn, *args, on_done=_guard(owner, on_done), on_error=_guard(owner, on_error),
               **kwargs)  # fmt: skip
