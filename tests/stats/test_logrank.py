"""The log-rank family against R's survdiff (and hand-written R for FH(p,q), GBW, TW,
trend and the hazard ratios), a hand-computed case, pooling and edge cases."""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peers import peer
from remission.cohort.problems import InputError
from remission.stats.counts import CountTable, count_table
from remission.stats.logrank import compare, logrank_test, parse_test

HERE = Path(__file__).parents[1] / "reference"
REF = json.loads((HERE / "compare.json").read_text())
RTOL = 1e-6  # agreement with R, relative


def _test_name(c):
    return c["test"] if c["test"] != "fh" else f"fh:{c['p']},{c['q']}"


@pytest.mark.parametrize("case", REF["cases"], ids=lambda c: c["name"])
def test_against_r(case):
    df = pd.read_csv(HERE / "data" / f"{case['data']}.csv")
    r = compare(df, "time", "status", case["group"], strata=case["strata"], test=_test_name(case))
    assert r.groups == tuple(case["groups"])
    assert r.df == case["df"]
    assert sum(r.n) == case["n"]
    np.testing.assert_allclose(r.statistic, case["statistic"], rtol=RTOL)
    np.testing.assert_allclose(r.p_value, case["p_value"], rtol=RTOL)
    if case["test"] != "trend":
        np.testing.assert_allclose(r.observed, case["observed"], rtol=RTOL)
        np.testing.assert_allclose(r.expected, case["expected"], rtol=RTOL)
    hr = r.to_dict()["hazard_ratio"]
    if case["hazard_ratio"] is None:
        assert hr is None
    else:
        for method, key in (("mantel_haenszel", "mantel_haenszel"), ("logrank", "logrank")):
            got = [hr[method][k] for k in ("estimate", "lower", "upper")]
            np.testing.assert_allclose(got, case["hazard_ratio"][key], rtol=RTOL)
        assert hr["reference"] == case["groups"][0] and hr["group"] == case["groups"][1]


def test_hand_computed_two_groups():
    # A: events at 1 and 3; B: event at 2, censored at 4.
    # E_A = 1/2 + 1/3 + 1/2 = 4/3, E_B = 3 - 4/3, V = 1/4 + 2/9 + 1/4 = 13/18, chi2 = (2/3)^2 / V = 8/13
    df = pd.DataFrame({"t": [1, 3, 2, 4], "e": [1, 1, 1, 0], "g": ["A", "A", "B", "B"]})
    r = compare(df, "t", "e", "g")
    np.testing.assert_allclose(r.expected, [4 / 3, 5 / 3], rtol=1e-12)
    np.testing.assert_allclose(r.variance[0, 0], 13 / 18, rtol=1e-12)
    np.testing.assert_allclose(r.statistic, 8 / 13, rtol=1e-12)
    mh = r.hazard_ratio[0]
    np.testing.assert_allclose(np.log(mh.estimate), (1 - 5 / 3) / (13 / 18), rtol=1e-12)
    # Gehan: weights n = 4, 3, 2: O_A - E_A = 4*(1/2) - 3*(1/3) + 2*(1/2) = 2,
    # V = 16/4 + 9*2/9 + 4/4 = 7
    g = compare(df, "t", "e", "g", test="gehan-breslow-wilcoxon")
    np.testing.assert_allclose(g.statistic, 4 / 7, rtol=1e-12)


@pytest.mark.peer
def test_lifelines_agrees_on_logrank():
    lifelines_stats = peer("lifelines.statistics")
    df = pd.read_csv(HERE / "data" / "lung.csv").dropna()
    with warnings.catch_warnings():  # lifelines' own pandas deprecation warnings
        warnings.simplefilter("ignore")
        ll = lifelines_stats.multivariate_logrank_test(df["time"], df["ph_ecog"], df["status"])
    r = compare(df, "time", "status", "ph_ecog")
    np.testing.assert_allclose(r.statistic, ll.test_statistic, rtol=1e-9)


def test_trend_with_scores_and_invariance():
    df = pd.read_csv(HERE / "data" / "lung.csv")
    a = compare(df, "time", "status", "ph_ecog", test="trend")
    b = compare(df, "time", "status", "ph_ecog", test="trend", scores=[0, 1, 2, 3])
    c = compare(df, "time", "status", "ph_ecog", test="trend", scores=[10, 8, 6, 4])
    np.testing.assert_allclose([b.statistic, c.statistic], a.statistic, rtol=1e-12)
    assert a.df == 1 and a.scores == (1.0, 2.0, 3.0, 4.0)
    with pytest.raises(ValueError, match="3 scores"):
        compare(df, "time", "status", "ph_ecog", test="trend", scores=[1, 2, 3])


