"""Kaplan-Meier: hand-computed values (rtol=1e-10), JSON shape, pooling, bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from remission.cohort.problems import InputError
from remission.stats.counts import CountTable, count_table
from remission.stats.km import km, km_from_counts, survival_confint

EXACT = 1e-10
# ties of an event and a censoring at t=2 and t=4; the last subject dies at t=5
TINY = pd.DataFrame({"t": [1, 2, 2, 3, 4, 4, 5], "e": [1, 1, 0, 1, 0, 1, 1]})
S = np.array([6 / 7, 5 / 7, 15 / 28, 5 / 14, 0.0])
GREENWOOD = np.cumsum([1 / 42, 1 / 30, 1 / 12, 1 / 6])  # d / (n (n - d)), last is inf


def test_survival_and_greenwood_by_hand() -> None:
    g = km(TINY, "t", "e").groups[0]
    np.testing.assert_array_equal(g.time, [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(g.n_risk, [7, 6, 4, 3, 1])
    np.testing.assert_array_equal(g.n_censor, [0, 1, 0, 1, 0])
    np.testing.assert_allclose(g.survival, S, rtol=EXACT, atol=0)
    np.testing.assert_allclose(g.std_err[:4], S[:4] * np.sqrt(GREENWOOD), rtol=EXACT)
    assert math.isnan(g.std_err[4]) and math.isinf(g.std_err_log[4])
    assert math.isnan(g.lower[4]) and math.isnan(g.upper[4])


@pytest.mark.parametrize("level", [0.95, 0.8])
def test_confidence_limits_by_hand(level: float) -> None:
    z = norm.ppf(1 - (1 - level) / 2)
    se = np.sqrt(GREENWOOD)
    s = S[:4]
    expect = {
        "plain": (np.maximum(s - z * se * s, 0), np.minimum(s + z * se * s, 1)),
        "log": (s * np.exp(-z * se), np.minimum(s * np.exp(z * se), 1)),
        "log-log": (s ** np.exp(-z * se / np.log(s)), s ** np.exp(z * se / np.log(s))),
    }
    for conf_type, (lo, hi) in expect.items():
        g = km(TINY, "t", "e", conf_type=conf_type, conf_level=level).groups[0]
        np.testing.assert_allclose(g.lower[:4], lo, rtol=EXACT)
        np.testing.assert_allclose(g.upper[:4], hi, rtol=EXACT)


def test_confint_missing_where_r_has_na() -> None:
    surv = np.array([1.0, 0.5, 0.0])
    se = np.array([0.0, 0.2, np.inf])
    lo, hi = survival_confint(surv, se, "log-log", 0.95)
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and np.isnan(lo[2])
    lo, hi = survival_confint(surv, se, "log", 0.95)
    assert lo[0] == hi[0] == 1.0 and np.isnan(lo[2])
    lo, hi = survival_confint(surv, se, "plain", 0.95)
    assert (lo[0], hi[0]) == (1.0, 1.0) and np.isnan(hi[2])


def test_median_quantile_rmst_nelson_aalen_by_hand() -> None:
    res = km(TINY, "t", "e")
    g = res.groups[0]
    assert g.median().time == 4.0 and g.quantile(0.25).time == 2.0
    assert g.quantile(0.9).time == 5.0
    assert res.median()["time"].tolist() == [4.0]
    # 1 + 6/7 + 5/7 + 15/28 + 5/14 = 97/28
    assert g.rmst(5).rmst == pytest.approx(97 / 28, rel=EXACT)
    assert g.rmst(0.5).rmst == pytest.approx(0.5, rel=EXACT) and g.rmst(0.5).std_err == 0
    np.testing.assert_allclose(g.cumhaz, np.cumsum([1 / 7, 1 / 6, 1 / 4, 1 / 3, 1]), rtol=EXACT)
    np.testing.assert_allclose(
        g.std_chaz, np.sqrt(np.cumsum([1 / 49, 1 / 36, 1 / 16, 1 / 9, 1])), rtol=EXACT
    )


def test_flat_stretch_at_exactly_one_half() -> None:
    # S = 1/2 from t=3 until the next event at t=5: median is the midpoint 4
    df = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 1, 0, 1, 0]})
    assert km(df, "t", "e").groups[0].median().time == 4.0


def test_at_before_between_and_beyond() -> None:
    g = km(TINY, "t", "e", conf_type="log").groups[0]
    a = g.at([0, 2.5, 5, 6])
    np.testing.assert_array_equal(a["n_risk"], [7, 4, 1, 0])
    np.testing.assert_allclose(a["survival"][:2], [1.0, 5 / 7], rtol=EXACT)
    assert a["std_err"][0] == 0 and a["lower"][0] == a["upper"][0] == 1.0
    assert np.isnan(a["survival"][3])
    assert g.at([6], extend=True)["survival"][0] == 0.0


def test_to_dict_shape_and_json() -> None:
    df = TINY.assign(arm=[1.0, 1.0, 2.0, 2.0, 2.0, 1.0, None])
    res = km(df, "t", "e", group="arm")
    d = json.loads(json.dumps(res.to_dict(at=[2, 10], rmst=3)))
    assert d["conf_type"] == "log-log" and d["conf_level"] == 0.95
    assert d["n_excluded"] == 1 and d["excluded"] == [{"row": 8, "reason": "missing arm"}]
    assert [g["group"] for g in d["groups"]] == ["1", "2"]
    g = d["groups"][0]
    assert set(g) == {"group", "n", "events", "median", "quantiles", "table", "at", "rmst"}
    assert set(g["table"][0]) == {
        "time", "n_risk", "n_event", "n_censor", "survival", "std_err", "lower", "upper"
    }  # fmt: skip
    assert set(g["at"][0]) == {"time", "n_risk", "survival", "std_err", "lower", "upper"}
    assert g["at"][1]["survival"] is None and g["at"][1]["n_risk"] == 0
    assert set(g["median"]) == {"time", "lower", "upper"}
    assert g["rmst"]["tau"] == 3


def test_pooled_centres_equal_the_whole() -> None:
    rng = np.random.default_rng(11)
    t = rng.integers(0, 200, 500).astype(float)
    e = rng.integers(0, 2, 500)
    g = rng.integers(0, 2, 500)
    whole = km_from_counts(count_table(t, e, g, group_labels=("a", "b")))
    parts = [count_table(t[s], e[s], g[s], group_labels=("a", "b")) for s in np.array_split(
        np.arange(500), 3)]  # fmt: skip
    pooled = km_from_counts(CountTable.pool(parts))
    pd.testing.assert_frame_equal(whole.table, pooled.table)


def test_all_censored_and_group_without_events() -> None:
    df = pd.DataFrame({"t": [1, 2, 3, 4], "e": [0, 0, 1, 0], "g": ["x", "x", "y", "y"]})
    res = km(df, "t", "e", group="g")
    x = res.group("x")
    assert x.events == 0 and np.all(x.survival == 1) and x.median().time is None
    assert res.group("y").survival.tolist() == [0.5, 0.5]


def test_bad_input_collects_every_problem() -> None:
    df = pd.DataFrame({"t": [1, -2, "x"], "e": [1, 3, 0]})
    with pytest.raises(InputError) as err:
        km(df, "t", "e")
    text = str(err.value)
    assert "row 3" in text and "row 4" in text and "event code" in text
    with pytest.raises(InputError, match="column not found"):
        km(df, "time", "e")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"conf_type": "logit"}, "conf_type"), ({"conf_level": 1.5}, "conf_level")],
)
def test_bad_options(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        km(TINY, "t", "e", **kwargs)
