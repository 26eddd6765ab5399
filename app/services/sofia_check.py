"""The settings screen's "Test" for Sofia's engine: one real chat completion, in words.

``test_sofia_engine`` sends one short Chat Completions request with the openai client the
engine uses (same key handling: local servers get a placeholder key) and no retries, and says
what answered, or raises ``NotAvailable`` with a readable reason: a timeout, a refused
connection, a refused key (401), an unknown model (404), any other HTTP status. The key never
appears in a result or a message.

``check_form_engine`` tests what the form holds (typed base URL, model and key; the stored key
when none is typed) before it is saved.

Threading: blocks on the network on the calling thread; GUI callers run it in a worker.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from app.db.models import Restaurant
from app.errors import InvalidInput, NotAvailable, NotFound
from app.services import settings_form
from app.services.accounts import UserSummary
from app.services.database import Database
from app.services.permissions import Permission, require
from app.services.restaurant_settings import FieldErrors, RestaurantSettingsInput
from app.sofia.llm_settings import SETTINGS_KEY, LlmSettings, parse_llm_settings

MAX_TEST_SECONDS = 15.0
OPENAI_URL = "https://api.openai.com/v1"
PROMPT = "This is a connection test. Reply with the single word OK."
_FORM_FIELDS = ("sofia_base_url", "sofia_model", "sofia_api_key")


def test_sofia_engine(config: LlmSettings) -> str:
    """One request to ``config``'s server: "gpt-4o-mini answered in 0.4 s." or NotAvailable."""
    import openai  # the client library is heavy; only a test or the engine needs it

    from app.sofia.openai_engine import LOCAL_SERVER_KEY

    key = config.api_key()
    if key is None and config.base_url is None:
        raise NotAvailable("Enter an API key, or the base URL of a local server, to test.")
    plain = key.reveal() if key else LOCAL_SERVER_KEY
    where = config.base_url or OPENAI_URL
    timeout = min(config.timeout_seconds, MAX_TEST_SECONDS)
    client = openai.OpenAI(api_key=plain, base_url=config.base_url, timeout=timeout,
                           max_retries=0)  # fmt: skip
    started = time.monotonic()
    try:
        completion = client.chat.completions.create(
            model=config.model, messages=[{"role": "user", "content": PROMPT}], max_tokens=5
        )
    except openai.APITimeoutError:
        raise NotAvailable(f"No answer from {where} within {timeout:g} seconds.") from None
    except openai.APIConnectionError as exc:
        raise NotAvailable(f"Could not connect to {where}: {_reason(exc)}.") from None
    except openai.AuthenticationError:
        raise NotAvailable(f"{where} refused the API key (HTTP 401).") from None
    except openai.NotFoundError as exc:
        raise NotAvailable(
            f"{where} does not know the model {config.model!r}, or the base URL is wrong "
            f"(HTTP 404){_detail(exc, plain)}"
        ) from None
    except openai.APIStatusError as exc:
        raise NotAvailable(
            f"{where} answered HTTP {exc.status_code}{_detail(exc, plain)}"
        ) from None
    except openai.OpenAIError as exc:
        raise NotAvailable(
            f"{where} answered, but not like an OpenAI-compatible API ({type(exc).__name__})."
        ) from None
    finally:
        client.close()
    seconds = time.monotonic() - started
    if not getattr(completion, "choices", None):
        raise NotAvailable(f"{where} answered, but with no reply.")
    model = getattr(completion, "model", None) or config.model
    return f"Connected: {model} answered in {seconds:.1f} s."


test_sofia_engine.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def check_form_engine(
    db: Database,
    restaurant_id: int,
    changes: RestaurantSettingsInput,
    *,
    user: UserSummary | None,
) -> str:
    """Test the engine the form describes; ``FieldErrors`` for a bad base URL, model or key."""
    require(user, Permission.SETTINGS)
    provided = {k: v for k, v in changes.provided().items() if k in _FORM_FIELDS}
    clean, errors = settings_form.check_fields(provided)
    if errors:
        raise FieldErrors(errors)
    with db.unit_of_work() as uow:
        restaurant = uow.session.get(Restaurant, restaurant_id)
        if restaurant is None:
            raise NotFound(f"There is no restaurant with id {restaurant_id}.")
        stored = restaurant.settings
    raw = stored.get(SETTINGS_KEY) if isinstance(stored, dict) else None
    raw = raw if isinstance(raw, dict) else {}
    try:  # the stored values under the form's (the engine is forced: the test is of openai)
        config = parse_llm_settings({SETTINGS_KEY: {**raw, "engine": "offline"}})
    except InvalidInput:  # a malformed stored configuration: test the form's values alone
        config = LlmSettings()
    changed: dict[str, Any] = {"engine": "openai"}
    for name, attr in (("sofia_base_url", "base_url"), ("sofia_model", "model"),
                       ("sofia_api_key", "api_key_token")):  # fmt: skip
        if name in clean:
            changed[attr] = clean[name]
    return test_sofia_engine(replace(config, **changed))


check_form_engine.__test__ = False  # type: ignore[attr-defined]


def _reason(exc: BaseException) -> str:
    """The root cause of a failed connection, in words ("connection refused")."""
    root: BaseException = exc
    while root.__cause__ is not None or root.__context__ is not None:
        root = root.__cause__ or root.__context__  # type: ignore[assignment]
    text = str(root) or type(root).__name__
    lowered = text.lower()
    if "refused" in lowered:
        return "the connection was refused (is the server running, and is the port right?)"
    if "name or service not known" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
        return "the host name is unknown"
    if "certificate" in lowered or "ssl" in lowered:
        return f"a secure connection failed ({text[:120]})"
    return text[:160]


def _detail(exc: Any, key: str) -> str:
    """The server's own error message, shortened, never carrying the key."""
    body = getattr(exc, "body", None)
    message = ""
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = str(inner.get("message") or "") if isinstance(inner, dict) else str(inner)
    elif isinstance(body, str):
        message = body
    message = message.replace(key, "••••").strip()[:200]
    return f": {message}" if message else "."
