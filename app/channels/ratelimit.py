"""Token buckets for outbound messages: one per chat and one for the whole integration.

``reserve(chat)`` takes a token from both buckets when both have one (returns 0.0), otherwise it
takes nothing and returns how many seconds to wait. The clock is injected (seconds, monotonic
enough), so tests never wait.

Threading: a limiter belongs to the worker thread that sends for its integration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class TokenBucket:
    rate: float  # tokens per second
    burst: float  # bucket size
    tokens: float = -1.0
    stamp: float | None = None

    def _refill(self, now: float) -> None:
        if self.stamp is None or self.tokens < 0:
            self.tokens, self.stamp = self.burst, now
            return
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self, now: float) -> float:
        self._refill(now)
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1.0


class ChannelLimiter:
    MAX_CHATS = 10_000  # forget idle chats' buckets beyond this many

    def __init__(self, limits: dict[str, float], clock: Callable[[], float]) -> None:
        self._clock = clock
        self.limits = dict(limits)  # as given: the worker rebuilds the limiter when they change
        self.per_chat = float(limits.get("per_chat_per_second", 1.0))
        self.per_chat_burst = max(1.0, float(limits.get("per_chat_burst", 1.0)))
        total = float(limits.get("total_per_second", 30.0))
        self._total = TokenBucket(total, max(1.0, total))
        self._chats: dict[str, TokenBucket] = {}

    def reserve(self, chat: str) -> float:
        now = self._clock()
        bucket = self._chats.get(chat)
        if bucket is None:
            if len(self._chats) >= self.MAX_CHATS:
                self._chats.clear()
            bucket = self._chats[chat] = TokenBucket(self.per_chat, self.per_chat_burst)
        wait = max(bucket.wait(now), self._total.wait(now))
        if wait <= 0:
            bucket.take()
            self._total.take()
        return wait
