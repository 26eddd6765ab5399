"""The guest's language, told by script: Cyrillic letters mean Russian, otherwise English."""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "ru"]


def detect_language(text: str) -> Language:
    """``"ru"`` when Cyrillic letters outnumber Latin ones; ``"en"`` otherwise (and when empty).

    Counting letters rather than looking at the first one copes with mixed messages such as
    "Столик на 4, my name is Anna" (the majority script wins) and with Latin brand names.
    """
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return "ru" if cyrillic > latin else "en"
