"""`integration add|list|enable|disable|test` and `sync --once` against a fake Bot API."""

from __future__ import annotations

import io
import json
import sys

import pytest

from app.cli.main import main
from app.services.database import Database
from tests.app.services.conftest import create_place
from tests.support.fake_telegram import fake_telegram


def test_integration_commands_and_a_sync_round(
    db: Database, database_url: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    place = create_place(db)
    base = ["--database-url", database_url]
    with fake_telegram() as tg:
        monkeypatch.setattr(sys, "stdin", io.StringIO(tg.token + "\n"))
        assert main([*base, "integration", "add", "telegram", "--restaurant",
                     str(place.restaurant_id), "--api-base-url", tg.url]) == 0  # fmt: skip
        integration_id = capsys.readouterr().out.strip()
        assert main([*base, "integration", "add", "telegram", "--restaurant",
                     str(place.restaurant_id), "--token", tg.token]) == 3  # fmt: skip
        bad = ["--token", "nonsense", "--replace"]
        assert main([*base, "integration", "add", "telegram", "--restaurant",
                     str(place.restaurant_id), *bad]) == 2  # fmt: skip
        assert main([*base, "integration", "list", "--json"]) == 0
        out = capsys.readouterr().out
        listed = json.loads(out)
        assert listed[0]["credentials"] == "••••" + tg.token[-4:]
        assert tg.token.split(":")[1] not in out
        assert main([*base, "integration", "test", integration_id]) == 0
        assert capsys.readouterr().out.strip() == "@test_sofia_bot"
        tg.message("/start")
        assert main([*base, "sync", "--once"]) == 0
        assert len(tg.sent) == 1
        assert main([*base, "integration", "disable", integration_id]) == 0
        tg.message("/help")
        assert main([*base, "sync", "--once"]) == 0
        assert len(tg.sent) == 1
        assert main([*base, "integration", "enable", "999"]) == 2
