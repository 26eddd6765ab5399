"""Number words in English and Russian: cardinals, ordinals and Russian collective numerals."""

from __future__ import annotations

import re
from collections.abc import Iterable

EN_CARDINALS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip

EN_ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip

# Every case form a guest is likely to write after "на", "в", "нас" or alone.
RU_CARDINALS: dict[str, int] = {
    "один": 1, "одна": 1, "одного": 1, "одну": 1, "одной": 1,
    "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "четыре": 4, "четырех": 4,
    "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8,
    "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
    "одиннадцать": 11, "одиннадцати": 11, "двенадцать": 12, "двенадцати": 12,
    "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "пятнадцати": 15,
    "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
    "двадцать": 20, "двадцати": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50,
}  # fmt: skip

# "двое", "на двоих": collective numerals count people, never hours or days.
RU_COLLECTIVE: dict[str, int] = {
    "двое": 2, "двоих": 2, "трое": 3, "троих": 3, "четверо": 4, "четверых": 4,
    "пятеро": 5, "пятерых": 5, "шестеро": 6, "шестерых": 6, "семеро": 7, "семерых": 7,
    "восьмеро": 8, "восьмерых": 8, "девятеро": 9, "девятерых": 9, "десятеро": 10,
    "десятерых": 10,
}  # fmt: skip

# Ordinal stems; the ending (-ое, -ого, -ый, -ая …) is matched separately.
RU_ORDINAL_STEMS: dict[str, int] = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7,
    "восьм": 8, "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12,
    "тринадцат": 13, "четырнадцат": 14, "пятнадцат": 15, "шестнадцат": 16,
    "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20, "тридцат": 30,
}  # fmt: skip
_RU_ORDINAL_RE = re.compile(
    "("
    + "|".join(sorted(RU_ORDINAL_STEMS, key=len, reverse=True))
    + r")(ье|ьего|ий|ого|ое|ый|ая|ую|ом)"
)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# Regex fragments other modules embed; longest words first so "seventeen" beats "seven".
EN_CARDINAL_RE = _alternation(EN_CARDINALS)
RU_CARDINAL_RE = _alternation(RU_CARDINALS)
RU_COLLECTIVE_RE = _alternation(RU_COLLECTIVE)
EN_ORDINAL_RE = _alternation(EN_ORDINALS)
RU_ORDINAL_RE = "(?:" + _alternation(RU_ORDINAL_STEMS) + r")(?:ье|ьего|ий|ого|ое|ый|ая|ую|ом)"
# A number a guest writes: digits or one number word, in either language.
NUMBER_RE = rf"(?:\d{{1,3}}|{EN_CARDINAL_RE}|{RU_CARDINAL_RE})"


def cardinal(token: str) -> int | None:
    """``"7"``, ``"seven"``, ``"семь"``, ``"twenty-one"`` or ``"двадцать пять"`` as an int."""
    word = token.strip().lower().replace("ё", "е")
    if word.isdigit():
        return int(word)
    if word in EN_CARDINALS:
        return EN_CARDINALS[word]
    if word in RU_CARDINALS:
        return RU_CARDINALS[word]
    parts = re.split(r"[\s-]+", word)
    if len(parts) == 2:
        tens, unit = cardinal(parts[0]), cardinal(parts[1])
        if tens and unit and tens >= 20 and tens % 10 == 0 and unit < 10:
            return tens + unit
    return None


def ordinal(token: str) -> int | None:
    """``"25th"``, ``"25-го"``, ``"fifth"``, ``"twenty-fifth"``, ``"восьмого"`` as an int."""
    word = token.strip().lower().replace("ё", "е")
    digits = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th|-?(?:го|е|ое|ого))?", word)
    if digits:
        return int(digits.group(1))
    if word in EN_ORDINALS:
        return EN_ORDINALS[word]
    match = _RU_ORDINAL_RE.fullmatch(word)
    if match:
        return RU_ORDINAL_STEMS[match.group(1)]
    parts = re.split(r"[\s-]+", word)
    if len(parts) == 2:
        tens, unit = cardinal(parts[0]), ordinal(parts[1])
        if tens and unit and tens in (20, 30) and unit < 10:
            return tens + unit
    return None


def people_count(token: str) -> int | None:
    """A head count: a cardinal or a Russian collective numeral (``"пятерых"`` → 5)."""
    word = token.strip().lower().replace("ё", "е")
    if word in RU_COLLECTIVE:
        return RU_COLLECTIVE[word]
    return cardinal(word)
