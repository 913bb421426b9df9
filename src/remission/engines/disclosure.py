"""A disclosure policy for count tables that leave a centre: a minimum cell count.

A centre may share a count table (per group and time: events per cause, censorings)
when every non-zero cell is at least ``min_cell``: a cell of 1 or 2 patients on a given
day could identify them. Where a row breaks the rule, its times are coarsened, and only
there:

1. to the week: every row of that week (days ``7w .. 7w + 6`` from the origin) becomes
   one row at the week's last day;
2. where the week still breaks the rule, to the month (30.4375 days, the convention of
   :mod:`remission.endpoints.units`): every row of that month becomes one row at the
   month's last day;
3. where a month still breaks it, the month is merged with the following ones (the last
   with the preceding ones) until the rule holds.

A group whose whole table still breaks the rule (fewer than ``min_cell`` events or
censorings in all) is withheld and said so. Every coarsened row is listed with the
interval it stands for; a pooled estimate over coarsened tables is then an
approximation (events moved to the end of their interval), and :func:`pool` says so.
``min_cell = 1`` shares the exact table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from remission.endpoints.units import DAYS_PER_MONTH

__all__ = ["Coarsened", "apply_policy"]


@dataclass(frozen=True)
class Coarsened:
    """One shared row that stands for the interval ``[start, end]`` (days) at ``unit``."""

    group: str
    start: float
    end: float
    unit: str


def _ok(cells: np.ndarray, k: int) -> np.ndarray:
    """Rows whose non-zero cells are all >= k."""
    return np.all((cells == 0) | (cells >= k), axis=1)


def _week(t: float) -> tuple[float, float]:
    w = math.floor(t / 7)
    return 7.0 * w, 7.0 * w + 6


def _month(t: float) -> tuple[float, float]:
    m = math.floor(t / DAYS_PER_MONTH)
    return float(math.ceil(m * DAYS_PER_MONTH)), float(math.ceil((m + 1) * DAYS_PER_MONTH) - 1)


def _merge_bins(time, cells, bins, k, unit, done):
    """Merge the rows of every bin that holds a row breaking the rule (see module doc)."""
    ids = [bins(t) for t in time]
    bad_bins = {ids[i] for i in np.flatnonzero(~_ok(cells, k)) if not done[i]}
    if not bad_bins:
        return time, cells, done, []
    out_t, out_c, out_done, spans = [], [], [], []
    i = 0
    while i < len(time):
        j = i
        while j + 1 < len(time) and ids[j + 1] == ids[i]:
            j += 1
        if ids[i] in bad_bins:
            out_t.append(ids[i][1])
            out_c.append(cells[i : j + 1].sum(axis=0))
            out_done.append(False)
            spans.append((ids[i][0], ids[i][1], unit))
        else:
            out_t += list(time[i : j + 1])
            out_c += list(cells[i : j + 1])
            out_done += list(done[i : j + 1])
        i = j + 1
    return np.array(out_t), np.array(out_c), np.array(out_done), spans


def _merge_forward(time, cells, k):
    """Merge rows still breaking the rule with the following ones (the last backwards)."""
    t, c = list(time), [row.copy() for row in cells]
    spans = []
    i = 0
    while i < len(t):
        if _ok(c[i][None, :], k)[0]:
            i += 1
            continue
        if len(t) == 1:
            return None
        j = i + 1 if i + 1 < len(t) else i - 1
        lo, hi = min(i, j), max(i, j)
        spans.append((t[lo], t[hi], "merged months"))
        c[lo] = c[lo] + c[hi]
        t[lo] = t[hi]
        del t[hi], c[hi]
        i = lo
    return np.array(t), np.array(c), spans


def apply_policy(
    label: str, time: np.ndarray, cells: np.ndarray, min_cell: int
) -> tuple[np.ndarray, np.ndarray, list[Coarsened]] | None:
    """One group's rows (``cells``: censorings then events per cause) under the policy;
    None when the group must be withheld."""
    time = np.asarray(time, dtype=float)
    cells = np.asarray(cells, dtype=np.int64)
    if min_cell <= 1 or bool(np.all(_ok(cells, min_cell))):
        return time, cells, []
    done = _ok(cells, min_cell)
    spans: list = []
    for bins, unit in ((_week, "week"), (_month, "month")):
        time, cells, done, more = _merge_bins(time, cells, bins, min_cell, unit, done)
        spans += more
        done = _ok(cells, min_cell)
    if not bool(np.all(done)):
        merged = _merge_forward(time, cells, min_cell)
        if merged is None:
            return None
        time, cells, more = merged
        spans += more
    return time, cells, [Coarsened(label, float(a), float(b), u) for a, b, u in spans]
