"""InputError.render: every problem, or the first ``limit`` and the rest counted by kind."""

import pytest

from remission.cohort.problems import InputError, Problem


def _many(n_sex: int, n_mrd: int) -> InputError:
    sex = [Problem("c.csv", "unknown category", row=i + 2, patient_id=f"P{i}", column="sex",
                   value="Q", expected="one of M, F") for i in range(n_sex)]  # fmt: skip
    mrd = [Problem("c.csv", "not an MRD result", row=i + 2, column="mrd", value="x")
           for i in range(n_mrd)]  # fmt: skip
    return InputError([*sex, *mrd])


def test_render_without_limit_lists_every_problem():
    text = _many(40, 3).render()
    assert text.splitlines()[0] == "43 problems found:"
    assert len(text.splitlines()) == 44


def test_render_with_limit_counts_the_rest_by_kind():
    lines = _many(40, 3).render(limit=5).splitlines()
    assert lines[0] == "43 problems found:"
    assert lines[1].startswith("  - c.csv, row 2, patient P0, column 'sex'")
    assert lines[6:] == [
        "  ... and 38 more:",
        "      35 x unknown category in column 'sex'",
        "      3 x not an MRD result in column 'mrd'",
    ]


@pytest.mark.parametrize("limit", [43, 100])
def test_render_with_a_limit_not_reached_is_the_full_list(limit):
    err = _many(40, 3)
    assert err.render(limit=limit) == err.render()


def test_many_kinds_are_folded():
    err = InputError([Problem("f", f"kind {i}", column="c") for i in range(12)] * 2)
    lines = err.render(limit=0).splitlines()
    assert lines[1] == "  ... and 24 more:"
    assert len(lines) == 2 + 9  # 8 kinds, then the others together
    assert lines[-1] == "      8 x 4 other kinds of problem"
