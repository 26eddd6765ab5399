"""Short answers the offline engine must read beyond the parser: yes/no, "the first one",
greetings, "as usual", a bare name, a confirmation code."""

from __future__ import annotations

import re

from app.domain.codes import ALPHABET, CODE_LENGTH

_YES = re.compile(
    r"^\s*(?:yes|yeah|yep|yup|sure|ok|okay|confirm\w*|correct|right|exactly|of\s+course|please"
    r"|please\s+do|go\s+ahead|do\s+it|sounds\s+good|perfect|great|fine|absolutely|book\s+it"
    r"|да|ага|угу|конечно|подтвержда\w*|верно|хорошо|ок|окей|давайте|давай|точно|именно|так"
    r"|бронируйте|отменяйте|отмените|все\s+верно|всё\s+верно)\b",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(?:no|nope|nah|not\s+really|don'?t|do\s+not|wait|stop|нет|не\s+надо|не\s+нужно|неа"
    r"|не\s+так|не\s+верно|неверно|стоп|подождите)\b",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|greetings|привет|здравствуй\w*"
    r"|добрый\s+(?:день|вечер)|доброе\s+утро|добрый)\b",
    re.IGNORECASE,
)
_AS_USUAL = re.compile(
    r"\b(?:as\s+usual|the\s+usual|same\s+as\s+(?:usual|always|last\s+time)|as\s+always)\b"
    r"|(?<!\w)(?:как\s+обычно|как\s+всегда|как\s+в\s+прошлый\s+раз|по-обычному)(?!\w)",
    re.IGNORECASE,
)
_ORDINALS = (
    r"first|1st|first\s+one|первы\w*|перв\w*",
    r"second|2nd|второ\w*",
    r"third|3rd|трет\w*",
)
_ORDINAL_RES = [re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.IGNORECASE) for p in _ORDINALS]
_NUMBER_ONLY = re.compile(r"^\s*(?:#|№|number\s+|option\s+|вариант\s+)?([1-3])\s*[.)!]?\s*$",
                          re.IGNORECASE)  # fmt: skip
_NAME_ONLY = re.compile(r"^\s*([A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'-]+(?:\s+[A-Za-zА-Яа-яЁё'-]+)?)"
                        r"\s*[.!]?\s*$")  # fmt: skip
_CODE = re.compile(rf"(?<![A-Za-z0-9])([{ALPHABET}]{{{CODE_LENGTH}}})(?![A-Za-z0-9])")
_NOT_NAMES = frozenset(
    """yes no ok okay hi hello hey thanks thank please sure nope help what why when where how
    да нет ок привет спасибо пожалуйста здравствуйте помогите что почему когда где как
    first second third первый второй третий tomorrow today завтра сегодня""".split()  # noqa: SIM905
)


def is_yes(text: str) -> bool:
    return bool(_YES.search(text)) and not is_no(text)


def is_no(text: str) -> bool:
    return bool(_NO.search(text))


def as_usual(text: str) -> bool:
    """ "As usual", "the usual", "как обычно": the guest's usual party and time."""
    return bool(_AS_USUAL.search(text))


def is_greeting(text: str) -> bool:
    return bool(_GREETING.search(text))


def ordinal(text: str) -> int | None:
    """0, 1 or 2 for "the first/second/third one" (or a bare 1-3); None otherwise."""
    bare = _NUMBER_ONLY.match(text)
    if bare:
        return int(bare.group(1)) - 1
    for index, pattern in enumerate(_ORDINAL_RES):
        if pattern.search(text):
            return index
    return None


def bare_name(text: str) -> str | None:
    """A message that is just a name ("Anna", "Иван Петров"), title-cased."""
    match = _NAME_ONLY.match(text)
    if not match:
        return None
    words = match.group(1).split()
    if any(w.lower() in _NOT_NAMES for w in words):
        return None
    return " ".join(w[:1].upper() + w[1:] for w in words)


def confirmation_code(text: str) -> str | None:
    """A confirmation code written in the message (six letters/digits of the code alphabet,
    with at least one digit or written in capitals, so ordinary words are not taken)."""
    for match in _CODE.finditer(text):
        token = match.group(1)
        if any(c.isdigit() for c in token) or token.isupper():
            return token.upper()
    return None
