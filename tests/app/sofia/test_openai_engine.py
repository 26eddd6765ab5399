"""Sofia's LLM engine against a real OpenAI-compatible HTTP server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.db.models import AiActivity, Reservation
from app.security.secrets import encrypt
from app.services.database import Database
from app.sofia.assistant import SofiaReply, handle_message
from app.sofia.llm_settings import LlmSettings, configure_llm
from app.sofia.openai_engine import OpenAIEngine
from app.sofia.tool_schemas import TOOL_SCHEMAS
from tests.app.services.conftest import FRIDAY, NOW, Place, create_place
from tests.support.fake_openai import MODEL, FakeOpenAI, hang, running, status, text, tool_calls

API_KEY = "sk-test-DO-NOT-LEAK-1234567890"
PHONE = "+79161234567"
BOOKING = {"date": FRIDAY.isoformat(), "time": "19:00", "party_size": 4}
CREATE = BOOKING | {"name": "Anna Petrova", "phone": PHONE}


@pytest.fixture(autouse=True)
def _no_openai_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TOBEOUT_AI_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with running() as fake:
        yield fake


def engine_for(server: FakeOpenAI, **overrides: Any) -> OpenAIEngine:
    values: dict[str, Any] = {
        "engine": "openai", "base_url": server.url, "model": "gpt-4o-mini",
        "api_key_token": encrypt(API_KEY), "timeout_seconds": 5.0, "max_retries": 0,
        "max_tool_rounds": 5,
    } | overrides  # fmt: skip
    return OpenAIEngine(LlmSettings(**values))


def say(place: Place, engine: Any, message: str, **kw: Any) -> SofiaReply:
    return handle_message(
        place.db, place.restaurant_id, "telegram", kw.pop("user", "tg-7"), message,
        now=kw.pop("now", NOW), engine=engine, phone=kw.pop("phone", PHONE), **kw,
    )  # fmt: skip


def rows(db: Database, model: Any, *where: Any) -> list[Any]:
    with db.unit_of_work() as uow:
        found = list(uow.session.scalars(select(model).where(*where).order_by(model.id)))
        uow.session.expunge_all()
        return found


def tool_messages(request: Any) -> list[dict[str, Any]]:
    return [m for m in request.messages if m["role"] == "tool"]


# -- the happy path -------------------------------------------------------------------------


def test_tool_calls_book_a_real_table_and_the_turn_is_accounted(
    place: Place, server: FakeOpenAI
) -> None:
    server.add(
        tool_calls(("check_availability", BOOKING), usage=(1000, 50)),
        tool_calls(("create_reservation", CREATE), usage=(1200, 60)),
        text("Done! Your table for 4 on Friday at 19:00 is booked.", usage=(1400, 70)),
    )
    reply = say(place, engine_for(server), "A table for 4 this Friday at 7pm, I'm Anna Petrova")

    assert reply.text == "Done! Your table for 4 on Friday at 19:00 is booked."
    assert reply.booking_completed and reply.confirmation_code and reply.stage == "greeting"
    [booking] = rows(place.db, Reservation)
    assert booking.conversation_id == reply.conversation_id
    assert (booking.date, booking.time, booking.guests) == (FRIDAY, dt.time(19, 0), 4)
    assert booking.confirmation_code == reply.confirmation_code

    [activity] = rows(place.db, AiActivity)
    assert (activity.input_tokens, activity.output_tokens) == (3600, 180)
    # gpt-4o-mini list price: 0.15 / 0.60 USD per 1M tokens, the dated model priced by prefix.
    assert activity.cost == Decimal("0.000648")
    assert activity.model_version == MODEL
    assert activity.booking_completed and activity.success
    assert activity.meta["engine"] == "openai" and "fallback" not in activity.meta
    assert [c["tool"] for c in activity.meta["tool_calls"]] == [
        "check_availability", "create_reservation"]  # fmt: skip


def test_requests_carry_schemas_tool_results_and_the_key(place: Place, server: FakeOpenAI) -> None:
    server.add(tool_calls(("check_availability", BOOKING)), text("Friday 19:00 is free."))
    say(place, engine_for(server), "Is there a table for 4 this Friday at 7pm?")

    first, second = server.completions()
    assert first.headers["authorization"] == f"Bearer {API_KEY}"
    assert first.body["tools"] == TOOL_SCHEMAS and first.body["tool_choice"] == "auto"
    assert first.body["model"] == "gpt-4o-mini"
    assert [m["role"] for m in first.messages] == ["system", "user"]
    assert first.messages[-1]["content"] == "Is there a table for 4 this Friday at 7pm?"
    # The second request replays the assistant's call and answers it as the API expects.
    assistant = second.messages[-2]
    call = assistant["tool_calls"][0]
    assert assistant["role"] == "assistant" and call["function"]["name"] == "check_availability"
    [answer] = tool_messages(second)
    assert answer["tool_call_id"] == call["id"]
    result = json.loads(answer["content"])
    assert result["ok"] and result["available"] is True and result["date"] == FRIDAY.isoformat()


def test_prompt_has_today_in_the_restaurant_zone_and_its_facts(
    place: Place, server: FakeOpenAI
) -> None:
    late = dt.datetime(2026, 11, 24, 22, 30, tzinfo=dt.UTC)  # already Wednesday in Moscow
    server.add(text("Hello from Test Bistro!"))
    say(place, engine_for(server), "Hello, are you open tonight?", now=late)
    prompt = server.completions()[0].system
    assert "Wednesday, 2026-11-25" in prompt and "01:30" in prompt
    assert "Europe/Moscow" in prompt and "2026-11-24" not in prompt
    assert "Test Bistro" in prompt and "18:00-23:00" in prompt  # the hours it keeps


def test_prompt_carries_the_known_guest_and_the_history(place: Place, server: FakeOpenAI) -> None:
    place.book(name="Anna Petrova", phone=PHONE, party_size=2)
    server.add(text("Hello Anna! How can I help?"), text("Sure, which day?"))
    engine = engine_for(server)
    say(place, engine, "Hi, it's Anna")
    say(place, engine, "I need another table")
    second = server.completions()[1]
    assert '"name": "Anna Petrova"' in second.system and "upcoming_reservations" in second.system
    assert [(m["role"], m["content"]) for m in second.messages[1:]] == [
        ("user", "Hi, it's Anna"), ("assistant", "Hello Anna! How can I help?"),
        ("user", "I need another table"),
    ]  # fmt: skip


# -- faults ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [429, 500])
def test_a_429_or_500_is_retried(place: Place, server: FakeOpenAI, code: int) -> None:
    server.add(status(code), text("Hello! How can I help?"))
    reply = say(place, engine_for(server, max_retries=2), "Hello")
    assert reply.text == "Hello! How can I help?"
    assert len(server.completions()) == 2
    [activity] = rows(place.db, AiActivity)
    assert "fallback" not in activity.meta and activity.model_version == MODEL


def test_a_hanging_server_falls_back_to_the_offline_engine(
    place: Place, server: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    server.add(hang(10))
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    reply = say(place, engine_for(server, timeout_seconds=0.5), "Hello")
    assert time.monotonic() - started < 5
    assert "Sofia" in reply.text and reply.stage == "greeting"  # the offline greeting
    [activity] = rows(place.db, AiActivity)
    assert activity.meta["fallback"] == "timeout" and activity.success
    assert activity.model_version == "sofia-offline-1" and activity.cost == 0
    assert API_KEY not in caplog.text and "timeout" in caplog.text
    # Nothing broken: the conversation goes on and books offline.
    reply = say(place, None, "a table for 2 this Friday at 7pm")
    assert reply.stage == "collecting"


def test_no_server_at_all_falls_back(place: Place) -> None:
    with running() as gone:
        url = gone.url
    engine = OpenAIEngine(LlmSettings(engine="openai", base_url=url, max_retries=0,
                                      api_key_token=encrypt(API_KEY)))  # fmt: skip
    reply = say(place, engine, "Hello")
    assert "Sofia" in reply.text
    [activity] = rows(place.db, AiActivity)
    assert activity.meta["fallback"] == "connection failed"


def test_a_5xx_after_the_retries_falls_back(place: Place, server: FakeOpenAI) -> None:
    server.add(status(503), status(503))
    reply = say(place, engine_for(server, max_retries=1), "Hello")
    assert "Sofia" in reply.text and len(server.completions()) == 2
    assert rows(place.db, AiActivity)[0].meta["fallback"] == "HTTP 503"


def test_malformed_arguments_are_answered_and_the_model_recovers(
    place: Place, server: FakeOpenAI
) -> None:
    server.add(
        tool_calls(("check_availability", '{"date": "2026-11-27", "time": ')),
        tool_calls(("create_reservation", CREATE)),
        text("Booked!"),
    )
    reply = say(place, engine_for(server), "Book 4 this Friday 7pm, Anna Petrova")
    assert reply.text == "Booked!" and reply.booking_completed
    [error] = tool_messages(server.completions()[1])
    assert "valid JSON" in json.loads(error["content"])["error"]
    assert len(rows(place.db, Reservation)) == 1


def test_repeated_malformed_arguments_fall_back(place: Place, server: FakeOpenAI) -> None:
    server.add(tool_calls(("check_availability", "not json")),
               tool_calls(("check_availability", "[1, 2]")))  # fmt: skip
    reply = say(place, engine_for(server), "a table for 2 this Friday at 7pm")
    assert reply.stage == "collecting" and "available" in reply.text  # the offline dialogue
    assert len(server.completions()) == 2
    assert "malformed" in rows(place.db, AiActivity)[0].meta["fallback"]


def test_the_round_cap_is_hard(place: Place, server: FakeOpenAI) -> None:
    server.add(*[tool_calls(("check_availability", BOOKING)) for _ in range(6)])
    reply = say(place, engine_for(server, max_tool_rounds=2), "a table for 4 this Friday at 7pm")
    assert len(server.completions()) == 3  # two rounds of tools, one more answer refused
    assert len(server.script) == 3
    [activity] = rows(place.db, AiActivity)
    assert "round cap" in activity.meta["fallback"] and activity.meta["tool_rounds"] == 3
    assert activity.input_tokens == 360  # what the failed attempt cost is still counted
    assert reply.stage == "collecting"


def test_a_failure_after_booking_reports_the_booking_not_books_again(
    place: Place, server: FakeOpenAI
) -> None:
    server.add(tool_calls(("check_availability", BOOKING)),
               tool_calls(("create_reservation", CREATE)), status(500))  # fmt: skip
    reply = say(place, engine_for(server), "Book 4 this Friday 7pm for Anna Petrova, yes")
    [booking] = rows(place.db, Reservation)
    assert reply.booking_completed and booking.confirmation_code in reply.text
    assert booking.conversation_id == reply.conversation_id
    [activity] = rows(place.db, AiActivity)
    assert activity.meta["fallback"] == "HTTP 500" and activity.booking_completed


def test_unconfigured_engine_answers_offline(place: Place) -> None:
    reply = say(place, OpenAIEngine(LlmSettings(engine="openai")), "Hello")
    assert "Sofia" in reply.text
    assert rows(place.db, AiActivity)[0].meta["fallback"] == "no API key is configured"


# -- stored configuration -------------------------------------------------------------------


def test_stored_configuration_and_environment_precedence(
    place: Place, server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.sofia.engines import engine_for_restaurant

    configure_llm(place.db, place.restaurant_id, engine="openai", base_url=server.url + "/",
                  model="llama3.1", api_key="sk-stored-key", max_retries=0)  # fmt: skip
    server.add(text("Hi!", model="llama3.1"), text("Hi again!", model="env-model"))
    engine = engine_for_restaurant(place.db, place.restaurant_id)
    assert isinstance(engine, OpenAIEngine)
    say(place, engine, "Hello")
    first = server.completions()[0]
    assert first.headers["authorization"] == "Bearer sk-stored-key"
    assert first.body["model"] == "llama3.1"
    [activity] = rows(place.db, AiActivity)
    assert activity.cost == 0 and activity.model_version == "llama3.1"  # a local model is free

    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("TOBEOUT_AI_MODEL", "env-model")
    say(place, engine, "Hello again")
    second = server.completions()[1]
    assert second.headers["authorization"] == "Bearer sk-from-env"
    assert second.body["model"] == "env-model"


def test_the_offline_engine_carries_on_where_the_model_left_off(
    place: Place, server: FakeOpenAI
) -> None:
    engine = engine_for(server)
    server.add(tool_calls(("check_availability", BOOKING)),
               text("Friday at 19:00 for 4 is free. May I have your name?"))  # fmt: skip
    first = say(place, engine, "A table for 4 this Friday at 7pm")
    assert first.stage == "collecting"
    server.add(status(500), status(500))  # the model is gone for the rest of the dialogue
    reply = say(place, engine, "My name is Anna Petrova")
    assert reply.stage == "confirming" and "19:00" in reply.text  # offline, with the slots
    done = say(place, engine, "yes")
    [booking] = rows(place.db, Reservation)
    assert done.booking_completed and booking.guests == 4 and booking.date == FRIDAY


def test_a_russian_guest_gets_a_russian_prompt(place: Place, server: FakeOpenAI) -> None:
    server.add(text("Здравствуйте!"))
    reply = say(place, engine_for(server), "Здравствуйте, хочу забронировать столик")
    assert reply.text == "Здравствуйте!"
    assert "Reply in Russian" in server.completions()[0].system
