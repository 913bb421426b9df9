"""The statistics front end: from a table's columns to checked survival arrays.

Every public estimator (``km``, ``compare``, ``cif``, ``cox``, ``followup``) passes its
input through :func:`survival_data`, the one validation gate (as scikit-survival's
``check_y_survival``): times must be finite numbers >= 0, event codes must be in the
allowed set, a grouping column is read as text labels. Rows with a missing time, event,
group or stratum are excluded and *counted* (``SurvivalData.excluded``), never dropped
silently. Everything else wrong is collected into one :class:`InputError`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from remission.cohort.problems import InputError, Problem
from remission.stats.counts import CountTable, count_table
from remission.stats.timefix import TimeFix, aeq_times

__all__ = ["SurvivalData", "survival_data", "label_text", "is_missing", "sort_labels"]


@dataclass(frozen=True, eq=False)
class SurvivalData:
    """Checked arrays, ready for the workers.

    ``group`` and ``strata`` are int codes into ``group_labels``/``strata_labels`` (None
    when not asked for). ``excluded`` lists ``(row, reason)`` for rows left out because a
    needed value was missing; ``row`` is the spreadsheet row when known. ``time`` is
    float64 and ``event`` int64, except from ``survival_data(..., native=True)``: then
    integer columns keep their own dtype (the count table counts them as they are).
    """

    time: np.ndarray
    event: np.ndarray
    group: np.ndarray | None
    group_labels: tuple[str, ...]
    strata: np.ndarray | None
    strata_labels: tuple[str, ...]
    excluded: tuple[tuple[int, str], ...]
    n_input: int
    source: str
    entry: np.ndarray | None = None
    timefix: TimeFix = TimeFix(False)
    weights: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.time)

    def count_table(self) -> CountTable:
        """The count table by group (one group ``"all"`` when no group was given)."""
        if self.group is None:
            return count_table(self.time, self.event, entry=self.entry)
        return count_table(
            self.time, self.event, self.group, entry=self.entry, group_labels=self.group_labels
        )


def label_text(v: object) -> str:
    """A group label as text: ``1.0`` -> ``"1"``, ``True`` -> ``"True"``."""
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    return str(v)


def is_missing(v: object) -> bool:
    if v is None or v is pd.NaT or v is pd.NA:
        return True
    if isinstance(v, float | np.floating) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() in ("", "NA", "N/A", "nan", "NaN")


def _number(v: object) -> float:
    if isinstance(v, bool | np.bool_):
        return float(v)
    if isinstance(v, str):
        return float(v.strip())
    return float(v)  # type: ignore[arg-type]


def sort_labels(labels: set[str]) -> tuple[str, ...]:
    try:
        return tuple(sorted(labels, key=float))
    except ValueError:
        return tuple(sorted(labels))


def _checked_data(
    df: pd.DataFrame,
    time: str,
    event: str,
    group: str | None = None,
    strata: str | None = None,
    *,
    event_codes: Sequence[int] = (0, 1),
    source: str = "data frame",
    rows: Sequence[int] | None = None,
    require_events: bool = True,
    min_groups: int = 1,
    native: bool = False,
) -> SurvivalData:
    """Check ``df[time]``, ``df[event]`` (and group/strata columns) and return arrays.

    ``rows`` gives the spreadsheet row of each frame row (default: index + 2).
    """
    needed = [c for c in (time, event, group, strata) if c is not None]
    absent = [c for c in needed if c not in df.columns]
    if absent:
        have = ", ".join(map(str, df.columns))
        raise InputError(
            [
                Problem(source, "column not found", column=c, expected=f"one of: {have}")
                for c in absent
            ]
        )
    n = len(df)
    allowed = set(int(c) for c in event_codes)
    fast = _fast_path(df, needed, time, event, group, strata, rows, allowed, source, native)
    if fast is not None and not _finish_problems(fast, require_events, min_groups):
        return fast
    rows = list(rows) if rows is not None else list(range(2, n + 2))
    problems: list[Problem] = []
    excluded: list[tuple[int, str]] = []
    keep = np.ones(n, dtype=bool)
    t_out = np.zeros(n)
    e_out = np.zeros(n, dtype=np.int64)
    cols = {c: df[c].tolist() for c in needed}
    for i in range(n):
        miss = [c for c in needed if is_missing(cols[c][i])]
        if miss:
            keep[i] = False
            excluded.append((rows[i], f"missing {', '.join(miss)}"))
            continue
        t_out[i], e_out[i] = _check_row(cols, time, event, i, rows[i], source, allowed, problems)
    if problems:
        raise InputError(problems)
    return _finish(
        df, cols, keep, t_out, e_out, group, strata, excluded, source, require_events, min_groups
    )


def _check_row(cols, time, event, i, row, source, allowed, problems) -> tuple[float, int]:
    t_raw, e_raw = cols[time][i], cols[event][i]
    t = e = None
    try:
        t = _number(t_raw)
        if not math.isfinite(t) or t < 0:
            problems.append(
                Problem(
                    source,
                    "time must be a finite number >= 0",
                    row=row,
                    column=time,
                    value=t_raw,
                    expected="a non-negative number",
                )  # fmt: skip
            )
            t = None
    except (TypeError, ValueError):
        problems.append(
            Problem(
                source,
                "time is not a number",
                row=row,
                column=time,
                value=t_raw,
                expected="a non-negative number",
            )  # fmt: skip
        )
    try:
        ev = _number(e_raw)
        if ev.is_integer() and int(ev) in allowed:
            e = int(ev)
    except (TypeError, ValueError):
        pass
    if e is None:
        problems.append(
            Problem(
                source,
                "event code not allowed",
                row=row,
                column=event,
                value=e_raw,
                expected="one of " + ", ".join(map(str, sorted(allowed))),
            )  # fmt: skip
        )
    return (t or 0.0), (e or 0)


def _codes(values: list, keep: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    text = [label_text(v) if k else "" for v, k in zip(values, keep, strict=True)]
    labels = sort_labels({t for t, k in zip(text, keep, strict=True) if k})
    index = {lab: j for j, lab in enumerate(labels)}
    return np.array([index[t] for t, k in zip(text, keep, strict=True) if k], np.int64), labels


def _declared_order(series: pd.Series, codes: np.ndarray, labels: tuple[str, ...]):
    """Codes and labels in the order of a pandas Categorical's categories (e.g. MRD
    ``negative`` < ``<0.01%`` < ``>=0.01%``); other columns keep the sorted order."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        return codes, labels
    order = [lab for lab in map(label_text, series.cat.categories) if lab in labels]
    remap = np.array([order.index(lab) for lab in labels], dtype=np.int64)
    return (remap[codes] if len(codes) else codes), tuple(order)


