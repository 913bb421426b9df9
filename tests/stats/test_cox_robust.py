"""Score residuals and the robust variance: exact identities and a hand-computed case
(the R comparisons are in test_counting_reference.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remission.stats.cox import cox, design_matrix
from remission.stats.cox_fit import cox_fit
from remission.stats.cox_robust import robust_variance, score_residuals

REF = Path(__file__).resolve().parents[1] / "reference"


@pytest.fixture(scope="module")
def cp() -> pd.DataFrame:
    return pd.read_csv(REF / "data" / "counting.csv")


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_residuals_sum_to_the_score(cp, ties) -> None:
    x = design_matrix(cp, ["arm", "age"]).x
    fit = cox_fit(cp["stop"].to_numpy(float), cp["status"].to_numpy(), x, ties=ties,
                  entry=cp["start"].to_numpy(float))  # fmt: skip
    np.testing.assert_allclose(score_residuals(fit).sum(axis=0), fit.u, atol=1e-8)
    # one cluster per row is the plain robust variance; one cluster for all is U V U = 0
    v = robust_variance(fit)
    np.testing.assert_allclose(robust_variance(fit, cluster=np.arange(len(cp))), v, rtol=1e-12)
    assert np.abs(robust_variance(fit, cluster=np.zeros(len(cp)))).max() < 1e-12


def test_one_covariate_by_hand() -> None:
    # x = 1, 0, 1 dying at t = 1, 2 and censored at 3; at beta = 0 (max_iter=0):
    # t=1: at risk x = (1, 0, 1), xbar 2/3, dLambda 1/3; t=2: x = (0, 1), xbar 1/2, 1/2
    # U_1 = (1 - 2/3) - (1/3)(1 - 2/3) = 2/9
    # U_2 = -(1/3)(0 - 2/3) + (0 - 1/2) - (1/2)(0 - 1/2) = 2/9 - 1/4 = -1/36
    # U_3 = -(1/3)(1 - 2/3) - (1/2)(1 - 1/2) = -1/9 - 1/4 = -13/36
    fit = cox_fit(np.array([1.0, 2.0, 3.0]), np.array([1, 1, 0]), np.array([[1.0], [0.0], [1.0]]),
                  max_iter=0)  # fmt: skip
    np.testing.assert_allclose(score_residuals(fit)[:, 0], [2 / 9, -1 / 36, -13 / 36],
                               rtol=1e-12)  # fmt: skip


def test_cluster_column_missing_values_are_excluded(cp) -> None:
    df = cp.assign(centre=cp["centre"].where(cp.index != 3))
    res = cox(df, "stop", "status", ["arm"], cluster="centre")
    assert res.excluded == ((5, "missing centre"),) and res.n == len(cp) - 1
