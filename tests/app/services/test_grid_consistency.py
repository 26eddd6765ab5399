"""The fast day grid picks exactly the table a single-slot evaluation picks, on a busy demo day."""

from __future__ import annotations

import datetime as dt

import pytest

from app.demo import create_demo
from app.domain.availability import evaluate, grid
from app.domain.requests import read_wishes
from app.services.database import Database
from app.services.day_loader import load_restaurant, load_snapshot

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_grid_matches_evaluate_for_every_slot_and_party(db: Database) -> None:
    restaurant_id = create_demo(db, today=dt.date(2026, 11, 24), now=NOW)
    with db.unit_of_work() as uow:
        _, rules = load_restaurant(uow.session, restaurant_id)
        for day in (dt.date(2026, 11, 27), dt.date(2026, 11, 28)):  # a busy Friday and Saturday
            snapshot = load_snapshot(uow.session, restaurant_id, rules, day, NOW)
            for party in (1, 2, 3, 4, 6, 9, 14):
                wishes = read_wishes("window please" if party == 2 else None, None)
                fast = grid(snapshot, party, wishes=wishes)
                for verdict in fast:
                    slow = evaluate(snapshot, verdict.slot, party, wishes=wishes, explain=False)
                    assert (verdict.available, verdict.reason, verdict.tables) == (
                        slow.available, slow.reason, slow.tables,
                    ), (day, party, verdict.slot.label)  # fmt: skip
