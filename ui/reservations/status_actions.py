"""The one-click status actions of the day list, and which of them a status allows.

The allowed moves come from ``app.domain.status_flow.TRANSITIONS`` so the buttons can never
offer what the service would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.db.enums import ReservationStatus
from app.domain.status_flow import TRANSITIONS

S = ReservationStatus


@dataclass(frozen=True)
class StatusAction:
    key: str
    label: str
    target: ReservationStatus
    tooltip: str


ACTIONS: tuple[StatusAction, ...] = (
    StatusAction("confirm", "Confirm", S.CONFIRMED, "The guest confirmed the booking"),
    StatusAction("seat", "Seat", S.SEATED, "The party has arrived and sits down"),
    StatusAction("dine", "Start dining", S.DINING, "The party has ordered"),
    StatusAction("complete", "Complete…", S.COMPLETED, "The party has paid and left"),
    StatusAction("no_show", "No-show…", S.NO_SHOW, "The party did not come"),
    StatusAction("cancel", "Cancel…", S.CANCELLED, "The booking is cancelled"),
    StatusAction("reschedule", "Reschedule…", S.RESCHEDULED, "Move the booking to another time"),
)


def allowed_actions(status: ReservationStatus | None) -> frozenset[str]:
    """Keys of the actions a reservation in ``status`` may take (none without a selection)."""
    if status is None:
        return frozenset()
    targets = TRANSITIONS.get(status, frozenset())
    return frozenset(action.key for action in ACTIONS if action.target in targets)
