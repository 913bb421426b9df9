"""Cox regression pooled over centres that exchange sums, never rows.

The partial likelihood of the Cox model stratified by centre is a sum over centres:
``l(b) = sum_c l_c(b)``, so its score ``U(b) = sum_c U_c(b)`` and information
``I(b) = sum_c I_c(b)`` are sums of what each centre computes on its own rows. Newton's
method needs nothing else: at each step the coordinator sends ``b``, every centre
returns ``(l_c, U_c, I_c)`` (1 + p + p^2 numbers) and the coordinator takes the step
``b + I^-1 U`` with R's ``coxph.fit`` rules (step halving when the likelihood falls,
convergence when its relative change is <= 1e-9; Therneau & Grambsch, *Modeling
Survival Data*, 2000, ch. 3). The fit equals ``coxph(Surv(time, event) ~ x +
strata(centre))`` on the pooled rows to rounding error.

The model is stratified by centre (each centre its own baseline hazard), as is usual in
multicentre analyses: the unstratified model's risk sets mix patients of all centres at
each event time, so its score is not a sum over centres and would need each centre's
per-event-time risk-set sums instead. Categorical covariates are coded against levels
agreed first: each centre reports the levels it has, the coordinator fixes the union.

The exchange is through files in one folder (:class:`Exchange`): ``levels-SITE.json``,
``design.json``, ``beta-K.json``, ``sums-SITE-K.json`` and ``done.json``, each written
whole and renamed, so a centre can be another process or another machine sharing a
folder. Each file holds only the numbers above.
"""

from __future__ import annotations

import json
import math
import os
import time as _time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from remission.cohort.problems import InputError, Problem
from remission.stats.cox_fit import EPS, TOLER_CHOL, chinv2, cholesky2, chsolve2, cox_data, evaluate
from remission.stats.frontend import is_missing, label_text, sort_labels, survival_data

__all__ = ["Site", "Exchange", "FederatedCox", "newton", "run_site", "coordinate"]


@dataclass(frozen=True)
class Sums:
    """What one centre returns for one coefficient vector."""

    loglik: float
    score: np.ndarray
    information: np.ndarray


class Site:
    """One centre's rows, kept at the centre: complete cases of time, event, covariates."""

    def __init__(self, df: pd.DataFrame, time: str, event: str, covariates: Sequence[str],
                 ties: str = "efron", source: str = "data frame") -> None:  # fmt: skip
        self.covariates = list(covariates)
        absent = [c for c in self.covariates if c not in df.columns]
        if absent:
            raise InputError([Problem(source, "column not found", column=c) for c in absent])
        miss = np.zeros(len(df), dtype=bool)
        for c in self.covariates:
            miss |= np.array([is_missing(v) for v in df[c]], dtype=bool)
        kept = df[~miss].reset_index(drop=True)
        sd = survival_data(kept, time, event, source=source, require_events=False)
        if sd.excluded:  # rows missing time or event: drop them from the covariates too
            gone = {r - 2 for r, _ in sd.excluded}
            kept = kept.drop(index=sorted(gone)).reset_index(drop=True)
        self.n_excluded = int(miss.sum()) + len(sd.excluded)
        self.frame, self.time, self.event, self.ties = kept, sd.time, sd.event, ties
        self.source = source
        self._cd = None

    def levels(self) -> dict:
        """Per covariate: numeric, or the text levels present here."""
        out = {}
        for c in self.covariates:
            num = pd.to_numeric(self.frame[c], errors="coerce")
            if not num.isna().any():
                out[c] = {"numeric": True}
            else:
                out[c] = {"numeric": False, "levels": sorted({_text(v) for v in self.frame[c]})}
        return out

    def prepare(self, design: dict) -> None:
        """Build the design matrix with the agreed coding, and the sorted risk sets."""
        cols = []
        for c in self.covariates:
            spec = design[c]
            if spec["numeric"]:
                cols.append(pd.to_numeric(self.frame[c]).to_numpy(dtype=float))
                continue
            text = [_text(v) for v in self.frame[c]]
            for lev in spec["levels"][1:]:
                cols.append(np.array([t == lev for t in text], dtype=float))
        x = np.column_stack(cols) if cols else np.zeros((len(self.frame), 0))
        self._cd = cox_data(self.time, self.event, x, None, self.ties)

    def sums(self, beta: np.ndarray) -> Sums:
        """Log partial likelihood, score and information at ``beta`` (input scale)."""
        cd = self._cd
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            e = evaluate(cd, np.asarray(beta, dtype=float) / cd.scale)
        return Sums(e.loglik, e.u / cd.scale, e.imat / np.outer(cd.scale, cd.scale))


def _text(v: object) -> str:
    return label_text(v).strip() if isinstance(v, str) else label_text(v)


def agree_design(levels: dict[str, dict]) -> tuple[dict, list[str]]:
    """The coding every centre uses (numeric only if numeric everywhere; categorical
    levels the union, sorted as the in-memory front end sorts them) and column names."""
    sites = list(levels)
    covs = list(levels[sites[0]])
    for s in sites[1:]:
        if list(levels[s]) != covs:
            raise InputError([Problem(s, "covariates differ from the other centres",
                                      value=", ".join(levels[s]), expected=", ".join(covs))])  # fmt: skip
    design, names = {}, []
    for c in covs:
        if all(levels[s][c]["numeric"] for s in sites):
            design[c] = {"numeric": True}
            names.append(c)
            continue
        union = set()
        for s in sites:
            spec = levels[s][c]
            union |= set(spec["levels"]) if not spec["numeric"] else {"(numbers)"}
        ordered = list(sort_labels(union))
        design[c] = {"numeric": False, "levels": ordered}
        names += [f"{c}{lev}" for lev in ordered[1:]]
    return design, names


