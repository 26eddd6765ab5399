"""The guest's name and phone number as written in a message.

Phones are found by ``phonenumbers``' matcher and normalised by the app's own ``normalize_phone``
so Sofia stores the same E.164 form as the booking form does. Names follow a cue ("my name is",
"меня зовут", "на имя"); after weak cues ("I'm", "this is", "это", "я") the name must be written
with a capital letter, so "I'm hungry" or "это на завтра" give no name.

"на имя Ольги" asks for the genitive; Sofia returns the nominative ("Ольга") for the unambiguous
endings (-ы, -ки/-ги/-ши…, -ии, -ьи, -овой/-евой/-иной and common male names such as Ивана) and
leaves other words as written: "Петрова" may be a woman's name or a man's genitive.
"""

from __future__ import annotations

import re

import phonenumbers

from app.domain.phones import normalize_phone
from app.errors import InvalidInput
from app.sofia.parsing.text import Span

_NAME_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿА-Яа-яЁё][A-Za-zÀ-ÖØ-öø-ÿА-Яа-яЁё'-]*"
_STRONG = (
    r"my\s+name\s+is|my\s+name's|name\s+is|name\s*:|under\s+the\s+name(?:\s+of)?|booked\s+under"
    r"|меня\s+зовут|мо[её]\s+имя|имя\s*:|зовут|на\s+фамилию|фамилия\s*:?"
)
_WEAK = r"i\s*'?m|i\s+am|this\s+is|it'?s|call\s+me|это|я|с\s+вами\s+говорит"
_GENITIVE_CUE = r"на\s+имя"
_NAME_RE = re.compile(
    rf"(?<!\w)(?:(?P<strong>{_STRONG})|(?P<genitive>{_GENITIVE_CUE})|(?P<weak>{_WEAK}))"
    rf"[\s,:\-]+(?P<first>{_NAME_WORD})(?:\s+(?P<second>{_NAME_WORD}))?",
    re.IGNORECASE,
)
# Words that follow a cue ("I'm looking…", "это на…") but are never a name.
_STOPWORDS = frozenset(
    """and i i'd we want would like please from here booking book table for calling speaking
    with my the a an to at on in is sorry looking going interested trying hoping not just afraid
    fine ok okay good great hungry back there new also still booked calling coming
    и я мы хочу хотел хотела хотим хотели бы забронировать бронь столик на в пожалуйста это
    звоню можно а но тел телефон номер по для с уже тоже снова опять хотелось завтра сегодня
    вот""".split()  # noqa: SIM905 - a word list reads better as prose
)
_SURNAME_ENDINGS = ("ов", "ова", "ев", "ева", "ин", "ина", "ский", "ская", "цкий", "цкая")
_MALE_GENITIVE = {
    "ивана": "Иван", "петра": "Пётр", "сергея": "Сергей", "алексея": "Алексей",
    "андрея": "Андрей", "дмитрия": "Дмитрий", "михаила": "Михаил", "николая": "Николай",
    "павла": "Павел", "владимира": "Владимир", "игоря": "Игорь", "олега": "Олег",
    "максима": "Максим", "артема": "Артём", "антона": "Антон", "романа": "Роман",
    "евгения": "Евгений", "виктора": "Виктор", "юрия": "Юрий", "егора": "Егор",
}  # fmt: skip


def find_phone(text: str, region: str) -> tuple[str | None, list[Span]]:
    """The first valid phone number as E.164, and the spans of every number found."""
    first: str | None = None
    spans: list[Span] = []
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        try:
            e164 = normalize_phone(match.raw_string, region)
        except InvalidInput:
            continue
        spans.append((match.start, match.end))
        first = first or e164
    return first, spans


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def _nominative(word: str) -> str:
    """A Russian first name or surname in the genitive back to the nominative, when unambiguous."""
    lower = word.lower()
    if lower in _MALE_GENITIVE:
        return _MALE_GENITIVE[lower]
    for ending, nominative in (("овой", "ова"), ("евой", "ева"), ("иной", "ина"),
                               ("ии", "ия"), ("ьи", "ья"), ("ы", "а")):  # fmt: skip
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            return _title(word[: -len(ending)] + nominative)
    if re.search(r"[гкхжшчщ]и$", lower) and len(lower) > 3:
        return _title(word[:-1] + "а")
    return _title(word)


def _is_name(word: str, needs_capital: bool) -> bool:
    if word.lower() in _STOPWORDS or len(word) < 2:
        return False
    return _capitalised(word) or not needs_capital


def find_name(text: str) -> str | None:
    """The guest's name from the original (not lower-cased) message, title-cased, or None."""
    for match in _NAME_RE.finditer(text):
        weak = match.group("weak") is not None
        first, second = match.group("first"), match.group("second")
        if not _is_name(first, needs_capital=weak):
            continue
        words = [first]
        is_surname = second and second.lower().endswith(_SURNAME_ENDINGS)
        if second and second.lower() not in _STOPWORDS and (_capitalised(second) or is_surname):
            words.append(second)
        if match.group("genitive"):
            return " ".join(_nominative(w) for w in words)
        return " ".join(_title(w) for w in words)
    return None
