"""Comparing survival curves: the weighted, stratified k-sample log-rank family.

For each stratum and each distinct event time ``t`` (pooling the groups), with ``n_g``
at risk and ``d_g`` events in group ``g``, ``n = sum n_g``, ``d = sum d_g`` and a weight
``w(t)``::

    O_g = sum_t w d_g              E_g = sum_t w d n_g / n
    V_gh = sum_t w^2 d (n - d) / (n - 1) * (n_g / n) * (delta_gh - n_h / n)   (n > 1)

summed over the strata (a stratified test adds the strata's O, E and V). The statistic
is ``(O - E)' V^- (O - E)`` on ``k - 1`` degrees of freedom, with the generalised
inverse taken as R's ``survdiff`` does: groups with ``E_g = 0`` are dropped, then the
first group, and the rest is solved (Therneau, ``survival`` R/survdiff.R). Weights
(Klein & Moeschberger 2003, section 7.3; Fleming & Harrington 1991, chapter 7):

- ``logrank``: 1 (Mantel 1966; Peto & Peto 1972), R's ``survdiff(rho = 0)``; what
  Prism calls the log-rank (Mantel-Cox) test;
- ``peto-peto``: ``S(t-)``, the pooled Kaplan-Meier of the stratum just before ``t``,
  as R's ``survdiff(rho = 1)`` (Peto & Peto 1972; Harrington & Fleming 1982);
- ``fh:P,Q``: Fleming-Harrington ``S(t-)^P (1 - S(t-))^Q`` (``survdiff`` rho = P, Q = 0);
- ``gehan-breslow-wilcoxon``: ``n``, the number at risk (Gehan 1965; Breslow 1970), as
  Prism offers it;
- ``tarone-ware``: ``sqrt(n)`` (Tarone & Ware 1977);
- ``trend``: unweighted, scores ``s_g`` (1..k in group order unless given):
  ``U = sum_g s_g (O_g - E_g)``, ``V_T = s' V s``, ``U^2 / V_T`` on 1 df (Collett 2015,
  *Modelling Survival Data in Medical Research*, 3rd ed., chapter 2, "log-rank test for
  trend", with the exact variance ``s' V s``; the test Prism reports for three or more
  ordered groups).

The hazard ratio of two groups (the second group against the first, the reference) is
reported both ways Prism does (GraphPad FAQ 1226 "Hazard ratio from survival analysis";
Machin, Cheung & Parmar 2006, *Survival Analysis: a practical approach*, chapter 3), from
the unweighted (stratified, if strata are given) O, E and V:

- Mantel-Haenszel: ``K = (O_2 - E_2) / V_22``, ``HR = exp(K)``, CI ``exp(K -+ z / sqrt(V_22))``;
- log-rank: ``HR = (O_2 / E_2) / (O_1 / E_1)``, CI ``exp(log HR -+ z sqrt(1/E_1 + 1/E_2))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import special

from remission.cohort.problems import InputError, Problem
from remission.stats.counts import CountTable, count_table
from remission.stats.frontend import SurvivalData, survival_data
from remission.stats.timefix import TimeFix

__all__ = [
    "CompareResult",
    "HazardRatio",
    "LogRankSums",
    "Weighting",
    "compare",
    "hazard_ratio",
    "logrank_sums",
    "logrank_test",
    "parse_test",
    "TESTS",
]

TESTS = ("logrank", "peto-peto", "gehan-breslow-wilcoxon", "tarone-ware", "fh:P,Q", "trend")


@dataclass(frozen=True)
class Weighting:
    """A weight function ``w(t)`` of the family: ``kind`` is one of ``"fh"`` (uses ``p``,
    ``q``), ``"n"`` (Gehan-Breslow-Wilcoxon), ``"sqrt-n"`` (Tarone-Ware)."""

    name: str
    kind: str = "fh"
    p: float = 0.0
    q: float = 0.0
    trend: bool = False

    def weights(self, n: np.ndarray, s_minus: np.ndarray) -> np.ndarray:
        if self.kind == "n":
            return n.astype(float)
        if self.kind == "sqrt-n":
            return np.sqrt(n)
        if self.p == 0 and self.q == 0:
            return np.ones(len(n))
        return s_minus**self.p * (1 - s_minus) ** self.q


def parse_test(test: str) -> Weighting:
    """``"logrank"``, ``"peto-peto"``, ``"gehan-breslow-wilcoxon"``, ``"tarone-ware"``,
    ``"fh:P,Q"`` (P, Q >= 0) or ``"trend"`` -> :class:`Weighting`."""
    t = test.strip().lower()
    named = {
        "logrank": Weighting("logrank"),
        "peto-peto": Weighting("peto-peto", p=1.0),
        "gehan-breslow-wilcoxon": Weighting("gehan-breslow-wilcoxon", kind="n"),
        "tarone-ware": Weighting("tarone-ware", kind="sqrt-n"),
        "trend": Weighting("trend", trend=True),
    }
    if t in named:
        return named[t]
    if t.startswith("fh:"):
        try:
            p, q = (float(v) for v in t[3:].split(","))
        except ValueError:
            p = q = -1.0
        if p >= 0 and q >= 0:
            return Weighting(f"fh:{p:g},{q:g}", p=p, q=q)
    raise ValueError(f"unknown test {test!r}; expected one of {', '.join(TESTS)}")


@dataclass(frozen=True, eq=False)
class LogRankSums:
    """Weighted observed, expected and covariance of O - E, summed over strata."""

    observed: np.ndarray
    expected: np.ndarray
    variance: np.ndarray


def _stratum_sums(ct: CountTable, weighting: Weighting) -> LogRankSums:
    """O, E, V of one stratum's count table (groups = the table's groups)."""
    k = ct.n_groups
    times = np.unique(ct.time)
    pos = np.searchsorted(times, ct.time)
    d_g = np.zeros((len(times), k))
    d_g[pos, ct.group] = ct.events
    ev = d_g.sum(axis=1) > 0
    times, d_g = times[ev], d_g[ev]
    n_g = np.column_stack([ct.risk_at(g, times) for g in range(k)]).astype(float)
    n = n_g.sum(axis=1)
    d = d_g.sum(axis=1)
    s_minus = np.concatenate([[1.0], np.cumprod(1 - d / n)[:-1]])
    w = weighting.weights(n, s_minus)
    frac = n_g / n[:, None]
    observed = w @ d_g
    expected = (w * d) @ frac
    many = n > 1
    c = np.where(many, w * w * d * (n - d) / np.where(many, n - 1, 1), 0.0)
    variance = np.diag(c @ frac) - (frac * c[:, None]).T @ frac
    return LogRankSums(observed, expected, variance)


def logrank_sums(tables: Sequence[CountTable], weighting: Weighting) -> LogRankSums:
    """Sum O, E, V over strata (one count table per stratum, same group labels in the
    same order). The worker: tables are trusted."""
    parts = [_stratum_sums(ct, weighting) for ct in tables]
    return LogRankSums(
        sum(p.observed for p in parts),
        sum(p.expected for p in parts),
        sum(p.variance for p in parts),
    )


def _chisq(sums: LogRankSums, scores: Sequence[float] | None) -> tuple[float, int]:
    u = sums.observed - sums.expected
    if scores is not None:
        s = np.asarray(scores, dtype=float)
        v = float(s @ sums.variance @ s)
        return (float((s @ u) ** 2 / v) if v > 0 else 0.0), 1
    keep = np.flatnonzero(sums.expected > 0)
    if len(keep) < 2:
        return 0.0, 0
    sub = keep[1:]
    vv = sums.variance[np.ix_(sub, sub)]
    try:
        x = np.linalg.solve(vv, u[sub])
    except np.linalg.LinAlgError:
        x = np.linalg.pinv(vv) @ u[sub]
    return float(x @ u[sub]), len(keep) - 1


@dataclass(frozen=True)
class HazardRatio:
    """Hazard ratio of ``group`` against ``reference`` with its confidence interval."""

    method: str
    group: str
    reference: str
    estimate: float
    lower: float
    upper: float
    conf_level: float

    def to_dict(self) -> dict:
        return {
            "method": self.method,
            "group": self.group,
            "reference": self.reference,
            "estimate": _num(self.estimate),
            "lower": _num(self.lower),
            "upper": _num(self.upper),
            "conf_level": self.conf_level,
        }


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def hazard_ratio(
    sums: LogRankSums, labels: Sequence[str], conf_level: float = 0.95
) -> tuple[HazardRatio, HazardRatio]:
    """Mantel-Haenszel and log-rank hazard ratios of group 2 vs group 1 from the
    unweighted O, E, V (see the module docstring)."""
    o, e, v = sums.observed, sums.expected, sums.variance[1, 1]
    z = float(special.ndtri(1 - (1 - conf_level) / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        k = (o[1] - e[1]) / v
        half = z / np.sqrt(v)
        lr = np.log((o[1] / e[1]) / (o[0] / e[0]))
        se = np.sqrt(1 / e[0] + 1 / e[1])
        mh = HazardRatio(
            "mantel-haenszel", labels[1], labels[0],
            np.exp(k), np.exp(k - half), np.exp(k + half), conf_level,
        )  # fmt: skip
        lgr = HazardRatio(
            "logrank", labels[1], labels[0],
            np.exp(lr), np.exp(lr - z * se), np.exp(lr + z * se), conf_level,
        )  # fmt: skip
    return mh, lgr


@dataclass(frozen=True, eq=False)
class CompareResult:
    """A k-sample comparison: the statistic, its df and p, per-group O and E, and for two
    groups the hazard ratio by both methods (``None`` otherwise)."""

    test: str
    statistic: float
    df: int
    p_value: float
    groups: tuple[str, ...]
    n: tuple[int, ...]
    observed: np.ndarray
    expected: np.ndarray
    variance: np.ndarray
    hazard_ratio: tuple[HazardRatio, HazardRatio] | None
    strata: tuple[str, ...] = ()
    scores: tuple[float, ...] | None = None
    excluded: tuple[tuple[int, str], ...] = ()
    timefix: TimeFix | None = None

    @property
    def table(self) -> pd.DataFrame:
        """Per group: n, observed and expected (weighted, summed over strata)."""
        return pd.DataFrame(
            {
                "group": list(self.groups),
                "n": list(self.n),
                "observed": self.observed,
                "expected": self.expected,
            }
        )

    def to_dict(self) -> dict:
        hr = None
        if self.hazard_ratio is not None:
            mh, lr = self.hazard_ratio
            hr = {
                "group": mh.group,
                "reference": mh.reference,
                "conf_level": mh.conf_level,
                "mantel_haenszel": {
                    k: _num(getattr(mh, k)) for k in ("estimate", "lower", "upper")
                },
                "logrank": {k: _num(getattr(lr, k)) for k in ("estimate", "lower", "upper")},
            }
        return {
            "test": self.test,
            "statistic": _num(self.statistic),
            "df": self.df,
            "p_value": _num(self.p_value),
            "hazard_ratio": hr,
            "groups": [
                {"group": g, "n": int(n), "observed": float(o), "expected": float(e)}
                for g, n, o, e in zip(
                    self.groups, self.n, self.observed, self.expected, strict=True
                )
            ],
            "strata": list(self.strata) or None,
            "scores": list(self.scores) if self.scores is not None else None,
            "variance": [[float(v) for v in row] for row in np.asarray(self.variance)],
            "timefix": self.timefix.to_dict() if self.timefix is not None else None,
            "n_excluded": len(self.excluded),
            "excluded": [{"row": r, "reason": why} for r, why in self.excluded],
        }


def logrank_test(
    tables: Sequence[CountTable],
    test: str | Weighting = "logrank",
    scores: Sequence[float] | None = None,
    conf_level: float = 0.95,
) -> CompareResult:
    """The worker: the test of ``test`` on one count table per stratum (all with the
    same group labels). Tables pooled from several centres give the same answer as the
    table of all rows (:meth:`CountTable.pool`)."""
    w = parse_test(test) if isinstance(test, str) else test
    labels = tuple(str(x) for x in tables[0].group_labels)
    k = len(labels)
    sums = logrank_sums(tables, w)
    if w.trend:
        scores = tuple(float(s) for s in (scores if scores is not None else range(1, k + 1)))
        if len(scores) != k:
            raise ValueError(f"trend: {len(scores)} scores given for {k} groups")
    stat, df = _chisq(sums, scores if w.trend else None)
    p = float(special.chdtrc(df, stat)) if df > 0 else float("nan")
    hr = None
    if k == 2:
        plain = sums if (w.kind == "fh" and w.p == 0 and w.q == 0) else None
        hr = hazard_ratio(plain or logrank_sums(tables, Weighting("logrank")), labels, conf_level)
    n = tuple(int(sum(_group_n(ct, g) for ct in tables)) for g in range(k))
    return CompareResult(
        w.name, stat, df, p, labels, n, sums.observed, sums.expected, sums.variance, hr,
        scores=scores if w.trend else None,
    )  # fmt: skip


def _group_n(ct: CountTable, g: int) -> int:
    s = ct.rows(g)
    return int(ct.n_risk[s][0]) if s.stop > s.start else 0


def stratum_tables(sd: SurvivalData) -> list[CountTable]:
    """One count table per stratum (all groups in each), or the one table."""
    if sd.strata is None:
        return [sd.count_table()]
    g = sd.group if sd.group is not None else np.zeros(sd.n, dtype=np.int64)
    out = []
    for s in range(len(sd.strata_labels)):
        m = sd.strata == s
        en = sd.entry[m] if sd.entry is not None else None
        out.append(
            count_table(sd.time[m], sd.event[m], g[m], entry=en, group_labels=sd.group_labels)
        )
    return out


def with_reference(
    sd: SurvivalData, reference: str | None, group: str, source: str
) -> SurvivalData:
    """``sd`` with the group labelled ``reference`` first (the others in their order)."""
    if reference is None:
        return sd
    labels = sd.group_labels
    if str(reference) not in labels:
        raise InputError([Problem(source, "reference group not found", column=group,
                                  value=reference, expected="one of: " + ", ".join(labels))])  # fmt: skip
    new = (str(reference), *[lab for lab in labels if lab != str(reference)])
    perm = np.array([new.index(lab) for lab in labels], dtype=np.int64)
    return replace(sd, group=perm[sd.group], group_labels=new)


def compare(
    df: pd.DataFrame,
    time: str,
    event: str,
    group: str,
    strata: str | None = None,
    test: str = "logrank",
    scores: Sequence[float] | None = None,
    conf_level: float = 0.95,
    *,
    reference: str | None = None,
    entry: str | None = None,
    exact_times: bool = False,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
) -> CompareResult:
    """Compare the survival of the groups of ``df[group]`` (see the module docstring).

    ``event`` is 0 (censored) or 1 (event). ``test`` is one of ``logrank`` (default),
    ``peto-peto``, ``gehan-breslow-wilcoxon``, ``tarone-ware``, ``fh:P,Q`` or ``trend``
    (``scores`` for the ordered groups, default 1..k in sorted label order). Groups are
    ordered as their labels sort (numerically when all are numbers); the first is the
    reference of the hazard ratio. Rows with a missing value are excluded and listed in
    ``result.excluded``. ``entry`` names a column of entry times (at risk for times
    ``> entry``; R's ``survdiff`` refuses such data, the log-rank statistic then equals
    the score test of ``coxph(Surv(entry, time, event) ~ group, ties = "exact")``).
    Times equal up to rounding error are merged as R does unless ``exact_times``.
    ``reference`` names the group to put first (the reference of the hazard ratio).
    """
    w = parse_test(test)
    sd = survival_data(
        df, time, event, group=group, strata=strata, entry=entry, exact_times=exact_times,
        source=source, rows=rows, min_groups=2, native=True,
    )  # fmt: skip
    sd = with_reference(sd, reference, group, source)
    res = logrank_test(stratum_tables(sd), w, scores=scores, conf_level=conf_level)
    return CompareResult(
        res.test, res.statistic, res.df, res.p_value, res.groups, res.n, res.observed,
        res.expected, res.variance, res.hazard_ratio, sd.strata_labels, res.scores,
        sd.excluded, sd.timefix,
    )  # fmt: skip
