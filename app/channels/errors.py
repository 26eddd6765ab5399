"""What a channel client raises (Telegram and WhatsApp alike), so the worker treats them alike.

Texts never contain a token or a secret.
"""

from __future__ import annotations


class ChannelError(Exception):
    """A failed channel API call."""


class TransientError(ChannelError):
    """The channel or the network failed repeatedly (5xx, timeouts, dropped connections)."""


class RateLimited(ChannelError):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"the channel asks to wait {retry_after:g} s (HTTP 429)")
        self.retry_after = retry_after


class Rejected(ChannelError):
    """The channel refused this request for good (a bad chat, a blocked bot, a closed window)."""


class Unauthorized(ChannelError):
    """The token is wrong or revoked: nothing will work until it is replaced."""


class DeliveryUncertain(ChannelError):
    """The message may or may not have been sent; it is not repeated."""
