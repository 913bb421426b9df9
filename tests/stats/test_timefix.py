"""R's tie rule for near-equal times and the entry-time front end: hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remission.cohort.problems import InputError
from remission.stats.km import km
from remission.stats.timefix import TOLERANCE, aeq_times


def test_sum_of_tenths_is_merged_into_the_smaller_value() -> None:
    t, _, merged = aeq_times(np.array([0.1 + 0.2, 0.3, 1.0]))
    assert merged == 1
    assert t.tolist() == [0.3, 0.3, 1.0]  # 0.3 < 0.1 + 0.2: the run's first value


def test_integer_days_untouched() -> None:
    days = np.array([1.0, 2.0, 2.0, 365.0, 40000.0])
    t, _, merged = aeq_times(days)
    assert merged == 0 and t is days


def test_relative_rule_merges_huge_integers() -> None:
    # dy / mean|y| = 1 / (1e9 + 0.5) <= 1.49e-8: R ties them
    t, _, merged = aeq_times(np.array([1e9, 1e9 + 1]))
    assert merged == 1 and t.tolist() == [1e9, 1e9]


def test_a_run_of_small_steps_merges_into_its_first_value() -> None:
    t, _, merged = aeq_times(np.array([1.0, 1 + 1e-9, 1 + 2e-9, 2.0]))
    assert merged == 2 and t.tolist() == [1.0, 1.0, 1.0, 2.0]


def test_steps_just_above_the_tolerance_stay_distinct() -> None:
    x = np.array([0.0, 2 * TOLERANCE])
    assert aeq_times(x)[2] == 0


def test_entry_times_merged_with_exit_times() -> None:
    t, e, merged = aeq_times(np.array([3.0]), np.array([0.1 + 0.2]))
    assert merged == 0 and e.tolist() == [0.1 + 0.2]
    t, e, merged = aeq_times(np.array([0.3, 5.0]), np.array([0.0, 0.1 + 0.2]))
    assert merged == 1 and e.tolist() == [0.0, 0.3]


def test_interval_of_rounding_length_is_an_input_error() -> None:
    start = 0.1 + 0.2
    df = pd.DataFrame({"start": [start, 0.0], "stop": [np.nextafter(start, 1), 2.0],
                       "ev": [1, 0]})  # fmt: skip
    with pytest.raises(InputError, match="rounding error"):
        km(df, "stop", "ev", entry="start")


def test_km_with_delayed_entry_by_hand() -> None:
    df = pd.DataFrame({"start": [0, 0, 2, 1, 0, 3], "stop": [4, 5, 6, 3, 2, 7],
                       "ev": [1, 0, 1, 1, 0, 1]})  # fmt: skip
    g = km(df, "stop", "ev", entry="start").groups[0]
    # at risk at t: start < t <= stop. t=2: rows 1,2,4,5 (censoring); t=3: 1,2,3,4 (event);
    # t=4: 1,2,3,6 (event); t=5: 2,3,6; t=6: 3,6 (event); t=7: 6 (event)
    assert g.time.tolist() == [2, 3, 4, 5, 6, 7]
    assert g.n_risk.tolist() == [4, 4, 4, 3, 2, 1]
    np.testing.assert_allclose(g.survival, [1, 0.75, 0.5625, 0.5625, 0.28125, 0], rtol=1e-12)
    assert g.n == 6


def test_entry_problems_are_reported_with_row_and_value() -> None:
    df = pd.DataFrame({"start": [0, 5, "soon", None], "stop": [4, 5, 6, 3], "ev": [1, 0, 1, 1]})
    with pytest.raises(InputError) as err:
        km(df, "stop", "ev", entry="start")
    text = str(err.value)
    assert "row 3" in text and "not before the exit time" in text
    assert "row 4" in text and "soon" in text and "finite number" in text


def test_missing_entry_excluded_and_counted() -> None:
    df = pd.DataFrame({"start": [0, None, 1], "stop": [4, 5, 6], "ev": [1, 0, 1]})
    res = km(df, "stop", "ev", entry="start")
    assert res.excluded == ((3, "missing start"),)
    assert res.groups[0].n == 2
