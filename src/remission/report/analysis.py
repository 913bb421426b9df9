"""The analysis behind the report: derived columns and calls into the statistics layers.

:class:`AnalysisContext` holds the cohort frame with derived columns and answers the
questions the claims audit and the report ask (select patients, medians, Kaplan-Meier
estimates at a time, exact binomial CIs). It computes nothing statistical itself: the
estimates come from :mod:`remission.stats` (Kaplan-Meier, follow-up, binomial CI,
cumulative incidence), MRD response from :mod:`remission.mrd.response` and endpoints
from :mod:`remission.endpoints` through the cohort.

Derived columns (days are calendar-day differences):

- ``days_<intervention>_to_hsct`` for each intervention of the study file:
  ``hsct_date - <its start date>`` (the seed: ``days_blinatumomab_to_hsct``);
- ``age_at_diagnosis_years``: ``(diagnosis_date - date_of_birth) / 365.25``;
- ``days_hsct_to_relapse``, ``days_hsct_to_death``, ``days_hsct_to_last_followup``;
- ``mrd_pre_level``/``mrd_post_level`` (per cent, quantifiable results only) and
  ``mrd_pre_qualifier``/``mrd_post_qualifier`` (``quantifiable``, ``negative``,
  ``positive_not_quantifiable``, ``missing``);
- ``log_reduction`` and ``log_reduction_bound`` (``exact``/``at_least``/``unknown``,
  :func:`remission.cohort.mrdvalue.log_reduction`);
- ``mrd_response`` (``complete``, ``partial``, ``no_response``, ``not_evaluable``) by
  :func:`remission.mrd.response.assess_response` with its default rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from remission.cohort.mrdvalue import MRDValue, log_reduction, parse_mrd
from remission.report import format as fmt
from remission.report.claims import NotComputable

__all__ = ["AnalysisContext", "derive_columns", "select", "mrd_assessments"]

_OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "contains", "not_contains",
        "present", "missing")  # fmt: skip


def _mrd(v: object) -> MRDValue:
    return v if isinstance(v, MRDValue) else parse_mrd(v)


def _days(frame: pd.DataFrame, late: str, early: str) -> pd.Series:
    if late not in frame or early not in frame:
        return pd.Series(np.nan, index=frame.index)
    d = pd.to_datetime(frame[late]) - pd.to_datetime(frame[early])
    return d.dt.days.astype(float)


def mrd_assessments(frame: pd.DataFrame) -> list[tuple[str, dict]]:
    """Per patient ``(patient_id, ResponseAssessment.to_dict())`` (default rules)."""
    from remission.mrd.response import assess_response

    out = []
    for pid, pre, post in zip(frame["patient_id"], frame["mrd_pre_percent"],
                              frame["mrd_post_percent"], strict=True):  # fmt: skip
        out.append((str(pid), assess_response(_mrd(pre), _mrd(post)).to_dict()))
    return out


def derive_columns(frame: pd.DataFrame, interventions: Mapping[str, str] | None = None
                   ) -> pd.DataFrame:  # fmt: skip
    """The cohort frame plus the derived columns of the module docstring;
    ``interventions`` maps each study intervention to its start-date column."""
    f = frame.copy()
    for name, start in (interventions or {}).items():
        f[f"days_{name}_to_hsct"] = _days(f, "hsct_date", start)
    f["age_at_diagnosis_years"] = _days(f, "diagnosis_date", "date_of_birth") / fmt.DAYS_PER_YEAR
    for what, col in (("relapse", "relapse_date"), ("death", "death_date"),
                      ("last_followup", "last_followup_date")):  # fmt: skip
        f[f"days_hsct_to_{what}"] = _days(f, col, "hsct_date")
    for which in ("pre", "post"):
        col = f"mrd_{which}_percent"
        vals = [_mrd(v) for v in f[col]] if col in f else [MRDValue.missing()] * len(f)
        f[f"mrd_{which}_level"] = [np.nan if v.level is None else v.level for v in vals]
        f[f"mrd_{which}_qualifier"] = [v.qualifier.value for v in vals]
    if "mrd_pre_percent" in f and "mrd_post_percent" in f:
        reds = [log_reduction(_mrd(a), _mrd(b)) for a, b in
                zip(f["mrd_pre_percent"], f["mrd_post_percent"], strict=True)]  # fmt: skip
        f["log_reduction"] = [np.nan if r.value is None else r.value for r in reds]
        f["log_reduction_bound"] = [r.bound for r in reds]
        try:
            f["mrd_response"] = [a["category"] for _, a in mrd_assessments(f)]
        except ImportError:  # the MRD layer is part of the package; kept explicit
            pass
    return f


def _texts(s: pd.Series) -> list[str | None]:
    return [None if _absent(v) else str(v).lower() for v in s]


def _absent(v: object) -> bool:
    if isinstance(v, MRDValue):
        return v.is_missing
    return v is None or bool(pd.isna(v))


def _yes_no(value: Any) -> Any:
    """YAML reads an unquoted ``yes``/``no`` as a boolean: back to the category text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [_yes_no(v) for v in value]
    return value


