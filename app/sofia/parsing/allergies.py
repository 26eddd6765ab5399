"""Allergies a guest mentions ("I'm allergic to peanuts", "у меня аллергия на орехи").

Only a message that names an allergy or intolerance counts (a guest who "loves shrimp" has no
allergy). Known allergens are named in English whatever the language, so the kitchen reads one
word; anything else after the trigger is kept as the guest wrote it (up to three words).
"""

from __future__ import annotations

import re

_TRIGGER = re.compile(
    r"(?i)\b(allerg\w*|intoleran\w*|can'?t\s+eat|cannot\s+eat)\b|аллерги\w*|непереносим\w*"
)
# Stem → the allergen's name on the kitchen's ticket. Longer stems are tried first.
_ALLERGENS: dict[str, str] = {
    "peanut": "peanuts", "арахис": "peanuts", "nut": "nuts", "орех": "nuts", "орешк": "nuts",
    "gluten": "gluten", "глютен": "gluten", "wheat": "gluten", "пшениц": "gluten",
    "lactose": "lactose", "лактоз": "lactose", "dairy": "dairy", "milk": "milk",
    "молок": "milk", "молочн": "dairy", "shellfish": "shellfish", "shrimp": "shellfish",
    "prawn": "shellfish", "креветк": "shellfish", "моллюск": "shellfish", "мидии": "shellfish",
    "seafood": "seafood", "морепродукт": "seafood", "fish": "fish", "рыб": "fish",
    "egg": "eggs", "яйц": "eggs", "яйца": "eggs", "soy": "soy", "соя": "soy", "сои": "soy",
    "sesame": "sesame", "кунжут": "sesame", "honey": "honey", "мёд": "honey", "мед": "honey",
    "citrus": "citrus", "цитрус": "citrus", "mustard": "mustard", "горчиц": "mustard",
    "celery": "celery", "сельдере": "celery",
}  # fmt: skip
_STEMS = sorted(_ALLERGENS, key=len, reverse=True)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.UNICODE)
_STOP = {"to", "the", "and", "or", "a", "an", "на", "к", "и", "или", "у", "меня", "of", "some",
         "есть", "severe", "сильная", "strong"}  # fmt: skip
_END = re.compile(r"[.!?;\n]|\b(?:but|please|пожалуйста|но)\b", re.IGNORECASE)


def find_allergies(text: str) -> tuple[str, ...]:
    """The allergies ``text`` mentions, in the order named; empty when it mentions none."""
    found: list[str] = []
    for trigger in _TRIGGER.finditer(text or ""):
        before = text[max(0, trigger.start() - 40) : trigger.start()]
        after = text[trigger.end() :]
        end = _END.search(after)
        clause = after[: end.start()] if end else after
        # "nut allergy" names the allergen before the trigger.
        tail = re.split(r"[.!?;,\n]", before)[-1]
        named = _known(clause) or _known(tail)
        if not named:
            words = [w for w in _WORD.findall(clause) if w.lower() not in _STOP][:3]
            named = [" ".join(words).lower()] if words else []
        for item in named:
            if item and item not in found:
                found.append(item)
    return tuple(found)


def without_allergies(text: str) -> str:
    """``text`` without its allergy clauses ("Anna, allergic to nuts" → "Anna")."""
    parts = re.split(r"([,.;!?\n])", text or "")
    kept = [p for p in parts[::2] if p.strip() and not _TRIGGER.search(p)]
    return ", ".join(p.strip() for p in kept)


# How Sofia names an allergen back to a guest writing Russian.
RUSSIAN_NAMES = {
    "peanuts": "арахис", "nuts": "орехи", "gluten": "глютен", "lactose": "лактоза",
    "dairy": "молочные продукты", "milk": "молоко", "shellfish": "моллюски и ракообразные",
    "seafood": "морепродукты", "fish": "рыба", "eggs": "яйца", "soy": "соя",
    "sesame": "кунжут", "honey": "мёд", "citrus": "цитрусовые", "mustard": "горчица",
    "celery": "сельдерей",
}  # fmt: skip


def _known(clause: str) -> list[str]:
    names: list[str] = []
    for word in _WORD.findall(clause.lower()):
        stem = next((s for s in _STEMS if word.startswith(s)), None)
        if stem and _ALLERGENS[stem] not in names:
            names.append(_ALLERGENS[stem])
    return names
