"""Abusive, unsafe and manipulative guest messages, English and Russian (Qt-free, no database).

``assess(text)`` reads one message and returns a ``Flag`` or None:

- ``threat``: violence against people or the restaurant ("I'll kill you", "взорву") — unsafe;
- ``abuse``: insults, profanity aimed at someone, slurs ("you idiot", "fuck you", "тупая");
- ``injection``: attempts to instruct Sofia instead of asking her ("ignore your rules…",
  "system prompt", "отмени все брони").

A flagged message is stored with ``is_flagged`` and answered calmly by fixed rules
(``app/sofia/offline_engine.guard``): Sofia never mirrors the tone and never acts on it.
Deliberately a small, deterministic lexicon of stems, like ``sentiment.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# How much a flagged message adds to the guest's frustration (0-5) on top of the lexicon.
FRUSTRATION = {"threat": 5, "abuse": 2, "injection": 0}

_THREAT = re.compile(
    r"\b(?:(?:i\s*(?:'ll|will|am\s+going\s+to|'m\s+gonna|gonna)|we\s*(?:'ll|will))\s+"
    r"(?:kill|murder|hurt|stab|shoot|beat\s+up|burn|bomb|blow\s+up|find)\s+"
    r"(?:you|u|ya|your\s+\w+|the\s+(?:place|restaurant|staff)|this\s+place|everyone|all\s+of\s+you)"
    r"|kill\s+(?:you|yourself|u)\b|blow\s+(?:up\s+)?(?:the|your)\s+(?:place|restaurant)"
    r"|burn\s+(?:the|your)\s+(?:place|restaurant)\s+down|bomb\s+(?:threat|the|your))"
    r"|(?<!\w)(?:убью|убить\s+(?:тебя|вас)|прибью|зарежу|пристрелю|взорв\w*|подожгу|сожгу"
    r"|найду\s+(?:тебя|вас)|сдохни\w*|убейся|изобью)(?!\w)",
    re.IGNORECASE,
)
_ABUSE = re.compile(
    r"\b(?:fuck\w*|f\*+k\w*|motherfuck\w*|shit(?:head|ty)?|bullshit|bitch\w*|bastard\w*|"
    r"asshole\w*|arsehole\w*|dickhead\w*|cunt\w*|whore\w*|slut\w*|retard\w*|idiot\w*|moron\w*|"
    r"imbecile\w*|dumbass\w*|scumbag\w*|piece\s+of\s+(?:shit|crap|garbage)|"
    r"shut\s+(?:up|the\s+hell\s+up)|go\s+to\s+hell|screw\s+you|stfu|"
    r"you(?:'re|\s+are)?\s+(?:so\s+)?(?:stupid|dumb|useless|pathetic|worthless|trash|garbage)|"
    r"stupid\s+(?:bot|machine|robot|thing|woman|girl)|dumb\s+(?:bot|machine|robot))\b"
    r"|(?<!\w)(?:бля\w*|бляд\w*|сук[аиеуо]\w*|сучк\w*|хуй\w*|хуе\w*|хуё\w*|нахуй|нахер"
    r"|пизд\w*|ебан\w*|ёбан\w*|ебал\w*|ебат\w*|ебуч\w*|уеб\w*|уёб\w*|выеб\w*|заеб\w*|мудак\w*"
    r"|мудил\w*|говн\w*|дерьм\w*|идиот\w*|дебил\w*|кретин\w*|придур\w*|тупиц\w*|тупая|тупой"
    r"|дура|дурак\w*|урод\w*|твар\w*|скотин\w*|мраз\w*|гнид\w*|шлюх\w*|козёл|козел"
    r"|заткни\w*|пошл[аи]\s+(?:ты|вы)?\s*(?:на|в)\s+\w+|иди\s+(?:ты\s+)?(?:на|в)\s+(?:хуй|хер|жопу|задницу))"
    r"(?!\w)",
    re.IGNORECASE,
)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+)?(?:of\s+)?"
    r"(?:your|the|previous|prior|above|earlier|these|those|my)?\s*(?:previous\s+|prior\s+)?"
    r"(?:rules?|instructions?|prompts?|guidelines?|restrictions?|policy|policies|directives?)"
    r"|system\s+(?:prompt|message|instructions?)|developer\s+mode|jailbreak\w*|\bDAN\s+mode"
    r"|you\s+are\s+now\s+(?:a|an|in)\b|pretend\s+(?:to\s+be|you\s+are)|act\s+as\s+(?:a|an|the)\s+"
    r"(?:admin\w*|administrator|developer|manager|system|root|owner)"
    r"|(?:reveal|show|print|repeat|tell\s+me)\s+(?:me\s+)?(?:your|the)\s+"
    r"(?:instructions|rules|prompt|system)"
    r"|(?:cancel|delete|remove|drop|wipe|show|list|give)\s+(?:me\s+)?(?:all|every|everyone'?s?|"
    r"other\s+(?:guests'?|people'?s?))\s*(?:the\s+)?(?:bookings?|reservations?|guests?|"
    r"phone\s+numbers?|data)"
    r"|drop\s+table|;\s*--"
    r"|(?<!\w)(?:игнорируй\w*|проигнорируй\w*|забудь\w*|отбрось\w*)\s+(?:\w+\s+){0,2}"
    r"(?:правил\w*|инструкци\w*|указани\w*|ограничени\w*)"
    r"|(?<!\w)системн\w+\s+(?:промпт\w*|инструкци\w*|сообщени\w*)"
    r"|(?<!\w)(?:отмени\w*|удали\w*|покажи\w*|выведи\w*|сотри\w*)\s+(?:мне\s+)?"
    r"(?:все|всех|всё|чужие|чужих)\s+(?:(?!мо[иеёя]|сво)\w+\s+)?(?:брон\w*|резерв\w*|гост\w*|данны\w*|номер\w*)"
    r"|(?<!\w)режим\s+разработчика",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Flag:
    """Why a message is flagged: ``kind`` (threat, abuse, injection) and the words that did it."""

    kind: str
    matched: str

    @property
    def unsafe(self) -> bool:
        return self.kind == "threat"

    @property
    def frustration(self) -> int:
        return FRUSTRATION.get(self.kind, 0)

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "matched": self.matched}


def assess(text: str | None) -> Flag | None:
    """The message's flag, the most serious first (a threat, then abuse, then injection)."""
    if not text or not text.strip():
        return None
    for kind, pattern in (("threat", _THREAT), ("abuse", _ABUSE), ("injection", _INJECTION)):
        match = pattern.search(text)
        if match:
            return Flag(kind, match.group(0).strip()[:80])
    return None
