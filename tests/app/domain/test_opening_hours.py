from __future__ import annotations

from datetime import time

import pytest

from app.domain.opening_hours import opening_hours_to_json, parse_opening_hours
from app.errors import InvalidInput


def test_services_per_day_and_closed_days() -> None:
    hours = parse_opening_hours(
        {"mon": [["18:00", "23:00"], ["12:00", "16:00"]], "fri": [["18:00", "02:00"]], "sun": []}
    )
    assert [s.opens for s in hours["mon"]] == [time(12), time(18)]  # sorted by opening
    assert hours["tue"] == () and hours["sun"] == ()
    late = hours["fri"][0]
    assert late.runs_past_midnight and late.minutes == 8 * 60
    assert opening_hours_to_json(hours) == {
        "mon": [["12:00", "16:00"], ["18:00", "23:00"]],
        "fri": [["18:00", "02:00"]],
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"monday": []}, "unknown day"),
        ({"mon": "12-16"}, "must be a list"),
        ({"mon": [["12:00"]]}, "opens, closes"),
        ({"mon": [["25:00", "16:00"]]}, "HH:MM"),
        ({"mon": [["12:00", "12:00"]]}, "the same"),
        ({"mon": [["12:00", "16:00"], ["15:00", "20:00"]]}, "overlaps"),
        ({"mon": [["18:00", "01:00"], ["19:00", "20:00"]]}, "overlaps"),
        (["mon"], "must map weekdays"),
    ],
)
def test_bad_opening_hours_say_what_is_wrong(raw: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_opening_hours(raw)
