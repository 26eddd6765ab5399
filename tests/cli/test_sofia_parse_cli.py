"""``sofia parse``: the contract's JSON document, plain output, and exit 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-24T10:00:00+03:00"  # a Tuesday in Moscow
KEYS = {"intent", "date", "time", "party_size", "name", "phone", "language"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["sofia", "parse", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Table for 4 at 7pm on 25.12, my name is Anna, +7 916 123-45-67",
            {"intent": "book", "date": "2026-12-25", "time": "19:00", "party_size": 4,
             "name": "Anna", "phone": "+79161234567", "language": "en"},
        ),
        (
            "Здравствуйте, столик на двоих в следующую субботу в половину восьмого",
            {"intent": "book", "date": "2026-12-05", "time": "19:30", "party_size": 2,
             "name": None, "phone": None, "language": "ru"},
        ),
        (
            "отменить бронь на завтра",
            {"intent": "cancel", "date": "2026-11-25", "time": None, "party_size": None,
             "name": None, "phone": None, "language": "ru"},
        ),
    ],
)  # fmt: skip
def test_json_follows_the_contract(
    capsys: pytest.CaptureFixture[str], text: str, expected: dict[str, object]
) -> None:
    code, out, err = _run(capsys, text, "--now", NOW, "--tz", "Europe/Moscow", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert set(document) == KEYS
    assert document == expected


def test_now_without_offset_is_the_restaurants_wall_clock(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 23:30 on Tuesday in Tokyo; "tomorrow" there is Wednesday whatever the server's zone is
    code, out, _ = _run(capsys, "tomorrow", "--now", "2026-11-24T23:30", "--tz", "Asia/Tokyo",
                        "--json")  # fmt: skip
    assert code == 0
    assert json.loads(out)["date"] == "2026-11-25"


def test_plain_output_lists_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "for two tomorrow at 8", "--now", NOW)
    assert code == 0
    lines = dict(line.split(": ", 1) for line in out.strip().splitlines())
    assert set(lines) == KEYS
    assert lines["time"] == "20:00" and lines["party_size"] == "2" and lines["name"] == "-"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--now", "next tuesday"], "--now must be an ISO date-time"),
        (["--now", "2026-13-45T10:00"], "--now must be an ISO date-time"),
        (["--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--tz", "../../etc/passwd"], "unknown time zone"),
    ],
)
def test_bad_now_or_tz_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = _run(capsys, "tomorrow", *argv, "--json")
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err


def test_main_py_in_a_subprocess() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "main.py", "sofia", "parse", "нас четверо, завтра в семь вечера",
         "--now", NOW, "--json"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["party_size"] == 4 and document["time"] == "19:00"
    assert document["date"] == "2026-11-25" and document["language"] == "ru"

    bad = subprocess.run(
        [sys.executable, "main.py", "sofia", "parse", "x", "--tz", "Nowhere/Land"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "unknown time zone 'Nowhere/Land'" in bad.stderr