def _condition(s: pd.Series, op: str, value: Any) -> pd.Series:
    """Boolean mask of one ``where`` operator; a missing value meets only ``missing``."""
    if op not in ("present", "missing"):
        value = _yes_no(value)
    present = pd.Series([not _absent(v) for v in s], index=s.index, dtype=bool)
    if op in ("present", "missing"):
        return present if (op == "present") == bool(value) else ~present
    texts = _texts(s)
    if op in ("contains", "not_contains"):
        hit = [t is not None and str(value).lower() in t for t in texts]
        mask = pd.Series(hit, index=s.index, dtype=bool)
        return mask if op == "contains" else present & ~mask
    if op in ("in", "not_in") or (op in ("eq", "ne") and isinstance(value, str)):
        want = {str(v).lower() for v in (value if op in ("in", "not_in") else [value])}
        want |= {_num_text(v) for v in (value if op in ("in", "not_in") else [value])}
        mask = pd.Series([t is not None and (t in want or _num_text(t) in want) for t in texts],
                         index=s.index, dtype=bool)  # fmt: skip
        return mask if op in ("in", "eq") else present & ~mask
    num = pd.to_numeric(pd.Series([None if t is None else t for t in texts], index=s.index),
                        errors="coerce")  # fmt: skip
    out = {"eq": num == value, "ne": num != value, "lt": num < value, "le": num <= value,
           "gt": num > value, "ge": num >= value}[op]  # fmt: skip
    return out.fillna(False).astype(bool) & present


def _num_text(v: object) -> str:
    """``1``, ``1.0`` and ``"1"`` compare equal as category values."""
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v).lower()
    return str(int(f)) if f.is_integer() else repr(f)


def select(frame: pd.DataFrame, where: Mapping | None) -> pd.DataFrame:
    """Rows meeting every condition of ``where`` (see :mod:`remission.report.claims`).

    A column absent from the frame raises :class:`NotComputable` naming it.
    """
    mask = pd.Series(True, index=frame.index)
    for col, cond in (where or {}).items():
        if col not in frame.columns:
            raise NotComputable(f"column {col!r} is not in the cohort")
        if isinstance(cond, Mapping):
            items = list(cond.items())
        elif isinstance(cond, list):
            items = [("in", cond)]
        else:
            items = [("eq", cond)]
        for op, value in items:
            if op not in _OPS:
                raise NotComputable(f"unknown operator {op!r} (known: {', '.join(_OPS)})")
            mask &= _condition(frame[col], op, value)
    return frame[mask]


