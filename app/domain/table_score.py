"""A table's learned ``ai_score``: how well it sells and how guests rate the visits it served.

    ai_score = 0.5 * utilisation + 0.5 * rating

utilisation: minutes the table was occupied by completed visits over the last 30 days, divided
by the restaurant's open minutes in those days (capped at 1).
rating: the visits' ratings mapped from 1…5 to 0…1, averaged with five phantom 0.5 ratings so a
table with two reviews is not judged on them alone (a Bayesian average).
A table with no history scores 0.5 on both halves, the neutral default of the seed.
"""

from __future__ import annotations

from collections.abc import Iterable

PRIOR_WEIGHT = 5
PRIOR = 0.5


def rating_score(ratings: Iterable[int]) -> float:
    values = [(r - 1) / 4 for r in ratings]
    return (sum(values) + PRIOR * PRIOR_WEIGHT) / (len(values) + PRIOR_WEIGHT)


def utilisation(occupied_minutes: float, open_minutes: float) -> float:
    if open_minutes <= 0:
        return PRIOR
    return min(1.0, occupied_minutes / open_minutes)


def ai_score(occupied_minutes: float, open_minutes: float, ratings: Iterable[int]) -> float:
    return round(0.5 * utilisation(occupied_minutes, open_minutes) + 0.5 * rating_score(ratings), 4)
