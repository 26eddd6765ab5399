"""Who holds which table when: overlap at the edges, ignoring a moved booking, idle gaps."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.occupancy import Hold, Occupancy

UTC = dt.UTC


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 6, 3, hour, minute, tzinfo=UTC)


def hold(table: int, start: dt.datetime, until: dt.datetime, rid: int) -> Hold:
    return Hold(table, rid, start, until, party_size=2)


# T1 held 18:00–19:45 (seated until 19:30 plus a 15-minute buffer) and 21:00–22:45.
DAY = Occupancy([hold(1, at(21), at(22, 45), 2), hold(1, at(18), at(19, 45), 1)])


@pytest.mark.parametrize(
    ("start", "until", "free"),
    [
        (at(16), at(18), True),  # ends exactly when the hold starts
        (at(16), at(18, 1), False),
        (at(19, 45), at(21), True),  # the gap between the two holds exactly
        (at(19, 44), at(20), False),  # inside the buffer
        (at(18, 30), at(19), False),  # inside a hold
        (at(17), at(23), False),  # around a hold
        (at(22, 45), at(23, 59), True),
    ],
)
def test_is_free_at_the_edges(start: dt.datetime, until: dt.datetime, free: bool) -> None:
    assert DAY.is_free(1, start, until) is free
    assert (DAY.blocker(1, start, until) is None) is free


def test_other_tables_and_empty_days_are_free() -> None:
    assert DAY.is_free(2, at(18), at(20))
    assert Occupancy([]).is_free(1, at(0), at(23))
    assert DAY.holds(2) == []


def test_holds_are_sorted_by_start() -> None:
    assert [h.reservation_id for h in DAY.holds(1)] == [1, 2]


def test_blocker_names_the_reservation_in_the_way() -> None:
    blocker = DAY.blocker(1, at(21, 30), at(22))
    assert blocker is not None and blocker.reservation_id == 2


def test_a_moved_booking_ignores_its_own_hold() -> None:
    assert not DAY.is_free(1, at(18, 30), at(19, 30))
    assert DAY.is_free(1, at(18, 30), at(19, 30), ignore=1)
    assert DAY.blocker(1, at(18, 30), at(19, 30), ignore=1) is None
    # …but not anybody else's.
    assert not DAY.is_free(1, at(18, 30), at(21, 30), ignore=1)


def test_a_long_overstay_blocks_later_starts() -> None:
    # A party seated at 12:00 still there at 20:00 blocks a 19:00 start although a later
    # reservation starts before it on the list.
    occupancy = Occupancy([hold(1, at(12), at(20, 15), 1), hold(1, at(13), at(13, 30), 2)])
    assert not occupancy.is_free(1, at(19), at(20))
    assert occupancy.is_free(1, at(20, 15), at(21))


def test_gaps_around() -> None:
    assert DAY.gaps_around(1, at(20), at(20, 30)) == (
        dt.timedelta(minutes=15), dt.timedelta(minutes=30),
    )  # fmt: skip
    # Nothing before or after: open-ended.
    assert DAY.gaps_around(1, at(16), at(17)) == (None, dt.timedelta(hours=1))
    assert DAY.gaps_around(1, at(23), at(23, 30)) == (dt.timedelta(minutes=15), None)
    assert DAY.gaps_around(2, at(20), at(21)) == (None, None)
    # Ignoring the booking being moved.
    assert DAY.gaps_around(1, at(20), at(20, 30), ignore=1) == (None, dt.timedelta(minutes=30))
