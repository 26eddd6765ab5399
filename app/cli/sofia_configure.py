"""``sofia configure``: store a restaurant's LLM engine settings (the API key read from stdin).

    printf '%s\\n' "$KEY" | python main.py sofia configure --restaurant 1 \\
        --base-url http://127.0.0.1:11434/v1 --model llama3.1

The key is read from a terminal prompt or the first line of piped stdin; an empty line keeps the
stored key (``--no-api-key`` removes it; local servers need none). It is encrypted before it is
written and never printed. The settings (without the key) are printed on stdout.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from app.cli.context import open_db
from app.cli.output import emit_json, say
from app.errors import InvalidInput
from app.sofia.llm_settings import ENGINES, configure_llm


def register_configure(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cfg = actions.add_parser("configure", help="set Sofia's LLM engine (API key on stdin)")
    cfg.add_argument("--restaurant", type=int, required=True, metavar="ID")
    cfg.add_argument("--engine", choices=ENGINES, default="openai",
                     help="the engine guests get (default: openai)")  # fmt: skip
    cfg.add_argument("--base-url", metavar="URL", help="OpenAI-compatible API base URL")
    cfg.add_argument("--model", metavar="M")
    cfg.add_argument("--timeout", type=float, metavar="SECONDS")
    cfg.add_argument("--max-retries", type=int, metavar="N")
    cfg.add_argument("--max-tool-rounds", type=int, metavar="N")
    cfg.add_argument("--price", action="append", default=[], metavar="MODEL=IN:OUT",
                     help="USD per 1M input:output tokens, e.g. gpt-4o-mini=0.15:0.60")  # fmt: skip
    cfg.add_argument("--no-api-key", action="store_true", help="remove the stored key")
    cfg.add_argument("--json", action="store_true")
    cfg.set_defaults(handler=_configure)


def _read_key() -> str | None:
    """The key from a prompt or the first stdin line; None (keep the stored one) when empty."""
    if sys.stdin.isatty():
        line = getpass.getpass("API key (empty: keep the stored one): ")
    else:
        line = sys.stdin.readline()
    return line.strip() or None


def _prices(raw: list[str]) -> dict[str, dict[str, float]] | None:
    if not raw:
        return None
    prices = {}
    for item in raw:
        model, _, amounts = item.partition("=")
        low, _, high = amounts.partition(":")
        try:
            prices[model.strip()] = {"input": float(low), "output": float(high)}
        except ValueError:
            raise InvalidInput(f"--price must be MODEL=IN:OUT, like gpt-4o-mini=0.15:0.60, "
                               f"not {item!r}.") from None  # fmt: skip
    return prices


def _configure(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {"engine": args.engine}
    for option, name in (("base_url", "base_url"), ("model", "model"),
                         ("timeout", "timeout_seconds"), ("max_retries", "max_retries"),
                         ("max_tool_rounds", "max_tool_rounds")):  # fmt: skip
        if getattr(args, option) is not None:
            changes[name] = getattr(args, option)
    prices = _prices(args.price)
    if prices is not None:
        changes["prices"] = prices
    if args.no_api_key:
        changes["api_key"] = None
    else:
        key = _read_key()
        if key is not None:
            changes["api_key"] = key
    db = open_db(args)
    try:
        settings = configure_llm(db, args.restaurant, **changes)
    finally:
        db.close()
    document = settings.to_json()
    if args.json:
        emit_json(document)
    else:
        for key, value in document.items():
            print(f"{key}: {'-' if value is None else value}")
    say(f"Sofia's engine for restaurant {args.restaurant}: {settings.engine}.")
    return 0
