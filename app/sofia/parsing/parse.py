"""``parse_message``: every fact the offline engine reads from one guest message.

Extractors run in an order that keeps numbers from being read twice: the phone first (its
digits would look like anything), then dates, then times, then the party size, each on the text
with the previous findings blanked out. So "for 4 at 7pm on 25.12" gives party 4, 19:00, 25 Dec.

In a change request ("move", "перенести"…) the date and time written after the verb win, less
any introduced by "с"/"from": "бронь с 19:00 на 20:30" asks for 20:30.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.errors import InvalidInput
from app.sofia.parsing.contacts import (
    find_addressee_name,
    find_name,
    find_phone,
    find_signature_name,
)
from app.sofia.parsing.dates import find_date
from app.sofia.parsing.intents import Intent, detect_intent
from app.sofia.parsing.language import Language, detect_language
from app.sofia.parsing.party import find_party_size
from app.sofia.parsing.text import Span, mask, normalize
from app.sofia.parsing.times import find_time

DEFAULT_TIMEZONE = "Europe/Moscow"


@dataclass(frozen=True)
class ParsedMessage:
    """What one message says; ``None`` where it says nothing about that field."""

    intent: Intent
    date: date | None
    time: time | None
    party_size: int | None
    name: str | None
    phone: str | None  # E.164
    language: Language


def zone(name: str) -> ZoneInfo:
    """The IANA timezone ``name`` or ``InvalidInput`` naming the problem."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InvalidInput(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Moscow."
        ) from exc


def local_today(now: datetime, timezone: str) -> date:
    """Today's date at the restaurant. A naive ``now`` is read as the restaurant's wall clock."""
    tz = zone(timezone)
    if now.tzinfo is None or now.utcoffset() is None:
        return now.date()
    return now.astimezone(tz).date()


def parse_message(
    text: str, now: datetime, timezone: str = DEFAULT_TIMEZONE, default_region: str = "RU"
) -> ParsedMessage:
    """Read intent, date, time, party size, name, phone and language from ``text``.

    ``now`` anchors relative dates ("tomorrow", "next Saturday") in the restaurant's
    ``timezone``: 23:30 UTC on Monday is already Tuesday in Moscow. A phone number without a
    country code is read as one of ``default_region``.
    """
    today = local_today(now, timezone)
    original = text or ""
    lowered = normalize(original)
    phone, phone_spans = find_phone(original, default_region)
    remaining = mask(lowered, phone_spans)
    day, date_spans = find_date(remaining, today)
    remaining = mask(remaining, date_spans)
    clock, time_spans = find_time(remaining)
    remaining = mask(remaining, time_spans)
    if _CHANGE_VERB.search(lowered):
        day, clock = _new_values(mask(lowered, phone_spans), today, date_spans, day, clock)
    party, party_spans = find_party_size(remaining)
    has_details = day is not None or clock is not None or party is not None
    name = find_name(mask(original, phone_spans))
    if name is None:
        facts = mask(original, [*phone_spans, *date_spans, *time_spans, *party_spans])
        name = find_addressee_name(facts)
        if name is None:
            dashed_only = not has_details and phone is None
            name = find_signature_name(facts, dashed_only=dashed_only)
    return ParsedMessage(
        intent=detect_intent(lowered, has_details),
        date=day,
        time=clock,
        party_size=party,
        name=name,
        phone=phone,
        language=detect_language(original),
    )


_CHANGE_VERB = re.compile(
    r"\b(?:move|moving|change|changing|reschedule|postpone|push|switch|make\s+it)\b"
    r"|(?<!\w)(?:перенес|перенос|передвин|сдвин|поменя|измен)\w*"
)
# The old value in "с 19:00 на 20:30", "с пятницы на субботу", "from Friday to Saturday".
_OLD_VALUE = re.compile(r"(?<!\w)(?:с|со|from)\s+(?:[^,.!?]|\.(?=\d)){1,25}?\s+(?=(?:на|to)\s)")


def _new_values(
    text: str, today: date, date_spans: list[Span], day: date | None, clock: time | None
) -> tuple[date | None, time | None]:
    """In a change request, the date and time asked for after the change verb, if any.

    "бронировала на пятницу, можно перенести на субботу" and "с 19:00 на 20:30" name the old
    booking first; what follows the verb (and is not introduced by "с"/"from") is the new one.
    """
    verb = _CHANGE_VERB.search(text)
    if verb is None:
        return day, clock
    view = mask(text, [(0, verb.end())])
    view = mask(view, [m.span() for m in _OLD_VALUE.finditer(view)])
    new_day, new_date_spans = find_date(view, today)
    new_clock, _ = find_time(mask(view, [*date_spans, *new_date_spans]))
    return new_day or day, new_clock or clock


def to_json_dict(parsed: ParsedMessage) -> dict[str, Any]:
    """The ``sofia parse --json`` document of ARCHITECTURE.md (ISO date, HH:MM time)."""
    return {
        "intent": parsed.intent,
        "date": parsed.date.isoformat() if parsed.date else None,
        "time": parsed.time.strftime("%H:%M") if parsed.time else None,
        "party_size": parsed.party_size,
        "name": parsed.name,
        "phone": parsed.phone,
        "language": parsed.language,
    }
