"""How well Sofia's offline parser reads the labelled guest messages in tests/data.

    .venv/bin/python benchmarks/sofia_eval.py [--errors]

Prints, per field and per language, the share of messages where ``parse_message`` gives exactly
the labelled value (a field the message does not state must come back empty), and the share
among the messages that do state the field. Beside the date and time figures stand those of
``dateparser`` (``pip install -e .[bench]``), the usual off-the-shelf reference, run the way a
peer would use it: ``search_dates`` over the message (``dateparser.parse`` on the whole message
when the search finds nothing) with ``RELATIVE_BASE`` = the item's "now" in the restaurant's
timezone, ``PREFER_DATES_FROM='future'``, day-first dates and the message's language. A match
that carries only a clock time ("at 7pm" → today 19:00) counts as a time, not as a date.

Mean parse time per message is shown for both. ``--errors`` lists every misread message.
Items marked ``"split": "holdout"`` were written and labelled after the first round of parser
fixes, as a check that those fixes generalise; their figures are also shown on their own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.sofia.parsing import parse_message, to_json_dict  # noqa: E402

DATA = ROOT / "tests" / "data" / "sofia_messages.jsonl"
TIMEZONE = "Europe/Moscow"
DEFAULT_NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo(TIMEZONE))  # a Tuesday
FIELDS = ("intent", "date", "time", "party_size", "name", "phone", "language")
LANGUAGES = ("en", "ru")
TARGET = 0.97

Prediction = dict[str, Any]


def load_items(path: Path = DATA) -> list[dict[str, Any]]:
    """The labelled messages, one JSON object a line (blank lines ignored)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def item_now(item: dict[str, Any]) -> datetime:
    """The moment the message was sent: the item's own "now", else Tuesday 24 Nov 2026 10:00."""
    return datetime.fromisoformat(item["now"]) if item.get("now") else DEFAULT_NOW


def ours(item: dict[str, Any]) -> Prediction:
    return to_json_dict(parse_message(item["text"], item_now(item), TIMEZONE))


def dateparser_reader() -> Callable[[dict[str, Any]], Prediction] | None:
    """A date/time reader built on ``dateparser``, or None when it is not installed."""
    try:
        import dateparser
        from dateparser.search import search_dates
    except ImportError:
        return None
    warnings.filterwarnings("ignore", module="dateparser")

    def read(item: dict[str, Any]) -> Prediction:
        base = item_now(item).astimezone(ZoneInfo(TIMEZONE)).replace(tzinfo=None)
        settings = {
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
            "RETURN_TIME_AS_PERIOD": True,
        }
        languages = [item["language"]]
        found = search_dates(item["text"], languages=languages, settings=settings) or []
        if not found:
            whole = dateparser.parse(item["text"], languages=languages, settings=settings)
            found = [(item["text"], whole)] if whole else []
        data_parser = dateparser.DateDataParser(languages=languages, settings=settings)
        day = clock = None
        for text, moment in found:
            period = data_parser.get_date_data(text).period
            with_day = dateparser.parse(
                text, languages=languages, settings={**settings, "REQUIRE_PARTS": ["day"]}
            )
            time_only = period == "time" and with_day is None and moment.date() == base.date()
            if day is None and not time_only:
                day = moment.date().isoformat()
            if clock is None and period == "time":
                clock = moment.strftime("%H:%M")
        return {"date": day, "time": clock}

    return read


def run(
    items: list[dict[str, Any]], reader: Callable[[dict[str, Any]], Prediction]
) -> tuple[list[Prediction], float]:
    """Every item's prediction and the mean seconds per message."""
    started = time.perf_counter()
    predictions = [reader(item) for item in items]
    return predictions, (time.perf_counter() - started) / max(len(items), 1)


def accuracy(
    items: list[dict[str, Any]],
    predictions: list[Prediction],
    field: str,
    language: str | None = None,
    stated_only: bool = False,
) -> tuple[int, int]:
    """(correct, total) for ``field``, optionally one language or only items stating it."""
    correct = total = 0
    for item, predicted in zip(items, predictions, strict=True):
        if language and item["language"] != language:
            continue
        if stated_only and item[field] is None:
            continue
        total += 1
        correct += predicted.get(field) == item[field]
    return correct, total


def _pct(pair: tuple[int, int]) -> str:
    correct, total = pair
    return f"{100 * correct / total:5.1f}%" if total else "    - "


def report(items: list[dict[str, Any]], show_errors: bool = False) -> bool:
    """Print the tables; True when every field meets the target in every language."""
    counts = {lang: sum(1 for i in items if i["language"] == lang) for lang in LANGUAGES}
    print(f"{len(items)} labelled messages ({', '.join(f'{k} {v}' for k, v in counts.items())})")
    predicted, seconds = run(items, ours)
    reference = dateparser_reader()
    ref_predicted, ref_seconds = run(items, reference) if reference else ([], 0.0)

    header = f"{'field':<11}" + "".join(f"{lang:>9}" for lang in (*LANGUAGES, "all"))
    header += f"{'stated':>9}"
    if reference:
        header += "   |  dateparser" + "".join(f"{lang:>9}" for lang in (*LANGUAGES, "all"))
        header += f"{'stated':>9}"
    print("\nexact-match accuracy (an unstated field must come back empty); "
          "'stated' = only messages that state the field")  # fmt: skip
    print(header)
    met = True
    for field in FIELDS:
        row = f"{field:<11}"
        for lang in LANGUAGES:
            pair = accuracy(items, predicted, field, lang)
            met &= pair[1] == 0 or pair[0] / pair[1] >= TARGET
            row += f"{_pct(pair):>9}"
        row += f"{_pct(accuracy(items, predicted, field)):>9}"
        row += f"{_pct(accuracy(items, predicted, field, stated_only=True)):>9}"
        if reference and field in ("date", "time"):
            row += "   |            "
            for lang in (*LANGUAGES, None):
                row += f"{_pct(accuracy(items, ref_predicted, field, lang)):>9}"
            row += f"{_pct(accuracy(items, ref_predicted, field, stated_only=True)):>9}"
        print(row)
    all_fields = sum(
        all(p[f] == i[f] for f in FIELDS) for i, p in zip(items, predicted, strict=True)
    )
    print(f"\nevery field right: {all_fields}/{len(items)} messages")
    held = [n for n, item in enumerate(items) if item.get("split") == "holdout"]
    if held:
        held_items = [items[n] for n in held]
        held_predicted = [predicted[n] for n in held]
        figures = ", ".join(
            f"{field} {_pct(accuracy(held_items, held_predicted, field)).strip()}"
            for field in FIELDS
        )
        print(f"held-out messages ({len(held)}): {figures}")
    print(f"mean parse time: offline parser {seconds * 1000:.3f} ms per message", end="")
    if reference:
        print(f"; dateparser {ref_seconds * 1000:.3f} ms per message (dates and times only)")
    else:
        print("\ndateparser is not installed (pip install -e .[bench]): reference figures skipped")
    print(f"target >= {TARGET:.0%} per field and language: {'MET' if met else 'MISSED'}")

    if show_errors:
        print("\nmisread messages:")
        for item, got in zip(items, predicted, strict=True):
            wrong = [f"{f}: {got[f]!r} (label {item[f]!r})" for f in FIELDS if got[f] != item[f]]
            if wrong:
                print(f"  {item['id']} {item['text']!r}\n      " + "; ".join(wrong))
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every misread message")
    parser.add_argument("--data", type=Path, default=DATA, help="the labelled JSONL file")
    args = parser.parse_args(argv)
    report(load_items(args.data), show_errors=args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
