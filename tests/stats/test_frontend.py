"""The statistics front end: checked arrays, counted exclusions, all problems at once."""

import numpy as np
import pandas as pd
import pytest

from remission.cohort.problems import InputError
from remission.stats.frontend import survival_data


def frame():
    return pd.DataFrame(
        {
            "t": ["5", 3.0, None, "7"],
            "e": [1, "0", 1, True],
            "arm": [1.0, 2.0, 1.0, 2.0],
        }
    )


def test_arrays_labels_and_exclusions():
    d = survival_data(frame(), "t", "e", group="arm", source="f.csv")
    np.testing.assert_array_equal(d.time, [5, 3, 7])
    np.testing.assert_array_equal(d.event, [1, 0, 1])
    assert d.group_labels == ("1", "2")
    np.testing.assert_array_equal(d.group, [0, 1, 1])
    assert d.excluded == ((4, "missing t"),)
    assert d.n_input == 4 and d.n == 3
    ct = d.count_table()
    assert ct.group_labels == ("1", "2")


def test_all_problems_together():
    df = pd.DataFrame({"t": ["x", -1, 2], "e": [1, 3, 1]})
    with pytest.raises(InputError) as exc:
        survival_data(df, "t", "e", source="f.csv")
    msgs = [str(p) for p in exc.value.problems]
    assert len(msgs) == 3
    assert "row 2" in msgs[0] and "'x'" in msgs[0]
    assert "row 3" in msgs[1] and "column 't'" in msgs[1]
    assert "event code not allowed" in msgs[2] and "0, 1" in msgs[2]


def test_missing_column_lists_columns():
    with pytest.raises(InputError, match="one of: t, e, arm"):
        survival_data(frame(), "time", "e")


def test_one_group_and_no_events():
    with pytest.raises(InputError, match="1 level"):
        survival_data(pd.DataFrame({"t": [1, 2], "e": [1, 0], "g": ["a", "a"]}), "t", "e",
                      group="g", min_groups=2)  # fmt: skip
    with pytest.raises(InputError, match="no events"):
        survival_data(pd.DataFrame({"t": [1, 2], "e": [0, 0]}), "t", "e")


def test_competing_codes():
    d = survival_data(pd.DataFrame({"t": [1, 2, 3], "e": [0, 1, 2]}), "t", "e",
                      event_codes=(0, 1, 2))  # fmt: skip
    np.testing.assert_array_equal(d.count_table().n_event, [[0, 0], [1, 0], [0, 1]])
