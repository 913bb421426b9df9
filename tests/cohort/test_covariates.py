"""MRD transforms for models: log10 at the stated limit, or ordered cut-point categories."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from remission.cohort.covariates import MRDTransform, mrd_covariate, parse_mrd_transform
from remission.cohort.mrdvalue import parse_mrd
from remission.cohort.problems import InputError


def series(*texts: str) -> pd.Series:
    return pd.Series([parse_mrd(t) for t in texts], dtype=object)


def test_parse_transform():
    assert parse_mrd_transform("log10") == MRDTransform("log10")
    assert parse_mrd_transform("LOG10:0.001") == MRDTransform("log10", default_limit=0.001)
    assert parse_mrd_transform("cut:0.01,0.1") == MRDTransform("cut", cuts=(0.01, 0.1))
    for bad in ("log", "cut", "cut:0.1,0.01", "cut:0.01,0.01", "cut:x", "log10:0", "cut:150",
                "log10:1,2"):  # fmt: skip
        with pytest.raises(ValueError):
            parse_mrd_transform(bad)


def test_log10_at_the_stated_limits_and_missing_is_nan():
    got = mrd_covariate(series("0.06", "<0.005", "pos <0.01", "N/A", "40"),
                        parse_mrd_transform("log10"), column="mrd")  # fmt: skip
    assert got.dtype == float
    want = [math.log10(0.06), math.log10(0.005), -2.0, np.nan, math.log10(40)]
    np.testing.assert_allclose(got.to_numpy(), want)


def test_log10_bare_pnq_at_the_usual_range_and_bare_negative_needs_a_level():
    s = series("0.06", "neg", "PNQ")
    with pytest.raises(InputError) as exc:
        mrd_covariate(s, parse_mrd_transform("log10"), column="mrd", source="c.csv",
                      rows=[5, 6, 7], patients=["A", "B", "C"])  # fmt: skip
    (msg,) = [str(p) for p in exc.value.problems]
    assert msg.startswith("c.csv, row 6, patient B, column 'mrd': negative MRD result states no")
    assert "(value 'neg')" in msg and "log10:L" in msg
    got = mrd_covariate(series("0.06", "PNQ"), parse_mrd_transform("log10"), column="mrd")
    np.testing.assert_allclose(got.to_numpy(), [math.log10(0.06), -2.0])  # PNQ: below 0.01 %
    got = mrd_covariate(s, parse_mrd_transform("log10:0.001"), column="mrd")
    np.testing.assert_allclose(got.to_numpy(), [math.log10(0.06), -3.0, -3.0])


def test_cut_categories_ordered_with_negative_first():
    t = parse_mrd_transform("cut:0.01,0.1")
    assert t.labels() == ("negative", "<0.01%", "0.01-<0.1%", ">=0.1%")
    got = mrd_covariate(series("neg", "0.005", "0.01", "0.099", "0.1", "pos <0.01", "", "<0.005"),
                        t, column="mrd")  # fmt: skip
    assert list(got.cat.categories) == list(t.labels()) and got.cat.ordered
    assert got.tolist()[:6] == ["negative", "<0.01%", "0.01-<0.1%", "0.01-<0.1%", ">=0.1%",
                                "<0.01%"]  # fmt: skip
    assert pd.isna(got.iloc[6]) and got.iloc[7] == "negative"


def test_cut_refuses_a_pnq_it_cannot_place():
    with pytest.raises(InputError, match="row 3, column 'mrd': positive-not-quantifiable"):
        mrd_covariate(series("0.5", "pos <0.1"), parse_mrd_transform("cut:0.01"), column="mrd")
    with pytest.raises(InputError, match="row 2, column 'mrd': positive-not-quantifiable"):
        mrd_covariate(series("PNQ"), parse_mrd_transform("cut:0.001"), column="mrd")
    got = mrd_covariate(series("PNQ", "0.5"), parse_mrd_transform("cut:0.01"), column="mrd")
    assert got.tolist() == ["<0.01%", ">=0.01%"]
    with pytest.raises(InputError, match="row 3, column .mrd.: not an MRD result .value .high.."):
        mrd_covariate(pd.Series(["0.5", "high"], dtype=object), parse_mrd_transform("cut:0.01"),
                      column="mrd")  # fmt: skip
