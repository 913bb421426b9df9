"""Curves to draw, read from the statistics results' JSON shapes (issue 3, part 6).

The figures never estimate anything: they take the ``to_dict()`` of a Kaplan-Meier
result (``{"groups": [{"group", "table": [{"time", "n_risk", "n_event", "n_censor",
"survival", "lower", "upper"}, ...]}]}``) or of a cumulative incidence result (a
``"table"`` or ``"at"`` list of ``{"time", "estimate", "lower", "upper"}`` per cause and
group) and turn each group into a :class:`Curve` of plain arrays.

The number at risk at a time ``t`` is the step function of the count table: the
``n_risk`` of the first row at or after ``t`` (everyone still under observation just
before ``t``), and 0 after the last row. This is
:meth:`remission.stats.counts.CountTable.risk_at`, and a test holds the two equal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Curve", "curves_from_km", "curves_from_cif", "risk_at", "cumulative_at", "ordered"]


@dataclass(frozen=True, eq=False)
class Curve:
    """One step curve in days: value after each time, and the number-at-risk steps.

    ``start`` is the value at time 0 (1 for survival, 0 for cumulative incidence).
    ``risk_time``/``risk_n`` are the count table's times and numbers at risk (may be
    empty when the result carries none; the figure then prints no risk table), and
    ``risk_event``/``risk_censor`` its events and censorings at those times (``None``
    when not known: no cumulative events or censored rows then).
    """

    label: str
    time: np.ndarray
    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    censor_time: np.ndarray
    censor_value: np.ndarray
    risk_time: np.ndarray
    risk_n: np.ndarray
    start: float = 1.0
    end: float | None = None
    risk_event: np.ndarray | None = None
    risk_censor: np.ndarray | None = None

    @property
    def last_time(self) -> float:
        """Where the curve stops: ``end`` (end of follow-up) or its last time."""
        times = [0.0, *self.time[-1:], *self.censor_time[-1:]]
        return max([t for t in times if np.isfinite(t)] + ([self.end] if self.end else []))

    def _extend(self, *cols: np.ndarray) -> tuple[np.ndarray, ...]:
        """Prepend time 0 and, if follow-up goes on, carry the last row to ``last_time``."""
        firsts = (0.0,) + (self.start,) * (len(cols) - 1)
        out = [np.concatenate([[f], c]) for f, c in zip(firsts, cols, strict=True)]
        if self.last_time > out[0][-1]:
            out = [np.append(c, self.last_time if i == 0 else c[-1]) for i, c in enumerate(out)]
        return tuple(out)

    def steps(self) -> tuple[np.ndarray, np.ndarray]:
        """x and y of the step function from time 0, for ``drawstyle='steps-post'``."""
        return self._extend(self.time, self.value)  # type: ignore[return-value]

    def band(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x, lower, upper of the CI band (NaN where not defined), from time 0."""
        return self._extend(self.time, self.lower, self.upper)  # type: ignore[return-value]


def _arr(rows: Sequence[Mapping], key: str) -> np.ndarray:
    return np.array([np.nan if r.get(key) is None else float(r[key]) for r in rows], dtype=float)


def risk_at(risk_time: np.ndarray, risk_n: np.ndarray, times: Sequence[float]) -> np.ndarray:
    """Number at risk just before each of ``times`` (step function of the count table)."""
    idx = np.searchsorted(np.asarray(risk_time, float), np.asarray(times, float), side="left")
    out = np.zeros(len(idx), dtype=np.int64)
    inside = idx < len(risk_time)
    out[inside] = np.asarray(risk_n, dtype=np.int64)[idx[inside]]
    return out


def cumulative_at(risk_time: np.ndarray, counts: np.ndarray, times: Sequence[float]) -> np.ndarray:
    """Sum of ``counts`` at the table's times ``<= t`` for each of ``times`` (cumulative
    events or censorings by ``t``, as survminer's cumulative-events table)."""
    csum = np.concatenate([[0], np.cumsum(np.asarray(counts, dtype=np.int64))])
    return csum[np.searchsorted(np.asarray(risk_time, float), np.asarray(times, float), "right")]


def ordered(curves: Sequence[Curve], order: Sequence[object] | None) -> list[Curve]:
    """``curves`` in the declared ``order`` of their labels (compared as text); labels
    not named keep their place after the named ones. ``None``: unchanged."""
    if not order:
        return list(curves)
    rank = {str(v): i for i, v in enumerate(order)}
    return sorted(curves, key=lambda c: rank.get(c.label, len(rank)))


def _km_group_curve(g: object) -> Curve:
    """A curve from a :class:`remission.stats.results_km.KMGroup` (arrays, no copying).

    With delayed entry (Simon-Makuch curves) the group carries its count table's own
    times (entries too), which give the exact number at risk between curve times; the
    events and censorings are placed on that grid."""
    cens = g.n_censor > 0  # type: ignore[attr-defined]
    time, surv = np.asarray(g.time, float), np.asarray(g.survival, float)  # type: ignore[attr-defined]
    risk_time, risk_n = time, np.asarray(g.n_risk, np.int64)  # type: ignore[attr-defined]
    ev, ce = np.asarray(g.n_event, np.int64), np.asarray(g.n_censor, np.int64)  # type: ignore[attr-defined]
    if getattr(g, "risk_time", None) is not None:
        risk_time = np.asarray(g.risk_time, float)  # type: ignore[attr-defined]
        risk_n = np.asarray(g.risk_n, np.int64)  # type: ignore[attr-defined]
        pos = np.searchsorted(risk_time, time)
        ev, ce = (np.bincount(pos, weights=v, minlength=len(risk_time)).astype(np.int64)
                  for v in (ev, ce))  # fmt: skip
    return Curve(
        label=str(g.group),  # type: ignore[attr-defined]
        time=time, value=surv, lower=g.lower, upper=g.upper,  # type: ignore[attr-defined]
        censor_time=time[cens], censor_value=surv[cens], risk_time=risk_time,
        risk_n=risk_n, risk_event=ev, risk_censor=ce,
    )  # fmt: skip


