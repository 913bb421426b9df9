"""Cox proportional hazards regression: the front end ``cox(df, ...)``.

It checks the table, excludes (and counts, by spreadsheet row) rows with a missing time,
event, stratum or covariate, builds the design matrix as R's ``model.matrix`` with
treatment contrasts (a column of text is categorical; its first level in sorted order, or
in declared order for a pandas Categorical, is the reference and the others become dummies
named column + level, e.g. ``sexM``; more than ``MAX_LEVELS`` levels is refused), fits
the model (:func:`remission.stats.cox_fit.cox_fit`, R's ``coxph.fit``), and adds the
global tests, the concordance and the proportional-hazards test (``cox.zph``).

Hazard ratios are ``exp(coef)`` with Wald intervals ``exp(coef +- z_{1-a/2} se)``,
``se`` from the inverse information (model-based), ``p`` two-sided from ``z = coef/se``
(as ``summary.coxph``). A fit that is not a regular maximum (a diverging coefficient, a
redundant column, no convergence, strata without events) is reported, not hidden: a
:class:`ConvergenceWarning` is issued and its text kept in ``CoxResult.warnings``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import special

from remission.cohort.problems import InputError, Problem
from remission.stats.concordance import concordance
from remission.stats.cox_fit import CoxFit, cox_fit
from remission.stats.cox_result import ConvergenceWarning, CoxCoefficient, CoxResult
from remission.stats.cox_robust import robust_variance
from remission.stats.cox_tests import global_tests
from remission.stats.frontend import is_missing, label_text, sort_labels, survival_data
from remission.stats.zph import cox_zph

__all__ = ["cox", "Design", "design_matrix", "ConvergenceWarning"]

TIES = ("efron", "breslow")


@dataclass(frozen=True, eq=False)
class Design:
    """The design matrix: ``x`` (n, p), column ``names``, and ``terms`` as (covariate,
    column indices), one per covariate (a categorical covariate has one per dummy)."""

    x: np.ndarray
    names: tuple[str, ...]
    terms: tuple[tuple[str, tuple[int, ...]], ...]


def _numeric_dtype(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


def _missing_mask(col: pd.Series) -> np.ndarray:
    if _numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        return col.isna().to_numpy()
    return np.fromiter((is_missing(v) for v in col), bool, len(col))


def _as_numbers(col: pd.Series) -> np.ndarray | None:
    """The column as floats, or None when some value is not a number (then categorical)."""
    if pd.api.types.is_bool_dtype(col):
        return None
    if _numeric_dtype(col):
        return col.to_numpy(dtype=float)
    if any(isinstance(v, bool | np.bool_) for v in col):
        return None
    values = pd.to_numeric(col.map(lambda v: v.strip() if isinstance(v, str) else v),
                           errors="coerce")  # fmt: skip
    return None if values.isna().any() else values.to_numpy(dtype=float)


def design_matrix(
    df: pd.DataFrame,
    covariates: Sequence[str],
    categorical: Sequence[str] = (),
    *,
    reference: Mapping[str, str] | None = None,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
) -> Design:
    """Treatment-contrast coding of ``df[covariates]`` (no missing values expected).

    A categorical covariate's reference level is its first sorted level, or
    ``reference[covariate]`` when given."""
    reference = dict(reference or {})
    rows = np.arange(2, len(df) + 2) if rows is None else np.asarray(rows)
    cols, names, terms, problems = [], [], [], []
    for cov in covariates:
        series = df[cov]
        num = None if cov in categorical else _as_numbers(series)
        start = len(names)
        if num is not None:
            bad = np.flatnonzero(~np.isfinite(num))
            problems += [Problem(source, "covariate is not finite", row=int(rows[i]), column=cov,
                                 value=series.iloc[i], expected="a finite number")
                         for i in bad]  # fmt: skip
            cols.append(num)
            names.append(cov)
        else:
            text = [label_text(v).strip() if isinstance(v, str) else label_text(v) for v in series]
            levels, problem = _levels(series, text, cov, source)
            if problem is not None:
                problems.append(problem)
                continue
            if cov in reference:
                ref = str(reference[cov])
                if ref not in levels:
                    problems.append(Problem(source, "reference level not found", column=cov,
                                            value=ref, expected="one of: " + ", ".join(levels)))  # fmt: skip
                    continue
                levels = (ref, *[lev for lev in levels if lev != ref])
            codes = np.array([levels.index(t) for t in text]) if len(levels) < 50 else \
                pd.Categorical(text, categories=list(levels)).codes  # fmt: skip
            for k, lev in enumerate(levels[1:], start=1):
                cols.append((np.asarray(codes) == k).astype(float))
                names.append(f"{cov}{lev}")
        terms.append((cov, tuple(range(start, len(names)))))
    if problems:
        raise InputError(problems)
    x = np.column_stack(cols) if cols else np.zeros((len(df), 0))
    return Design(x, tuple(names), tuple(terms))


#: A categorical covariate with more levels than this is refused before any dummy is built.
MAX_LEVELS = 50


def _levels(series: pd.Series, text: list[str], cov: str, source: str):
    """The levels of a categorical covariate (declared order for a pandas Categorical,
    else sorted; the first is the reference), or a Problem: one level, too many levels
    (more than :data:`MAX_LEVELS`), or MRD results given without a transform."""
    from remission.cohort.mrdvalue import MRDValue

    if any(isinstance(v, MRDValue) for v in series):
        return None, Problem(source, "MRD results need a transform to enter a model", column=cov,
                             expected="log10 of the level or categories at cut-points "
                                      "(--mrd-transform; remission.cohort.covariates)")  # fmt: skip
    present = set(text)
    if isinstance(series.dtype, pd.CategoricalDtype):
        levels = tuple(lab for lab in map(label_text, series.cat.categories) if lab in present)
    else:
        levels = sort_labels(present)
    if len(levels) > MAX_LEVELS:
        return None, Problem(source, f"categorical covariate has {len(levels)} levels, too many "
                             "for a model", column=cov, value=", ".join(levels[:5]) + ", ...",
                             expected=f"at most {MAX_LEVELS} levels (a number column, an MRD "
                                      "transform, or fewer categories)")  # fmt: skip
    if len(levels) < 2:
        return None, Problem(source, "categorical covariate has one level", column=cov,
                             value=", ".join(levels) or None, expected="at least two levels")  # fmt: skip
    return levels, None


def _check_arguments(df, time, event, covariates, strata, ties, categorical, source, extra=()):
    if ties not in TIES:
        raise InputError([Problem(source, f"unknown ties method {ties!r}",
                                  expected="efron or breslow")])  # fmt: skip
    problems = []
    if not covariates:
        problems.append(Problem(source, "no covariates given", expected="at least one column"))
    special = {time, event, strata, *extra} - {None}
    for c in covariates:
        if c in special:
            problems.append(Problem(source, "covariate is also the time, event or strata",
                                    column=c))  # fmt: skip
    if len(set(covariates)) != len(covariates):
        problems.append(Problem(source, "a covariate is named twice",
                                value=", ".join(covariates)))  # fmt: skip
    needed = [c for c in (time, event, strata, *extra, *covariates, *categorical) if c is not None]
    have = ", ".join(map(str, df.columns))
    problems += [Problem(source, "column not found", column=c, expected=f"one of: {have}")
                 for c in dict.fromkeys(needed) if c not in df.columns]  # fmt: skip
    if problems:
        raise InputError(problems)


def _exclude_missing(df, columns, rows):
    """Rows with any needed value missing: (kept frame, kept rows, excluded (row, why))."""
    masks = {c: _missing_mask(df[c]) for c in columns}
    anym = np.zeros(len(df), bool)
    for m in masks.values():
        anym |= m
    if not anym.any():
        return df, rows, []
    excluded = []
    for i in np.flatnonzero(anym):
        which = [c for c in columns if masks[c][i]]
        excluded.append((int(rows[i]), "missing " + ", ".join(which)))
    keep = ~anym
    return df.loc[keep].reset_index(drop=True), rows[keep], excluded


def cox(
    df: pd.DataFrame,
    time: str,
    event: str,
    covariates: Sequence[str],
    strata: str | None = None,
    ties: str = "efron",
    *,
    categorical: Sequence[str] = (),
    conf_level: float = 0.95,
    zph_transform: str = "km",
    reference: Mapping[str, str] | None = None,
    entry: str | None = None,
    exact_times: bool = False,
    robust: bool | None = None,
    cluster: str | None = None,
    weights: str | None = None,
    source: str = "data frame",
    rows: Sequence[int] | None = None,
) -> CoxResult:
    """Fit ``Surv(time, event) ~ covariates + strata(strata)`` as R's ``coxph``.

    ``event`` is 0 (censored) / 1 (event). Text columns (and those in ``categorical``)
    are dummy-coded against their first sorted level. ``ties`` is ``"efron"`` (R's
    default) or ``"breslow"``. See the module docstring for the formulas. ``entry``
    names a column of entry times: counting-process rows ``(entry, time]`` as R's
    ``Surv(entry, time, event)`` (delayed entry, time-dependent covariates on split rows);
    the concordance is then not computed. ``reference`` maps a categorical covariate to
    its reference level (default: the first sorted level). Times equal up to rounding
    error are merged as R does unless ``exact_times`` (:mod:`remission.stats.timefix`).
    ``robust=True`` gives the robust sandwich variance (R's ``robust = TRUE``), ``cluster``
    names a column whose rows are correlated (patients within centres, or the rows of one
    patient) for the cluster-robust variance (R's ``cluster(col)``); standard errors,
    intervals, z, p and the Wald test then use it, the model-based standard error is kept
    as ``naive_se`` (:mod:`remission.stats.cox_robust`). ``weights`` names a column of
    case weights (R's ``coxph(weights = )``; the concordance is then not computed).
    ``robust=None`` follows R's default: robust when ``cluster`` is given or some weight
    is not a whole number.
    """
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    categorical = [categorical] if isinstance(categorical, str) else list(categorical)
    _check_arguments(df, time, event, covariates, strata, ties, categorical, source,
                     (entry, cluster, weights))  # fmt: skip
    _check_options(covariates, reference, conf_level, source)
    rows = np.arange(2, len(df) + 2) if rows is None else np.asarray(rows)
    needed = [c for c in (time, event, strata, entry, cluster, weights) if c is not None]
    needed += covariates
    kept, kept_rows, excluded = _exclude_missing(df, list(dict.fromkeys(needed)), rows)
    sd, design = _checked(kept, (time, event, strata, entry, weights, exact_times),
                          covariates, (categorical, reference), source, kept_rows)  # fmt: skip
    fit = cox_fit(sd.time, sd.event, design.x, sd.strata, ties, entry=sd.entry,
                  weights=sd.weights)  # fmt: skip
    messages = _diagnose(fit, design, sd)
    naive = fit
    fit, variance = _robust(fit, sd, kept[cluster].to_numpy() if cluster else None, robust,
                            cluster, messages)  # fmt: skip
    plain = sd.entry is None and sd.weights is None
    conc = concordance(sd.time, sd.event, fit.lp, sd.strata) if plain else None
    zph = _zph(fit, design, zph_transform, messages)
    for m in messages:
        warnings.warn(m, ConvergenceWarning, stacklevel=2)
    return CoxResult(
        n=sd.n, events=int(sd.event.sum()), ties=ties, conf_level=conf_level,
        coefficients=_with_naive(_coefficients(fit, design, conf_level), naive, variance),
        loglik=fit.loglik, tests=global_tests(fit), concordance=conc, zph=zph, strata=sd.strata_labels,
        iterations=fit.iterations, converged=fit.converged, warnings=tuple(messages),
        excluded=tuple(sorted(excluded + [(int(r), why) for r, why in sd.excluded])),
        timefix=sd.timefix, counting_process=sd.entry is not None, variance=variance,
    )  # fmt: skip


def _check_options(covariates, reference, conf_level, source) -> None:
    stray = [c for c in (reference or {}) if c not in covariates]
    if stray:
        raise InputError([Problem(source, "reference level given for a column that is not a "
                                  "covariate", column=c, expected="one of: " + ", ".join(covariates))
                          for c in stray])  # fmt: skip
    if not 0 < conf_level < 1:
        raise InputError([Problem(source, "confidence level must be between 0 and 1",
                                  value=conf_level)])  # fmt: skip


def _zph(fit: CoxFit, design: Design, transform: str, messages: list[str]):
    if not np.any(~fit.singular):
        return None
    try:
        return cox_zph(fit, design.terms, transform)
    except np.linalg.LinAlgError:
        messages.append("the proportional-hazards test could not be computed "
                        "(singular information matrix)")  # fmt: skip
        return None


def _robust(fit: CoxFit, sd, cluster_values, robust, cluster: str | None, messages):
    """The fit with its variance replaced by the (cluster-)robust one, and its name."""
    if robust is None:  # R's default
        w = sd.weights
        robust = cluster is not None or (w is not None and bool(np.any(w != np.floor(w))))
    if not robust:
        return fit, "model-based"
    if fit.infinite.any():
        messages.append("robust variance not computed: a coefficient diverges")
        return fit, "model-based"
    var = robust_variance(fit, sd.strata, cluster_values)
    return replace(fit, var=var), (f"cluster({cluster})" if cluster else "robust")


def _with_naive(coefs, naive: CoxFit, variance: str) -> tuple[CoxCoefficient, ...]:
    if variance == "model-based":
        return coefs
    se = np.sqrt(np.where(np.diag(naive.var) > 0, np.diag(naive.var), np.nan))
    return tuple(replace(c, naive_se=float(s)) for c, s in zip(coefs, se, strict=True))


def _checked(kept, outcome, covariates, coding, source, rows):
    """Survival arrays and design matrix, with the problems of both reported together."""
    time, event, strata, entry, weights, exact_times = outcome
    categorical, reference = coding
    problems: list[Problem] = []
    sd = design = None
    try:
        sd = survival_data(kept, time, event, strata=strata, entry=entry, weights=weights,
                           exact_times=exact_times, source=source, rows=rows)  # fmt: skip
    except InputError as exc:
        problems += exc.problems
    try:
        design = design_matrix(kept, covariates, categorical, reference=reference,
                               source=source, rows=rows)  # fmt: skip
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)
    return sd, design


def _diagnose(fit: CoxFit, design: Design, sd) -> list[str]:
    """The warnings of a fit, in words (R's wording where R has one)."""
    out = []
    if sd.strata is not None:
        ev_per = np.bincount(sd.strata, weights=sd.event, minlength=len(sd.strata_labels))
        empty = [sd.strata_labels[k] for k in np.flatnonzero(ev_per == 0)]
        if empty:
            out.append("strata without events contribute nothing to the fit: "
                       + ", ".join(empty))  # fmt: skip
    if not fit.converged:
        out.append(f"ran out of iterations ({fit.iterations}) and did not converge")
    for j in np.flatnonzero(fit.infinite):
        out.append(f"coefficient {design.names[j]} diverges (monotone likelihood, e.g. "
                   "separation): its estimate is infinite; no SE, CI or Wald test")  # fmt: skip
    for j in np.flatnonzero(fit.singular):
        out.append(f"coefficient {design.names[j]} is not estimable: the column is redundant "
                   "(collinear with others or constant)")  # fmt: skip
    return out


def _exp(v: float) -> float:
    """``exp`` that gives inf instead of raising on overflow (huge CI limits)."""
    try:
        return math.exp(v)
    except OverflowError:
        return math.inf


def _coefficients(fit: CoxFit, design: Design, conf_level: float) -> tuple[CoxCoefficient, ...]:
    zq = float(special.ndtri(0.5 + conf_level / 2))
    term_of = {j: name for name, cols in design.terms for j in cols}
    out = []
    for j, name in enumerate(design.names):
        b, se = float(fit.coef[j]), math.sqrt(fit.var[j, j]) if fit.var[j, j] > 0 else math.nan
        if fit.singular[j]:
            nan = math.nan
            out.append(CoxCoefficient(name, term_of[j], nan, nan, nan, nan, nan, nan, nan,
                                      "singular"))  # fmt: skip
        elif fit.infinite[j]:
            inf = math.copysign(math.inf, b)
            out.append(CoxCoefficient(name, term_of[j], inf, math.nan, _exp(inf), math.nan,
                                      math.nan, math.nan, math.nan, "infinite", b))  # fmt: skip
        else:
            z = b / se
            out.append(CoxCoefficient(
                name, term_of[j], b, se, _exp(b), _exp(b - zq * se), _exp(b + zq * se), z,
                float(2 * special.ndtr(-abs(z))),
            ))  # fmt: skip
    return tuple(out)
