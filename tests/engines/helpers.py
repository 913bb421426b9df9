"""Comparing count tables field by field."""

import numpy as np

from remission.stats.counts import CountTable

FIELDS = ("group", "time", "n_risk", "n_event", "n_censor", "n_enter")


def assert_same_table(a: CountTable, b: CountTable) -> None:
    """Identical tables: every array equal (exact integers and times), same labels."""
    assert a.group_labels == b.group_labels
    assert tuple(a.causes) == tuple(b.causes)
    for f in FIELDS:
        x, y = getattr(a, f), getattr(b, f)
        assert x.shape == y.shape, f
        assert np.array_equal(x, y), f
