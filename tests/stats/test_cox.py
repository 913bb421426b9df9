"""The Cox front end: hand-computed ties, invariances, coding, exclusions, edge cases."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.cohort.problems import InputError
from remission.stats.cox import ConvergenceWarning, cox, design_matrix


def quiet_cox(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return cox(*args, **kwargs)


@pytest.mark.parametrize("ties, expected", [("efron", 0.5 * math.log(6)),
                                            ("breslow", math.log(2))])  # fmt: skip
def test_hand_computed_tied_events(ties, expected):
    # times 1, 1, 2 (all events), x = 1, 0, 0.
    # Efron:   l = b - log(e^b + 2) - log(e^b/2 + 3/2), maximal at e^b = sqrt(6)
    # Breslow: l = b - 2 log(e^b + 2),                  maximal at e^b = 2
    df = pd.DataFrame({"t": [1, 1, 2], "e": [1, 1, 1], "x": [1.0, 0, 0]})
    res = quiet_cox(df, "t", "e", ["x"], ties=ties)  # too few events for cox.zph
    np.testing.assert_allclose(res.coefficients[0].coef, expected, rtol=1e-9)
    np.testing.assert_allclose(res.coefficients[0].hazard_ratio, math.exp(expected), rtol=1e-9)


def test_efron_equals_breslow_without_tied_events():
    rng = np.random.default_rng(11)
    df = pd.DataFrame({"t": rng.permutation(40) + 1.0, "e": rng.integers(0, 2, 40),
                       "x": rng.normal(size=40)})  # fmt: skip
    a, b = cox(df, "t", "e", ["x"]), cox(df, "t", "e", ["x"], ties="breslow")
    np.testing.assert_allclose(a.coefficients[0].coef, b.coefficients[0].coef, rtol=1e-12)
    np.testing.assert_allclose(a.loglik, b.loglik, rtol=1e-12)


frames = st.integers(0, 2**32 - 1).map(lambda seed: _frame(seed))


def _frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 40
    return pd.DataFrame({"t": rng.integers(1, 12, n).astype(float),
                         "e": np.r_[1, 1, rng.integers(0, 2, n - 2)],
                         "x": np.round(rng.normal(size=n), 3),
                         "g": rng.choice(["a", "b", "c"], n)})  # fmt: skip


@settings(max_examples=15, deadline=None)
@given(frames, st.integers(0, 2**32 - 1), st.floats(0.1, 50))
def test_invariances(df, seed, c):
    base = quiet_cox(df, "t", "e", ["x", "g"])
    if base.warnings:
        return
    # row order does not matter
    perm = df.sample(frac=1, random_state=seed % 2**31).reset_index(drop=True)
    other = quiet_cox(perm, "t", "e", ["x", "g"])
    for a, b in zip(base.coefficients, other.coefficients, strict=True):
        np.testing.assert_allclose(a.coef, b.coef, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(base.concordance.concordance, other.concordance.concordance)
    # rescaling a covariate rescales its coefficient; tests and z do not change
    scaled = df.assign(x=df["x"] * c)
    sres = quiet_cox(scaled, "t", "e", ["x", "g"])
    np.testing.assert_allclose(sres.coefficients[0].coef * c, base.coefficients[0].coef,
                               rtol=1e-7, atol=1e-12)  # fmt: skip
    np.testing.assert_allclose(sres.coefficients[0].z, base.coefficients[0].z, rtol=1e-7,
                               atol=1e-10)  # fmt: skip
    np.testing.assert_allclose(sres.loglik, base.loglik, rtol=1e-10)


def test_design_matrix_treatment_contrasts():
    df = pd.DataFrame({"sex": ["M", "F", "M"], "age": ["50", " 61 ", 70],
                       "grade": [1, 2, 3]})  # fmt: skip
    d = design_matrix(df, ["sex", "age", "grade"], categorical=["grade"])
    assert d.names == ("sexM", "age", "grade2", "grade3")
    np.testing.assert_array_equal(d.x, [[1, 50, 0, 0], [0, 61, 1, 0], [1, 70, 0, 1]])
    assert d.terms == (("sex", (0,)), ("age", (1,)), ("grade", (2, 3)))


def test_collinear_column_is_not_estimable():
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"t": rng.integers(1, 30, 50), "e": rng.integers(0, 2, 50),
                       "x": rng.normal(size=50)})  # fmt: skip
    df["x2"] = 2 * df["x"]
    with pytest.warns(ConvergenceWarning, match="x2 is not estimable"):
        res = cox(df, "t", "e", ["x", "x2"])
    x2 = res.coefficient("x2")
    assert x2.status == "singular" and math.isnan(x2.coef)
    assert res.to_dict()["coefficients"][1]["coef"] is None
    assert res.tests["likelihood_ratio"].df == 1
    single = cox(df, "t", "e", ["x"])
    np.testing.assert_allclose(res.coefficient("x").coef, single.coefficients[0].coef,
                               rtol=1e-9)  # fmt: skip


def test_missing_values_are_counted_not_dropped_silently():
    df = pd.DataFrame({"t": [1, 2, 3, None, 5, 6], "e": [1, 0, 1, 1, 1, 0],
                       "x": [0.1, None, "NA", 0.4, 0.5, 0.2]})  # fmt: skip
    res = cox(df, "t", "e", ["x"])
    assert res.n == 3
    assert res.excluded == ((3, "missing x"), (4, "missing x"), (5, "missing t"))


def test_every_problem_at_once():
    df = pd.DataFrame({"t": [1, 2], "e": [1, 0], "x": [1.0, 2.0]})
    with pytest.raises(InputError) as exc:
        cox(df, "t", "e", ["y", "z"], strata="s")
    text = str(exc.value)
    for col in ("'y'", "'z'", "'s'"):
        assert col in text
    with pytest.raises(InputError, match="unknown ties method"):
        cox(df, "t", "e", ["x"], ties="exact")
    with pytest.raises(InputError, match="no events"):
        cox(pd.DataFrame({"t": [1, 2], "e": [0, 0], "x": [1.0, 2.0]}), "t", "e", ["x"])


def test_one_subject_per_stratum_and_edge_sizes():
    # every stratum but one has a single subject: those contribute nothing
    df = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 0, 1, 1, 1],
                       "x": [0.5, 0.1, 0.7, 0.3, 0.9, 0.2], "s": [1, 1, 1, 2, 3, 4]})  # fmt: skip
    res = quiet_cox(df, "t", "e", ["x"], strata="s")
    ref = cox(df[df.s == 1], "t", "e", ["x"])
    np.testing.assert_allclose(res.coefficients[0].coef, ref.coefficients[0].coef, rtol=1e-9)


def test_a_single_covariate_may_be_given_as_text():
    df = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1, 0, 1, 1, 0, 1],
                       "x": [0.3, 0.1, 0.7, 0.2, 0.9, 0.4]})  # fmt: skip
    a, b = quiet_cox(df, "t", "e", "x"), quiet_cox(df, "t", "e", ["x"])
    assert a.coefficients[0].coef == b.coefficients[0].coef
