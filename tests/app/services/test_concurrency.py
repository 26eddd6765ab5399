"""Eight terminals book the same table at the same moment: exactly one wins, on both databases."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import sqlalchemy as sa

from app.db.models import Reservation, ReservationTable
from tests.app.services.conftest import Place

ROOT = Path(__file__).resolve().parents[3]
RACERS = 8

# Each racer imports everything first, then waits for the common start instant.
RACER = textwrap.dedent(
    """
    import sys, time
    from app.cli.main import main
    start = float(sys.argv[1])
    args = sys.argv[2:]
    time.sleep(max(0.0, start - time.time()))
    sys.exit(main(args))
    """
)


def next_tuesday() -> dt.date:
    """A date the CLI (which reads the real clock) accepts: always ahead, never a closed day."""
    today = dt.date.today() + dt.timedelta(days=2)
    return today + dt.timedelta(days=(1 - today.weekday()) % 7)


def test_eight_processes_one_table_exactly_one_booking(place: Place) -> None:
    url = place.db.engine.url.render_as_string(hide_password=False)
    start = time.time() + 6.0
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    racers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                RACER,
                str(start),
                "--database-url",
                url,
                "book",
                "--restaurant",
                str(place.restaurant_id),
                "--date",
                next_tuesday().isoformat(),
                "--time",
                "19:00",
                "--party",
                "2",
                "--name",
                f"Racer {i}",
                "--phone",
                f"+7916555000{i}",
                "--table",
                "B2",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i in range(RACERS)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in racers]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0] + [3] * (RACERS - 1), results
    for code, _, err in results:
        if code == 3:
            assert "no longer available" in err, err
            assert "Traceback" not in err
    with place.db.unit_of_work() as uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(Reservation)) == 1
        links = uow.session.scalars(sa.select(ReservationTable)).all()
        assert [(link.table_id, link.blocking) for link in links] == [(place.table_ids["B2"], True)]
