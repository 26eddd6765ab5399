"""The reservation status flow: every (from, to) pair, reasons, aliases and table holds."""

from __future__ import annotations

from itertools import product

import pytest

from app.db.enums import BLOCKING_STATUSES, ReservationStatus
from app.domain.status_flow import (
    ALIASES,
    FINAL,
    REASON_REQUIRED,
    TRANSITIONS,
    check_transition,
    holds_table,
    parse_status,
)
from app.errors import InvalidInput

S = ReservationStatus

# The seed's flow, written out independently of the module: a change to TRANSITIONS must
# show up here as a failing pair.
EXPECTED: dict[ReservationStatus, set[ReservationStatus]] = {
    S.INQUIRY: {S.PENDING, S.CONFIRMED, S.CANCELLED},
    S.PENDING: {S.CONFIRMED, S.SEATED, S.CANCELLED, S.NO_SHOW, S.RESCHEDULED},
    S.CONFIRMED: {S.REMINDED, S.SEATED, S.CANCELLED, S.NO_SHOW, S.RESCHEDULED},
    S.REMINDED: {S.CONFIRMED, S.SEATED, S.CANCELLED, S.NO_SHOW, S.RESCHEDULED},
    S.SEATED: {S.DINING, S.COMPLETED},
    S.DINING: {S.COMPLETED},
    S.NO_SHOW: {S.SEATED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
    S.RESCHEDULED: set(),
}
ALL_PAIRS = list(product(ReservationStatus, ReservationStatus))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in EXPECTED[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in EXPECTED[a]]


def _id(pair: tuple[ReservationStatus, ReservationStatus]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


def test_every_status_has_a_row_and_the_table_matches_the_seed() -> None:
    assert set(TRANSITIONS) == set(ReservationStatus)
    assert {s: set(nxt) for s, nxt in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize("pair", ALLOWED, ids=[_id(p) for p in ALLOWED])
def test_allowed_transition_is_accepted(pair: tuple[ReservationStatus, ReservationStatus]) -> None:
    current, target = pair
    check_transition(current, target)  # no error


@pytest.mark.parametrize("pair", REFUSED, ids=[_id(p) for p in REFUSED])
def test_other_transition_is_refused_clearly(
    pair: tuple[ReservationStatus, ReservationStatus],
) -> None:
    current, target = pair
    with pytest.raises(InvalidInput) as caught:
        check_transition(current, target)
    message = str(caught.value)
    assert current.value in message
    if current == target:
        assert "already" in message
    elif EXPECTED[current]:
        # The refusal names the target and lists what is possible instead.
        assert target.value in message
        for choice in EXPECTED[current]:
            assert choice.value in message
    else:
        assert "cannot change" in message


def test_refused_transition_is_an_exit_code_2_error() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_transition(S.COMPLETED, S.SEATED)
    assert caught.value.exit_code == 2


def test_the_happy_path_runs_from_inquiry_to_completed() -> None:
    path = [S.INQUIRY, S.PENDING, S.CONFIRMED, S.REMINDED, S.SEATED, S.DINING, S.COMPLETED]
    for current, target in zip(path, path[1:], strict=False):
        check_transition(current, target)


def test_final_statuses_are_completed_cancelled_rescheduled() -> None:
    assert {S.COMPLETED, S.CANCELLED, S.RESCHEDULED} == FINAL
    # A late walk-in after a no-show is still seated: no_show is not final.
    assert S.NO_SHOW not in FINAL


def test_reasons_are_required_for_cancel_and_no_show_only() -> None:
    assert {S.CANCELLED, S.NO_SHOW} == REASON_REQUIRED


@pytest.mark.parametrize("status", list(ReservationStatus), ids=lambda s: s.value)
def test_blocking_statuses_are_exactly_the_waiting_and_sitting_ones(
    status: ReservationStatus,
) -> None:
    blocking = {S.PENDING, S.CONFIRMED, S.REMINDED, S.SEATED, S.DINING}
    assert holds_table(status) == (status in blocking)
    assert blocking == BLOCKING_STATUSES


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("cancel", S.CANCELLED),
        ("canceled", S.CANCELLED),
        ("cancelled", S.CANCELLED),
        ("Cancel", S.CANCELLED),
        ("seat", S.SEATED),
        ("seated", S.SEATED),
        ("no-show", S.NO_SHOW),
        ("no show", S.NO_SHOW),
        ("noshow", S.NO_SHOW),
        ("NO_SHOW", S.NO_SHOW),
        ("done", S.COMPLETED),
        ("complete", S.COMPLETED),
        ("confirm", S.CONFIRMED),
        ("remind", S.REMINDED),
        ("dine", S.DINING),
        ("reschedule", S.RESCHEDULED),
        ("created", S.PENDING),
        ("  pending ", S.PENDING),
        ("inquiry", S.INQUIRY),
    ],
)
def test_aliases_and_spellings_map_to_the_status(typed: str, status: ReservationStatus) -> None:
    assert parse_status(typed) == status


def test_every_alias_points_at_a_real_status() -> None:
    for alias, target in ALIASES.items():
        assert parse_status(alias) == ReservationStatus(target)


@pytest.mark.parametrize("status", list(ReservationStatus), ids=lambda s: s.value)
def test_every_status_value_parses_as_itself(status: ReservationStatus) -> None:
    assert parse_status(status.value) == status


@pytest.mark.parametrize("typed", ["", "   ", "arrived", "cancelledd", "seated!"])
def test_unknown_status_is_refused_with_the_choices(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_status(typed)
    message = str(caught.value)
    assert "Unknown status" in message
    for status in ReservationStatus:
        assert status.value in message
