"""Cox proportional hazards (Efron ties): remission vs R's survival (``cox_r.R``, run by
``Rscript`` on the same data written to a temporary file), statsmodels' PHReg, lifelines'
CoxPHFitter and scikit-survival's CoxPHSurvivalAnalysis, on ``n`` rows of integer-day
data with one covariate, and with five (three normal, one binary, one with four levels).

Cases:

- ``cox efron fit``: coefficients, model-based SEs, log-likelihoods and the global tests
  (what every peer computes). remission runs its array worker (``cox_fit`` +
  ``global_tests``, R's ``coxph.fit``), R ``coxph.fit`` on the matrix, the Python peers
  their fit from arrays / a DataFrame. lifelines and scikit-survival run only up to
  1e5 rows (at 1e6 they take minutes per call: 15 s and 62 s with one covariate).
- ``cox efron full``: remission's whole front end ``cox(df, ...)`` (validation, design
  matrix, fit, tests, concordance with its SE, ``cox.zph``) against R's
  ``coxph(Surv(time, status) ~ ...)`` (which computes the concordance and its SE) plus
  ``cox.zph``, and statsmodels' fit.

R's time is measured inside R (best of ``--repeat`` after a warm-up); its coefficients
are checked against remission's (to 1e-6 relative) on every run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from remission.stats.cox import cox
from remission.stats.cox_fit import cox_fit
from remission.stats.cox_tests import global_tests


def write_r_input(path: Path, t: np.ndarray, e: np.ndarray, x: np.ndarray) -> Path:
    """The data as ``cox_r.R`` reads it: n and p, then time, event and each covariate as
    little-endian doubles."""
    with path.open("wb") as f:
        np.array([len(t), x.shape[1]], "<f8").tofile(f)
        for col in (t, e, *x.T):
            np.asarray(col, "<f8").tofile(f)
    return path


def make_data(n: int, seed: int) -> pd.DataFrame:
    """Integer days: exponential event times with hazard ratio exp(0.5) per SD of ``x``
    (baseline mean 1000 days), uniform censoring over ten years (3652 days)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    event_t = np.ceil(rng.exponential(1000.0 * np.exp(-0.5 * x)))
    cens_t = np.ceil(rng.uniform(0, 3652, n))
    return pd.DataFrame(
        {
            "time": np.minimum(event_t, cens_t).astype(np.int64),
            "event": (event_t <= cens_t).astype(np.int64),
            "x": x,
        }
    )


def make_data5(n: int, seed: int) -> pd.DataFrame:
    """Five covariates: ``x1..x3`` standard normal, ``x4`` binary, ``x5`` in 0..3; log
    hazard ratios 0.5, -0.3, 0.2, 0.4, 0.1; baseline and censoring as :func:`make_data`."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5))
    x[:, 3] = rng.integers(0, 2, n)
    x[:, 4] = rng.integers(0, 4, n)
    eta = x @ np.array([0.5, -0.3, 0.2, 0.4, 0.1])
    event_t = np.ceil(rng.exponential(1000.0 * np.exp(-eta)))
    cens_t = np.ceil(rng.uniform(0, 3652, n))
    df = pd.DataFrame(x, columns=[f"x{j}" for j in range(1, 6)])
    df.insert(0, "event", (event_t <= cens_t).astype(np.int64))
    df.insert(0, "time", np.minimum(event_t, cens_t).astype(np.int64))
    return df


HERE = Path(__file__).resolve().parent


def r_peer(t: np.ndarray, e: np.ndarray, x: np.ndarray, mode: str) -> Callable[[int], float]:
    """R on the same arrays (``cox_r.R``, ``mode`` "fit" or "full"): a ``self_timed``
    function returning R's own best time; raises ImportError (skipped) without Rscript."""

    def run(repeat: int) -> float:
        if shutil.which("Rscript") is None:
            raise ImportError("Rscript not found")
        with tempfile.TemporaryDirectory() as tmp:
            path = write_r_input(Path(tmp) / "cox.bin", t, e, x)
            cmd = ["Rscript", str(HERE / "cox_r.R"), str(path), str(repeat), mode]
            done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise ImportError(f"R failed: {done.stderr.strip()[-300:]}")
        lines = {ln.split()[0]: ln.split()[1:] for ln in done.stdout.splitlines() if ln.strip()}
        coef = np.array(lines["coef"], float)
        ours = cox_fit(t, e, x, ties="efron").coef
        if not np.allclose(coef, ours, rtol=1e-6, atol=1e-9):
            print(f"  R and remission differ: {coef} vs {ours}", file=sys.stderr)
        return float(lines["seconds"][0])

    run.self_timed = True  # type: ignore[attr-defined]
    return run


def _peers(df: pd.DataFrame, t: np.ndarray, e: np.ndarray, x: np.ndarray) -> dict:
    def statsmodels() -> object:
        from statsmodels.duration.hazard_regression import PHReg

        return PHReg(t, x, status=e, ties="efron").fit()

    def lifelines() -> object:
        from lifelines import CoxPHFitter

        return CoxPHFitter().fit(df, "time", "event")

    def sksurv() -> object:
        from sksurv.linear_model import CoxPHSurvivalAnalysis
        from sksurv.util import Surv

        y = Surv.from_arrays(e.astype(bool), t)
        return CoxPHSurvivalAnalysis(ties="efron").fit(x, y)

    return {"lifelines": lifelines, "statsmodels": statsmodels, "scikit-survival": sksurv}


def cases(n: int, seed: int) -> list[tuple[str, dict[str, Callable[[], object]]]]:
    slow = n <= 1e5  # lifelines and scikit-survival take minutes at 1e6 rows
    return _cases(make_data(n, seed), "", slow) + _cases(make_data5(n, seed), ", 5 cov", slow)


def _cases(df: pd.DataFrame, label: str, slow_peers: bool) -> list:
    covs = [c for c in df.columns if c.startswith("x")]
    t = df["time"].to_numpy(np.float64)
    e = df["event"].to_numpy()
    x = df[covs].to_numpy()
    peers = _peers(df, t, e, x)
    if not slow_peers:
        peers = {"statsmodels": peers["statsmodels"]}

    def remission_fit() -> object:
        fit = cox_fit(t, e, x, ties="efron")
        return fit, global_tests(fit)

    def remission_full() -> object:
        return cox(df, "time", "event", covs, ties="efron")

    nbytes = t.nbytes + e.nbytes + x.nbytes
    remission_fit.input_bytes = nbytes  # type: ignore[attr-defined]
    remission_full.input_bytes = nbytes  # type: ignore[attr-defined]
    full_peers = {"R": r_peer(t, e, x, "full"), "statsmodels": peers["statsmodels"]}
    return [
        (f"cox efron fit{label}", {"remission": remission_fit, "R": r_peer(t, e, x, "fit"),
                                   **peers}),
        (f"cox efron full{label}", {"remission": remission_full, **full_peers}),
    ]  # fmt: skip