def _finish(df, cols, keep, t, e, group, strata, excluded, source, require_events, min_groups):
    t, e = t[keep], e[keep]
    problems = []
    if len(t) == 0:
        problems.append(Problem(source, "no rows with a time and an event status"))
    elif require_events and not np.any(e > 0):
        problems.append(Problem(source, "no events at all: every row is censored"))
    g = gl = s = sl = None
    if group is not None:
        g, gl = _declared_order(df[group], *_codes(cols[group], keep))
        if len(gl) < min_groups:
            problems.append(
                Problem(
                    source,
                    f"grouping column has {len(gl)} level(s)",
                    column=group,
                    value=", ".join(gl) or None,
                    expected=f"at least {min_groups} groups",
                )  # fmt: skip
            )
    if strata is not None:
        s, sl = _declared_order(df[strata], *_codes(cols[strata], keep))
    if problems:
        raise InputError(problems)
    return SurvivalData(t, e, g, gl or ("all",), s, sl or (), tuple(excluded), len(df), source)


# --- the vectorised path ------------------------------------------------------------------
# For numeric time/event columns with no value that needs a message, the checks above are
# done on whole arrays (O(n) NumPy instead of a Python loop per row); anything that needs
# a Problem falls back to the row-by-row path, so messages are the same either way.


