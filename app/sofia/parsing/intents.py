"""What the guest wants: book, cancel, modify, info or other.

Keywords decide, in this order, because the later words also appear in the earlier requests:
cancel ("cancel my booking" mentions a booking), modify ("move my reservation"), book, info
("book a table — what's your address?" is still a booking). A message with no keyword but a date,
time or party size ("tomorrow at 7 for 4") is a booking request.
"""

from __future__ import annotations

import re
from typing import Literal

Intent = Literal["book", "cancel", "modify", "info", "other"]

_CANCEL = re.compile(
    r"\bcancel\w*|\bcall\s+off\b"
    r"|\b(?:won't|can't|cannot|will\s+not)\s+(?:be\s+able\s+to\s+)?(?:make\s+it|come)\b"
    r"|\bdrop\s+(?:my|the|our)\s+(?:booking|reservation)\b"
    r"|(?<!\w)отмен\w*|(?<!\w)не\s+(?:при[дй]ем|сможем\s+прийти|смогу\s+прийти|придем)(?!\w)"
    r"|(?<!\w)снять\s+бронь"
)
_MODIFY = re.compile(
    r"\b(?:change|modify|move|reschedule|postpone|push\s+back|bring\s+forward|update|switch|amend)"
    r"\w*\b|\b(?:instead|different\s+(?:time|day|date)|another\s+(?:time|day|date))\b"
    r"|\bpush\s+(?:it|us|that|(?:the|our|my)\s+\w+)\s+(?:to|back|later)\b"
    r"|\badd(?:ing)?\s+(?:\w+\s+)?(?:more|extra|another)\s+(?:people|persons?|guests?|seats?|chairs?)\b"
    r"|(?<!\w)(?:перенес|перенос|измени|изменен|поменя|сдвин|передвин|другое\s+время|вместо)\w*"
    r"|(?<!\w)добав\w*\s+(?:еще\s+)?(?:\w+\s+)?(?:человек\w*|гост\w*|мест\w*|стул\w*)"
    r"|(?<!\w)будет\s+не\s+\w+\s*,?\s+а\s+"
)
_BOOK = re.compile(
    r"\b(?:book\w*|reserv\w*|table|tables|a\s+seat|seats)\b|\bget\s+a\s+table\b"
    r"|(?<!\w)(?:заброн\w*|брон\w*|столик\w*|стол|резерв\w*|забронир\w*|зарезерв\w*)(?!\w)"
)
_INFO = re.compile(
    r"\b(?:open|opens|opening|close|closes|closing|hours|address|located|location|where\s+are"
    r"|menu|parking|wi-?fi|dress\s+code|how\s+do\s+i\s+get|directions|prices?|vegan|vegetarian"
    r"|kids|children|delivery|phone\s+number\s+of|dogs?|pets?|pet-friendly|how\s+much|music)\b"
    r"|(?<!\w)(?:адрес\w*|где\s+вы|где\s+находит\w*|как\s+(?:к\s+вам\s+)?(?:добраться|доехать|проехать|пройти)"
    r"|открыва\w*|закрыва\w*|работа(?:ете|ет|ть)|часы\s+работы|режим\s+работы|до\s+скольки|меню"
    r"|парковк\w*|цен\w*|веган\w*|вегетариан\w*|детск\w*|доставк\w*|сколько\s+стоит"
    r"|собак\w*|животн\w*|музык\w*)(?!\w)"
)


def detect_intent(text: str, has_booking_details: bool) -> Intent:
    """The intent of a normalised message (``has_booking_details``: a date/time/party was read)."""
    if _CANCEL.search(text):
        return "cancel"
    if _MODIFY.search(text):
        return "modify"
    if _BOOK.search(text):
        return "book"
    if _INFO.search(text):
        return "info"
    return "book" if has_booking_details else "other"
