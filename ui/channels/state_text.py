"""How a channel's state reads: a few characters for the status bar, a line for the dialog."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ui.channels.sync_thread import ChannelState

OK, WARN, OFF = "ok", "warn", "off"


def _when(moment: dt.datetime | None, zone: str, now: dt.datetime) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(ZoneInfo(zone))
    if local.date() == now.astimezone(ZoneInfo(zone)).date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b %H:%M").lstrip("0")


def _errors(count: int) -> str:
    return f"{count} error{'' if count == 1 else 's'}"


def short_text(state: ChannelState, zone: str, now: dt.datetime) -> tuple[str, str]:
    """("Telegram ✓ 19:35", level) for the status bar."""
    if not state.active:
        return f"{state.label} off", OFF
    if state.circuit_open:
        return f"{state.label} ⚠ paused ({_errors(state.error_count)})", WARN
    if state.error_count:
        return f"{state.label} ⚠ {_errors(state.error_count)}", WARN
    when = _when(state.last_sync, zone, now)
    return (f"{state.label} ✓ {when}" if when else f"{state.label} … starting"), OK


def long_text(state: ChannelState | None, zone: str, now: dt.datetime) -> tuple[str, str]:
    """("Active · last sync 19:35 · no errors", level) for the integrations dialog."""
    if state is None:
        return "Not set up yet.", OFF
    if not state.active:
        return "Disabled: messages are neither fetched nor sent.", OFF
    when = _when(state.last_sync, zone, now)
    parts = ["Active", f"last sync {when}" if when else "not synced yet"]
    if state.standby:
        parts.append("polled by another terminal")
    if state.circuit_open:
        parts.append(f"paused after {_errors(state.error_count)} in a row")
    elif state.error_count:
        parts.append(f"{_errors(state.error_count)} in a row")
    else:
        parts.append("no errors")
    text = " · ".join(parts)
    if state.error_count and state.last_error:
        text += f"\nLast error: {state.last_error}"
    return text, (WARN if state.error_count or state.circuit_open else OK)
