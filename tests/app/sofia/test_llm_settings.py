"""Sofia's stored engine configuration: validated field by field, all or nothing, key encrypted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from app.db.models import Restaurant
from app.errors import InvalidInput, NotFound
from app.security.secrets import SecretUnreadable
from app.services.database import Database
from app.sofia.engines import engine_by_name, engine_for_restaurant
from app.sofia.llm_settings import (
    LlmSettings,
    configure_llm,
    load_llm_settings,
    parse_llm_settings,
    with_environment,
)
from app.sofia.offline_engine import OfflineEngine
from app.sofia.openai_engine import OpenAIEngine
from tests.app.services.conftest import Place, create_place

KEY = "sk-proj-SECRET-VALUE-987"


@pytest.fixture(autouse=True)
def _no_openai_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TOBEOUT_AI_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def place(db: Database) -> Place:
    return create_place(db)


def stored(db: Database, restaurant_id: int) -> dict[str, Any]:
    with db.unit_of_work() as uow:
        restaurant = uow.session.get(Restaurant, restaurant_id)
        assert restaurant is not None
        return dict(restaurant.settings or {})


def test_defaults_without_configuration(place: Place) -> None:
    settings = load_llm_settings(place.db, place.restaurant_id)
    assert settings.engine == "offline" and not settings.has_api_key
    assert isinstance(engine_for_restaurant(place.db, place.restaurant_id), OfflineEngine)


def test_configure_stores_the_key_encrypted_and_keeps_other_settings(place: Place) -> None:
    before = stored(place.db, place.restaurant_id)
    settings = configure_llm(place.db, place.restaurant_id, engine="openai", model="gpt-4o",
                             api_key=KEY, timeout_seconds=15, max_tool_rounds=3,
                             prices={"my-model": {"input": 1, "output": 2}})  # fmt: skip
    after = stored(place.db, place.restaurant_id)
    assert {k: v for k, v in after.items() if k != "sofia"} == before
    assert KEY not in str(after) and after["sofia"]["api_key_encrypted"].startswith("gAAAA")
    loaded = load_llm_settings(place.db, place.restaurant_id)
    assert loaded == settings and loaded.api_key().reveal() == KEY  # type: ignore[union-attr]
    assert (loaded.model, loaded.timeout_seconds, loaded.max_tool_rounds) == ("gpt-4o", 15, 3)
    assert loaded.price_for("my-model").cost(1_000_000, 1_000_000) == Decimal(3)  # type: ignore[union-attr]
    assert KEY not in repr(loaded) and KEY not in str(loaded.to_json())
    assert loaded.to_json()["api_key_set"] is True
    assert isinstance(engine_for_restaurant(place.db, place.restaurant_id), OpenAIEngine)
    assert isinstance(engine_by_name("openai", place.db, place.restaurant_id), OpenAIEngine)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"engine": "gpt"}, "settings.sofia.engine"),
        ({"base_url": "ftp://example.com"}, "settings.sofia.base_url"),
        ({"base_url": "http://user:pw@example.com/v1"}, "credentials"),
        ({"timeout_seconds": 0}, "settings.sofia.timeout_seconds"),
        ({"max_tool_rounds": 99}, "settings.sofia.max_tool_rounds"),
        ({"max_retries": "many"}, "settings.sofia.max_retries"),
        ({"model": ""}, "settings.sofia.model"),
        ({"prices": {"m": {"input": -1, "output": 1}}}, "settings.sofia.prices.m.input"),
        ({"prices": {"m": {"in": 1}}}, "unknown field"),
        ({"api_key": "two words"}, "API key"),
        ({"engine": "openai"}, "needs an API key"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_written(
    place: Place, changes: dict[str, Any], message: str
) -> None:
    configure_llm(place.db, place.restaurant_id, model="gpt-4o")
    before = stored(place.db, place.restaurant_id)
    with pytest.raises(InvalidInput, match=message):
        configure_llm(place.db, place.restaurant_id, **({"timeout_seconds": 30} | changes))
    assert stored(place.db, place.restaurant_id) == before


def test_base_url_is_normalised_and_a_local_server_needs_no_key(place: Place) -> None:
    settings = configure_llm(place.db, place.restaurant_id, engine="openai",
                             base_url=" http://127.0.0.1:11434/v1/ ")  # fmt: skip
    assert settings.base_url == "http://127.0.0.1:11434/v1" and settings.usable
    assert (
        configure_llm(place.db, place.restaurant_id, base_url=None, engine="offline").base_url
        is None
    )


def test_removing_the_key(place: Place) -> None:
    configure_llm(place.db, place.restaurant_id, api_key=KEY)
    assert configure_llm(place.db, place.restaurant_id, api_key=None).api_key() is None
    assert "api_key_encrypted" not in stored(place.db, place.restaurant_id)["sofia"]


def test_unknown_restaurant(db: Database) -> None:
    with pytest.raises(NotFound):
        configure_llm(db, 404, model="x")


def test_a_damaged_stored_key_is_a_clear_error() -> None:
    settings = parse_llm_settings({"sofia": {"api_key_encrypted": "gAAAAAdamaged"}})
    with pytest.raises(SecretUnreadable, match="The stored AI API key"):
        settings.api_key()


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(InvalidInput, match="apikey"):
        parse_llm_settings({"sofia": {"apikey": "plain"}})


def test_environment_takes_precedence() -> None:
    base = LlmSettings(model="stored", base_url="http://stored.example/v1")
    env = {"OPENAI_API_KEY": "sk-env", "OPENAI_BASE_URL": "http://127.0.0.1:8000/v1/",
           "TOBEOUT_AI_MODEL": "env-model"}  # fmt: skip
    merged = with_environment(base, env)
    assert merged.api_key().reveal() == "sk-env"  # type: ignore[union-attr]
    assert (merged.base_url, merged.model) == ("http://127.0.0.1:8000/v1", "env-model")
    assert with_environment(base, {}) is base
    assert "sk-env" not in repr(merged)


def test_prices_by_prefix() -> None:
    settings = LlmSettings()
    price = settings.price_for("gpt-4o-mini-2024-07-18")
    assert price is not None and price.input_per_million == Decimal("0.15")
    assert settings.price_for("gpt-4o-2024-08-06").input_per_million == Decimal("2.50")  # type: ignore[union-attr]
    assert settings.price_for("llama3.1") is None
