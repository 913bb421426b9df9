"""The count table: per group and distinct time, events per cause, censorings, entries.

Every non-parametric estimator in remission (Kaplan-Meier, Nelson-Aalen, the log-rank
family, Aalen-Johansen, RMST, reverse-KM follow-up) is a function of this table, not of
patient rows. It is built once, in O(n) for integer times (days) by ``np.bincount`` and
by a sort otherwise; it can equally come from a database ``GROUP BY``; and tables from
several centres pool exactly (:meth:`CountTable.pool`).

Conventions (as R's ``survival``): at a tied time, events precede censorings, so a
subject censored at ``t`` is at risk at ``t``; a subject entering (delayed entry) at
``s`` is at risk for times ``> s``. Every time at which anything changes is a row, so
between two rows the number at risk is constant and equals the later row's ``n_risk``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["CountTable", "count_table"]

# integer times are counted with bincount when the span is at most this many times n
_BINCOUNT_SPAN_FACTOR = 4
# rows per chunk when building the bincount key (a 512 KiB buffer, reused)
_CHUNK = 1 << 16


@dataclass(frozen=True, eq=False)
class CountTable:
    """Per-(group, time) counts, groups in code order, times ascending within a group.

    Attributes
    ----------
    group : (m,) int64 codes into ``group_labels``.
    time : (m,) float64 distinct times within each group.
    n_risk : (m,) int64 number at risk just before ``time`` (events and censorings at
        ``time`` included).
    n_event : (m, k) int64 events of cause ``causes[j]`` at ``time``.
    n_censor : (m,) int64 censorings at ``time``.
    n_enter : (m,) int64 entries at ``time`` (at risk from the next time on).
    group_labels : labels of the groups (``("all",)`` for one group).
    causes : labels of the causes (``(1,)`` for plain survival data).
    """

    group: np.ndarray
    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    n_censor: np.ndarray
    n_enter: np.ndarray
    group_labels: tuple = ("all",)
    causes: tuple = (1,)
    _bounds: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        bounds = np.searchsorted(self.group, np.arange(len(self.group_labels) + 1))
        object.__setattr__(self, "_bounds", bounds)

    def __len__(self) -> int:
        return len(self.time)

    @property
    def n_groups(self) -> int:
        return len(self.group_labels)

    @property
    def events(self) -> np.ndarray:
        """Events of any cause at each row."""
        return self.n_event.sum(axis=1)

    def rows(self, g: int) -> slice:
        """The slice of rows of group code ``g``."""
        return slice(int(self._bounds[g]), int(self._bounds[g + 1]))

    def subset(self, g: int) -> CountTable:
        """The table of one group, as a one-group table."""
        s = self.rows(g)
        return CountTable(
            group=np.zeros(s.stop - s.start, dtype=np.int64),
            time=self.time[s],
            n_risk=self.n_risk[s],
            n_event=self.n_event[s],
            n_censor=self.n_censor[s],
            n_enter=self.n_enter[s],
            group_labels=(self.group_labels[g],),
            causes=self.causes,
        )

    def collapse(self) -> CountTable:
        """All groups pooled into one (the table of the whole sample)."""
        parts = [self.subset(g).relabel(("all",)) for g in range(self.n_groups)]
        return CountTable.pool(parts) if parts else self

    def relabel(self, labels: tuple) -> CountTable:
        return CountTable(
            self.group, self.time, self.n_risk, self.n_event, self.n_censor,
            self.n_enter, tuple(labels), self.causes,
        )  # fmt: skip

    def risk_at(self, g: int, times: np.ndarray) -> np.ndarray:
        """Number at risk in group ``g`` just before each of ``times`` (step function)."""
        s = self.rows(g)
        t, r = self.time[s], self.n_risk[s]
        idx = np.searchsorted(t, np.asarray(times, dtype=float), side="left")
        out = np.zeros(len(idx), dtype=np.int64)
        inside = idx < len(t)
        out[inside] = r[idx[inside]]
        return out

    @staticmethod
    def pool(tables: Sequence[CountTable]) -> CountTable:
        """Add count tables (e.g. from several centres) group by group, exactly.

        Groups are matched by label and causes by label. The pooled number at risk at
        any time is the sum of each table's step function there.
        """
        if not tables:
            raise ValueError("nothing to pool")
        labels = _union_labels(t.group_labels for t in tables)
        causes = tuple(sorted(_union_labels(t.causes for t in tables), key=_sort_key))
        parts = []
        for gi, lab in enumerate(labels):
            sub = [t.subset(t.group_labels.index(lab)) for t in tables if lab in t.group_labels]
            times = np.unique(np.concatenate([s.time for s in sub]))
            m = len(times)
            ev = np.zeros((m, len(causes)), dtype=np.int64)
            cen = np.zeros(m, dtype=np.int64)
            ent = np.zeros(m, dtype=np.int64)
            risk = np.zeros(m, dtype=np.int64)
            for s in sub:
                pos = np.searchsorted(times, s.time)
                for j, c in enumerate(s.causes):
                    ev[pos, causes.index(c)] += s.n_event[:, j]
                cen[pos] += s.n_censor
                ent[pos] += s.n_enter
                risk += s.risk_at(0, times)
            parts.append((np.full(m, gi, dtype=np.int64), times, risk, ev, cen, ent))
        cols = [np.concatenate(c) for c in zip(*parts, strict=True)]
        return CountTable(*cols, group_labels=tuple(labels), causes=causes)

    def to_frame(self):
        """The table as a pandas DataFrame (for display and export)."""
        import pandas as pd

        data = {
            "group": np.asarray(self.group_labels, dtype=object)[self.group],
            "time": self.time,
            "n_risk": self.n_risk,
        }
        for j, c in enumerate(self.causes):
            data[f"n_event_{c}" if len(self.causes) > 1 else "n_event"] = self.n_event[:, j]
        data["n_censor"] = self.n_censor
        data["n_enter"] = self.n_enter
        return pd.DataFrame(data)


def _sort_key(x):
    return (0, x, "") if isinstance(x, int | float | np.integer | np.floating) else (1, 0, str(x))


def _union_labels(groups) -> list:
    out: list = []
    for labs in groups:
        for lab in labs:
            if lab not in out:
                out.append(lab)
    return out


def count_table(
    time: np.ndarray,
    event: np.ndarray,
    group: np.ndarray | None = None,
    entry: np.ndarray | None = None,
    group_labels: Sequence | None = None,
    causes: Sequence | None = None,
) -> CountTable:
    """Build the count table from patient rows (the worker: inputs are trusted).

    Parameters
    ----------
    time : exit times, finite and >= 0.
    event : 0 for censored, ``c >= 1`` for an event of cause ``c``.
    group : optional int codes ``0..G-1`` (see ``group_labels``).
    entry : optional delayed-entry times (``entry < time``); the subject is at risk
        on ``(entry, time]``.
    group_labels, causes : labels; default ``range(G)`` and ``1..max(event)``.
        ``causes[j]`` labels event code ``j + 1`` (column ``j`` of ``n_event``).
    """
    time, event = _ints_or_floats(time), _ints_or_floats(event, np.int64)
    n = len(time)
    g = None if group is None else _ints_or_floats(group, np.int64)
    if group_labels is not None:
        n_groups = len(group_labels)
    else:
        n_groups = int(g.max()) + 1 if g is not None and n else 1
    if group_labels is None:
        group_labels = ("all",) if group is None else tuple(range(n_groups))
    k = max(int(event.max()) if n else 1, 1)
    if causes is None:
        causes = tuple(range(1, k + 1))
    elif len(causes) < k:
        raise ValueError(f"event codes go up to {k} but only {len(causes)} cause labels given")
    k = len(causes)
    entry = None if entry is None else _ints_or_floats(entry)
    space = _integer_key_space(time, entry, n_groups)
    if space is not None:
        lo, span = space
        tab = _tabulate_dense(time, event, g, entry, (lo, span, k, n_groups))
        codes = np.flatnonzero(tab[0] + tab[2] > 0)
        grp, tt = codes // span, (codes % span + lo).astype(np.float64)
    else:
        all_t = time.astype(np.float64, copy=False)
        all_g = np.zeros(n, dtype=np.int64) if g is None else g.astype(np.int64, copy=False)
        if entry is not None:
            all_t = np.concatenate([all_t, entry.astype(np.float64, copy=False)])
            all_g = np.concatenate([all_g, all_g])
        (grp, tt), inv = _distinct_sorted(all_t, all_g)
        m = len(tt)
        tab = _tabulate(inv[:n], inv[n:] if entry is not None else None, event, k, m)
        codes = np.arange(m)
    total, n_event, n_enter = (x[codes] for x in tab)
    n_censor = total - n_event.sum(axis=1)
    n_risk = _reverse_cumsum_by_group(total - n_enter, grp, n_groups)
    return CountTable(
        grp, tt, n_risk, n_event, n_censor, n_enter, tuple(group_labels), tuple(causes)
    )


def _ints_or_floats(x, other=np.float64) -> np.ndarray:
    """``x`` as it is when it holds integers (any width), else converted to ``other``."""
    x = np.asarray(x)
    return x if x.dtype.kind in "iu" else x.astype(other, copy=False)


def _integer_key_space(
    t: np.ndarray, entry: np.ndarray | None, n_groups: int
) -> tuple[int, int] | None:
    """``(lowest time, span)`` when exit (and entry) times are whole numbers packed
    densely enough for ``np.bincount`` (the O(n) path for times in days); ``None``
    otherwise. Integer arrays need only their minimum and maximum."""
    if not len(t):
        return None
    lo, hi = np.inf, -np.inf
    for x in (t,) if entry is None else (t, entry):
        if x.dtype.kind == "f" and not np.all(x == np.floor(x)):
            return None
        lo, hi = min(lo, x.min()), max(hi, x.max())
    lo, hi = int(lo), int(hi)
    span = hi - lo + 1
    if span * n_groups > _BINCOUNT_SPAN_FACTOR * len(t) + 1024 or max(-lo, hi) >= 2**62:
        return None
    return lo, span


def _dense_keys(out, t, g, lo, span, k1, ev, sl) -> np.ndarray:
    """``((g * span + t - lo) * k1 + ev)`` of rows ``sl``, built in ``out`` in place."""
    b = out[: sl.stop - sl.start]
    if g is None:
        np.subtract(t[sl], lo, out=b, dtype=np.int64, casting="unsafe")
    else:
        np.multiply(g[sl], span, out=b, dtype=np.int64, casting="unsafe")
        np.add(b, t[sl], out=b, dtype=np.int64, casting="unsafe")
        if lo:
            b -= lo
    if ev is not None:
        b *= k1
        np.add(b, ev[sl], out=b, dtype=np.int64, casting="unsafe")
    return b


def _chunked_bincount(t, g, ev, lo, span, k1, size) -> np.ndarray:
    """``np.bincount`` of the dense keys, counted in chunks with one reused key buffer
    (no full-length temporaries, whatever the dtypes of ``t``, ``g`` and ``ev``)."""
    n = len(t)
    chunk = max(_CHUNK, size)  # each chunk's bincount costs O(size) on top of its rows
    buf = np.empty(min(n, chunk), dtype=np.int64)
    counts = np.zeros(size, dtype=np.int64)
    for start in range(0, n, chunk):
        keys = _dense_keys(buf, t, g, lo, span, k1, ev, slice(start, min(start + chunk, n)))
        counts += np.bincount(keys, minlength=size)
    return counts


def _tabulate_dense(time, event, g, entry, space):
    """Exits, events per cause and entries per ``(group, time)`` bin of the dense key
    space ``(lo, span, k, n_groups)``: one chunked bincount over
    ``bin * (k + 1) + event`` counts censorings (column 0) and each cause (1..k)."""
    lo, span, k, n_groups = space
    bins = span * n_groups
    joint = _chunked_bincount(time, g, event, lo, span, k + 1, bins * (k + 1))
    joint = joint.reshape(bins, k + 1)
    n_enter = (
        _chunked_bincount(entry, g, None, lo, span, 1, bins)
        if entry is not None
        else np.zeros(bins, dtype=np.int64)
    )
    return joint.sum(axis=1), joint[:, 1:], n_enter


def _tabulate(exit_bin, entry_bin, event, k, bins):
    """Exits, events per cause (columns) and entries counted per bin (distinct-time
    index ``exit_bin``/``entry_bin``), by one ``np.bincount`` over
    ``bin * (k + 1) + event``."""
    joint = np.bincount(exit_bin * (k + 1) + event, minlength=bins * (k + 1))
    joint = joint.reshape(bins, k + 1).astype(np.int64, copy=False)
    total = joint.sum(axis=1)
    n_event = joint[:, 1:]
    n_enter = (
        np.bincount(entry_bin, minlength=bins).astype(np.int64)
        if entry_bin is not None
        else np.zeros(bins, dtype=np.int64)
    )
    return total, n_event, n_enter


def _distinct_sorted(t: np.ndarray, g: np.ndarray):
    """Distinct (group, time) pairs sorted by group then time, and each row's index."""
    n = len(t)
    order = np.lexsort((t, g))
    ts, gs = t[order], g[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (ts[1:] != ts[:-1]) | (gs[1:] != gs[:-1])
    inv = np.empty(n, dtype=np.int64)
    inv[order] = np.cumsum(new) - 1
    return (gs[new], ts[new]), inv


def _reverse_cumsum_by_group(x: np.ndarray, grp: np.ndarray, n_groups: int) -> np.ndarray:
    """Within each group, sum of ``x`` over this and all later rows."""
    total = np.cumsum(x[::-1])[::-1]
    # subtract what belongs to later groups
    bounds = np.searchsorted(grp, np.arange(n_groups + 1))
    after = np.zeros(n_groups + 1, dtype=np.int64)
    after[:n_groups] = [total[b] if b < len(x) else 0 for b in bounds[1:]]
    return (total - after[grp]).astype(np.int64)
