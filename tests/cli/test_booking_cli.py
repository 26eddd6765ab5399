"""The booking commands: the contract's JSON and exit codes, and no partial writes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.cli.main import main
from tests.app.services.test_concurrency import next_tuesday

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "restaurant.json"


@pytest.fixture
def cli(database_url: str, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--database-url", database_url, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = run("restaurant", "import", str(EXAMPLE))
    assert code == 0
    run.restaurant = out.strip()  # type: ignore[attr-defined]
    run.url = database_url  # type: ignore[attr-defined]
    return run


def _reservations(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM reservations")).scalar_one())
    finally:
        engine.dispose()


def test_availability_json_follows_the_contract(cli) -> None:  # type: ignore[no-untyped-def]
    day = next_tuesday().isoformat()
    code, out, _ = cli("availability", "--restaurant", cli.restaurant, "--date", day,
                       "--party", "4", "--json")  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["date"] == day and document["party_size"] == 4
    first = document["slots"][0]
    assert {"time", "available", "tables", "reason"} <= set(first)
    assert first["time"] == "12:00" and first["available"] is True and first["tables"]
    # last seating an hour before the 23:00 close (the default)
    assert document["slots"][-1]["time"] == "22:00"
    assert "16:30" not in {s["time"] for s in document["slots"]}  # between services


def test_book_json_then_status_changes(cli) -> None:  # type: ignore[no-untyped-def]
    day = next_tuesday().isoformat()
    code, out, err = cli(
        "book", "--restaurant", cli.restaurant, "--date", day, "--time", "19:00", "--party", "5",
        "--name", "Ivan Petrov", "--phone", "+7 916 000 11 22", "--requests", "Window please",
        "--occasion", "birthday", "--json",
    )  # fmt: skip
    assert code == 0, err
    booked = json.loads(out)
    assert {k: booked[k] for k in ("status", "tables", "date", "time", "party_size")} == {
        "status": "confirmed", "tables": ["4"], "date": day, "time": "19:00", "party_size": 5,
    }  # fmt: skip
    code_ = booked["confirmation_code"]
    code, out, err = cli("reservation", "status", code_.lower(), "seated")
    assert code == 0 and out.strip() == code_
    code, out, err = cli("reservation", "status", code_, "cancelled", "--reason", "x")
    assert code == 2 and "cannot become cancelled" in err


@pytest.mark.parametrize(
    ("argv", "exit_code", "message"),
    [
        (["--date", "27-11-2026"], 2, "YYYY-MM-DD"),
        (["--time", "7pm"], 2, "HH:MM"),
        (["--party", "two"], 2, "whole number"),
        (["--phone", "call me"], 2, "phone"),
        (["--party", "40"], 3, "No table"),
        (["--time", "16:30"], 3, "outside the seating hours"),
        (["--occasion", "funeral"], 2, "occasion"),
    ],
)
def test_bad_bookings_exit_2_or_3_and_write_nothing(  # type: ignore[no-untyped-def]
    cli, argv: list[str], exit_code: int, message: str
) -> None:
    base = {"--date": next_tuesday().isoformat(), "--time": "19:00", "--party": "2",
            "--name": "Olga", "--phone": "+79161112233"}  # fmt: skip
    base.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    flat = [part for pair in base.items() for part in pair]
    code, out, err = cli("book", "--restaurant", cli.restaurant, *flat)
    assert (code, out) == (exit_code, "")
    assert message.lower() in err.lower() and "Traceback" not in err
    assert _reservations(cli.url) == 0


def test_a_taken_table_exits_3_with_alternatives(cli) -> None:  # type: ignore[no-untyped-def]
    day = next_tuesday().isoformat()
    args = ["book", "--restaurant", cli.restaurant, "--date", day, "--time", "19:00", "--party",
            "2", "--name", "Olga", "--phone", "+79161112233", "--table", "1"]  # fmt: skip
    assert cli(*args)[0] == 0
    code, out, err = cli(*args[:-4], "--phone", "+79161112234", "--table", "1")
    assert code == 3 and "no longer available" in err and "Available instead" in err
    assert _reservations(cli.url) == 1


def test_unknown_reservation_and_restaurant_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("reservation", "status", "QQQQQQ", "confirmed")[0] == 2
    code, _, err = cli("availability", "--restaurant", "999", "--date", "2026-12-01",
                       "--party", "2")  # fmt: skip
    assert code == 2 and "no restaurant" in err


def test_user_add_still_reads_the_password_from_stdin(  # type: ignore[no-untyped-def]
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("a-long-password\n"))
    code, _, _ = cli("user", "add", "--email", "h@x.io", "--name", "Host", "--role", "staff")
    assert code == 0
