"""Choosing an engine by name: ``offline`` (built in, the default) or ``openai``.

The openai engine reads the restaurant's stored configuration (app/sofia/llm_settings.py, set
with ``sofia configure``) under the ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` /
``TOBEOUT_AI_MODEL`` environment variables (ARCHITECTURE.md). Without a key (or an own server's
base URL) it is refused with a message saying what to set, rather than failing on the first guest
message. ``engine_for_restaurant`` is the engine a restaurant chose (channels, the panel).
"""

from __future__ import annotations

import os

from app.errors import InvalidInput
from app.services.database import Database
from app.sofia.engine import SofiaEngine
from app.sofia.llm_settings import load_llm_settings, with_environment
from app.sofia.offline_engine import OfflineEngine

ENGINE_NAMES = ("offline", "openai")


def openai_configured(db: Database | None = None, restaurant_id: int | None = None) -> bool:
    """An API key in the environment, or a usable stored configuration for the restaurant."""
    if os.environ.get("OPENAI_API_KEY", "").strip():
        return True
    if db is None or restaurant_id is None:
        return False
    return with_environment(load_llm_settings(db, restaurant_id)).usable


def engine_by_name(
    name: str, db: Database | None = None, restaurant_id: int | None = None
) -> SofiaEngine:
    """The engine called ``name``; ``InvalidInput`` when it is unknown or not configured."""
    key = (name or "offline").strip().lower()
    if key == "offline":
        return OfflineEngine()
    if key != "openai":
        raise InvalidInput(f"Unknown engine {name!r}; use one of: {', '.join(ENGINE_NAMES)}.")
    if not openai_configured(db, restaurant_id):
        raise InvalidInput(
            "The openai engine is not configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for an "
            "OpenAI-compatible server, TOBEOUT_AI_MODEL for the model), or store them with "
            "`sofia configure`, or use --engine offline."
        )
    from app.sofia.openai_engine import from_environment

    return from_environment()


def engine_for_restaurant(db: Database, restaurant_id: int) -> SofiaEngine:
    """The engine the restaurant's settings choose; offline when openai cannot be used."""
    settings = with_environment(load_llm_settings(db, restaurant_id))
    if settings.engine == "openai" and settings.usable:
        from app.sofia.openai_engine import from_environment

        return from_environment()
    return OfflineEngine()
