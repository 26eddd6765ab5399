"""Party sizes: "for 4", "table for two", "party of 6", "нас четверо", "на пятерых".

Runs on text whose phone, date and time spans are already blanked out, so the 4 in
"for 4 at 7pm on 25.12" is the only number left to read. "for 2 hours" and "на 2 часа" are
durations, not guests. A size outside 1–200 is ignored as a misreading.
"""

from __future__ import annotations

import re

from app.sofia.parsing.numbers import NUMBER_RE, RU_COLLECTIVE_RE, people_count
from app.sofia.parsing.text import Span

MAX_PARTY = 200

_N = rf"(?P<n>{NUMBER_RE})"
_NC = rf"(?P<n>{RU_COLLECTIVE_RE}|{NUMBER_RE})"
_EN_PEOPLE = r"(?:people|persons|person|guests|pax|ppl|adults|diners|of\s+us)"
_RU_PEOPLE = r"(?:человека|человек|чел\b\.?|персоны|персон|гостей|гостя|людей)"
_NOT_DURATION = r"(?!\s*(?:hours?|hrs?|minutes?|mins?|days?|nights?|weeks?|pm|am|o'?clock|:|час|минут|дн|недел))"  # noqa: E501

_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\b(?:table|booking|reservation|seats?)\s+for\s+{_N}\b{_NOT_DURATION}"),
    re.compile(rf"\b(?:party|group|company)\s+of\s+{_N}\b"),
    re.compile(rf"\bwe\s*(?:are|'re|will\s+be|'ll\s+be)\s+(?:a\s+)?{_N}\b{_NOT_DURATION}"),
    re.compile(rf"\bthere\s+(?:will\s+be|are|'ll\s+be)\s+{_N}\b"),
    re.compile(rf"(?<![\w.:/+-]){_N}\s+{_EN_PEOPLE}\b"),
    re.compile(rf"\bfor\s+{_N}\b{_NOT_DURATION}"),
    re.compile(rf"(?<!\w)нас\s+(?:будет\s+|всего\s+)?{_NC}(?!\w)"),
    re.compile(rf"(?<!\w)(?:столик|стол|бронь|броню)\s+на\s+{_NC}(?!\w){_NOT_DURATION}"),
    re.compile(rf"(?<!\w)(?:компания|компанией|группа|группой)\s+из\s+{_N}(?!\w)"),
    re.compile(rf"(?<![\w.:/+-]){_N}\s+{_RU_PEOPLE}"),
    re.compile(rf"(?<!\w)на\s+(?P<n>{RU_COLLECTIVE_RE})(?!\w)"),
    re.compile(rf"(?<!\w)на\s+(?P<n>\d{{1,3}})(?!\w|[.:/-]\d){_NOT_DURATION}"),
)
_TOGETHER = re.compile(
    r"(?<!\w)(?P<word>вдвоем|втроем|вчетвером|впятером|вшестером|всемером|ввосьмером)(?!\w)"
)
_TOGETHER_SIZES = {"вдвоем": 2, "втроем": 3, "вчетвером": 4, "впятером": 5, "вшестером": 6,
                   "всемером": 7, "ввосьмером": 8}  # fmt: skip
_ALONE = re.compile(
    r"\bjust\s+(?:me|myself)\b|\bfor\s+one\s+person\b|(?<!\w)(?:буду|я)\s+один(?!\w)"
)


def find_party_size(text: str) -> tuple[int | None, list[Span]]:
    """The number of guests in a normalised, masked message, and where it was read."""
    found: list[tuple[int, int, Span]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            size = people_count(match.group("n"))
            if size is not None and 1 <= size <= MAX_PARTY:
                found.append((match.start(), size, match.span()))
    for match in _TOGETHER.finditer(text):
        found.append((match.start(), _TOGETHER_SIZES[match.group("word")], match.span()))
    for match in _ALONE.finditer(text):
        found.append((match.start(), 1, match.span()))
    if not found:
        return None, []
    found.sort(key=lambda item: item[0])
    return found[0][1], [item[2] for item in found]
