"""Case weights in Kaplan-Meier: identities and a hand-computed case (R comparisons are in
test_counting_reference.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remission.cohort.problems import InputError
from remission.stats.km import km


def test_whole_weights_equal_repeated_rows() -> None:
    df = pd.DataFrame({"t": [1, 2, 2, 3, 5, 6], "e": [1, 0, 1, 1, 0, 1], "w": [2, 1, 3, 1, 2, 1]})
    rep = df.loc[df.index.repeat(df["w"])]
    a = km(df, "t", "e", weights="w").groups[0]
    b = km(rep, "t", "e").groups[0]
    for name in ("time", "n_risk", "n_event", "survival", "std_err", "lower", "upper"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-12)


def test_fractional_weights_by_hand() -> None:
    # weights 0.5, 1.5, 1: at t=1 n = 3, d = 0.5: S = 5/6; at t=2 n = 2.5, d = 1.5: S = 1/3
    df = pd.DataFrame({"t": [1, 2, 3], "e": [1, 1, 0], "w": [0.5, 1.5, 1.0]})
    res = km(df, "t", "e", weights="w", variance="greenwood")
    g = res.groups[0]
    np.testing.assert_allclose(g.survival, [5 / 6, 1 / 3, 1 / 3], rtol=1e-12)
    np.testing.assert_allclose(g.n_risk, [3, 2.5, 1], rtol=1e-12)
    # Greenwood: 0.5 / (3 * 2.5) + 1.5 / (2.5 * 1)
    np.testing.assert_allclose(g.std_err_log[1] ** 2, 0.5 / 7.5 + 1.5 / 2.5, rtol=1e-12)
    assert km(df, "t", "e", weights="w").variance == "robust"  # R's default for fractions


def test_bad_weights_are_reported() -> None:
    df = pd.DataFrame({"t": [1, 2, 3], "e": [1, 1, 0], "w": [0, -1, "x"]})
    with pytest.raises(InputError) as err:
        km(df, "t", "e", weights="w")
    assert str(err.value).count("weight must be a finite number > 0") == 3
