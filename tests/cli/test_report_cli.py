"""``report``: text, ``--json``, ``--csv``, ``--reservations-csv`` and exit 2 on bad input.

The report only reads, so one demo restaurant per backend serves the whole module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.analytics.export import METRIC_COLUMNS, RESERVATION_COLUMNS
from app.analytics.results import KPI_KEYS
from app.cli.main import main
from app.db.engine import create_db_engine
from app.demo import create_demo
from app.services.database import Database

BACKENDS = ("sqlite", "postgresql")  # as tests/conftest.py
TODAY = dt.date(2026, 11, 24)
FROM, TO = "2026-11-10", "2026-11-24"
SECTIONS = {
    "version", "restaurant", "period", "previous_period", "generated_at", "kpis",
    "covers_heatmap", "bookings_by_source", "no_shows", "cancellations", "ai_costs", "daily",
    "ai_daily", "churn_risk", "top_guests",
}  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Module-scoped here (same name, so the PostgreSQL skip switch still applies)."""
    return str(request.param)


@pytest.fixture(scope="module")
def demo(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, int]]:
    """(database URL, demo restaurant id) with the demo clock at 19:30 on ``TODAY``."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path_factory.mktemp("report") / "demo.sqlite3"
        shutil.copyfile(template, path)
        url, drop = f"sqlite:///{path}", None
    else:
        server = request.getfixturevalue("pg_server")
        name = f"tobeout_report_{os.getpid()}"
        url = server.create_database(name, template=request.getfixturevalue("pg_template"))
        drop = lambda: server.drop_database(name)  # noqa: E731
    db = Database.from_engine(create_db_engine(url))
    try:
        restaurant_id = create_demo(db, today=TODAY)
    finally:
        db.close()
    yield url, restaurant_id
    if drop is not None:
        drop()


@pytest.fixture
def cli(demo: tuple[str, int], capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    url, restaurant_id = demo

    def run(*argv: str, restaurant: int | str | None = None) -> tuple[int, str, str]:
        rid = str(restaurant_id if restaurant is None else restaurant)
        code = main(["--database-url", url, "report", "--restaurant", rid, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    run.restaurant = restaurant_id  # type: ignore[attr-defined]
    return run


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """An empty folder for export files (tmp_path itself holds the test's home folders)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def test_text_report(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--from", FROM, "--to", TO)
    assert code == 0, err
    assert out.startswith("Tverskaya Brasserie")
    assert "10 Nov 2026 – 24 Nov 2026" in out and "26 Oct 2026 – 09 Nov 2026" in out
    for heading in ("KPI", "Booking conversion", "No-shows", "Bookings by source",
                    "No-shows by weekday", "Cancellations", "AI costs", "Top guests"):  # fmt: skip
        assert heading in out
    # The demo has no history before its window: previous figures are "no data".
    assert "no data" in out


def test_json_report_has_every_section(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--from", FROM, "--to", TO, "--json")
    assert code == 0, err
    document = json.loads(out)  # one document, nothing else on stdout
    assert set(document) == SECTIONS
    assert document["restaurant"]["id"] == cli.restaurant
    assert document["period"] == {"from": FROM, "to": TO, "days": 15}
    assert [k["key"] for k in document["kpis"]] == list(KPI_KEYS)
    conversion = document["kpis"][0]
    assert 0 < conversion["value"] <= 1 and conversion["previous_value"] is None
    assert len(document["daily"]) == 15 and len(document["ai_daily"]) == 15
    assert sum(d["bookings"] for d in document["daily"]) == conversion["denominator"]
    assert isinstance(document["ai_costs"]["total_cost"], str)
    assert document["top_guests"] and document["bookings_by_source"]
    assert len(document["covers_heatmap"]["covers"]) == 7


def test_csv_report(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--from", FROM, "--to", TO, "--csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == list(METRIC_COLUMNS)
    assert [r[3] for r in rows if r[0] == "kpi"] == list(KPI_KEYS)
    assert out.count("\r\n") == len(rows)  # RFC 4180 line ends, no doubled \r


def test_reservations_csv_file(cli, exports: Path) -> None:  # type: ignore[no-untyped-def]
    target = exports / "reservations.csv"
    code, out, err = cli("--from", FROM, "--to", TO, "--json", "--reservations-csv",
                         str(target))  # fmt: skip
    assert code == 0, err
    json.loads(out)  # stdout still holds only the JSON document
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(RESERVATION_COLUMNS)
    assert f"Wrote {len(rows) - 1} reservations to {target}" in err
    dates = {row[1] for row in rows[1:]}
    assert min(dates) >= FROM and max(dates) <= TO
    assert {row[RESERVATION_COLUMNS.index("created_by")] for row in rows[1:]} >= {"sofia"}
    assert list(exports.iterdir()) == [target]  # no temporary file left behind


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "2026-11-31", "--to", TO], "--from must be a date"),
        (["--from", FROM, "--to", "24.11.2026"], "--to must be a date"),
        (["--from", TO, "--to", FROM], "before it starts"),
        (["--from", "2016-01-01", "--to", "2026-11-24"], "at most"),
    ],
)
def test_bad_periods_exit_2_and_write_nothing(  # type: ignore[no-untyped-def]
    cli, exports: Path, argv: list[str], message: str
) -> None:
    target = exports / "out.csv"
    code, out, err = cli(*argv, "--json", "--reservations-csv", str(target))
    assert code == 2
    assert message in err and out == ""
    assert not target.exists()


def test_unknown_restaurant_exits_2(cli, exports: Path) -> None:  # type: ignore[no-untyped-def]
    target = exports / "out.csv"
    code, out, err = cli("--from", FROM, "--to", TO, "--csv", "--reservations-csv", str(target),
                         restaurant=999_999)  # fmt: skip
    assert code == 2
    assert "no restaurant 999999" in err and out == ""
    assert list(exports.iterdir()) == []


def test_unwritable_reservations_path_exits_2(cli, exports: Path) -> None:  # type: ignore[no-untyped-def]
    target = exports / "missing-folder" / "out.csv"
    code, out, err = cli("--from", FROM, "--to", TO, "--reservations-csv", str(target))
    assert code == 2 and "does not exist" in err and out == ""


def test_json_and_csv_are_mutually_exclusive(cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exited:
        cli("--from", FROM, "--to", TO, "--json", "--csv")
    assert exited.value.code == 2


def test_reader_closing_the_pipe_is_not_a_crash(demo: tuple[str, int]) -> None:
    """``report --csv | head -1``: the report stops quietly when its reader goes away."""
    import subprocess
    import sys

    url, restaurant_id = demo
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, str(root / "main.py"), "--database-url", url, "report",
         "--restaurant", str(restaurant_id), "--from", FROM, "--to", TO, "--csv"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the report writes a byte
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) in (0, 141)
    assert "Traceback" not in err and "BrokenPipeError" not in err
