"""Money sums that come out to the cent (or millionth) on both databases.

SQLite keeps ``Numeric`` values as floats, so a plain SUM drifts in the last digits and can
even reorder guests by spend. Summing whole units of the column's scale keeps it exact.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, cast, func
from sqlalchemy.sql.elements import ColumnElement

MONEY_PLACES = 2


def exact_sum(column: ColumnElement[Any], places: int) -> ColumnElement[int]:
    """SUM of a decimal column as an integer count of ``10**-places`` units (NULLs skipped).

    Each value is rounded to its column's scale before summing, so the sum is exact on SQLite
    (where the values are floats) as on PostgreSQL; 0 when there is nothing to sum.
    """
    units = cast(func.round(column * (10**places)), BigInteger)
    return func.coalesce(func.sum(units), 0)


def decimal_of(units: Any, places: int) -> Decimal:
    """The Decimal of an ``exact_sum`` result (PostgreSQL returns numeric, SQLite an int)."""
    return Decimal(int(units or 0)).scaleb(-places).quantize(Decimal(1).scaleb(-places))
