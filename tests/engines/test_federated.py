"""Pooled Cox from per-centre sums equals the fit on the pooled rows (to 1e-8), with the
centres as separate processes that exchange only files of sums."""

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from remission.cli import main
from remission.engines.federated import Site, Sums, agree_design, fit
from remission.stats.cox import cox

COVS = ["age", "sex", "risk"]


@pytest.fixture
def registry():
    rng = np.random.default_rng(5)
    n = 900
    risk = rng.choice(["low", "mid", "high"], n)
    age = rng.normal(50, 10, n)
    hazard = np.exp(0.03 * (age - 50) + 0.5 * (risk == "high"))
    days = np.ceil(rng.exponential(600 / hazard)).astype(int)
    cens = rng.integers(100, 1500, n)
    return pd.DataFrame({
        "days": np.minimum(days, cens), "died": (days <= cens).astype(int), "age": age,
        "sex": rng.choice(["M", "F"], n), "risk": risk, "centre": rng.choice(["a", "b", "c"], n),
    })  # fmt: skip


def _pooled_fit(df):
    m = cox(df, "days", "died", COVS, strata="centre")
    return (
        [c.name for c in m.coefficients],
        np.array([c.coef for c in m.coefficients]),
        np.array([c.se for c in m.coefficients]),
    )


def test_summed_sums_give_the_pooled_fit(registry):
    sites = {
        c: Site(g.reset_index(drop=True), "days", "died", COVS)
        for c, g in registry.groupby("centre")
    }
    design, names = agree_design({c: s.levels() for c, s in sites.items()})
    for s in sites.values():
        s.prepare(design)

    def total(beta):
        parts = [s.sums(beta) for s in sites.values()]
        return Sums(math.fsum(p.loglik for p in parts), sum(p.score for p in parts),
                    sum(p.information for p in parts))  # fmt: skip

    res = fit(total, names, list(sites))
    want_names, coef, se = _pooled_fit(registry)
    assert list(res.names) == want_names
    np.testing.assert_allclose(res.coef, coef, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(res.se, se, rtol=1e-8)
    assert res.converged


def test_centres_as_processes_exchange_only_sums(registry, tmp_path, capsys):
    exchange = tmp_path / "exchange"
    procs = []
    for centre, rows in registry.groupby("centre"):
        path = tmp_path / f"{centre}.csv"
        rows.drop(columns="centre").to_csv(path, index=False)
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "remission", "cox-site", str(path), "--time", "days",
             "--event", "died", "--covariates", ",".join(COVS), "--site", centre,
             "--exchange", str(exchange), "--timeout", "120"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))  # fmt: skip
    try:
        code = main(["cox-pool", "--sites", "a,b,c", "--exchange", str(exchange), "--json",
                     "--timeout", "120"])  # fmt: skip
    finally:
        outs = [p.communicate(timeout=120) for p in procs]
    assert code == 0, capsys.readouterr().err
    assert all(p.returncode == 0 for p in procs), outs
    got = json.loads(capsys.readouterr().out)
    names, coef, se = _pooled_fit(registry)
    assert [c["name"] for c in got["coefficients"]] == names
    np.testing.assert_allclose([c["coef"] for c in got["coefficients"]], coef, rtol=1e-8)
    np.testing.assert_allclose([c["se"] for c in got["coefficients"]], se, rtol=1e-8)
    # what crossed between the processes: sums and the design, no patient row
    for f in exchange.glob("sums-*.json"):
        assert set(json.loads(f.read_text())) == {"loglik", "score", "information"}
    levels = json.loads((exchange / "levels-a.json").read_text())
    assert set(levels) == {"site", "levels", "n", "excluded"}
    assert "days" not in json.dumps(levels)


def test_a_silent_centre_is_reported(tmp_path, capsys):
    code = main(["cox-pool", "--sites", "x", "--exchange", str(tmp_path), "--timeout", "0.2"])
    assert code == 2
    assert "centre x did not answer within 0.2 s" in capsys.readouterr().err