def test_pooled_centres_give_the_same_answer():
    df = pd.read_csv(HERE / "data" / "veteran.csv")
    labels = tuple(sorted(df["celltype"].unique()))
    codes = df["celltype"].map({v: i for i, v in enumerate(labels)}).to_numpy()
    whole = count_table(df["time"], df["status"], codes, group_labels=labels)
    half = np.arange(len(df)) % 2 == 0
    parts = [
        count_table(df["time"][m], df["status"][m], codes[m], group_labels=labels)
        for m in (half, ~half)
    ]
    for test in ("logrank", "peto-peto", "fh:1,1", "tarone-ware"):
        a = logrank_test([whole], test)
        b = logrank_test([CountTable.pool(parts)], test)
        np.testing.assert_allclose(b.statistic, a.statistic, rtol=1e-12)


def test_no_events_in_a_group_and_a_stratum_without_events():
    df = pd.DataFrame(
        {
            "t": [1, 2, 3, 4, 5, 6, 7, 8],
            "e": [1, 1, 0, 1, 0, 0, 0, 0],
            "g": [1, 1, 2, 2, 1, 2, 1, 2],
            "s": ["x", "x", "x", "x", "y", "y", "y", "y"],
        }
    )
    r = compare(df, "t", "e", "g", strata="s")
    plain = compare(df[df.s == "x"], "t", "e", "g")
    np.testing.assert_allclose(r.statistic, plain.statistic, rtol=1e-12)
    assert r.strata == ("x", "y")


def test_group_with_zero_expected_is_dropped_from_df():
    # group 3 is censored before the first event: E_3 = 0, so df = 1 as survdiff gives
    df = pd.DataFrame({"t": [1, 2, 3, 4, 0, 0], "e": [1, 1, 1, 0, 0, 0], "g": [1, 2, 1, 2, 3, 3]})
    r = compare(df, "t", "e", "g")
    assert r.df == 1 and r.hazard_ratio is None


def test_input_problems():
    df = pd.DataFrame({"t": [1, 2], "e": [1, 0], "g": ["a", "a"]})
    with pytest.raises(InputError, match="1 level"):
        compare(df, "t", "e", "g")
    with pytest.raises(ValueError, match="unknown test"):
        compare(df, "t", "e", "g", test="fh:1")
    with pytest.raises(ValueError, match="unknown test"):
        parse_test("fh:-1,0")
    assert parse_test("FH:1,0.5").name == "fh:1,0.5"


def test_to_dict_shape_and_exclusions():
    df = pd.DataFrame({"t": [1, 2, None, 4], "e": [1, 1, 1, 0], "g": ["a", "b", "a", "b"]})
    d = compare(df, "t", "e", "g").to_dict()
    assert list(d)[:5] == ["test", "statistic", "df", "p_value", "hazard_ratio"]
    assert d["n_excluded"] == 1 and d["excluded"] == [{"row": 4, "reason": "missing t"}]
    assert d["hazard_ratio"]["reference"] == "a"
    json.dumps(d)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 1), st.integers(0, 2)),
        min_size=6,
        max_size=40,
    )
)
def test_statistic_invariant_to_group_relabelling(rows):
    df = pd.DataFrame(rows, columns=["t", "e", "g"])
    if df["g"].nunique() < 2 or df["e"].sum() == 0:
        return
    a = compare(df, "t", "e", "g")
    df["g"] = 10 - df["g"]
    b = compare(df, "t", "e", "g")
    assert a.df == b.df
    np.testing.assert_allclose(a.statistic, b.statistic, rtol=1e-9, atol=1e-12)
    assert a.statistic >= -1e-12


@pytest.mark.peer
@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("logrank", {}),
        ("gehan-breslow-wilcoxon", {"weightings": "wilcoxon"}),
        ("tarone-ware", {"weightings": "tarone-ware"}),
        ("fh:1,1", {"weightings": "fleming-harrington", "p": 1, "q": 1}),
    ],
)
def test_lifelines_agrees_on_two_group_weights(ours, theirs):
    # lifelines' "peto" weights by Peto's modified S~ = prod(1 - d/(n+1)), not R's S(t-),
    # so it is left out
    lifelines_stats = peer("lifelines.statistics")
    df = pd.read_csv(HERE / "data" / "aml.csv")
    a, b = df[df.x == "Maintained"], df[df.x != "Maintained"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ll = lifelines_stats.logrank_test(a.time, b.time, a.status, b.status, **theirs)
    r = compare(df, "time", "status", "x", test=ours)
    np.testing.assert_allclose(r.statistic, ll.test_statistic, rtol=1e-9)
