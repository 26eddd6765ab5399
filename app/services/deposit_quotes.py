"""What deposit the restaurant's rules ask for a booking, before it is made (for the dialog)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from app.db.models import Timeslot
from app.domain import fields
from app.domain.deposits import deposit_for
from app.services.booking import MAX_PARTY
from app.services.database import Database
from app.services.day_loader import load_restaurant


def deposit_quote(
    db: Database, restaurant_id: int, day: dt.date, clock: dt.time | None, party_size: int
) -> Decimal | None:
    """The rule's deposit for this date, time and party; None when no rule applies."""
    party = fields.integer(party_size, "party size", minimum=1, maximum=MAX_PARTY)
    with db.unit_of_work() as uow:
        session = uow.session
        _, rules = load_restaurant(session, restaurant_id)
        special_event = False
        if clock is not None:
            event = session.scalar(
                select(Timeslot.special_event).where(
                    Timeslot.restaurant_id == restaurant_id,
                    Timeslot.date == day,
                    Timeslot.time == clock,
                )
            )
            special_event = bool(event)
        return deposit_for(
            rules, party, special_event=special_event, special_date=rules.special_dates.get(day)
        )
