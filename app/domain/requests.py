"""What a guest asks for, read from the occasion and the free-text special requests."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words (English and Russian stems) that name a table feature in a special request.
_FEATURE_WORDS: dict[str, tuple[str, ...]] = {
    "window": ("window", "окн", "окош"),
    "quiet": ("quiet", "тих", "спокой"),
    "booth": ("booth", "кабинк"),
    "outdoor": ("terrace", "outdoor", "outside", "террас", "веранд", "улиц"),
    "view": ("view", "вид ", "видом"),
    "sofa": ("sofa", "couch", "диван"),
    "fireplace": ("fireplace", "камин"),
    "private": ("private", "отдельн", "приват"),
    "bar": ("at the bar", "барн", "у бара"),
}
_ACCESSIBLE_WORDS = ("wheelchair", "accessib", "step-free", "инвалид", "коляск", "без ступен")
# A pram is a "коляска" too, and it needs room, not a step-free table.
_NOT_ACCESSIBILITY = re.compile(
    r"(детск\w*|прогулочн\w*)\s+коляск\w*|коляск\w*\s+для\s+(ребён|ребен|малыш)"
)

# An occasion named only in the free text ("день рождения"), when none was picked.
_OCCASION_WORDS: dict[str, tuple[str, ...]] = {
    "birthday": ("birthday", "рожден", "днюх"),
    "anniversary": ("anniversary", "годовщин", "юбиле"),
    "business": ("business", "делов", "переговор"),
    "date": ("romantic", "романт", "свидан"),
}

# Seed occasions matched to the tables' preferred_for vocabulary.
OCCASION_MATCHES: dict[str, frozenset[str]] = {
    "birthday": frozenset({"celebration", "family"}),
    "anniversary": frozenset({"romantic", "celebration", "date"}),
    "business": frozenset({"business"}),
    "casual": frozenset({"casual"}),
    "date": frozenset({"date", "romantic"}),
}


@dataclass(frozen=True)
class TableWishes:
    features: frozenset[str]
    occasion_fits: frozenset[str]
    needs_accessible: bool

    @property
    def empty(self) -> bool:
        return not self.features and not self.occasion_fits


def read_wishes(
    special_requests: str | None,
    occasion: str | None,
    features: tuple[str, ...] = (),
    needs_accessible: bool = False,
) -> TableWishes:
    text = f" {(special_requests or '').lower()} "
    wanted = {f for f in features if f != "accessible"}
    accessible = needs_accessible or "accessible" in features
    for feature, words in _FEATURE_WORDS.items():
        if any(word in text for word in words):
            wanted.add(feature)
    if any(word in _NOT_ACCESSIBILITY.sub("", text) for word in _ACCESSIBLE_WORDS):
        accessible = True
    if not occasion:
        occasion = next(
            (kind for kind, words in _OCCASION_WORDS.items() if any(w in text for w in words)),
            None,
        )
    return TableWishes(
        features=frozenset(wanted),
        occasion_fits=OCCASION_MATCHES.get(occasion or "", frozenset()),
        needs_accessible=accessible,
    )
