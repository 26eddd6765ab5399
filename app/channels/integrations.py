"""A restaurant's channel integrations: add, edit, enable/disable, list, read credentials.

Credentials are stored as one Fernet token of their JSON (``app.security.secrets``) and never
leave this module in clear except as ``Secret`` objects handed to the channel client; listings
show ``••••`` and the last four characters. Settings are validated field by field; the API base
URL defaults to the official one and can point at Telegram's local Bot API server (or a test
server). Writes need the integrations permission (managers and admins; ``None`` is the machine's
own operator).

Threading: every call is one unit of work on the calling thread; GUI callers run it in a worker.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from app.db.enums import IntegrationType
from app.db.models import IntegrationSetting, Restaurant
from app.domain import fields
from app.errors import Conflict, InvalidInput, NotFound
from app.security.secrets import Secret, SecretUnreadable, decrypt, encrypt
from app.services.accounts import UserSummary
from app.services.database import Database
from app.services.permissions import Permission, require

TELEGRAM_API = "https://api.telegram.org"
WHATSAPP_API = "https://graph.facebook.com"  # the version is the api_version setting
DEFAULT_POLL_TIMEOUT = 25  # seconds of getUpdates long polling
MASK = "••••"
_TELEGRAM_TOKEN = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{20,100}")
# Telegram's documented limits: about 1 message/s per chat (short bursts allowed), 30/s overall.
DEFAULT_RATE_LIMITS = {
    IntegrationType.TELEGRAM: {"per_chat_per_second": 1.0, "per_chat_burst": 3,
                               "total_per_second": 30.0},
    IntegrationType.WHATSAPP: {"per_chat_per_second": 1 / 6, "per_chat_burst": 1,
                               "total_per_second": 80.0},
}  # fmt: skip
_SETTING_KEYS = {"api_base_url", "poll_timeout", "poll_limit", "api_version", "reminder_template",
                 "confirmation_template", "template_language"}  # fmt: skip
_API_VERSION = re.compile(r"v[0-9]{1,3}\.[0-9]{1,3}")
_TEMPLATE_NAME = re.compile(r"[a-z0-9_]{1,512}")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(_[A-Za-z]{2,4})?")
_RATE_KEYS = {"per_chat_per_second", "per_chat_burst", "total_per_second"}


@dataclass(frozen=True)
class IntegrationView:
    id: int
    restaurant_id: int
    type: IntegrationType
    is_active: bool
    api_base_url: str
    credential_hint: str  # "••••" + the last four characters, never more
    settings: dict[str, Any]
    rate_limits: dict[str, Any]
    features: list[str]
    last_sync: dt.datetime | None
    error_count: int
    last_error: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "restaurant_id": self.restaurant_id, "type": self.type.value,
            "is_active": self.is_active, "api_base_url": self.api_base_url,
            "credentials": self.credential_hint, "settings": self.settings,
            "rate_limits": self.rate_limits, "features": self.features,
            "last_sync": self.last_sync.isoformat() if self.last_sync else None,
            "error_count": self.error_count, "last_error": self.last_error,
        }  # fmt: skip


@dataclass(frozen=True)
class ChannelAccess:
    """What the worker needs to talk to a channel: the only place credentials are decrypted."""

    integration_id: int
    restaurant_id: int
    type: IntegrationType
    api_base_url: str
    credentials: dict[str, Secret]
    settings: dict[str, Any]
    rate_limits: dict[str, float]


def add_telegram(
    db: Database,
    restaurant_id: int,
    token: str | Secret,
    *,
    api_base_url: str | None = None,
    poll_timeout: int | None = None,
    user: UserSummary | None = None,
    replace: bool = False,
) -> IntegrationView:
    """Store a Telegram bot (active); ``Conflict`` if the restaurant has one, unless ``replace``."""
    require(user, Permission.INTEGRATIONS)
    plain = token.reveal() if isinstance(token, Secret) else str(token or "")
    plain = plain.strip()
    if not _TELEGRAM_TOKEN.fullmatch(plain):
        raise InvalidInput(
            "The bot token does not look like a Telegram token (digits, a colon, then letters "
            "and digits, as @BotFather gives it)."
        )
    settings = validate_settings(
        {"api_base_url": api_base_url or TELEGRAM_API, "poll_timeout": poll_timeout}
    )
    return _store(db, restaurant_id, IntegrationType.TELEGRAM, {"token": plain}, settings, replace)


def add_whatsapp(
    db: Database,
    restaurant_id: int,
    *,
    phone_number_id: str,
    access_token: str | Secret,
    app_secret: str | Secret,
    verify_token: str | Secret,
    api_base_url: str | None = None,
    api_version: str | None = None,
    user: UserSummary | None = None,
    replace: bool = False,
) -> IntegrationView:
    """Store a WhatsApp Cloud API number (sending and the webhook are the worker's)."""
    require(user, Permission.INTEGRATIONS)
    number_id = fields.required_text(phone_number_id, "phone number id", max_length=64)
    if not number_id.isdigit():
        raise InvalidInput("The WhatsApp phone number id is the number Meta shows, digits only.")
    secrets: dict[str, str] = {}
    for key, value in (("access_token", access_token), ("app_secret", app_secret),
                       ("verify_token", verify_token)):  # fmt: skip
        plain = (value.reveal() if isinstance(value, Secret) else str(value or "")).strip()
        if len(plain) < 8:
            raise InvalidInput(f"The WhatsApp {key.replace('_', ' ')} is missing or too short.")
        secrets[key] = plain
    settings = validate_settings(
        {"api_base_url": api_base_url or WHATSAPP_API, "api_version": api_version}
    )
    settings["phone_number_id"] = number_id
    return _store(db, restaurant_id, IntegrationType.WHATSAPP, secrets, settings, replace)


def update_settings(
    db: Database,
    integration_id: int,
    *,
    settings: dict[str, Any] | None = None,
    rate_limits: dict[str, Any] | None = None,
    user: UserSummary | None = None,
) -> IntegrationView:
    """Change non-secret settings and rate limits (only the keys given)."""
    require(user, Permission.INTEGRATIONS)
    with db.unit_of_work() as uow:
        row = _get(uow.session, integration_id)
        if settings:
            row.settings = {**(row.settings or {}), **validate_settings(settings, partial=True)}
        if rate_limits:
            row.rate_limits = {**(row.rate_limits or {}), **validate_rate_limits(rate_limits)}
        view = _view(row)
        uow.changed("integration", row.id)
        uow.commit()
        return view


def set_active(
    db: Database, integration_id: int, active: bool, *, user: UserSummary | None = None
) -> IntegrationView:
    """Enable or disable; enabling clears the error state so the worker tries it afresh."""
    require(user, Permission.INTEGRATIONS)
    with db.unit_of_work() as uow:
        row = _get(uow.session, integration_id)
        row.is_active = bool(active)
        if active:
            row.error_count = 0
            row.last_error = None
        view = _view(row)
        uow.changed("integration", row.id)
        uow.commit()
        return view


def list_integrations(
    db: Database, restaurant_id: int | None = None, *, user: UserSummary | None = None
) -> list[IntegrationView]:
    require(user, Permission.INTEGRATIONS)
    with db.unit_of_work() as uow:
        query = select(IntegrationSetting).order_by(IntegrationSetting.id)
        if restaurant_id is not None:
            query = query.where(IntegrationSetting.restaurant_id == restaurant_id)
        return [_view(row) for row in uow.session.scalars(query)]


def active_accesses(
    db: Database, restaurant_id: int | None = None, types: tuple[IntegrationType, ...] = ()
) -> list[ChannelAccess]:
    """Every active integration with its decrypted credentials (the worker's view)."""
    with db.unit_of_work() as uow:
        query = select(IntegrationSetting).where(IntegrationSetting.is_active.is_(True))
        if restaurant_id is not None:
            query = query.where(IntegrationSetting.restaurant_id == restaurant_id)
        if types:
            query = query.where(IntegrationSetting.type.in_(types))
        rows = list(uow.session.scalars(query.order_by(IntegrationSetting.id)))
        return [access_of(row) for row in rows]


def access_of(row: IntegrationSetting) -> ChannelAccess:
    creds = _credentials(row)
    limits = {**DEFAULT_RATE_LIMITS.get(row.type, {}), **(row.rate_limits or {})}
    return ChannelAccess(
        integration_id=row.id, restaurant_id=row.restaurant_id, type=row.type,
        api_base_url=str((row.settings or {}).get("api_base_url") or _default_url(row.type)),
        credentials=creds, settings=dict(row.settings or {}),
        rate_limits={k: float(v) for k, v in limits.items()},
    )  # fmt: skip


def validate_settings(raw: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """The known, checked non-secret settings of ``raw`` (``None`` values are left out)."""
    if not isinstance(raw, dict):
        raise InvalidInput("Integration settings must be an object of named values.")
    fields.check_keys(raw, _SETTING_KEYS | {"phone_number_id"}, "integration settings")
    result: dict[str, Any] = {}
    if raw.get("api_base_url") is not None:
        result["api_base_url"] = api_base_url(raw["api_base_url"])
    if raw.get("poll_timeout") is not None:
        result["poll_timeout"] = fields.integer(raw["poll_timeout"], "poll timeout (seconds)",
                                                minimum=0, maximum=50)  # fmt: skip
    elif not partial and "api_base_url" in result:
        result["poll_timeout"] = DEFAULT_POLL_TIMEOUT
    for key, pattern, what in (
        ("api_version", _API_VERSION, "a Graph API version like v26.0"),
        ("reminder_template", _TEMPLATE_NAME, "a template name (lower case, digits, _)"),
        ("confirmation_template", _TEMPLATE_NAME, "a template name (lower case, digits, _)"),
        ("template_language", _LANGUAGE_CODE, "a language code like en_US"),
    ):
        if raw.get(key) is not None:
            value = str(raw[key]).strip()
            if not pattern.fullmatch(value):
                raise InvalidInput(f"The {key.replace('_', ' ')} must be {what}, not {value!r}.")
            result[key] = value
    if raw.get("poll_limit") is not None:
        result["poll_limit"] = fields.integer(raw["poll_limit"], "poll batch size",
                                              minimum=1, maximum=100)  # fmt: skip
    return result


def validate_rate_limits(raw: dict[str, Any]) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise InvalidInput("Rate limits must be an object of named values.")
    fields.check_keys(raw, _RATE_KEYS, "rate limits")
    for key, value in raw.items():
        if isinstance(value, float) and math.isnan(value):  # passes every comparison
            raise InvalidInput(f"{key.replace('_', ' ')} must be a number, not {value!r}.")
    return {key: fields.number(value, key.replace("_", " "), minimum=0.01, maximum=1000)
            for key, value in raw.items()}  # fmt: skip


def api_base_url(raw: Any) -> str:
    url = fields.required_text(raw, "API base URL", max_length=300).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInput(f"The API base URL must be an http(s) address, not {url!r}.")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidInput("The API base URL takes no query, fragment or login.")
    return url


def hint(credentials: dict[str, Secret]) -> str:
    main = credentials.get("token") or credentials.get("access_token")
    value = main.reveal() if main else ""
    return MASK + value[-4:] if len(value) >= 12 else MASK


# -- helpers ---------------------------------------------------------------------------------


def _store(
    db: Database,
    restaurant_id: int,
    kind: IntegrationType,
    secrets: dict[str, str],
    settings: dict[str, Any],
    replace: bool,
) -> IntegrationView:
    restaurant_id = fields.integer(restaurant_id, "restaurant id")
    with db.unit_of_work() as uow:
        if uow.session.get(Restaurant, restaurant_id) is None:
            raise NotFound(f"There is no restaurant with id {restaurant_id}.")
        row = uow.session.scalars(
            select(IntegrationSetting).where(
                IntegrationSetting.restaurant_id == restaurant_id,
                IntegrationSetting.type == kind,
            )
        ).first()
        if row is not None and not replace:
            raise Conflict(
                f"Restaurant {restaurant_id} already has a {kind.value} integration "
                f"(id {row.id}); replace it to change its credentials."
            )
        if row is None:
            limits = dict(DEFAULT_RATE_LIMITS.get(kind, {}))
            row = IntegrationSetting(
                restaurant_id=restaurant_id, type=kind, features=[], rate_limits=limits
            )
            uow.session.add(row)
        row.credentials = encrypt(json.dumps(secrets))
        row.settings = {**(row.settings or {}), **settings}
        row.is_active = True
        row.error_count = 0
        row.last_error = None
        uow.session.flush()
        view = _view(row)
        uow.changed("integration", row.id)
        uow.commit()
        return view


def _get(session: Any, integration_id: int) -> IntegrationSetting:
    row = session.get(IntegrationSetting, fields.integer(integration_id, "integration id"))
    if row is None:
        raise NotFound(f"There is no integration with id {integration_id}.")
    return row


def _credentials(row: IntegrationSetting) -> dict[str, Secret]:
    secret = decrypt(row.credentials or "", f"the {row.type.value} credentials")
    try:
        data = json.loads(secret.reveal())
    except ValueError:
        raise SecretUnreadable(f"The {row.type.value} credentials are damaged.") from None
    if not isinstance(data, dict):
        raise SecretUnreadable(f"The {row.type.value} credentials are damaged.")
    return {str(k): Secret(str(v)) for k, v in data.items()}


def _view(row: IntegrationSetting) -> IntegrationView:
    try:
        credential_hint = hint(_credentials(row))
    except SecretUnreadable:
        credential_hint = "(unreadable: enter it again)"
    settings = dict(row.settings or {})
    return IntegrationView(
        id=row.id, restaurant_id=row.restaurant_id, type=row.type, is_active=row.is_active,
        api_base_url=str(settings.get("api_base_url") or _default_url(row.type)),
        credential_hint=credential_hint, settings=settings,
        rate_limits={**DEFAULT_RATE_LIMITS.get(row.type, {}), **(row.rate_limits or {})},
        features=list(row.features or []), last_sync=row.last_sync,
        error_count=row.error_count or 0, last_error=row.last_error,
    )  # fmt: skip


def _default_url(kind: IntegrationType) -> str:
    return WHATSAPP_API if kind == IntegrationType.WHATSAPP else TELEGRAM_API
