"""The guest's name and phone number as written in a message.

Phones are found by ``phonenumbers``' matcher and normalised by the app's own ``normalize_phone``
so Sofia stores the same E.164 form as the booking form does. Names follow a cue ("my name is",
"меня зовут", "на имя"); after weak cues ("I'm", "this is", "это", "я") the name must be written
with a capital letter, so "I'm hungry" or "это на завтра" give no name.

A name written with no cue at all counts only as a sign-off: one or two capitalised words
making up the message's last clause, once the phone, date, time and party size are blanked out
("…, 6 гостей. Игорь", "Anna, +7 916 …", "Friday 8pm, 4 people, Jake"), or after a dash in a
message that says nothing else ("Sorry! - Greg"); greetings and thanks
("Thanks!", "Спасибо") are not names.

"на имя Ольги" asks for the genitive; Sofia returns the nominative ("Ольга") for the unambiguous
endings (-ы, -ки/-ги/-ши…, -ии, -ьи, -овой/-евой/-иной and common male names such as Ивана) and
leaves other words as written: "Петрова" may be a woman's name or a man's genitive — unless a
man's name comes first ("на имя Сергея Петрова" is Сергей Петров).
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
_WEAK = r"i\s*'?m|i\s+am|this\s+is|it'?s|call\s+me|under|name|это|я|с\s+вами\s+говорит"
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


def _nominative_pair(words: list[str]) -> list[str]:
    """ "Сергея Петрова" → "Сергей Петров": after a man's name the surname is a man's too."""
    first = _nominative(words[0])
    if len(words) == 1:
        return [first]
    second = words[1]
    if words[0].lower() in _MALE_GENITIVE:
        for ending, nominative in (("ова", "ов"), ("ева", "ев"), ("ина", "ин"),
                                   ("ского", "ский"), ("цкого", "цкий")):  # fmt: skip
            if second.lower().endswith(ending) and len(second) > len(ending) + 1:
                return [first, _title(second[: -len(ending)] + nominative)]
        return [first, _title(second)]
    return [first, _nominative(second)]


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
            return " ".join(_nominative_pair(words))
        return " ".join(_title(w) for w in words)
    return None


# A host's shorthand: "… for Ivanov +7 916 …", "… на Петрова". Read on the text with dates,
# times and party sizes already blanked, so "for Friday" or "на четверых" never get here.
_FOR_NAME_RE = re.compile(
    rf"(?:\bfor|(?<!\w)на)\s+(?P<first>{_NAME_WORD})(?:\s+(?P<second>{_NAME_WORD}))?"
)


def find_addressee_name(masked: str) -> str | None:
    """The capitalised name a booking is "for" (kept as written), or None."""
    for match in _FOR_NAME_RE.finditer(masked):
        first, second = match.group("first"), match.group("second")
        if not _is_name(first, needs_capital=True):
            continue
        if second and _is_name(second, needs_capital=True):
            return f"{first} {second}"
        return first
    return None


_CLAUSE_BREAK = re.compile(r"[,.;:!?\n()]+")
_SIGN_OFF_WORDS = frozenset(
    """hi hello hey dear thanks thank thx ty cheers please pls ok okay sure great perfect fine
    regards best bye good morning evening afternoon night sorry yes no yeah yep nope sofia
    confirmed cool awesome lovely wonderful welcome tomorrow today tonight contact phone tel
    mobile name email
    привет здравствуйте здрасьте добрый доброе доброй день вечер утро спасибо спс благодарю
    пожалуйста плз ок окей да нет хорошо отлично супер понятно ладно жду извините софия
    сегодня завтра послезавтра телефон тел контакт контакты имя номер""".split()  # noqa: SIM905 - a word list reads better as prose
)
_SIGN_OFF_RE = re.compile(rf"(?P<first>{_NAME_WORD})(?:\s+(?P<second>{_NAME_WORD}))?")


def find_signature_name(masked: str, dashed_only: bool = False) -> str | None:
    """A name the guest signs with: the last clause of ``masked`` when it is only a name.

    ``masked`` is the original message with the phone, date, time and party size blanked out.
    ``dashed_only`` (a message with no other facts) accepts only a dashed sign-off ("- Greg").
    """
    clauses: list[tuple[str, str, bool]] = []  # (clause, the punctuation after it, dashed)
    start = 0
    for brk in [*_CLAUSE_BREAK.finditer(masked), None]:
        end = brk.start() if brk else len(masked)
        raw = masked[start:end].strip()
        clause = raw.lstrip("-~*— ").strip()  # "- Greg"
        if any(ch.isalnum() for ch in clause):
            clauses.append((clause, brk.group() if brk else "", clause != raw))
        start = brk.end() if brk else end
    if not clauses or ":" in clauses[-1][1]:  # "Contact: …" labels what follows
        return None
    if dashed_only and not clauses[-1][2]:
        return None
    match = _SIGN_OFF_RE.fullmatch(clauses[-1][0])
    if match is None:
        return None
    words = [w for w in (match.group("first"), match.group("second")) if w]
    for word in words:
        lower = word.lower()
        if not _capitalised(word) or len(word) < 2 or lower in _STOPWORDS:
            return None
        if lower in _SIGN_OFF_WORDS:
            return None
    return " ".join(words)
