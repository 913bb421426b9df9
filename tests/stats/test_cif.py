"""Aalen-Johansen cumulative incidence against cmprsk::cuminc/timepoints, by hand and
against scikit-survival; the JSON shape; input problems."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peers import peer
from remission.cohort.problems import InputError
from remission.stats.cif import cif, cif_bounds

HERE = Path(__file__).parents[1] / "reference"
REF = json.loads((HERE / "cif.json").read_text())
RTOL = 1e-6  # agreement with R, relative


def _nan(xs):
    return np.array([np.nan if x is None else x for x in xs], dtype=float)


@pytest.mark.parametrize("case", REF["cases"], ids=lambda c: c["name"])
def test_estimates_and_variances_against_cuminc(case):
    df = pd.read_csv(HERE / "data" / f"{case['data']}.csv")
    r = cif(df, "time", "status", group=case["group"], strata=case["strata"], rho=case["rho"])
    assert len(r.curves) == len(case["curves"])
    for cv in case["curves"]:
        curve = r.curve(int(cv["cause"]), cv["group"] if case["group"] else "all")
        est, var = curve.at(cv["times"])
        ref_e, ref_v = _nan(cv["estimate"]), _nan(cv["variance"])
        np.testing.assert_array_equal(np.isnan(est), np.isnan(ref_e))
        ok = ~np.isnan(ref_e)
        np.testing.assert_allclose(est[ok], ref_e[ok], rtol=RTOL, atol=1e-15)
        np.testing.assert_allclose(var[ok], ref_v[ok], rtol=RTOL, atol=1e-15)


def test_hand_computed_small_case():
    # times 1..4: cause 1 at 1, cause 2 at 2, censored at 3, cause 1 at 4 (n = 4)
    # F1(1) = 1/4; S(2-) = 3/4, F2(2) = 3/4 * 1/3 = 1/4; S(4-) = 1/2, F1(4) = 1/4 + 1/2
    df = pd.DataFrame({"t": [1, 2, 3, 4], "e": [1, 2, 0, 1]})
    r = cif(df, "t", "e")
    c1, c2 = r.curve(1), r.curve(2)
    np.testing.assert_allclose(c1.estimate, [0.25, 0.75], rtol=1e-12)
    np.testing.assert_allclose(c2.estimate, [0.25], rtol=1e-12)
    # at t = 1: h = 1/16, r = 1/S(1) = 4/3, 1 + r F = 4/3, so v1 = v2 = v3 = 1/9 and
    # Var = 1/9 (1 + 1/16 - 1/2) = 1/16; cuminc prints 0.0625, and 0.3194444 (= 23/72)
    # and 0.06944444 (= 5/72) for F1(4) and F2(4)
    np.testing.assert_allclose(c1.variance, [1 / 16, 23 / 72], rtol=1e-12)
    np.testing.assert_allclose(c2.variance, [5 / 72], rtol=1e-12)
    e, v = c1.at([0, 0.5, 1, 3.5, 4, 4.5])
    np.testing.assert_allclose(e[:5], [0, 0, 0.25, 0.25, 0.75], rtol=1e-12)
    assert np.isnan(e[5]) and np.isnan(v[5])
    assert r.gray == ()


@pytest.mark.peer
def test_agrees_with_scikit_survival():
    sks = peer("sksurv.nonparametric")
    df = pd.read_csv(HERE / "data" / "crsim.csv")
    t, cinc = sks.cumulative_incidence_competing_risks(
        df["status"].to_numpy(), df["time"].to_numpy()
    )
    r = cif(df, "time", "status")
    for cause in (1, 2):
        est, _ = r.curve(cause).at(t)
        np.testing.assert_allclose(est, cinc[cause], rtol=1e-10, atol=1e-15)


def test_bounds_loglog_hand_computed():
    lo, hi = cif_bounds(np.array([0.25, 0.0, 1.0]), np.array([0.01, 0.0, 0.0]))
    k = 1.959963984540054 * 0.1 / (0.25 * np.log(0.25))
    np.testing.assert_allclose([lo[0], hi[0]], [0.25 ** np.exp(-k), 0.25 ** np.exp(k)], rtol=1e-12)
    assert lo[0] < 0.25 < hi[0]
    assert np.isnan(lo[1:]).all() and np.isnan(hi[1:]).all()


def test_to_dict_shape_and_table():
    df = pd.read_csv(HERE / "data" / "crties.csv")
    df.loc[len(df)] = [None, 1, 1]
    r = cif(df, "time", "status", group="group")
    d = r.to_dict(at=[3, 100])
    assert set(d["causes"][0]) == {"cause", "group", "at"}
    assert set(d["causes"][0]["at"][0]) == {"time", "estimate", "variance", "lower", "upper"}
    assert d["causes"][0]["at"][1]["estimate"] is None
    assert [g["cause"] for g in d["gray"]] == [1, 2, 3]
    assert set(d["gray"][0]) == {"cause", "statistic", "df", "p_value"}
    assert d["n_excluded"] == 1 and d["excluded"][0]["row"] == 17
    json.dumps(d)
    tab = r.table
    assert list(tab.columns)[:3] == ["cause", "group", "time"]
    assert (tab["estimate"].diff().fillna(0)[tab["cause"].eq(tab["cause"].shift())] >= -1).all()
    assert len(r.at([1, 2])) == 2 * len(r.curves)


def test_causes_with_a_gap_and_a_group_without_a_cause():
    # codes 1 and 3 only; group b has no cause-3 event
    df = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1, 3, 1, 0, 3, 1], "g": list("aabbab")})
    r = cif(df, "t", "e", group="g")
    assert r.causes == (1, 3)
    assert r.curve(3, "b").time.size == 0
    np.testing.assert_allclose(r.curve(3, "b").at([2, 6])[0], [0, 0])


def test_input_problems():
    df = pd.DataFrame({"t": [1, 2, 3], "e": [1, -1, 1.5]})
    with pytest.raises(InputError) as exc:
        cif(df, "t", "e")
    assert len(exc.value.problems) == 2
    with pytest.raises(InputError, match="no events"):
        cif(pd.DataFrame({"t": [1, 2], "e": [0, 0]}), "t", "e")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(0, 3)), min_size=3, max_size=50))
def test_incidences_add_up_to_one_minus_kaplan_meier(rows):
    df = pd.DataFrame(rows, columns=["t", "e"])
    if not (df["e"] > 0).any():
        return
    r = cif(df, "t", "e")
    times = np.arange(0, 16, 0.5)
    total = sum(r.curve(c).at(times)[0] for c in r.causes)
    # all-cause Kaplan-Meier by hand
    surv = []
    for t in times:
        s = 1.0
        for u in sorted(df.loc[(df.e > 0) & (df.t <= t), "t"].unique()):
            s *= 1 - ((df.t == u) & (df.e > 0)).sum() / (df.t >= u).sum()
        surv.append(s)
    ok = times <= df["t"].max()
    np.testing.assert_allclose(total[ok], 1 - np.array(surv)[ok], rtol=1e-10, atol=1e-12)
    assert np.isnan(total[~ok]).all()
    for c in r.curves:
        assert np.all(np.diff(c.estimate) >= 0) and np.all(c.variance >= -1e-15)
