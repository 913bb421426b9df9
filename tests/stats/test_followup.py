"""Median follow-up against R (km.json, reverse survfit) and by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remission.stats.counts import CountTable, count_table
from remission.stats.followup import followup, followup_from_counts

REF = Path(__file__).resolve().parents[1] / "reference"
CASES = json.loads((REF / "km.json").read_text())["followup"]
RTOL = 1e-6


def _v(x):
    return np.nan if x[0] is None else x[0]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['name'][0]}-{c['conf_type'][0]}")
def test_against_r(case) -> None:
    df = pd.read_csv(REF / "data" / case["data"][0])
    res = followup(df, "time", "status", conf_type=case["conf_type"][0])
    want = case["reverse_km_median"]
    got = res.reverse_km_median
    np.testing.assert_allclose(
        [np.nan if v is None else v for v in (got.time, got.lower, got.upper)],
        [_v(want["time"]), _v(want["lower"]), _v(want["upper"])],
        rtol=RTOL,
        equal_nan=True,
    )
    alive = case["alive"]
    assert res.n_alive == alive["n"][0]
    np.testing.assert_allclose(
        [res.alive_median, res.alive_min, res.alive_max],
        [alive["median"][0], alive["min"][0], alive["max"][0]],
        rtol=RTOL,
    )


def test_hand_computed() -> None:
    # times 2(c) 3(e) 5(c) 7(c): reversed, censorings are events:
    # S_rev: t=2: 3/4; t=5: 3/4 * 1/2 = 3/8 (n at risk 2) -> median 5
    df = pd.DataFrame({"t": [2, 3, 5, 7], "e": [0, 1, 0, 0]})
    res = followup(df, "t", "e")
    assert res.reverse_km_median.time == 5.0
    assert (res.n_alive, res.alive_median, res.alive_min, res.alive_max) == (3, 5.0, 2.0, 7.0)
    d = res.to_dict()
    assert d["reverse_km_median"]["time"] == 5.0
    assert d["alive"] == {"n": 3, "median": 5.0, "min": 2.0, "max": 7.0}
    assert d["n_excluded"] == 0


def test_nobody_alive_and_excluded_rows() -> None:
    df = pd.DataFrame({"t": [1, 2, None], "e": [1, 1, 0]})
    res = followup(df, "t", "e")
    assert res.n_alive == 0 and res.alive_median is None and res.alive_max is None
    assert res.reverse_km_median.time is None
    assert res.excluded == ((4, "missing t"),)
    assert json.loads(json.dumps(res.to_dict()))["alive"]["median"] is None


def test_pooled_centres_give_the_same_answer() -> None:
    rng = np.random.default_rng(7)
    t = rng.integers(1, 400, 300).astype(float)
    e = rng.integers(0, 2, 300)
    whole = followup_from_counts(count_table(t, e))
    pooled = followup_from_counts(
        CountTable.pool([count_table(t[:120], e[:120]), count_table(t[120:], e[120:])])
    )
    assert whole == pooled
