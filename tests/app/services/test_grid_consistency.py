"""The fast day grid picks exactly the table a single-slot evaluation picks, on a busy demo day."""

from __future__ import annotations

import datetime as dt

import pytest

from app.demo import create_demo
from app.domain.availability import evaluate, grid
from app.domain.availability_matrix import day_matrix
from app.domain.requests import read_wishes
from app.services.availability import availability_matrix
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


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_heat_grid_agrees_with_the_slot_rules(db: Database) -> None:
    restaurant_id = create_demo(db, today=dt.date(2026, 11, 24), now=NOW)
    sizes = (1, 2, 4, 6, 8, 10, 14, 30)
    with db.unit_of_work() as uow:
        _, rules = load_restaurant(uow.session, restaurant_id)
        for day in (dt.date(2026, 11, 24), dt.date(2026, 11, 27), dt.date(2026, 11, 28)):
            snapshot = load_snapshot(uow.session, restaurant_id, rules, day, NOW)
            matrix = day_matrix(snapshot, sizes)
            for party in sizes:
                for slot, cell in zip(snapshot.slots, matrix[party], strict=True):
                    slow = evaluate(snapshot, slot, party, wishes=read_wishes(None, None),
                                    explain=False)  # fmt: skip
                    assert (cell.available, cell.reason) == (slow.available, slow.reason), (
                        day, party, slot.label,
                    )  # fmt: skip
    labels, cells = availability_matrix(db, restaurant_id, dt.date(2026, 11, 27), now=NOW)
    assert len(labels) == len(cells[1]) and set(cells) == set(range(1, 13))
