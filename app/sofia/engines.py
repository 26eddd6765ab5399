"""Choosing an engine by name: ``offline`` (built in, the default) or ``openai``.

The openai engine is configured by ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` / ``TOBEOUT_AI_MODEL``
(ARCHITECTURE.md) and lives in ``app.sofia.openai_engine`` when installed; without a key it is
refused with a message saying what to set, rather than failing on the first guest message.
"""

from __future__ import annotations

import importlib
import os

from app.errors import InvalidInput
from app.sofia.engine import SofiaEngine
from app.sofia.offline_engine import OfflineEngine

ENGINE_NAMES = ("offline", "openai")


def openai_configured() -> bool:
    return bool(os.environ.get("OPENAI_API_KEY", "").strip())


def engine_by_name(name: str) -> SofiaEngine:
    """The engine called ``name``; ``InvalidInput`` when it is unknown or not configured."""
    key = (name or "offline").strip().lower()
    if key == "offline":
        return OfflineEngine()
    if key != "openai":
        raise InvalidInput(f"Unknown engine {name!r}; use one of: {', '.join(ENGINE_NAMES)}.")
    if not openai_configured():
        raise InvalidInput(
            "The openai engine is not configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for an "
            "OpenAI-compatible server, TOBEOUT_AI_MODEL for the model), or use --engine offline."
        )
    try:
        module = importlib.import_module("app.sofia.openai_engine")
    except ModuleNotFoundError:
        raise InvalidInput(
            "The openai engine is not available in this build; use --engine offline."
        ) from None
    factory = getattr(module, "from_environment", None)
    if factory is None:
        raise InvalidInput("The openai engine cannot be started; use --engine offline.")
    engine: SofiaEngine = factory()
    return engine
