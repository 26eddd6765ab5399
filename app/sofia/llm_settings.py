"""Sofia's engine configuration per restaurant, kept in ``restaurants.settings["sofia"]``.

    {"engine": "offline" | "openai", "base_url": "http://127.0.0.1:11434/v1" | null,
     "model": "gpt-4o-mini", "api_key_encrypted": "<Fernet token>", "timeout_seconds": 20,
     "max_retries": 2, "max_tool_rounds": 5,
     "prices": {"gpt-4o-mini": {"input": 0.15, "output": 0.60}}}   # USD per 1M tokens

Every field has a default, and a present but malformed value is an error naming the field (as
in booking_rules). ``configure_llm`` validates the whole new configuration before it writes
anything and writes it in one unit of work. The API key is encrypted (app/security/secrets.py)
before it reaches the database and is decrypted only when an engine asks for it.

The standard ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` and ``TOBEOUT_AI_MODEL`` environment
variables take precedence over the stored values when set (``with_environment``).

Threading: plain functions; each service call opens its own unit of work.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from app.db.models import Restaurant
from app.domain import fields
from app.errors import InvalidInput, NotFound
from app.security.secrets import Secret, decrypt, encrypt
from app.services.database import Database

SETTINGS_KEY = "sofia"
ENGINES = ("offline", "openai")
DEFAULT_MODEL = "gpt-4o-mini"
# Published OpenAI list prices, USD per 1M input / output tokens; a restaurant's own table
# (``prices``) adds to and overrides these. Models not listed (local servers) cost 0.
DEFAULT_PRICES: dict[str, tuple[str, str]] = {
    "gpt-4o-mini": ("0.15", "0.60"),
    "gpt-4o": ("2.50", "10.00"),
    "gpt-4.1": ("2.00", "8.00"),
    "gpt-4.1-mini": ("0.40", "1.60"),
    "gpt-4.1-nano": ("0.10", "0.40"),
}
KNOWN_KEYS = {"engine", "base_url", "model", "api_key_encrypted", "timeout_seconds",
              "max_retries", "max_tool_rounds", "prices"}  # fmt: skip
WHAT = f"settings.{SETTINGS_KEY}"
_UNSET: Any = object()


@dataclass(frozen=True)
class ModelPrice:
    """USD per one million input and output tokens."""

    input_per_million: Decimal
    output_per_million: Decimal

    def cost(self, input_tokens: int, output_tokens: int) -> Decimal:
        total = (self.input_per_million * max(0, input_tokens)
                 + self.output_per_million * max(0, output_tokens))  # fmt: skip
        return total / Decimal(1_000_000)


def _default_prices() -> dict[str, ModelPrice]:
    return {m: ModelPrice(Decimal(i), Decimal(o)) for m, (i, o) in DEFAULT_PRICES.items()}


@dataclass(frozen=True)
class LlmSettings:
    engine: str = "offline"
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    api_key_token: str | None = field(default=None, repr=False)  # Fernet token, never the key
    timeout_seconds: float = 20.0
    max_retries: int = 2
    max_tool_rounds: int = 5
    prices: Mapping[str, ModelPrice] = field(default_factory=_default_prices)
    # A key from the environment (OPENAI_API_KEY) rather than the database.
    env_api_key: Secret | None = field(default=None, repr=False, compare=False)

    @property
    def has_api_key(self) -> bool:
        return bool(self.env_api_key) or bool(self.api_key_token)

    def api_key(self) -> Secret | None:
        """The decrypted key; ``SecretUnreadable`` when the stored token cannot be read."""
        if self.env_api_key:
            return self.env_api_key
        if not self.api_key_token:
            return None
        return decrypt(self.api_key_token, "The stored AI API key")

    @property
    def usable(self) -> bool:
        """An LLM can be called: a key, or an own server (local servers need no key)."""
        return self.has_api_key or self.base_url is not None

    def price_for(self, *models: str | None) -> ModelPrice | None:
        """The price of the first model found: exact name, else the longest listed prefix
        (a response's "gpt-4o-mini-2024-07-18" is priced as "gpt-4o-mini")."""
        for model in models:
            if not model:
                continue
            if model in self.prices:
                return self.prices[model]
            prefixes = [name for name in self.prices if model.startswith(name)]
            if prefixes:
                return self.prices[max(prefixes, key=len)]
        return None

    def to_json(self) -> dict[str, Any]:
        """What a manager may see: everything except the key itself."""
        return {
            "engine": self.engine, "base_url": self.base_url, "model": self.model,
            "api_key_set": self.has_api_key, "timeout_seconds": self.timeout_seconds,
            "max_retries": self.max_retries, "max_tool_rounds": self.max_tool_rounds,
            "prices": {m: {"input": float(p.input_per_million),
                           "output": float(p.output_per_million)}
                       for m, p in sorted(self.prices.items())},
        }  # fmt: skip


# -- reading --------------------------------------------------------------------------------


def parse_llm_settings(restaurant_settings: Any) -> LlmSettings:
    """The configuration inside a restaurant's ``settings``; ``InvalidInput`` names the field."""
    if restaurant_settings is None:
        return LlmSettings()
    if not isinstance(restaurant_settings, dict):
        raise InvalidInput("settings must be a JSON object.")
    raw = restaurant_settings.get(SETTINGS_KEY)
    if raw is None:
        return LlmSettings()
    if not isinstance(raw, dict):
        raise InvalidInput(f"{WHAT} must be an object.")
    fields.check_keys(raw, KNOWN_KEYS, WHAT)
    token = raw.get("api_key_encrypted")
    if token is not None and (not isinstance(token, str) or not token.strip()):
        raise InvalidInput(f"{WHAT}.api_key_encrypted must be an encrypted token.")
    settings = LlmSettings(
        engine=_engine(raw.get("engine", "offline")),
        base_url=clean_base_url(raw.get("base_url")),
        model=_model(raw.get("model", DEFAULT_MODEL)),
        api_key_token=token or None,
        timeout_seconds=fields.number(
            raw.get("timeout_seconds", 20), f"{WHAT}.timeout_seconds", minimum=1, maximum=600
        ),  # fmt: skip
        max_retries=fields.integer(
            raw.get("max_retries", 2), f"{WHAT}.max_retries", minimum=0, maximum=10
        ),  # fmt: skip
        max_tool_rounds=fields.integer(
            raw.get("max_tool_rounds", 5), f"{WHAT}.max_tool_rounds", minimum=1, maximum=20
        ),  # fmt: skip
        prices=_default_prices() | _prices(raw.get("prices")),
    )
    if settings.engine == "openai" and not settings.usable:
        raise InvalidInput(
            f"{WHAT}: the openai engine needs an API key (or a base URL of an OpenAI-compatible "
            "server such as Ollama)."
        )
    return settings


def load_llm_settings(db: Database, restaurant_id: int) -> LlmSettings:
    with db.unit_of_work() as uow:
        restaurant = uow.session.get(Restaurant, restaurant_id)
        if restaurant is None:
            raise NotFound(f"There is no restaurant with id {restaurant_id}.")
        stored = restaurant.settings
    return parse_llm_settings(stored)


def with_environment(
    settings: LlmSettings, environ: Mapping[str, str] | None = None
) -> LlmSettings:
    """``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` and ``TOBEOUT_AI_MODEL`` over the stored values."""
    env = os.environ if environ is None else environ
    changes: dict[str, Any] = {}
    key = env.get("OPENAI_API_KEY", "").strip()
    if key:
        changes["env_api_key"] = Secret(key)
    url = env.get("OPENAI_BASE_URL", "").strip()
    if url:
        changes["base_url"] = clean_base_url(url, "OPENAI_BASE_URL")
    model = env.get("TOBEOUT_AI_MODEL", "").strip()
    if model:
        changes["model"] = _model(model, "TOBEOUT_AI_MODEL")
    return replace(settings, **changes) if changes else settings


# -- writing --------------------------------------------------------------------------------


def configure_llm(
    db: Database,
    restaurant_id: int,
    *,
    engine: Any = _UNSET,
    base_url: Any = _UNSET,
    model: Any = _UNSET,
    api_key: Any = _UNSET,
    timeout_seconds: Any = _UNSET,
    max_retries: Any = _UNSET,
    max_tool_rounds: Any = _UNSET,
    prices: Any = _UNSET,
) -> LlmSettings:
    """Change the given fields (``api_key=None`` removes the key); all or nothing is written."""
    changes = {
        "engine": engine, "base_url": base_url, "model": model,
        "timeout_seconds": timeout_seconds, "max_retries": max_retries,
        "max_tool_rounds": max_tool_rounds, "prices": prices,
    }  # fmt: skip
    changes = {k: v for k, v in changes.items() if v is not _UNSET}
    token: Any = _UNSET
    if api_key is not _UNSET:
        token = None if api_key is None else _encrypt_key(api_key)
    with db.unit_of_work() as uow:
        restaurant = uow.session.get(Restaurant, restaurant_id)
        if restaurant is None:
            raise NotFound(f"There is no restaurant with id {restaurant_id}.")
        current = dict(restaurant.settings or {})
        raw = dict(current.get(SETTINGS_KEY) or {})
        raw.update(changes)
        if token is not _UNSET:
            raw["api_key_encrypted"] = token
        raw = {k: v for k, v in raw.items() if v is not None}
        if raw.get("base_url") is not None:
            raw["base_url"] = clean_base_url(raw["base_url"])
        settings = parse_llm_settings({SETTINGS_KEY: raw})  # raises before anything is written
        restaurant.settings = {**current, SETTINGS_KEY: raw}  # a new dict: the change is seen
        uow.changed("restaurant", restaurant_id)
        uow.commit()
    return settings


def _encrypt_key(value: Any) -> str:
    plain = value.reveal() if isinstance(value, Secret) else value
    if not isinstance(plain, str) or not plain.strip():
        raise InvalidInput("The API key is empty.")
    plain = plain.strip()
    if len(plain) > 1000 or any(ch.isspace() or not ch.isprintable() for ch in plain):
        raise InvalidInput("The API key must be one line of printable characters.")
    return encrypt(plain)


# -- field checks ---------------------------------------------------------------------------


def _engine(value: Any) -> str:
    if isinstance(value, str) and value.strip().lower() in ENGINES:
        return value.strip().lower()
    raise InvalidInput(f"{WHAT}.engine must be one of {', '.join(ENGINES)} (got {value!r}).")


def _model(value: Any, what: str = f"{WHAT}.model") -> str:
    return fields.required_text(value, what, max_length=100)


def clean_base_url(value: Any, what: str = f"{WHAT}.base_url") -> str | None:
    """An http(s) URL without credentials, query or fragment, with no trailing slash."""
    text = fields.text(value, what, max_length=500)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"{what} must be an http:// or https:// URL, not {text!r}.")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise InvalidInput(f"{what} must not carry credentials, a query or a fragment.")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise InvalidInput(f"{what} has an invalid port.") from None
    return text.rstrip("/")


def _prices(raw: Any) -> dict[str, ModelPrice]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidInput(f'{WHAT}.prices must map models to {{"input": USD, "output": USD}}.')
    result = {}
    for model, price in raw.items():
        where = f"{WHAT}.prices.{model}"
        name = _model(model, f"{WHAT}.prices model name")
        if not isinstance(price, dict):
            raise InvalidInput(f'{where} must be {{"input": USD, "output": USD}} per 1M tokens.')
        fields.check_keys(price, {"input", "output"}, where)
        amounts = [fields.number(price.get(side), f"{where}.{side}", minimum=0, maximum=10_000)
                   for side in ("input", "output")]  # fmt: skip
        result[name] = ModelPrice(Decimal(str(amounts[0])), Decimal(str(amounts[1])))
    return result
