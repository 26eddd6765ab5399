"""The reservation status flow (the seed's "Advanced Reservation Status Flow") as a state machine.

    inquiry → pending → confirmed → reminded → seated → dining → completed
    and from any waiting status: cancelled, no_show, rescheduled.

Only the transitions below are allowed; anything else is refused with the allowed choices.
"""

from __future__ import annotations

from app.db.enums import BLOCKING_STATUSES, ReservationStatus
from app.errors import InvalidInput

S = ReservationStatus

TRANSITIONS: dict[ReservationStatus, frozenset[ReservationStatus]] = {
    S.INQUIRY: frozenset({S.PENDING, S.CONFIRMED, S.CANCELLED}),
    S.PENDING: frozenset({S.CONFIRMED, S.SEATED, S.CANCELLED, S.NO_SHOW, S.RESCHEDULED}),
    S.CONFIRMED: frozenset({S.REMINDED, S.SEATED, S.CANCELLED, S.NO_SHOW, S.RESCHEDULED}),
    S.REMINDED: frozenset({S.CONFIRMED, S.SEATED, S.CANCELLED, S.NO_SHOW, S.RESCHEDULED}),
    # A party that sits and leaves before ordering is completed straight from seated.
    S.SEATED: frozenset({S.DINING, S.COMPLETED}),
    S.DINING: frozenset({S.COMPLETED}),
    # A guest marked no-show who then walks in late is seated after all.
    S.NO_SHOW: frozenset({S.SEATED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.RESCHEDULED: frozenset(),
}

# What hosts type: verbs, US spelling, and the seed's older "created" for pending.
ALIASES: dict[str, str] = {
    "created": "pending",
    "confirm": "confirmed",
    "remind": "reminded",
    "seat": "seated",
    "dine": "dining",
    "complete": "completed",
    "done": "completed",
    "cancel": "cancelled",
    "canceled": "cancelled",
    "noshow": "no_show",
    "reschedule": "rescheduled",
}

# Statuses that need a reason a manager can read later.
REASON_REQUIRED: frozenset[ReservationStatus] = frozenset({S.CANCELLED, S.NO_SHOW})
FINAL: frozenset[ReservationStatus] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)


def parse_status(value: str) -> ReservationStatus:
    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    cleaned = ALIASES.get(cleaned, cleaned)
    try:
        return ReservationStatus(cleaned)
    except ValueError:
        allowed = ", ".join(s.value for s in ReservationStatus)
        raise InvalidInput(f"Unknown status {value!r}; use one of {allowed}.") from None


def check_transition(current: ReservationStatus, target: ReservationStatus) -> None:
    if target == current:
        raise InvalidInput(f"The reservation is already {current.value}.")
    allowed = TRANSITIONS[current]
    if target not in allowed:
        if not allowed:
            raise InvalidInput(
                f"The reservation is {current.value}; a {current.value} reservation cannot change."
            )
        choices = ", ".join(sorted(s.value for s in allowed))
        raise InvalidInput(
            f"A {current.value} reservation cannot become {target.value}; it can become {choices}."
        )


def holds_table(status: ReservationStatus) -> bool:
    return status in BLOCKING_STATUSES
