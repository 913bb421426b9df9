"""The disclosure policy on hand-made tables (worked out by hand)."""

import numpy as np

from remission.engines.disclosure import apply_policy


def test_exact_when_every_cell_meets_the_minimum():
    t = np.array([1.0, 2.0])
    cells = np.array([[0, 5], [6, 0]])  # censorings, events
    out_t, out_c, spans = apply_policy("g", t, cells, 5)
    assert out_t.tolist() == [1.0, 2.0] and out_c.tolist() == cells.tolist() and spans == []


def test_small_cells_are_merged_within_their_week_only():
    # days 1 and 3 (week 0) hold 2 and 3 events: merged into one row at day 6;
    # day 8 (week 1) has 5 events and stays at its day
    t = np.array([1.0, 3.0, 8.0])
    cells = np.array([[0, 2], [0, 3], [0, 5]])
    out_t, out_c, spans = apply_policy("g", t, cells, 5)
    assert out_t.tolist() == [6.0, 8.0]
    assert out_c.tolist() == [[0, 5], [0, 5]]
    assert [(s.start, s.end, s.unit) for s in spans] == [(0.0, 6.0, "week")]


def test_weeks_then_months_then_merged_months():
    # week 0: 1 event (too few), month 0 (days 0-30): 1 + 1 = 2 events, still too few;
    # month 1 (days 31-60) has 4: months 0 and 1 merged into one row of 6 at day 60
    t = np.array([2.0, 20.0, 40.0])
    cells = np.array([[0, 1], [0, 1], [0, 4]])
    out_t, out_c, spans = apply_policy("g", t, cells, 5)
    assert out_c.sum(axis=0).tolist() == [0, 6]
    assert out_t.tolist() == [60.0] and out_c.tolist() == [[0, 6]]
    assert {s.unit for s in spans} == {"week", "month", "merged months"}


def test_a_group_too_small_to_share_is_withheld():
    assert apply_policy("g", np.array([1.0, 100.0]), np.array([[1, 0], [0, 2]]), 5) is None


def test_min_cell_one_shares_the_table_unchanged():
    t = np.array([1.0, 2.0])
    cells = np.array([[1, 0], [0, 1]])
    out_t, out_c, spans = apply_policy("g", t, cells, 1)
    assert out_t.tolist() == t.tolist() and out_c.tolist() == cells.tolist() and not spans
