"""Deposits from the restaurant's rules: party size, special events, special dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from app.domain.booking_rules import BookingRules, rules_from
from app.domain.deposits import deposit_for

NEW_YEAR = dt.date(2024, 12, 31)


def rules(deposit_rules: dict[str, Any] | None, **settings: Any) -> BookingRules:
    if deposit_rules is not None:
        settings["deposit_rules"] = deposit_rules
    return rules_from(timezone="UTC", opening_hours={}, settings=settings)


def test_no_rules_no_deposit() -> None:
    r = rules(None, special_dates={"2024-12-31": {"deposit": True}})
    # Without an amount per guest nothing can be asked for, even on a deposit date.
    assert deposit_for(r, 20, special_event=True, special_date=r.special_dates[NEW_YEAR]) is None


def test_large_parties_pay_per_guest() -> None:
    r = rules({"party_size_at_least": 8, "amount_per_guest": "500"})
    assert deposit_for(r, 7) is None
    assert deposit_for(r, 8) == Decimal("4000.00")
    assert deposit_for(r, 12) == Decimal("6000.00")


def test_amounts_keep_cents() -> None:
    r = rules({"party_size_at_least": 1, "amount_per_guest": "12.5"})
    assert r.deposit.amount_per_guest == Decimal("12.50")
    assert deposit_for(r, 3) == Decimal("37.50")
    assert str(deposit_for(r, 3)) == "37.50"


def test_special_events_need_a_deposit_when_configured() -> None:
    r = rules({"special_events": True, "amount_per_guest": 1000})
    assert deposit_for(r, 2) is None
    assert deposit_for(r, 2, special_event=True) == Decimal("2000.00")
    off = rules({"special_events": False, "amount_per_guest": 1000})
    assert deposit_for(off, 2, special_event=True) is None


def test_special_dates_marked_for_deposit() -> None:
    r = rules({"amount_per_guest": 300}, special_dates={
        "2024-12-31": {"deposit": True}, "2024-12-30": {"note": "Pre-party"},
    })  # fmt: skip
    assert deposit_for(r, 2, special_date=r.special_dates[NEW_YEAR]) == Decimal("600.00")
    assert deposit_for(r, 2, special_date=r.special_dates[dt.date(2024, 12, 30)]) is None
    assert deposit_for(r, 2) is None


def test_zero_amount_never_asks() -> None:
    r = rules({"party_size_at_least": 1, "amount_per_guest": 0, "special_events": True})
    assert deposit_for(r, 10, special_event=True) is None
