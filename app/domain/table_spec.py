"""What a dining table may look like: checked before it reaches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.db.enums import TableShape, TableStatus
from app.domain import fields
from app.errors import InvalidInput

TABLE_FEATURES = {
    "window", "private", "accessible", "quiet", "business-friendly", "outdoor", "booth", "bar",
    "high-top", "sofa", "view", "fireplace",
}  # fmt: skip
OCCASIONS_PREFERRED = {"business", "romantic", "family", "celebration", "casual", "date"}
POSITION_KEYS = {"x", "y", "width", "height", "rotation", "area"}
# Ten metres of table would not fit through the door; a larger value is a units mistake.
MAX_TABLE_SIZE_CM = 1000
MAX_FLOOR_CM = 100_000


@dataclass(frozen=True)
class TableSpec:
    name: str
    min_guests: int
    max_guests: int
    shape: TableShape = TableShape.SQUARE
    status: TableStatus = TableStatus.FREE
    position: dict[str, Any] = field(default_factory=dict)
    features: list[str] = field(default_factory=list)
    priority: int = 5
    is_active: bool = True
    notes: str | None = None
    ai_score: float = 0.5
    preferred_for: list[str] = field(default_factory=list)


def parse_position(raw: Any, what: str) -> dict[str, Any]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvalidInput(f"{what} must be an object with x, y, width, height, rotation, area.")
    fields.check_keys(raw, POSITION_KEYS, what)
    position: dict[str, Any] = {
        "x": fields.number(
            raw.get("x", 0), f"{what}.x", minimum=-MAX_FLOOR_CM, maximum=MAX_FLOOR_CM
        ),
        "y": fields.number(
            raw.get("y", 0), f"{what}.y", minimum=-MAX_FLOOR_CM, maximum=MAX_FLOOR_CM
        ),
        "width": fields.number(
            raw.get("width", 80), f"{what}.width", minimum=20, maximum=MAX_TABLE_SIZE_CM
        ),
        "height": fields.number(
            raw.get("height", 80), f"{what}.height", minimum=20, maximum=MAX_TABLE_SIZE_CM
        ),
        "rotation": fields.number(raw.get("rotation", 0), f"{what}.rotation") % 360,
        "area": fields.text(raw.get("area"), f"{what}.area", max_length=100) or "Main room",
    }
    return position


def parse_table(raw: Any, what: str = "table") -> TableSpec:
    if not isinstance(raw, dict):
        raise InvalidInput(f"{what} must be an object.")
    fields.check_keys(raw, {*TableSpec.__dataclass_fields__, "position"}, what)
    name = fields.required_text(raw.get("name"), f"{what}.name", max_length=100)
    what = f"table {name!r}"
    min_guests = fields.integer(
        raw.get("min_guests", 1), f"{what}: min_guests", minimum=1, maximum=100
    )
    if "max_guests" not in raw:
        raise InvalidInput(f"{what}: max_guests is required.")
    max_guests = fields.integer(raw["max_guests"], f"{what}: max_guests", minimum=1, maximum=100)
    if max_guests < min_guests:
        raise InvalidInput(f"{what}: max_guests ({max_guests}) is below min_guests ({min_guests}).")
    return TableSpec(
        name=name,
        min_guests=min_guests,
        max_guests=max_guests,
        shape=fields.choice(raw.get("shape", "square"), TableShape, f"{what}: shape"),
        status=fields.choice(raw.get("status", "free"), TableStatus, f"{what}: status"),
        position=parse_position(raw.get("position"), f"{what}: position"),
        features=fields.text_list(raw.get("features"), f"{what}: features", allowed=TABLE_FEATURES),
        priority=fields.integer(raw.get("priority", 5), f"{what}: priority", minimum=1, maximum=10),
        is_active=fields.boolean(raw.get("is_active", True), f"{what}: is_active"),
        notes=fields.text(raw.get("notes"), f"{what}: notes", max_length=2000),
        ai_score=fields.number(raw.get("ai_score", 0.5), f"{what}: ai_score", minimum=0, maximum=1),
        preferred_for=fields.text_list(
            raw.get("preferred_for"), f"{what}: preferred_for", allowed=OCCASIONS_PREFERRED
        ),
    )