@dataclass(frozen=True, eq=False)
class FederatedCox:
    """The pooled fit: coefficients, their model-based variance, log-likelihoods."""

    names: tuple[str, ...]
    coef: np.ndarray
    var: np.ndarray
    loglik: tuple[float, float]
    iterations: int
    converged: bool
    sites: tuple[str, ...]

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.var))

    def to_dict(self) -> dict:
        return {
            "model": "Cox, stratified by centre, Efron ties unless stated; fitted on sums",
            "sites": list(self.sites),
            "coefficients": [
                {"name": n, "coef": float(b), "se": float(s), "hazard_ratio": math.exp(b)}
                for n, b, s in zip(self.names, self.coef, self.se, strict=True)
            ],
            "loglik": list(self.loglik),
            "iterations": self.iterations,
            "converged": self.converged,
        }


def _rel_change(old: float, new: float) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.abs(1 - np.float64(old) / np.float64(new)))


def newton(total: Callable[[np.ndarray], Sums], p: int, max_iter: int = 20, eps: float = EPS):
    """R's ``coxph.fit`` iteration on summed evaluations: ``(beta, sums, loglik0, it,
    converged)``."""
    beta = np.zeros(p)
    e0 = total(beta)
    f0, _ = cholesky2(e0.information, TOLER_CHOL)
    best, newbeta, halving = e0.loglik, beta + chsolve2(f0, e0.score), 0
    for it in range(1, max_iter + 1):
        e = total(newbeta)
        finite = bool(np.all(np.isfinite(e.score)) and np.all(np.isfinite(e.information)))
        finite = finite and math.isfinite(e.loglik)
        if finite and _rel_change(best, e.loglik) <= eps:
            return newbeta, e, e0.loglik, it, True
        if not finite or e.loglik < best:
            halving += 1
            newbeta = (newbeta + halving * beta) / (halving + 1.0)
        else:
            f, _ = cholesky2(e.information, TOLER_CHOL)
            halving, best = 0, e.loglik
            beta, newbeta = newbeta, newbeta + chsolve2(f, e.score)
    return beta, total(beta), e0.loglik, max_iter, False


def fit(
    total: Callable[[np.ndarray], Sums], names: Sequence[str], sites: Sequence[str]
) -> FederatedCox:
    beta, e, ll0, it, ok = newton(total, len(names))
    f, _ = cholesky2(e.information, TOLER_CHOL)
    return FederatedCox(tuple(names), beta, chinv2(f), (ll0, e.loglik), it, ok, tuple(sites))


# --- the exchange through a folder -------------------------------------------------------


class Exchange:
    """Files in one folder, each written whole (temporary name, then renamed)."""

    def __init__(self, folder: str | Path, timeout: float = 300.0) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.timeout = timeout

    def write(self, name: str, doc: dict) -> None:
        tmp = self.folder / f".{name}.tmp"
        tmp.write_text(json.dumps(doc))
        os.replace(tmp, self.folder / name)

    def wait(self, name: str, who: str, also: str | None = None) -> tuple[str, dict]:
        """The first of ``name`` (or ``also``) to appear; an InputError after the timeout."""
        deadline = _time.monotonic() + self.timeout
        while True:
            for n in (name, also):
                if n and (self.folder / n).exists():
                    return n, json.loads((self.folder / n).read_text())
            if _time.monotonic() > deadline:
                raise InputError([Problem(str(self.folder), f"{who} did not answer within "
                                          f"{self.timeout:g} s", value=name)])  # fmt: skip
            _time.sleep(0.02)


def run_site(site: Site, name: str, exchange: Exchange) -> int:
    """A centre's side: report levels, then answer every ``beta`` until ``done``; returns
    the number of rounds answered."""
    exchange.write(f"levels-{name}.json", {"site": name, "levels": site.levels(),
                                           "n": len(site.time), "excluded": site.n_excluded})  # fmt: skip
    _, design = exchange.wait("design.json", "the coordinator")
    site.prepare(design["design"])
    k = 0
    while True:
        got, doc = exchange.wait(f"beta-{k}.json", "the coordinator", also="done.json")
        if got == "done.json":
            return k
        s = site.sums(np.asarray(doc["beta"], dtype=float))
        exchange.write(f"sums-{name}-{k}.json", {"loglik": s.loglik, "score": s.score.tolist(),
                                                 "information": s.information.tolist()})  # fmt: skip
        k += 1


def coordinate(sites: Sequence[str], exchange: Exchange) -> FederatedCox:
    """The coordinator's side: agree the design, then Newton on the summed answers."""
    levels = {s: exchange.wait(f"levels-{s}.json", f"centre {s}")[1]["levels"] for s in sites}
    design, names = agree_design(levels)
    exchange.write("design.json", {"design": design, "names": names})
    rounds = iter(range(10**6))

    def total(beta: np.ndarray) -> Sums:
        k = next(rounds)
        exchange.write(f"beta-{k}.json", {"beta": beta.tolist()})
        parts = [exchange.wait(f"sums-{s}-{k}.json", f"centre {s}")[1] for s in sites]
        return Sums(
            math.fsum(d["loglik"] for d in parts),
            np.sum([d["score"] for d in parts], axis=0),
            np.sum([d["information"] for d in parts], axis=0),
        )

    result = fit(total, names, sites)
    exchange.write("done.json", {"result": result.to_dict()})
    return result
