"""How a failed service call reads on screen: the domain's own words, never a traceback."""

from __future__ import annotations

import logging

from app.errors import ToBeOutError

log = logging.getLogger(__name__)
UNEXPECTED = "Something went wrong and nothing was changed; the details are in the log."


def error_text(exc: BaseException) -> str:
    """The host-readable message of ``exc``; anything unexpected is logged in full."""
    if isinstance(exc, ToBeOutError):
        return exc.message
    log.error("unexpected error in a service call", exc_info=exc)
    return UNEXPECTED
