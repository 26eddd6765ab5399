"""Date and time arithmetic in SQL that gives the same numbers on SQLite and PostgreSQL.

SQLite keeps timestamps as naive UTC text (see ``app.db.types.UTCDateTime``), dates as
``YYYY-MM-DD`` and times as ``HH:MM:SS[.ffffff]``; PostgreSQL has real types. Each construct below
compiles to the matching expression on each, so metric queries are written once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal


class minutes_between(FunctionElement[float]):  # noqa: N801 - reads like the SQL function it is
    """``later - earlier`` in minutes (fractional) for two UTC timestamps."""

    type = Float()
    inherit_cache = True
    name = "minutes_between"


@compiles(minutes_between, "sqlite")
def _minutes_sqlite(element: minutes_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    # Rounded to the millisecond: julianday's doubles are only good to ~50 µs.
    return f"(ROUND((julianday({later}) - julianday({earlier})) * 86400000.0) / 60000.0)"


@compiles(minutes_between, "postgresql")
def _minutes_pg(element: minutes_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return (
        f"CAST(ROUND(EXTRACT(EPOCH FROM ({later} - {earlier})) * 1000) / 60000.0"
        " AS DOUBLE PRECISION)"
    )


class minutes_under(FunctionElement[bool]):  # noqa: N801
    """``minutes_between(later, earlier) < minutes``, for a whole number of minutes.

    The same truth value as that comparison on both databases. On PostgreSQL it compares the
    interval itself: the rounded milliseconds are below ``minutes`` × 60,000 exactly when the
    elapsed microseconds are below that minus 500 (rounding halves away from zero), and an
    interval comparison is integer arithmetic where ``EXTRACT(EPOCH …)`` is ``numeric``.
    """

    type = Boolean()
    inherit_cache = True
    name = "minutes_under"
    # Rendered into the SQL text, so part of the statement cache key (see ``_shifted_day``).
    _traverse_internals = [
        *FunctionElement._traverse_internals,
        ("minutes", InternalTraversal.dp_plain_obj),
    ]

    def __init__(
        self, later: ColumnElement[Any], earlier: ColumnElement[Any], minutes: int
    ) -> None:
        self.minutes = int(minutes)
        super().__init__(later, earlier)


@compiles(minutes_under, "sqlite")
def _minutes_under_sqlite(element: minutes_under, compiler: SQLCompiler, **kw: Any) -> str:
    span = _minutes_sqlite(minutes_between(*element.clauses), compiler, **kw)
    return f"({span} < {element.minutes})"


@compiles(minutes_under, "postgresql")
def _minutes_under_pg(element: minutes_under, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    limit_us = element.minutes * 60_000_000 - 500
    return f"(({later} - {earlier}) < INTERVAL '{limit_us} microseconds')"


class at_least_zero(FunctionElement[float]):  # noqa: N801
    """``value`` if it is positive, else 0.0: the expression is written (and computed) once,
    where ``CASE WHEN value > 0 THEN value ELSE 0.0 END`` would compute it twice."""

    type = Float()
    inherit_cache = True
    name = "at_least_zero"


@compiles(at_least_zero, "sqlite")
def _at_least_zero_sqlite(element: at_least_zero, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"max({value}, 0.0)"


@compiles(at_least_zero, "postgresql")
def _at_least_zero_pg(element: at_least_zero, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"GREATEST({value}, 0.0)"


class days_between(FunctionElement[int]):  # noqa: N801
    """``later - earlier`` in whole days for two dates."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(ROUND(julianday({later}) - julianday({earlier})) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_pg(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


class weekday_of(FunctionElement[int]):  # noqa: N801
    """The weekday of a date, Monday = 0 … Sunday = 6 (Python's ``date.weekday()``)."""

    type = Integer()
    inherit_cache = True
    name = "weekday_of"


@compiles(weekday_of, "sqlite")
def _weekday_sqlite(element: weekday_of, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((CAST(strftime('%w', {day}) AS INTEGER) + 6) % 7)"


@compiles(weekday_of, "postgresql")
def _weekday_pg(element: weekday_of, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(CAST(EXTRACT(ISODOW FROM {day}) AS INTEGER) - 1)"


class hour_of(FunctionElement[int]):  # noqa: N801
    """The hour (0–23) of a local wall-clock ``time`` column."""

    type = Integer()
    inherit_cache = True
    name = "hour_of"


@compiles(hour_of, "sqlite")
def _hour_sqlite(element: hour_of, compiler: SQLCompiler, **kw: Any) -> str:
    (clock,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(substr({clock}, 1, 2) AS INTEGER)"


@compiles(hour_of, "postgresql")
def _hour_pg(element: hour_of, compiler: SQLCompiler, **kw: Any) -> str:
    (clock,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(EXTRACT(HOUR FROM {clock}) AS INTEGER)"


class _shifted_day(FunctionElement[Any]):  # noqa: N801
    type = Date()
    inherit_cache = True
    name = "shifted_day"
    # The offset is rendered into the SQL text, so it must be part of the statement cache key:
    # otherwise a DST period's second segment would reuse the first segment's compiled SQL.
    _traverse_internals = [
        *FunctionElement._traverse_internals,
        ("offset_seconds", InternalTraversal.dp_plain_obj),
    ]

    def __init__(self, instant: ColumnElement[Any], offset_seconds: int) -> None:
        self.offset_seconds = int(offset_seconds)
        super().__init__(instant)


@compiles(_shifted_day, "sqlite")
def _shifted_sqlite(element: _shifted_day, compiler: SQLCompiler, **kw: Any) -> str:
    (instant,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"date({instant}, '{element.offset_seconds:+d} seconds')"


@compiles(_shifted_day, "postgresql")
def _shifted_pg(element: _shifted_day, compiler: SQLCompiler, **kw: Any) -> str:
    (instant,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return (
        f"CAST(({instant} AT TIME ZONE 'UTC')"
        f" + INTERVAL '{element.offset_seconds} seconds' AS DATE)"
    )


def local_day(instant: ColumnElement[Any], offset_seconds: int) -> ColumnElement[Any]:
    """The local calendar day of a UTC timestamp column, for a fixed UTC offset.

    Use within one ``period.OffsetSegment`` (where the offset is constant): that is what keeps
    grouping by local day exact across a DST change.
    """
    return _shifted_day(instant, offset_seconds)


def nearest_rank(count: int, percent: int) -> int:
    """The 1-based rank of the ``percent``-th percentile by the nearest-rank method.

    Integer arithmetic, so 90 % of 10 is rank 9 exactly (no float rounding to rank 10).
    """
    if count <= 0:
        raise ValueError("no values")
    return max(1, -(-count * percent // 100))
