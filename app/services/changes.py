"""The one "data changed" notification every view refreshes from.

Services record what they changed on their unit of work; after a successful commit the
unit of work publishes one ``Change`` per kind on the bus. Subscribers are called on the
thread that committed: the UI bridges them to a queued Qt signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    kind: str  # "reservation", "table", "guest", "restaurant", "user", "conversation", ...
    ids: frozenset[int]


Subscriber = Callable[[Change], None]


class ChangeBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Register ``callback``; returns a function that unsubscribes it."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def publish(self, changes: Iterable[Change]) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for change in changes:
            for callback in subscribers:
                try:
                    callback(change)
                except Exception:  # a broken view must not undo a committed booking
                    log.exception("change subscriber failed for %s", change.kind)
