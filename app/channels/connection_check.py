"""The "Test connection" of an integration: ask the channel who the bot or number is.

Telegram answers ``getMe`` with the bot's username; the WhatsApp Cloud API answers
``GET /{phone-number-id}`` with the number's display name. Credentials are decrypted here for
the one call and never appear in the result or in an error text.

Threading: one blocking network call on the calling thread; GUI callers run it in a worker.
"""

from __future__ import annotations

import requests

from app.channels import integrations
from app.channels.telegram import TelegramClient, TelegramError
from app.channels.whatsapp import messages_url
from app.db.enums import IntegrationType
from app.db.models import IntegrationSetting
from app.errors import NotAvailable, NotFound
from app.services.accounts import UserSummary
from app.services.database import Database
from app.services.permissions import Permission, require

TIMEOUT = (5.0, 10.0)  # connect, read (seconds)


def check_connection(db: Database, integration_id: int, *, user: UserSummary | None = None) -> str:
    """A short description of what answered ("@my_bot"); ``NotAvailable`` when nothing did."""
    require(user, Permission.INTEGRATIONS)
    with db.unit_of_work() as uow:
        row = uow.session.get(IntegrationSetting, integration_id)
        if row is None:
            raise NotFound(f"There is no integration with id {integration_id}.")
        access = integrations.access_of(row)
    if access.type == IntegrationType.TELEGRAM:
        return _telegram(access)
    return _whatsapp(access)


def _telegram(access: integrations.ChannelAccess) -> str:
    token = access.credentials.get("token")
    if token is None:
        raise NotAvailable("The integration has no bot token; enter it again.")
    client = TelegramClient(access.api_base_url, token, max_attempts=2, base_backoff=0.5,
                            read_timeout=TIMEOUT[1])  # fmt: skip
    try:
        bot = client.get_me()
    except TelegramError as exc:
        raise NotAvailable(f"Telegram did not answer as expected: {exc}") from None
    finally:
        client.close()
    return f"@{bot.get('username') or bot.get('first_name') or '?'}"


def _whatsapp(access: integrations.ChannelAccess) -> str:
    token = access.credentials.get("access_token")
    number = str(access.settings.get("phone_number_id") or "")
    if token is None or not number:
        raise NotAvailable("The WhatsApp number is not fully set up; enter its details again.")
    url = messages_url(access.api_base_url, number).removesuffix("/messages")
    try:
        answer = requests.get(url, headers={"Authorization": f"Bearer {token.reveal()}"},
                              timeout=TIMEOUT)  # fmt: skip
    except requests.RequestException as exc:
        raise NotAvailable(f"WhatsApp could not be reached ({type(exc).__name__}).") from None
    try:
        body = answer.json()
    except ValueError:
        body = None
    if answer.status_code != 200 or not isinstance(body, dict):
        detail = ""
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            detail = str(body["error"].get("message") or "")[:200]
        raise NotAvailable(
            f"WhatsApp refused the check (HTTP {answer.status_code})"
            + (f": {detail}" if detail else ".")
        )
    name = body.get("verified_name") or body.get("display_phone_number") or number
    return str(name)