class AnalysisContext:
    """Questions about one cohort, answered through the statistics layers.

    ``endpoint(name, origin)`` returns the endpoint frame (``patient_id``, ``time``,
    ``event``); it is the cohort's :meth:`~remission.cohort.cohort.Cohort.endpoint`.
    """

    def __init__(self, frame: pd.DataFrame, endpoint: Callable[[str, str], pd.DataFrame],
                 interventions: Mapping[str, str] | None = None):  # fmt: skip
        self.frame = derive_columns(frame, interventions)
        self.interventions = dict(interventions or {})
        self._endpoint = endpoint
        self._cache: dict[tuple[str, str], pd.DataFrame] = {}

    def endpoint(self, name: str, origin: str) -> pd.DataFrame:
        key = (name, origin)
        if key not in self._cache:
            self._cache[key] = self._endpoint(name, origin)
        return self._cache[key]

    def select(self, where: Mapping | None) -> pd.DataFrame:
        return select(self.frame, where)

    def numbers(self, column: str, where: Mapping | None = None, endpoint: str | None = None,
                origin: str | None = None) -> list[float]:  # fmt: skip
        """Non-missing values of ``column`` (a cohort column, or of an endpoint frame)."""
        frame = self.endpoint(endpoint, origin or "hsct") if endpoint else self.frame
        rows = select(frame, where)
        if column not in rows.columns:
            raise NotComputable(f"column {column!r} is not in the cohort")
        if column in ("mrd_pre_percent", "mrd_post_percent"):
            vals = [_mrd(v).level for v in rows[column]]
        else:
            vals = list(pd.to_numeric(rows[column], errors="coerce"))
        return [float(v) for v in vals if v is not None and not np.isnan(v)]

    def counts(self, column: str, groups: Mapping[str, Sequence], where: Mapping | None = None
               ) -> dict[str, int]:  # fmt: skip
        rows = self.select(where)
        if column not in rows.columns:
            raise NotComputable(f"column {column!r} is not in the cohort")
        n_missing = int(rows[column].isna().sum())
        if n_missing == len(rows):
            raise NotComputable(f"{column!r} is missing for all {len(rows)} patients")
        out = {str(k): len(select(rows, {column: list(v)})) for k, v in groups.items()}
        if n_missing:
            out["missing"] = n_missing
        return out

    def km_at(self, endpoint: str, origin: str, days: float) -> dict:
        """Kaplan-Meier estimate (log-log 95 % CI) of ``endpoint`` from ``origin`` at
        ``days``; for an endpoint with competing events (CIR, NRM, a study's own), the
        cumulative incidence of its event (Aalen-Johansen, as ``cmprsk::cuminc``), as the
        report's table gives it."""
        from remission.stats.km import km

        data = self.endpoint(endpoint, origin)
        if not len(data):
            raise NotComputable(f"no patient has an origin date for {endpoint} from {origin}")
        if int(data["event"].max()) > 1:
            return self._incidence_at(data, days)
        g = km(data, time="time", event="event").groups[0]
        at = g.at([days])
        if np.isnan(at["survival"][0]):
            raise NotComputable(f"follow-up ends before day {fmt.number(days)}")
        return {"time": days, "estimate": float(at["survival"][0]),
                "lower": _num(at["lower"][0]), "upper": _num(at["upper"][0]),
                "n_risk": int(at["n_risk"][0]), "n": g.n, "events": g.events}  # fmt: skip

    def _incidence_at(self, data: pd.DataFrame, days: float) -> dict:
        from remission.stats.cif import cif

        if float(data["time"].max()) < days:
            raise NotComputable(f"follow-up ends before day {fmt.number(days)}")
        row = cif(data, time="time", event="event").at([days]).query("cause == 1").iloc[0]
        ev = data["event"].to_numpy(int)
        return {"time": days, "estimate": float(row["estimate"]), "lower": _num(row["lower"]),
                "upper": _num(row["upper"]), "n": int(len(ev)), "events": int((ev == 1).sum()),
                "competing": int((ev == 2).sum())}  # fmt: skip

    def binomial(self, x: int, n: int) -> dict:
        """Clopper-Pearson exact 95 % CI of ``x/n``."""
        from remission.stats.binomial import binomial_ci

        if n <= 0:
            raise NotComputable("the denominator is 0")
        return binomial_ci(x, n).to_dict()

    def describe(self, where: Mapping | None, columns: Sequence[str]) -> str:
        """``"P5: mrd_pre_percent 0.28, ...; P6: ..."`` for the rows meeting ``where``."""
        rows = self.select(where)
        parts = []
        for r in rows.to_dict("records"):
            cells = ", ".join(f"{c} {_cell(r.get(c))}" for c in columns)
            parts.append(f"patient {r['patient_id']}: {cells}" if cells else str(r["patient_id"]))
        return "; ".join(parts) if parts else "no patient meets the condition"


def _num(x: float) -> float | None:
    return None if x is None or np.isnan(x) else float(x)


def _cell(v: object) -> str:
    if isinstance(v, MRDValue):
        return str(v)
    if isinstance(v, float):
        return fmt.MISSING if np.isnan(v) else fmt.number(v, 2)
    return fmt.MISSING if v is None or pd.isna(v) else str(v)
