"""The demo floor plan: four areas around corridors, about forty tables on a grid (centimetres)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.db.enums import TableShape, TableStatus
from app.db.models import DiningTable
from app.domain.table_spec import TableSpec, parse_table

SQUARE, ROUND, RECT = TableShape.SQUARE, TableShape.ROUND, TableShape.RECTANGULAR


@dataclass(frozen=True)
class Area:
    name: str
    x: int
    y: int
    width: int
    height: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "x": self.x, "y": self.y, "w": self.width, "h": self.height}


# The main room, with the terrace beside it and the bar and private room below the terrace;
# 200 cm corridors, so no two areas share floor. Compact rather than in one long row: the
# fitted floor plan on a 1366-px host stand then draws tables half as large again.
AREAS: tuple[Area, ...] = (
    Area("Main room", 0, 0, 1500, 1000),
    Area("Terrace", 1700, 0, 900, 800),
    Area("Bar", 1700, 1000, 500, 400),
    Area("Private room", 2400, 1000, 700, 600),
)
_AREA = {area.name: area for area in AREAS}

# Tables a host may push together for a larger party (names as below).
COMBINATIONS: tuple[tuple[str, ...], ...] = (
    ("W1", "W2"),
    ("W3", "W4"),
    ("M1", "M2"),
    ("M3", "M4"),
    ("M6", "M7"),
    ("T5", "T6"),
    ("P2", "P3"),
)

MAINTENANCE_TABLE = "M10"
INACTIVE_TABLE = "T10"


def _table(
    name: str,
    area: str,
    x: int,
    y: int,
    size: tuple[int, int],
    shape: TableShape,
    guests: tuple[int, int],
    priority: int,
    features: tuple[str, ...] = (),
    preferred: tuple[str, ...] = (),
    notes: str | None = None,
) -> dict[str, Any]:
    """One table as an import document entry, so it passes the same checks as an import."""
    origin = _AREA[area]
    return {
        "name": name,
        "min_guests": guests[0],
        "max_guests": guests[1],
        "shape": shape.value,
        "position": {
            "x": origin.x + x,
            "y": origin.y + y,
            "width": size[0],
            "height": size[1],
            "rotation": 0,
            "area": area,
        },
        "features": list(features),
        "priority": priority,
        "notes": notes,
        "preferred_for": list(preferred),
    }


def _layout() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    # Main room: a row of window two-tops, a fireplace table, a 4-top grid, rounds and booths.
    for i in range(6):
        rows.append(
            _table(
                f"W{i + 1}", "Main room", 80 + i * 190, 60, (70, 70), SQUARE, (1, 2), 8,
                ("window", "quiet") if i in (0, 5) else ("window",),
                ("date", "romantic"),
            )
        )  # fmt: skip
    rows.append(
        _table("F1", "Main room", 1300, 50, (80, 80), ROUND, (1, 2), 9, ("fireplace", "quiet"),
               ("romantic", "date"), "Closest to the fireplace; guests ask for it by name.")
    )  # fmt: skip
    for i in range(10):
        features = ("accessible",) if i in (0, 5) else ("business-friendly",) if i == 4 else ()
        rows.append(
            _table(
                f"M{i + 1}", "Main room", 80 + (i % 5) * 220, 280 + (i // 5) * 220, (90, 90),
                SQUARE, (2, 4), 6 if i % 5 else 5, features,
                ("business", "casual") if i == 4 else ("casual", "family"),
                "Step-free route from the entrance." if "accessible" in features else None,
            )
        )  # fmt: skip
    for i in range(2):
        rows.append(
            _table(f"R{i + 1}", "Main room", 80 + i * 300, 760, (150, 150), ROUND, (4, 6), 6,
                   ("accessible",) if i == 0 else (), ("family", "celebration"))
        )  # fmt: skip
    for i in range(4):
        rows.append(
            _table(f"B{i + 1}", "Main room", 1250, 260 + i * 150, (180, 100), RECT, (4, 6), 7,
                   ("booth", "sofa", "quiet") if i == 3 else ("booth", "sofa"),
                   ("family", "celebration", "business"))
        )  # fmt: skip
    # Terrace: a heated veranda over Tverskaya; the view two-tops go first.
    for i in range(4):
        rows.append(
            _table(f"T{i + 1}", "Terrace", 80 + i * 200, 60, (70, 70), ROUND, (1, 2), 7,
                   ("outdoor", "view"), ("date", "romantic"))
        )  # fmt: skip
    for i in range(4):
        rows.append(
            _table(f"T{i + 5}", "Terrace", 80 + i * 200, 280, (90, 90), SQUARE, (2, 4), 6,
                   ("outdoor",), ("casual",))
        )  # fmt: skip
    for i in range(2):
        rows.append(
            _table(f"T{i + 9}", "Terrace", 80 + i * 340, 520, (180, 90), RECT, (4, 6), 5,
                   ("outdoor", "view") if i == 0 else ("outdoor",), ("family", "celebration"))
        )  # fmt: skip
    # Private room: held back for groups and meetings (low priority for walk-in pairs).
    rows.append(
        _table("P1", "Private room", 80, 100, (300, 110), RECT, (6, 10), 4,
               ("private", "quiet", "business-friendly"), ("business", "celebration"),
               "Projector and screen on request; deposit for 8 or more guests.")
    )  # fmt: skip
    rows.append(
        _table("P2", "Private room", 80, 340, (150, 150), ROUND, (4, 6), 4,
               ("private", "quiet"), ("family", "celebration"))
    )  # fmt: skip
    rows.append(
        _table("P3", "Private room", 420, 370, (90, 90), SQUARE, (2, 4), 4,
               ("private", "quiet", "business-friendly"), ("business",))
    )  # fmt: skip
    # Bar: high-tops for one or two, first choice for walk-ins.
    for i in range(6):
        rows.append(
            _table(f"BR{i + 1}", "Bar", 60 + (i % 3) * 140, 80 + (i // 3) * 160, (60, 60),
                   SQUARE, (1, 2), 3, ("bar", "high-top"), ("casual",))
        )  # fmt: skip
    return rows


def demo_table_specs() -> list[TableSpec]:
    specs = [parse_table(raw, f"demo table {raw['name']}") for raw in _layout()]
    return [_with_state(spec) for spec in specs]


def _with_state(spec: TableSpec) -> TableSpec:
    """Exactly one table under repair and one stored away, as on any real floor."""
    values = dict(spec.__dict__)
    if spec.name == MAINTENANCE_TABLE:
        values["status"] = TableStatus.MAINTENANCE
        values["notes"] = "Wobbly leg: carpenter booked, do not seat."
    elif spec.name == INACTIVE_TABLE:
        values["is_active"] = False
        values["notes"] = "Stored for the winter season."
    return TableSpec(**values)


def build_tables(specs: list[TableSpec], now: dt.datetime, score: list[float]) -> list[DiningTable]:
    """ORM rows for the specs; ``score`` gives each table's AI utilisation score."""
    tables: list[DiningTable] = []
    for spec, ai_score in zip(specs, score, strict=True):
        values = dict(spec.__dict__)
        values["ai_score"] = round(ai_score, 2)
        tables.append(DiningTable(**values, last_cleaned=now - dt.timedelta(hours=2)))
    return tables


def is_bookable(table: DiningTable) -> bool:
    return table.is_active and table.status != TableStatus.MAINTENANCE