def _numeric(series: pd.Series) -> np.ndarray | None:
    """The column as a NumPy array without a copy where possible: integers in their own
    dtype (booleans viewed as uint8), floats as they are; a nullable column as its plain
    values when nothing is missing, else as float64 with NaN; None if not numeric."""
    kind = getattr(series.dtype, "kind", "O")
    if kind not in "iufb":
        return None
    if isinstance(series.dtype, np.dtype):
        values = series.to_numpy()
    elif kind in "iub" and not series.hasnans:
        values = series.to_numpy(dtype=series.dtype.numpy_dtype)
    else:
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return values.view(np.uint8) if kind == "b" else values


def _nan_mask(x: np.ndarray) -> np.ndarray | None:
    """Which values are NaN, or None when none is (integers; floats checked by min)."""
    if x.dtype.kind != "f" or not len(x) or not np.isnan(x.min()):
        return None
    return np.isnan(x)


def _or(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    return b if a is None else a if b is None else a | b


def _times_ok(t: np.ndarray) -> bool:
    """All times finite and >= 0, from the minimum and maximum (no temporaries)."""
    if not len(t) or t.dtype.kind == "u":
        return True
    if t.dtype.kind in "ib":
        return bool(t.min() >= 0)
    return bool(t.min() >= 0 and np.isfinite(t.max()))


def _codes_ok(e: np.ndarray, allowed: set[int]) -> bool:
    """All event codes allowed: by min/max for integers when the codes in between are
    all allowed, else code by code."""
    if not len(e):
        return True
    if e.dtype.kind in "iu":
        lo, hi = int(e.min()), int(e.max())
        if hi - lo < len(allowed) and all(c in allowed for c in range(lo, hi + 1)):
            return True
    ok = np.zeros(len(e), dtype=bool)
    for code in allowed:
        ok |= e == code
    return bool(ok.all())


def _labels(series: pd.Series) -> tuple[np.ndarray, np.ndarray | None, list[str]]:
    """Codes into the distinct values, which values count as missing (None: none), and
    their text."""
    codes, values = _small_int_codes(series)
    if codes is not None:  # integers: nothing missing
        return codes, None, [label_text(v) for v in values]
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = list(uniques)
    miss_u = np.array([is_missing(v) for v in values] + [True], dtype=bool)
    codes = np.where(codes < 0, len(values), codes)
    return codes, miss_u[codes], [label_text(v) for v in values]


def _small_int_codes(series: pd.Series) -> tuple[np.ndarray | None, list]:
    """Codes of a NumPy integer column with a small range, by bincount (no hashing); the
    column itself when its values are ``0..G-1``, all present."""
    if not (isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu") or not len(series):
        return None, []
    v = series.to_numpy()
    lo, hi = int(v.min()), int(v.max())
    if hi - lo > 4 * len(v) + 1024:
        return None, []
    key = v - lo if lo else v
    present = np.bincount(key, minlength=hi - lo + 1) > 0
    if lo == 0 and present.all():
        return v, list(range(hi + 1))
    remap = np.cumsum(present) - 1
    return remap[key], (np.flatnonzero(present) + lo).tolist()


def _fast_codes(codes: np.ndarray, text: list[str], keep: np.ndarray | None, native: bool):
    """Codes into the sorted labels of the kept rows (the given codes when they already
    are, in their own dtype if ``native``)."""
    if keep is not None:
        codes = codes[keep]
        present = {text[c] for c in np.flatnonzero(np.bincount(codes, minlength=len(text) + 1))}
    else:  # every distinct value occurs in a kept row
        present = set(text)
    labels = sort_labels(present)
    index = {lab: j for j, lab in enumerate(labels)}
    of_code = np.array([index.get(t, -1) for t in text] + [-1], dtype=np.int64)
    if keep is None and np.array_equal(of_code[:-1], np.arange(len(text))):
        return (codes if native else codes.astype(np.int64, copy=False)), labels
    return of_code[codes], labels


def _fast_path(df, needed, time, event, group, strata, rows, allowed, source, native=False):
    """:func:`survival_data` on whole arrays, or None when a row needs a message.

    ``native``: integer times and event codes keep the caller's dtype (no float copy)."""
    t, e = _numeric(df[time]), _numeric(df[event])
    if t is None or e is None:
        return None
    miss = {time: _nan_mask(t), event: _nan_mask(e)}
    lab = {c: _labels(df[c]) for c in (group, strata) if c is not None}
    for c, (_, m, _) in lab.items():
        miss[c] = _or(m, miss.get(c))
    gone = None
    for c in needed:
        gone = _or(gone, miss[c])
    keep = None if gone is None or not gone.any() else ~gone
    tk, ek = (t, e) if keep is None else (t[keep], e[keep])
    if not _times_ok(tk) or not _codes_ok(ek, allowed):
        return None
    excluded = []
    for i in np.flatnonzero(gone).tolist() if keep is not None else ():
        row = rows[i] if rows is not None else i + 2
        why = ", ".join(c for c in needed if miss[c] is not None and miss[c][i])
        excluded.append((row, "missing " + why))
    g = gl = s = sl = None
    if group is not None:
        g, gl = _declared_order(df[group], *_fast_codes(lab[group][0], lab[group][2], keep,
                                                        native))  # fmt: skip
    if strata is not None:
        s, sl = _declared_order(df[strata], *_fast_codes(lab[strata][0], lab[strata][2], keep,
                                                         native))  # fmt: skip
    whole = native and tk.dtype.kind in "iu"
    return SurvivalData(
        tk if whole else tk.astype(np.float64, copy=False),
        ek if native and ek.dtype.kind in "iu" else ek.astype(np.int64, copy=False),
        g,
        gl or ("all",),
        s,
        sl or (),
        tuple(excluded),
        len(df),
        source,
    )


def _finish_problems(data: SurvivalData, require_events: bool, min_groups: int) -> bool:
    """Whether the row-by-row path would raise (then it runs, for the same messages)."""
    if data.n == 0 or (require_events and not data.event.max() > 0):
        return True
    return data.group is not None and len(data.group_labels) < min_groups


# --- the public gate: entry times, weights and R's tie rule on top of the checks above -----


def survival_data(
    df: pd.DataFrame,
    time: str,
    event: str,
    group: str | None = None,
    strata: str | None = None,
    *,
    entry: str | None = None,
    weights: str | None = None,
    exact_times: bool = False,
    event_codes: Sequence[int] = (0, 1),
    source: str = "data frame",
    rows: Sequence[int] | None = None,
    require_events: bool = True,
    min_groups: int = 1,
    native: bool = False,
) -> SurvivalData:
    """Check ``df[time]``, ``df[event]`` (and group/strata columns) and return arrays.

    ``rows`` gives the spreadsheet row of each frame row (default: index + 2).
    ``native``: integer time and event columns (NumPy int8..int64, or nullable integers
    without a missing value) are returned in their own dtype, not as float64/int64
    copies, and group codes ``0..G-1`` as the column itself (for the count table, which
    counts integers directly; only with neither ``entry`` nor ``weights``).
    ``entry`` names a column of entry times (delayed entry, left truncation, or the
    start of a ``(start, stop]`` row): the subject is at risk for times ``> entry``
    (R's ``Surv(entry, time, event)``); it must be a finite number below the exit time.
    ``weights`` names a column of case weights (finite numbers > 0). Rows missing either
    are excluded and listed. Times equal up to rounding error are merged by R's rule
    (:mod:`remission.stats.timefix`) unless ``exact_times`` is true; what was done is
    recorded in ``SurvivalData.timefix``.
    """
    kwargs = dict(event_codes=event_codes, source=source, require_events=require_events,
                  min_groups=min_groups)  # fmt: skip
    extras = {k: c for k, c in (("entry", entry), ("weights", weights)) if c is not None}
    if not extras:
        sd = _checked_data(df, time, event, group, strata, rows=rows, native=native, **kwargs)
    else:
        rows_all = np.arange(2, len(df) + 2) if rows is None else np.asarray(rows)
        sd = _with_extras(df, (time, event, group, strata), extras, rows_all, kwargs)
    if exact_times:
        return sd
    try:
        t, en, merged = aeq_times(sd.time, sd.entry)
    except ValueError as exc:
        raise InputError([Problem(source, str(exc), column=entry)]) from None
    return replace(sd, time=t, entry=en, timefix=TimeFix(True, merged))


_EXPECT = {"entry": "a number below the exit time", "weights": "a finite number > 0"}


def _extra_values(df, col, kind, rows_all, source, problems):
    """A numeric column: values (NaN where missing) and which are missing."""
    if col not in df.columns:
        have = ", ".join(map(str, df.columns))
        raise InputError([Problem(source, "column not found", column=col,
                                  expected=f"one of: {have}")])  # fmt: skip
    raw = df[col].tolist()
    missing = np.array([is_missing(v) for v in raw], dtype=bool)
    values = np.full(len(raw), np.nan)
    for i in np.flatnonzero(~missing):
        try:
            values[i] = _number(raw[i])
        except (TypeError, ValueError):
            values[i] = np.nan
        bad = not math.isfinite(values[i]) or (kind == "weights" and values[i] <= 0)
        if bad:
            what = "entry time must be a finite number" if kind == "entry" else \
                "weight must be a finite number > 0"  # fmt: skip
            problems.append(Problem(source, what, row=int(rows_all[i]), column=col,
                                    value=raw[i], expected=_EXPECT[kind]))  # fmt: skip
    return values, missing


def _with_extras(df, outcome, extras, rows_all, kwargs) -> SurvivalData:
    """The checks with entry and/or weight columns: their missing values excluded, the
    rest checked (every problem reported together)."""
    time, event, group, strata = outcome
    source = kwargs["source"]
    problems: list[Problem] = []
    cols = {k: _extra_values(df, c, k, rows_all, source, problems) for k, c in extras.items()}
    missing = np.zeros(len(df), dtype=bool)
    for _, miss in cols.values():
        missing |= miss
    try:
        sd = _checked_data(df.loc[~missing], time, event, group, strata,
                           rows=rows_all[~missing], **kwargs)  # fmt: skip
    except InputError as exc:
        raise InputError([*exc.problems, *problems]) from None
    gone = {r for r, _ in sd.excluded}
    kept = np.array([i for i in np.flatnonzero(~missing) if int(rows_all[i]) not in gone], int)
    en = cols["entry"][0][kept] if "entry" in cols else None
    if en is not None:
        raw = df[extras["entry"]].to_numpy()
        for j in np.flatnonzero(np.isfinite(en) & ~(en < sd.time)):
            problems.append(Problem(source, "entry time is not before the exit time",
                                    row=int(rows_all[kept[j]]), column=extras["entry"],
                                    value=raw[kept[j]], expected=f"a number below {time} = "
                                    f"{sd.time[j]:g}"))  # fmt: skip
    if problems:
        raise InputError(problems)
    excluded = [(int(rows_all[i]), "missing " + ", ".join(c for k, c in extras.items()
                                                          if cols[k][1][i]))
                for i in np.flatnonzero(missing)]  # fmt: skip
    w = cols["weights"][0][kept] if "weights" in cols else None
    return replace(sd, entry=en, weights=w, excluded=tuple(sorted([*sd.excluded, *excluded])),
                   n_input=len(df))  # fmt: skip