def curves_from_km(result: object) -> list[Curve]:
    """One :class:`Curve` per group of a Kaplan-Meier result or of its ``to_dict()``."""
    if not isinstance(result, Mapping):
        return [_km_group_curve(g) for g in result.groups]  # type: ignore[attr-defined]
    out = []
    for g in result["groups"]:
        rows = g["table"]
        time, surv = _arr(rows, "time"), _arr(rows, "survival")
        cens = _arr(rows, "n_censor") > 0
        out.append(
            Curve(
                label=str(g["group"]),
                time=time,
                value=surv,
                lower=_arr(rows, "lower"),
                upper=_arr(rows, "upper"),
                censor_time=time[cens],
                censor_value=surv[cens],
                risk_time=time,
                risk_n=_arr(rows, "n_risk").astype(np.int64),
                start=1.0,
                risk_event=_arr(rows, "n_event").astype(np.int64)
                if rows and "n_event" in rows[0]
                else None,
                risk_censor=_arr(rows, "n_censor").astype(np.int64),
            )
        )
    return out


def curves_from_cif(
    result: Mapping,
    cause: object = 1,
    risk: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    censor: Mapping[str, np.ndarray] | None = None,
) -> list[Curve]:
    """One :class:`Curve` per group for ``cause`` of a cumulative incidence ``to_dict()``.

    A cause entry's ``"table"`` (every event time) is used when present, else its
    ``"at"`` list. ``risk`` maps a group label to the count table's (times, n_risk) and
    ``censor`` to censoring times, both optional (the CIF JSON carries neither).
    """
    out = []
    for c in result["causes"]:
        if str(c["cause"]) != str(cause):
            continue
        rows = c.get("table") or c["at"]
        label = str(c.get("group", "all"))
        time, est = _arr(rows, "time"), _arr(rows, "estimate")
        rt, rn = (risk or {}).get(label, (np.array([]), np.array([], dtype=np.int64)))
        ct = np.sort(np.asarray((censor or {}).get(label, np.array([])), dtype=float))
        cv = np.array([_value_at(time, est, t, 0.0) for t in ct], dtype=float)
        rt = np.asarray(rt, float)
        end = max([*ct[-1:], *rt[-1:]], default=None)
        out.append(
            Curve(label, time, est, _arr(rows, "lower"), _arr(rows, "upper"), ct, cv,
                  rt, np.asarray(rn, np.int64), start=0.0, end=end)
        )  # fmt: skip
    return out


def curves_from_cif_result(
    result: object, cause: object = 1, at_risk: object | None = None
) -> list[Curve]:
    """One :class:`Curve` per group for ``cause`` of a :class:`remission.stats.cif.CIFResult`.

    The cumulative incidence result keeps no censoring times and no number at risk
    between events; ``at_risk``, a Kaplan-Meier result of the same rows with any event
    as the event (``km(df, time, event > 0, group)``), gives both: the risk table,
    censor marks and censored rows. Events rows count the events of ``cause``.
    """
    from remission.stats.cif import cif_bounds

    km_curves = {c.label: c for c in curves_from_km(at_risk)} if at_risk is not None else {}
    out = []
    for c in result.curves:  # type: ignore[attr-defined]
        if str(c.cause) != str(cause):
            continue
        label = str(c.group)
        lo, hi = cif_bounds(c.estimate, c.variance, result.conf_level)  # type: ignore[attr-defined]
        time, est = np.asarray(c.time, float), np.asarray(c.estimate, float)
        k = km_curves.get(label)
        if k is None and len(km_curves) == 1:
            k = next(iter(km_curves.values()))
        if k is None:
            empty = np.array([])
            out.append(Curve(label, time, est, lo, hi, empty, empty, empty,
                             np.array([], np.int64), start=0.0, end=c.max_time))  # fmt: skip
            continue
        events = np.zeros(len(k.risk_time), np.int64)
        np.add.at(events, np.searchsorted(k.risk_time, time), np.asarray(c.n_event, np.int64))
        cv = np.array([_value_at(time, est, t, 0.0) for t in k.censor_time], dtype=float)
        out.append(
            Curve(label, time, est, lo, hi, k.censor_time, cv, k.risk_time, k.risk_n,
                  start=0.0, end=c.max_time, risk_event=events, risk_censor=k.risk_censor)
        )  # fmt: skip
    return out


def _value_at(time: np.ndarray, value: np.ndarray, t: float, start: float) -> float:
    i = int(np.searchsorted(time, t, side="right")) - 1
    return start if i < 0 else float(value[i])
