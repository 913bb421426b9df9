"""Gray's test against cmprsk::cuminc (with strata and rho), and its invariances."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.stats.cif import cif
from remission.stats.counts import CountTable, count_table
from remission.stats.gray import gray_test

HERE = Path(__file__).parents[1] / "reference"
REF = json.loads((HERE / "cif.json").read_text())
RTOL = 1e-6  # agreement with R, relative


@pytest.mark.parametrize("case", [c for c in REF["cases"] if c["gray"]], ids=lambda c: c["name"])
def test_against_cuminc(case):
    df = pd.read_csv(HERE / "data" / f"{case['data']}.csv")
    r = cif(df, "time", "status", group=case["group"], strata=case["strata"], rho=case["rho"])
    assert [str(g.cause) for g in r.gray] == [g["cause"] for g in case["gray"]]
    for mine, ref in zip(r.gray, case["gray"], strict=True):
        assert mine.df == ref["df"]
        np.testing.assert_allclose(mine.statistic, ref["statistic"], rtol=RTOL)
        np.testing.assert_allclose(mine.p_value, ref["p_value"], rtol=RTOL)


def test_pooled_centres_give_the_same_answer():
    df = pd.read_csv(HERE / "data" / "crsim.csv")
    codes = df["group"].map({"A": 0, "B": 1, "C": 2}).to_numpy()
    labels, causes = ("A", "B", "C"), (1, 2)
    whole = count_table(df["time"], df["status"], codes, group_labels=labels, causes=causes)
    m = df["site"].eq("north").to_numpy()
    parts = [
        count_table(df["time"][k], df["status"][k], codes[k], group_labels=labels, causes=causes)
        for k in (m, ~m)
    ]
    pooled = CountTable.pool(parts)
    for j in (0, 1):
        a, b = gray_test([whole], j), gray_test([pooled], j)
        np.testing.assert_allclose(b.statistic, a.statistic, rtol=1e-12)


def test_singular_variance_gives_no_statistic():
    # group b has no events of any cause and is censored first: no information
    df = pd.DataFrame({"t": [5, 6, 7, 1, 1], "e": [1, 2, 1, 0, 0], "g": list("aaabb")})
    g = cif(df, "t", "e", group="g").gray[0]
    assert g.statistic is None and g.p_value is None and g.df == 1


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.integers(0, 2), st.sampled_from("xy")),
        min_size=8,
        max_size=40,
    )
)
def test_two_groups_statistic_symmetric_in_group_order(rows):
    df = pd.DataFrame(rows, columns=["t", "e", "g"])
    if df["g"].nunique() < 2 or not (df["e"] == 1).any():
        return
    a = cif(df, "t", "e", group="g").gray[0]
    df["g"] = df["g"].map({"x": "z", "y": "a"})
    b = cif(df, "t", "e", group="g").gray[0]
    if a.statistic is None or b.statistic is None:
        return
    np.testing.assert_allclose(a.statistic, b.statistic, rtol=1e-7, atol=1e-12)
