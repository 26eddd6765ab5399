"""Lexicon-based sentiment (-1..1) and frustration (0-5) of guest messages, English and Russian.

Deliberately simple and deterministic: word stems that signal a mood, shouting (capitals,
repeated "!"/"?"), and a frustration level that builds up over turns and cools down.
"""

from __future__ import annotations

import re

_POSITIVE = re.compile(
    r"\b(?:thanks?|thank\s+you|great|perfect|awesome|wonderful|excellent|lovely|nice|good|"
    r"amazing|cool|appreciate\w*)\b"
    r"|(?<!\w)(?:спасибо|благодар\w*|отлично|прекрасно|замечательно|супер|здорово|класс\w*"
    r"|хорошо|чудесно)(?!\w)",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:bad|terrible|awful|horrible|useless|stupid|ridiculous|annoy\w*|angry|worst|hate|"
    r"disappoint\w*|unacceptable|frustrat\w*|wtf|damn)\b"
    r"|(?<!\w)(?:плохо|ужас\w*|кошмар\w*|отвратительн\w*|бесполезн\w*|тупо\w*|глуп\w*|беси\w*"
    r"|злит|разочарован\w*|безобрази\w*|достал\w*|надоел\w*)(?!\w)",
    re.IGNORECASE,
)
_FRUSTRATED = re.compile(
    r"\b(?:already\s+(?:told|said)|again\?|not\s+what\s+i|you\s+don'?t\s+understand|"
    r"are\s+you\s+(?:a\s+)?(?:bot|stupid|kidding)|for\s+the\s+last\s+time|how\s+many\s+times)"
    r"|(?<!\w)(?:я\s+же\s+(?:сказал|написал)\w*|уже\s+(?:сказал|писал|говорил)\w*"
    r"|не\s+понимаешь|сколько\s+можно|опять|в\s+который\s+раз)(?!\w)",
    re.IGNORECASE,
)
_HUMAN = re.compile(
    r"\b(?:human|real\s+person|a\s+person|manager|operator|administrator|staff\s+member|"
    r"talk\s+to\s+(?:someone|somebody)|call\s+me\s+back)\b"
    r"|(?<!\w)(?:жив\w+\s+человек\w*|человек\w*|оператор\w*|менеджер\w*|администратор\w*"
    r"|позовите|соедините)(?!\w)",
    re.IGNORECASE,
)


def sentiment_score(text: str) -> float:
    """-1 (angry) … 0 (neutral) … 1 (happy)."""
    positive = len(_POSITIVE.findall(text))
    negative = len(_NEGATIVE.findall(text)) + len(_FRUSTRATED.findall(text))
    if _shouting(text):
        negative += 1
    total = positive + negative
    if total == 0:
        return 0.0
    return round(max(-1.0, min(1.0, (positive - negative) / max(total, 2))), 2)


def frustration_level(text: str, previous: int, *, no_progress: int = 0) -> int:
    """0-5: the guest's frustration after this message (cools by one on a calm message)."""
    hits = len(_NEGATIVE.findall(text)) + 2 * len(_FRUSTRATED.findall(text))
    if _shouting(text):
        hits += 1
    calm = max(0, previous - 1) + (1 if no_progress >= 2 else 0)
    level = calm if hits == 0 else previous + hits
    return max(0, min(5, level))


def asks_for_human(text: str) -> bool:
    return bool(_HUMAN.search(text))


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    caps = len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.7
    return caps or "!!" in text or "?!" in text


def label(score: float | None) -> str:
    """The reservation's ``guest_sentiment`` for a score."""
    if score is None or -0.2 <= score <= 0.2:
        return "neutral"
    return "positive" if score > 0 else "negative"
