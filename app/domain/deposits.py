"""Whether a booking needs a deposit, and how much, from the restaurant's deposit rules."""

from __future__ import annotations

from decimal import Decimal

from app.domain.booking_rules import BookingRules, SpecialDate


def deposit_for(
    rules: BookingRules,
    party_size: int,
    *,
    special_event: bool = False,
    special_date: SpecialDate | None = None,
) -> Decimal | None:
    """The amount to ask for, or None when no rule applies."""
    deposit = rules.deposit
    applies = (
        (deposit.party_size_at_least is not None and party_size >= deposit.party_size_at_least)
        or (deposit.special_events and special_event)
        or (special_date is not None and special_date.deposit)
    )
    if not applies or deposit.amount_per_guest <= 0:
        return None
    return (deposit.amount_per_guest * party_size).quantize(Decimal("0.01"))
