"""`integration add|list|enable|disable|test` and `sync` against a fake Bot API; WhatsApp's add and
the webhook `sync --webhook-port` serves."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from app.channels.integrations import add_whatsapp
from app.cli.main import main
from app.services.database import Database
from tests.app.services.conftest import create_place
from tests.support.fake_telegram import fake_telegram
from tests.support.fake_whatsapp import ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN


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


def test_whatsapp_integration_add_reads_secrets_from_stdin(
    db: Database, database_url: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    place = create_place(db)
    base = ["--database-url", database_url]
    secrets = [ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN]
    add = [*base, "integration", "add", "whatsapp", "--restaurant", str(place.restaurant_id)]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(secrets) + "\n"))
    assert main([*add, "--phone-number-id", PHONE_NUMBER_ID]) == 0
    captured = capsys.readouterr()
    integration_id = captured.out.strip()
    assert integration_id.isdigit()
    assert main([*base, "integration", "list", "--json"]) == 0
    captured_list = capsys.readouterr()
    listed = json.loads(captured_list.out)
    assert (
        listed[0]["type"] == "whatsapp" and listed[0]["credentials"] == "••••" + ACCESS_TOKEN[-4:]
    )
    assert listed[0]["settings"]["phone_number_id"] == PHONE_NUMBER_ID
    everything = captured.out + captured.err + captured_list.out + captured_list.err
    for secret in secrets:
        assert secret not in everything
    monkeypatch.setattr(sys, "stdin", io.StringIO(ACCESS_TOKEN + "\n"))  # two lines missing
    assert main([*add, "--phone-number-id", PHONE_NUMBER_ID, "--replace"]) == 2
    assert main([*add]) == 2  # no --phone-number-id
    assert main([*base, "sync", "--once", "--webhook-port", "8080"]) == 2


def test_sync_serves_the_webhook(database_url: str, db: Database) -> None:
    """``sync --webhook-port`` in a real process: the handshake answers on that port."""
    import socket
    import subprocess
    import time

    import requests

    place = create_place(db)
    add_whatsapp(db, place.restaurant_id, phone_number_id=PHONE_NUMBER_ID,
                 access_token=ACCESS_TOKEN, app_secret=APP_SECRET, verify_token=VERIFY_TOKEN,
                 api_base_url="http://127.0.0.1:9")  # fmt: skip
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    main_py = str(Path(__file__).resolve().parents[2] / "main.py")
    command = [sys.executable, main_py, "--database-url", database_url, "sync",
               "--webhook-port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        params = {"hub.mode": "subscribe", "hub.challenge": "42", "hub.verify_token": VERIFY_TOKEN}
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/", params=params, timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.2)
        assert answer.status_code == 200 and answer.text == "42"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert VERIFY_TOKEN.encode() not in output
