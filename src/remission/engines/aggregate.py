"""From aggregated rows ``(group, time, cause, count)`` to a :class:`CountTable`.

An engine (DuckDB, Spark) returns the result of ``GROUP BY group, time, event`` with
``count(*)``: at most one row per distinct (group, time, cause), however many patients.
This module turns those few rows into the same :class:`~remission.stats.counts.CountTable`
that :func:`remission.stats.counts.count_table` builds from patient rows: the count of
cause 0 is the censorings, causes ``1..k`` are the events, and the number at risk at a
time is the number of exits at this and every later time of the group (no delayed
entry on this path), as R's ``survfit`` counts it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from remission.stats.counts import CountTable
from remission.stats.frontend import label_text, sort_labels

__all__ = ["table_from_aggregate", "group_codes", "reorder_groups"]


def group_codes(raw: Sequence[object]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Codes of raw group values into their text labels, sorted as the in-memory front end
    sorts them (numerically when every label is a number, else as text)."""
    raw = list(raw)
    text_of = {v: label_text(v) for v in set(raw)}  # few distinct values, many rows
    labels = sort_labels(set(text_of.values()))
    index = {lab: j for j, lab in enumerate(labels)}
    code_of = {v: index[t] for v, t in text_of.items()}
    return np.array([code_of[v] for v in raw], dtype=np.int64), labels


def table_from_aggregate(
    group: np.ndarray,
    time: np.ndarray,
    cause: np.ndarray,
    count: np.ndarray,
    group_labels: Sequence[str],
    causes: Sequence[object] | None = None,
) -> CountTable:
    """The count table of aggregated exits.

    ``group`` codes into ``group_labels``; ``cause`` 0 for a censoring and ``c >= 1`` for
    an event of cause ``c``; ``count`` how many rows share the (group, time, cause).
    ``causes`` default to ``1..max(cause)`` (at least one), as ``count_table``.
    """
    g = np.asarray(group, dtype=np.int64)
    t = np.asarray(time, dtype=np.float64)
    e = np.asarray(cause, dtype=np.int64)
    n = np.asarray(count, dtype=np.int64)
    k = max(int(e.max()) if len(e) else 1, 1)
    if causes is None:
        causes = tuple(range(1, k + 1))
    elif len(causes) < k:
        raise ValueError(f"event codes go up to {k} but only {len(causes)} cause labels given")
    order = np.lexsort((t, g))
    gs, ts = g[order], t[order]
    new = np.ones(len(ts), dtype=bool)
    new[1:] = (ts[1:] != ts[:-1]) | (gs[1:] != gs[:-1])
    row = np.cumsum(new) - 1
    m = int(row[-1]) + 1 if len(row) else 0
    joint = np.zeros((m, len(causes) + 1), dtype=np.int64)
    np.add.at(joint, (row, e[order]), n[order])
    total = joint.sum(axis=1)
    grp = gs[new]
    return CountTable(
        group=grp,
        time=ts[new],
        n_risk=_at_risk(total, grp, len(group_labels)),
        n_event=joint[:, 1:],
        n_censor=joint[:, 0],
        n_enter=np.zeros(m, dtype=np.int64),
        group_labels=tuple(group_labels),
        causes=tuple(causes),
    )


def reorder_groups(table: CountTable, labels: Sequence[str]) -> CountTable:
    """The same table with its groups in the order of ``labels`` (a permutation of the
    table's labels, as text)."""
    subs = {str(lab): table.subset(g) for g, lab in enumerate(table.group_labels)}
    cols: tuple[list, ...] = ([], [], [], [], [], [])
    for code, lab in enumerate(labels):
        s = subs[str(lab)]
        values = (np.full(len(s), code, dtype=np.int64), s.time, s.n_risk, s.n_event,
                  s.n_censor, s.n_enter)  # fmt: skip
        for acc, v in zip(cols, values, strict=True):
            acc.append(v)
    return CountTable(
        *(np.concatenate(c) for c in cols), group_labels=tuple(labels), causes=table.causes
    )


def _at_risk(total: np.ndarray, grp: np.ndarray, n_groups: int) -> np.ndarray:
    """Within each group, exits at this and every later row."""
    out = np.empty(len(total), dtype=np.int64)
    bounds = np.searchsorted(grp, np.arange(n_groups + 1))
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        out[a:b] = np.cumsum(total[a:b][::-1])[::-1]
    return out
