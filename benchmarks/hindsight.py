"""The hindsight optimum for one day's booking requests: an exact MILP (scipy.optimize.milp).

A binary ``x[r, o]`` for every request ``r`` and every option ``o`` that may seat it (a single
table, or a joinable group, exactly the options the engine may use); maximise seated covers;
each request at most once; and for every table, one clique constraint per request start time
``t``: the options on that table whose stay (incl. buffer) covers ``t`` sum to at most 1.
Intervals overlap exactly when one contains the other's start, so these cliques are exact.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from app.domain.floor import TableGroup, TableInfo
from app.domain.service_hours import Slot


@dataclass(frozen=True)
class Request:
    index: int
    party: int
    slot: Slot
    until: dt.datetime  # end of stay plus buffer (UTC)

    @property
    def start(self) -> dt.datetime:
        return self.slot.starts_at


@dataclass(frozen=True)
class Optimum:
    covers: float
    accepted: int
    bound: float
    optimal: bool
    seconds: float
    variables: int
    constraints: int
    seated_by_party: Counter[int]

    @property
    def reference(self) -> float:
        """What the policies are compared to: the optimum, or its upper bound if cut short."""
        return self.covers if self.optimal else self.bound


def options(
    request: Request, tables: Sequence[TableInfo], groups: Sequence[TableGroup]
) -> list[tuple[TableInfo, ...]]:
    """Every table or joinable group that may seat the party (the engine's hard constraints)."""
    singles = [(t,) for t in tables if t.bookable and t.min_guests <= request.party <= t.max_guests]
    joined = [g.tables for g in groups if g.min_guests <= request.party <= g.max_guests]
    return singles + joined


def optimum(
    requests: list[Request], tables: list[TableInfo], groups: list[TableGroup], time_limit: float
) -> Optimum:
    variables = [
        (r, tuple(t.id for t in members))
        for r in requests
        for members in options(r, tables, groups)
    ]
    rows, cols = constraint_rows(requests, variables)
    matrix = csr_array((np.ones(len(rows)), (rows, cols)), shape=(max(rows) + 1, len(variables)))
    started = time.perf_counter()
    result = milp(
        c=np.array([-float(r.party) for r, _ in variables]),
        integrality=np.ones(len(variables)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(matrix, -np.inf, 1),
        options={"time_limit": time_limit, "disp": False},
    )
    seconds = time.perf_counter() - started
    if result.x is None:
        raise RuntimeError(f"the MILP found no solution: {result.message}")
    chosen = result.x > 0.5
    bound = -float(getattr(result, "mip_dual_bound", result.fun))
    seated = Counter[int]()
    for (request, _), taken in zip(variables, chosen, strict=True):
        if taken:
            seated[request.party] += request.party
    return Optimum(
        -float(result.fun),
        int(chosen.sum()),
        bound,
        result.status == 0,
        seconds,
        len(variables),
        matrix.shape[0],
        seated,
    )


def constraint_rows(
    requests: list[Request], variables: list[tuple[Request, tuple[int, ...]]]
) -> tuple[list[int], list[int]]:
    """Row/column indices of the 0/1 constraint matrix (all right-hand sides are 1)."""
    rows: list[int] = []
    cols: list[int] = []
    position = {r.index: i for i, r in enumerate(requests)}
    by_table: dict[int, list[int]] = defaultdict(list)
    for k, (request, ids) in enumerate(variables):
        rows.append(position[request.index])  # each request seated at most once
        cols.append(k)
        for table_id in ids:
            by_table[table_id].append(k)
    row = len(requests)
    for members in by_table.values():
        for point in sorted({variables[k][0].start for k in members}):
            clique = [k for k in members if variables[k][0].start <= point < variables[k][0].until]
            if len(clique) > 1:
                rows += [row] * len(clique)
                cols += clique
                row += 1
    return rows, cols
