"""Top guests and regulars at risk, over hand-built guest histories (``pattern_dataset``).

Churn is judged as of 20 November 2026 over all history; top guests are those of 1–20 November.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from app.analytics.guest_value import churn_risk, top_guests
from app.analytics.results import GuestValue
from app.analytics.scope import Scope
from app.services.database import Database
from tests.app.analytics.pattern_dataset import Guests, build, guests, scope_for


@pytest.fixture
def data(db: Database) -> Guests:
    return guests(db)


def _scope(
    session: Session, data: Guests, end: str = "2026-11-20", today: str = "2026-12-10"
) -> Scope:
    # as_of = min(period end, today)
    return scope_for(session, data.restaurant_id, "2026-11-01", end, today=today)


def _expected_churn(data: Guests) -> tuple[GuestValue, ...]:
    g = data.ids
    day = dt.date
    # Not listed: Boris (away exactly 2 × 10 = 20), Dmitri (away 13 < 14), Fedor (2 visits),
    # Galina (blacklisted), Hans (two reservations on 1 Sep are one visit: 2 visits),
    # Irina (a no-show and a cancellation are not visits: 2 visits), Kirill, Lena, Mark
    # (fewer than 3 visit days), the other restaurant's Anna.
    return (
        # Anna: 1, 11, 22 Sep → 21 days over 2 gaps = 10.5; away 20 Nov − 22 Sep = 59 > 21 and
        # ≥ 14. Spent 50 + 60 + 70 = 180.00, covers 2 + 2 + 2.
        GuestValue(g["Anna"], "Anna", _phone(data, "Anna"), 3, Decimal("180.00"), day(2026, 9, 22),
                   10.5, 59, 6),
        # Jonas: 1, 11, 21 Sep → 10; away 60 > 20. Spent 30 + 25 + 25 = 80.00 (his 500.00 visit
        # on 25 Nov is after 20 Nov). Ties with Clara on spend: longer away first.
        GuestValue(g["Jonas"], "Jonas", _phone(data, "Jonas"), 3, Decimal("80.00"),
                   day(2026, 9, 21), 10.0, 60, 6),
        # Clara: 10, 20, 30 Oct → 10; away 21 > 20. Spent 40 + 40 + 0 (still dining, no bill);
        # covers 3 × 3.
        GuestValue(g["Clara"], "Clara", _phone(data, "Clara"), 3, Decimal("80.00"),
                   day(2026, 10, 30), 10.0, 21, 9),
        # Eva: 31 Oct, 2, 6 Nov → 6 / 2 = 3; away exactly 14 (≥ 14, > 6). Spent 3 × 25.50;
        # covers 1 + 1 + 4.
        GuestValue(g["Eva"], "Eva", _phone(data, "Eva"), 3, Decimal("76.50"), day(2026, 11, 6),
                   3.0, 14, 6),
    )  # fmt: skip


def _phone(data: Guests, name: str) -> str:
    # Phones are numbered in the order the guests were created (see Builder.guest).
    return f"+4930{list(data.ids).index(name) + 1:07d}"


def test_churn_risk_lists_regulars_away_for_over_twice_their_interval(
    db: Database, data: Guests
) -> None:
    with db.read_session() as session:
        scope = _scope(session, data)
        assert scope.as_of == dt.date(2026, 11, 20)  # the period's end, before today
        at_risk = churn_risk(session, scope)
    assert at_risk == _expected_churn(data)
    assert at_risk[0].average_spend == Decimal("60.00")  # 180.00 / 3


def test_churn_is_judged_as_of_today_when_the_period_runs_on(db: Database, data: Guests) -> None:
    with db.read_session() as session:
        # The period runs to the 30th but today is the 20th: the same day to judge from.
        scope = _scope(session, data, end="2026-11-30", today="2026-11-20")
        assert scope.as_of == dt.date(2026, 11, 20)
        at_risk = churn_risk(session, scope)
        top_two = churn_risk(session, scope, limit=2)
    assert at_risk == _expected_churn(data)
    assert top_two == _expected_churn(data)[:2]


def test_churn_one_day_later_moves_the_boundaries(db: Database, data: Guests) -> None:
    with db.read_session() as session:
        at_risk = churn_risk(session, _scope(session, data, end="2026-11-21"))
    # As of 21 Nov: Boris is away 21 > 20 and Dmitri 14 (≥ 14, > 6): both join the list.
    # Boris spent 3 × 10.00, Dmitri 20 + 30 + 50 = 100.00; everyone else is a day further away.
    names = [(g.name, g.total_spent, g.days_since_last_visit) for g in at_risk]
    assert names == [
        ("Anna", Decimal("180.00"), 60),
        ("Dmitri", Decimal("100.00"), 14),
        ("Jonas", Decimal("80.00"), 61),
        ("Clara", Decimal("80.00"), 22),
        ("Eva", Decimal("76.50"), 15),
        ("Boris", Decimal("30.00"), 21),
    ]


def test_top_guests_of_the_period(db: Database, data: Guests) -> None:
    with db.read_session() as session:
        scope = _scope(session, data)
        top = top_guests(session, scope)
        top_three = top_guests(session, scope, limit=3)
    g = data.ids
    day = dt.date
    expected = (
        # Dmitri: 1, 3, 7 Nov → 3 visits, 20 + 30 + 50 = 100.00, covers 2 × 3
        GuestValue(g["Dmitri"], "Dmitri", _phone(data, "Dmitri"), 3, Decimal("100.00"),
                   day(2026, 11, 7), covers=6),
        # Kirill: lunch and dinner on the 10th (one visit) and the 12th → 2 visits,
        # 50 + 50 + 0 = 100.00 (same spend as Dmitri, fewer visits), covers 2 × 3
        GuestValue(g["Kirill"], "Kirill", _phone(data, "Kirill"), 2, Decimal("100.00"),
                   day(2026, 11, 12), covers=6),
        # Eva: 2 and 6 Nov in the period (31 Oct is not) → 25.50 × 2, covers 1 + 4
        GuestValue(g["Eva"], "Eva", _phone(data, "Eva"), 2, Decimal("51.00"), day(2026, 11, 6),
                   covers=5),
        # Lena and Mark: one visit, 40.00 each → by name. Mark's confirmed 18 Nov booking
        # (70.00) has not arrived.
        GuestValue(g["Lena"], "Lena", _phone(data, "Lena"), 1, Decimal("40.00"),
                   day(2026, 11, 14), covers=5),
        GuestValue(g["Mark"], "Mark", _phone(data, "Mark"), 1, Decimal("40.00"),
                   day(2026, 11, 15), covers=2),
    )  # fmt: skip
    # Not listed: Irina (cancelled on 1 Nov), Jonas (25 Nov is after the period), the other
    # restaurant's Anna (1000.00 on 5 Nov).
    assert top == expected
    assert top_three == expected[:3]
    assert top[1].average_spend == Decimal("50.00")  # 100.00 / 2 visits


def test_no_history_gives_empty_lists(db: Database) -> None:
    restaurant_id = build(db, lambda b: b.restaurant_id)
    with db.read_session() as session:
        scope = scope_for(session, restaurant_id, "2026-11-01", "2026-11-20", today="2026-12-01")
        assert churn_risk(session, scope) == ()
        assert top_guests(session, scope) == ()
