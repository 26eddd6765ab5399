"""`sofia chat`: guest messages on stdin, one reply (JSON line) each, per ARCHITECTURE.md."""

from __future__ import annotations

import io
import json
import sys

import pytest
import sqlalchemy as sa

from app.cli.main import main
from tests.cli.test_booking_cli import EXAMPLE

NOW = "2026-11-24T10:00"  # a Tuesday morning in Moscow


@pytest.fixture
def chat(database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    assert main(["--database-url", database_url, "restaurant", "import", str(EXAMPLE)]) == 0
    restaurant = capsys.readouterr().out.strip()

    def run(lines: list[str], *extra: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
        code = main(["--database-url", database_url, "sofia", "chat", "--restaurant",
                     restaurant, "--now", NOW, *extra])  # fmt: skip
        out = capsys.readouterr()
        return code, out.out, out.err

    run.url = database_url  # type: ignore[attr-defined]
    return run


def _reservations(url: str) -> list[tuple[str, int, str]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            query = "SELECT confirmation_code, guests, source FROM reservations"
            return [tuple(row) for row in conn.execute(sa.text(query))]
    finally:
        engine.dispose()


def test_chat_json_books_a_table(chat) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = chat(["Hi, a table for 2 tomorrow at 8pm please", "I'm Anna",
                         "+79161234567", "yes"], "--json")  # fmt: skip
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 4
    assert all(set(doc) == {"reply", "stage", "intent", "confirmation_code"} for doc in lines)
    assert [doc["stage"] for doc in lines] == ["collecting", "collecting", "confirming",
                                               "greeting"]  # fmt: skip
    assert lines[-1]["intent"] == "book" and lines[-1]["confirmation_code"]
    assert _reservations(chat.url) == [(lines[-1]["confirmation_code"], 2, "ai_assistant")]


def test_chat_with_phone_and_name_in_russian(chat) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = chat(["столик на завтра на 19:00 на троих", "да"], "--phone",
                        "+79035550011", "--name", "Ольга")  # fmt: skip
    assert code == 0
    replies = out.splitlines()
    assert len(replies) == 2 and "Ольга" in replies[0] and "Код брони" in replies[1]
    assert [r[1] for r in _reservations(chat.url)] == [3]


def test_openai_engine_without_configuration_is_refused(chat, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    code, out, err = chat(["hi"], "--engine", "openai")
    assert code == 2 and out == "" and "OPENAI_API_KEY" in err


def test_unknown_restaurant_is_bad_input(chat) -> None:  # type: ignore[no-untyped-def]
    code, _, err = chat(["hi"], "--restaurant", "999")
    assert code == 2 and "999" in err
