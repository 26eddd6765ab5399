"""`sofia configure`: the LLM settings with the key on stdin, never echoed."""

from __future__ import annotations

import io
import json
import sys

import pytest

from app.cli.main import main
from tests.cli.test_booking_cli import EXAMPLE
from tests.support.fake_openai import running, text

KEY = "sk-cli-SECRET-123"


@pytest.fixture
def restaurant(database_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--database-url", database_url, "restaurant", "import", str(EXAMPLE)]) == 0
    return capsys.readouterr().out.strip()


def configure(url: str, monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["--database-url", url, "sofia", "configure", *args])


def test_configure_reads_the_key_from_stdin(
    database_url: str, restaurant: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    code = configure(database_url, monkeypatch, KEY + "\n", "--restaurant", restaurant,
                     "--base-url", "http://127.0.0.1:11434/v1", "--model", "llama3.1",
                     "--price", "llama3.1=0:0", "--json")  # fmt: skip
    out = capsys.readouterr()
    assert code == 0 and KEY not in out.out + out.err
    document = json.loads(out.out)
    assert document["engine"] == "openai" and document["api_key_set"] is True
    assert document["model"] == "llama3.1" and document["prices"]["llama3.1"] == {
        "input": 0.0, "output": 0.0}  # fmt: skip
    # An empty line keeps the key; the openai engine is now accepted by `sofia chat`.
    assert configure(database_url, monkeypatch, "\n", "--restaurant", restaurant, "--json") == 0
    assert json.loads(capsys.readouterr().out)["api_key_set"] is True


def test_configure_bad_input_exits_2(
    database_url: str, restaurant: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    code = configure(database_url, monkeypatch, "", "--restaurant", restaurant,
                     "--base-url", "not a url")  # fmt: skip
    assert code == 2 and "base_url" in capsys.readouterr().err
    assert configure(database_url, monkeypatch, "", "--restaurant", restaurant,
                     "--price", "x=cheap") == 2  # fmt: skip


def test_chat_with_the_openai_engine_from_the_environment(
    database_url: str, restaurant: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    with running() as server:
        server.add(text("Hello! A table for two tomorrow at 8pm is free.", model="llama3.1"))
        monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("TOBEOUT_AI_MODEL", "llama3.1")
        monkeypatch.setattr(sys, "stdin", io.StringIO("Hi, a table for 2 tomorrow at 8pm?\n"))
        code = main(["--database-url", database_url, "sofia", "chat", "--restaurant",
                     restaurant, "--engine", "openai", "--now", "2026-11-24T10:00",
                     "--json"])  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert json.loads(out.out)["reply"] == "Hello! A table for two tomorrow at 8pm is free."
    [request] = server.completions()
    assert request.body["model"] == "llama3.1" and "2026-11-24" in request.system


def test_chat_with_the_stored_configuration(
    database_url: str, restaurant: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TOBEOUT_AI_MODEL"):
        monkeypatch.delenv(name, raising=False)
    with running() as server:
        assert configure(database_url, monkeypatch, KEY + "\n", "--restaurant", restaurant,
                         "--base-url", server.url, "--model", "qwen2.5") == 0  # fmt: skip
        capsys.readouterr()
        server.add(text("Hi there!"))
        monkeypatch.setattr(sys, "stdin", io.StringIO("Hello\n"))
        code = main(["--database-url", database_url, "sofia", "chat", "--restaurant",
                     restaurant, "--engine", "openai"])  # fmt: skip
    out = capsys.readouterr()
    assert code == 0 and out.out == "Hi there!\n"
    [request] = server.completions()
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "qwen2.5"
