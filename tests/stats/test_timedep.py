"""Time-dependent exposure: hand-computed cases (the R comparisons are in
test_counting_reference.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remission.cohort.problems import InputError
from remission.stats.timedep import landmark, mantel_byar, simon_makuch, split_at_exposure


@pytest.fixture()
def four() -> pd.DataFrame:
    # P1 transplanted on day 4, dies on day 10; P2 dies on day 3; P3 transplanted on day
    # 2, censored on day 8; P4 never transplanted, censored on day 12
    return pd.DataFrame({"id": ["P1", "P2", "P3", "P4"], "days": [10, 3, 8, 12],
                         "dead": [1, 1, 0, 0], "hsct": [4, None, 2, None]})  # fmt: skip


def test_split(four) -> None:
    s = split_at_exposure(four, "days", "dead", "hsct")
    assert list(s["id"]) == ["P1", "P1", "P2", "P3", "P3", "P4"]
    assert s["tstart"].tolist() == [0, 4, 0, 0, 2, 0]
    assert s["tstop"].tolist() == [4, 10, 3, 2, 8, 12]
    assert s["dead"].tolist() == [0, 1, 1, 0, 0, 0]
    assert s["exposed"].tolist() == [0, 1, 0, 0, 1, 0]


def test_exposure_at_start_or_after_the_end() -> None:
    df = pd.DataFrame({"t": [5, 5, 5], "d": [1, 1, 0], "e": [0, 5, 9]})
    s = split_at_exposure(df, "t", "d", "e")
    # at 0: exposed throughout; at or after the end: never exposed (as tmerge)
    assert s["exposed"].tolist() == [1, 0, 0] and len(s) == 3


def test_mantel_byar_by_hand(four) -> None:
    # t=3: at risk unexposed P1, P2, P4, exposed P3; P2 dies: E_u = 3/4, V = 3/16.
    # t=10: unexposed P4, exposed P1; P1 dies: E_u = 1/2, V = 1/4.
    # O_u - E_u = 1 - 5/4, V = 7/16: chi-square (1/16) / (7/16) = 1/7
    res = mantel_byar(four, "days", "dead", "hsct")
    np.testing.assert_allclose(res.statistic, 1 / 7, rtol=1e-12)
    np.testing.assert_allclose(res.expected, [1.25, 0.75], rtol=1e-12)
    np.testing.assert_allclose(res.variance[0, 0], 7 / 16, rtol=1e-12)
    assert res.n == (4, 2)  # every patient starts unexposed; two cross over


def test_simon_makuch_by_hand(four) -> None:
    res = simon_makuch(four, "days", "dead", "hsct")
    un, ex = res.group("unexposed"), res.group("exposed")
    assert un.time.tolist() == [2, 3, 4, 12] and un.n_risk.tolist() == [4, 3, 2, 1]
    np.testing.assert_allclose(un.survival, [1, 2 / 3, 2 / 3, 2 / 3], rtol=1e-12)
    assert ex.time.tolist() == [8, 10] and ex.n_risk.tolist() == [2, 1]
    np.testing.assert_allclose(ex.survival, [1, 0], rtol=1e-12)


def test_landmark_by_hand(four) -> None:
    res = landmark(four, "days", "dead", "hsct", 5)
    assert (res.n, res.n_before) == (3, 1)  # P2 died before the landmark
    ex = res.km.group("exposed")  # P1 (dies 5 days after) and P3 (censored 3 days after)
    assert ex.time.tolist() == [3, 5] and ex.survival.tolist() == [1, 0]
    assert res.km.group("unexposed").time.tolist() == [7]
    assert res.test is not None and res.test.df == 1


def test_landmark_with_one_group_has_no_test(four) -> None:
    res = landmark(four, "days", "dead", "hsct", 1)  # nobody transplanted by day 1
    assert [g.group for g in res.km.groups] == ["unexposed"] and res.test is None


def test_bad_exposure_names_row_and_value(four) -> None:
    four["hsct"] = ["4", None, "soon", None]
    with pytest.raises(InputError) as err:
        mantel_byar(four, "days", "dead", "hsct")
    assert "row 4" in str(err.value) and "soon" in str(err.value)


def test_simon_makuch_number_at_risk_rises_by_hand(four) -> None:
    # at risk at t: entry < t <= exit, and at a time with entries only, those entering
    # exposed: P3 on (2, 8], P1 on (4, 10]; unexposed: (0, 4], (0, 3], (0, 2], (0, 12]
    res = simon_makuch(four, "days", "dead", "hsct")
    at = res.group("exposed").at([0, 2, 3, 4, 8, 9, 11])
    assert at["n_risk"].tolist() == [0, 1, 1, 2, 2, 1, 0]
    at = res.group("unexposed").at([0, 1, 2, 3, 4, 5])
    assert at["n_risk"].tolist() == [4, 4, 4, 3, 2, 1]
