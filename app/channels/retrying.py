"""The one retry loop both channel clients (Telegram, WhatsApp) send through.

Rate limits wait ``retry_after`` (up to ``max_wait`` and ``max_attempts`` waits, else
``RateLimited`` for the caller to defer); 5xx answers, timeouts and dropped connections back
off exponentially, then ``TransientError``. A request that may already have reached the
peer is never repeated unless it is safe to resend: it raises ``DeliveryUncertain``.
The client decides what an answer means (``interpret``); this loop decides what to do next.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from app.channels.errors import DeliveryUncertain, RateLimited, TransientError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Done:
    value: Any


@dataclass(frozen=True)
class Wait:
    seconds: float


@dataclass(frozen=True)
class Retry:
    reason: str


Outcome = Done | Wait | Retry


@dataclass
class RetryPolicy:
    sleep: Callable[[float], None]
    max_attempts: int = 4
    base_backoff: float = 1.0
    max_backoff: float = 30.0
    max_wait: float = 60.0

    def run(
        self,
        label: str,
        send: Callable[[], requests.Response],
        interpret: Callable[[requests.Response], Outcome],
        *,
        resend_safe: bool,
    ) -> Any:
        """``send`` until ``interpret`` says done; permanent errors raise from ``interpret``."""
        failures = 0
        waits = 0
        while True:
            try:
                response = send()
            except requests.RequestException as exc:
                if not resend_safe and not never_sent(exc):
                    raise DeliveryUncertain(
                        f"{label}: {type(exc).__name__}; the message may have been sent"
                    ) from None
                failures += 1
                reason = f"{label}: {type(exc).__name__} (network)"
            else:
                outcome = interpret(response)
                if isinstance(outcome, Done):
                    return outcome.value
                if isinstance(outcome, Wait):
                    waits += 1
                    if outcome.seconds > self.max_wait or waits > self.max_attempts:
                        raise RateLimited(outcome.seconds)
                    log.info("%s: rate limited, waiting %g s", label, outcome.seconds)
                    self.sleep(outcome.seconds)
                    continue
                failures += 1  # 5xx, or a 200 that is not the API's JSON
                reason = outcome.reason
            if failures >= self.max_attempts:
                raise TransientError(reason)
            delay = min(self.base_backoff * 2 ** (failures - 1), self.max_backoff)
            log.info("%s; retrying in %g s", reason, delay)
            self.sleep(delay)


def never_sent(exc: requests.RequestException) -> bool:
    """True when the request certainly did not reach the server (no connection was made)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = getattr(exc.args[0] if exc.args else None, "reason", None)
        return isinstance(reason, NewConnectionError | ConnectTimeoutError)
    return False
