"""Party sizes: "for 4", "table for two", "party of 6", "нас четверо", "на пятерых".

Runs on text whose phone, date and time spans are already blanked out, so the 4 in
"for 4 at 7pm on 25.12" is the only number left to read. "for 2 hours" and "на 2 часа" are
durations, not guests. A size outside 1–200 is ignored as a misreading. "2 adults and 2 kids" is
4 and "me and my wife" 2; "ещё двое" or "2 more people" say how many join, not the party size,
and a correction ("нас будет не 4, а 6") gives the second number.
"""

from __future__ import annotations

import re

from app.sofia.parsing.numbers import NUMBER_RE, RU_COLLECTIVE_RE, people_count
from app.sofia.parsing.text import Span

MAX_PARTY = 200

_N = rf"(?P<n>{NUMBER_RE})"
_NC = rf"(?P<n>{RU_COLLECTIVE_RE}|{NUMBER_RE})"
_EN_PEOPLE = r"(?:people|persons|person|guests|pax|ppl|adults|diners|seats|of\s+us)"
_RU_PEOPLE = r"(?:человека|человек|чел\b\.?|персоны|персон|гостей|гостя|людей)"
_NOT_DURATION = r"(?!\s*(?:hours?|hrs?|minutes?|mins?|days?|nights?|weeks?|pm|am|o'?clock|:|час|минут|дн|недел))"  # noqa: E501

_PATTERNS: tuple[re.Pattern[str], ...] = (
    # A correction names the new size last: "нас будет не 4, а 6", "not 4 but 6".
    re.compile(rf"(?<!\w)не\s+{NUMBER_RE}(?:\s+{_RU_PEOPLE})?\s*,?\s+а\s+{_NC}(?!\w)"),
    re.compile(rf"\bnot\s+{NUMBER_RE}\s*,?\s+but\s+{_N}\b"),
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
    re.compile(rf"(?<!\w)(?:на|для)\s+(?P<n>{RU_COLLECTIVE_RE})(?!\w)"),
    re.compile(
        rf"(?<!\w)(?:человек|чел\.?|персон|гостей)\s+(?:на\s+)?(?P<n>{NUMBER_RE})(?!\w|[.:]\d)"
    ),
    re.compile(rf"(?<!\w)(?P<n>{RU_COLLECTIVE_RE})(?!\w)"),
    re.compile(rf"(?<!\w)на\s+(?P<n>\d{{1,3}})(?!\w|[.:/-]\d){_NOT_DURATION}"),
)
_MORE_BEFORE = re.compile(r"(?<!\w)(?:еще|плюс|\+)\s*(?:(?:на|для)\s+)?$")
_MORE_AFTER = re.compile(r"\s+(?:more|extra|additional)\b")
_TOGETHER = re.compile(
    r"(?<!\w)(?P<word>вдвоем|втроем|вчетвером|впятером|вшестером|всемером|ввосьмером)(?!\w)"
)
_TOGETHER_SIZES = {"вдвоем": 2, "втроем": 3, "вчетвером": 4, "впятером": 5, "вшестером": 6,
                   "всемером": 7, "ввосьмером": 8}  # fmt: skip
# "2 adults and 2 kids": the party is everyone.
_ADULTS_AND_KIDS = re.compile(
    rf"(?<![\w.:/+-])(?P<a>{NUMBER_RE})\s+(?:adults?|grown-?ups|взрослых|взрослый|взрослого)"
    rf"\s*(?:(?:and|\+|&|и|,)\s*)?(?P<k>{NUMBER_RE})\s+(?:kids?|children|child|детей|ребенка|ребенок)"
)
# "me and my wife", "my husband and I", "я с женой": two people.
_COUPLE = re.compile(
    r"\b(?:me\s+and\s+my|my\s+(?=\w+\s+and\s+(?:i|me)\b))\s*(?:wife|husband|partner|girlfriend"
    r"|boyfriend|fiancee?|friend|mum|mom|mother|dad|father|son|daughter|sister|brother|colleague)\b"
    r"|(?<!\w)(?:я|мы)\s+с\s+(?:женой|мужем|девушкой|парнем|подругой|другом|мамой|папой)(?!\w)"
)
_ALONE = re.compile(
    r"\bjust\s+(?:me|myself)\b|\bfor\s+one\s+person\b|(?<!\w)(?:буду|я)\s+один(?!\w)"
)


def find_party_size(text: str) -> tuple[int | None, list[Span]]:
    """The number of guests in a normalised, masked message, and where it was read."""
    found: list[tuple[int, int, Span]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if _MORE_BEFORE.search(text, 0, match.start("n")) or _MORE_AFTER.match(
                text, match.end("n")
            ):
                continue  # "ещё двое", "2 more people": how many join, not the party
            size = people_count(match.group("n"))
            if size is not None and 1 <= size <= MAX_PARTY:
                found.append((match.start(), size, match.span()))
    for match in _ADULTS_AND_KIDS.finditer(text):
        adults, kids = people_count(match.group("a")), people_count(match.group("k"))
        if adults and kids and adults + kids <= MAX_PARTY:
            start, end = match.span()
            overlapping = [item for item in found if item[2][0] < end and start < item[2][1]]
            found = [item for item in found if item not in overlapping]  # "for 2" of "for 2 adults"
            first = min([start, *(item[0] for item in overlapping)])
            found.append((first, adults + kids, match.span()))
    for match in _COUPLE.finditer(text):
        found.append((match.start(), 2, match.span()))
    for match in _TOGETHER.finditer(text):
        found.append((match.start(), _TOGETHER_SIZES[match.group("word")], match.span()))
    for match in _ALONE.finditer(text):
        found.append((match.start(), 1, match.span()))
    if not found:
        return None, []
    found.sort(key=lambda item: item[0])
    return found[0][1], [item[2] for item in found]
