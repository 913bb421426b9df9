"""Per-patient and cohort summaries; the Clopper-Pearson interval against R binom.test.

Reference tiers: exact values worked by hand (episodes); R 4.2.2 ``binom.test`` values in
reference/clopper_pearson.json written by reference/clopper_pearson.R (rtol 1e-9).
"""

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.stats.binomial import binomial_ci
from remission.toxicity import (
    UNGRADED,
    GradingSystem,
    Hypotension,
    ObservationSet,
    grade_observations,
    summarise_max_grades,
    summarise_patients,
    summarise_recorded_grades,
)

REF = json.loads((Path(__file__).parent / "reference" / "clopper_pearson.json").read_text())


def _r_case(x: int, n: int) -> dict:
    """The R binom.test interval for x/n from the committed fixture (the values' source)."""
    return next(c for c in REF["cases"] if (c["x"], c["n"]) == (x, n))


@pytest.mark.parametrize("case", REF["cases"], ids=lambda c: f"{c['x']}/{c['n']}")
def test_clopper_pearson_matches_r(case):
    # the interval the toxicity summaries use (remission.stats.binomial)
    ci = binomial_ci(case["x"], case["n"])
    lo, hi = ci.lower, ci.upper
    assert lo == pytest.approx(case["lower"], rel=1e-9, abs=1e-15)
    assert hi == pytest.approx(case["upper"], rel=1e-9, abs=1e-15)


def test_clopper_pearson_hand_case():
    # x = 0, n = 1: upper = 1 - 0.025 exactly; x = n = 1: lower = 0.025.
    a, b = binomial_ci(0, 1), binomial_ci(1, 1)
    assert (a.lower, a.upper) == (0.0, pytest.approx(0.975, rel=1e-12))
    assert (b.lower, b.upper) == (pytest.approx(0.025, rel=1e-12), 1.0)


@pytest.mark.parametrize(("x", "n"), [(1, 0), (-1, 3), (4, 3)])
def test_clopper_pearson_rejects(x, n):
    with pytest.raises(ValueError):
        binomial_ci(x, n)


def _patient(obs, temps, start=date(2024, 5, 1), extra=None):
    extra = extra or {}
    rows = tuple(
        obs(
            time=datetime(2024, 5, d), temperature_c=t, blinatumomab_start=start, **extra.get(d, {})
        )
        for d, t in temps
    )
    return summarise_patients(grade_observations(ObservationSet("t", rows)))[0]


def test_onset_day_duration_resolution(obs):
    p = _patient(obs, [(1, 37.0), (3, 38.2), (4, 38.9), (6, 37.1), (7, 36.9)],
                 extra={4: {"hypotension": Hypotension.FLUIDS, "steroids": True}})  # fmt: skip
    assert p.crs.max_grade == 2
    assert p.crs.onset_day == 3  # 3 May with day 1 = 1 May
    assert p.crs.resolved is True
    assert p.crs.resolution == datetime(2024, 5, 6)
    assert p.crs.duration_days == 3.0
    assert p.management == ("steroids",)


def test_unresolved_has_no_duration(obs):
    p = _patient(obs, [(1, 37.0), (2, 38.5)])
    assert (p.crs.max_grade, p.crs.resolved, p.crs.duration_days) == (1, False, None)


def test_recurring_fever_runs_to_the_last_resolution(obs):
    p = _patient(obs, [(1, 38.5), (2, 37.0), (4, 38.1), (5, 37.0)])
    assert (p.crs.onset_day, p.crs.duration_days) == (1, 4.0)


def test_no_crs_and_no_start(obs):
    p = _patient(obs, [(1, 37.0), (2, 37.2)], start=None)
    assert (p.crs.max_grade, p.crs.onset_day, p.crs.resolved) == (0, None, None)
    p = _patient(obs, [(1, 38.5), (2, 37.2)], start=None)
    assert (p.crs.max_grade, p.crs.onset_day, p.crs.duration_days) == (1, None, 1.0)


def test_not_assessed_patient_is_none(obs):
    rows = (obs(time=datetime(2024, 5, 1)),)
    p = summarise_patients(grade_observations(ObservationSet("t", rows)))[0]
    assert p.crs.max_grade is None and p.icans.max_grade is None
    d = summarise_max_grades([p], "CRS")
    assert (d.n_patients, d.n_not_assessed) == (0, 1)
    assert d.rows[0].proportion is None


# The seed letter's Table 1, in patient order P01 ... P11: CRS grades and neurotoxicity.
SEED_CRS = [0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0]
SEED_NEURO = [0, 0, 0, 0, 0, 0, UNGRADED, 0, 0, 0, 0]


def _row(dist, label):
    return next(r for r in dist.rows if r.label == label)


def test_recorded_crs_grades():
    d = summarise_recorded_grades(SEED_CRS, "CRS")
    assert d.source == "recorded grades"
    assert (d.n_patients, d.n_not_assessed) == (11, 0)
    assert [(r.label, r.n) for r in d.rows] == [
        ("none (grade 0)", 8), ("grade 1", 2), ("grade 2", 1), ("grade 3", 0), ("grade 4", 0),
        ("any grade", 3), ("grade 3 or higher", 0),
    ]  # fmt: skip
    any_ = _row(d, "any grade")
    assert any_.proportion == pytest.approx(3 / 11, rel=1e-12)
    r = _r_case(3, 11)
    assert (any_.ci_lower, any_.ci_upper) == (
        pytest.approx(r["lower"], rel=1e-9), pytest.approx(r["upper"], rel=1e-9))  # fmt: skip


def test_recorded_neurotoxicity_without_grade():
    d = summarise_recorded_grades(SEED_NEURO, "ICANS")
    labels = [r.label for r in d.rows]
    assert "any grade, grade not recorded" in labels
    assert "grade 3 or higher" not in labels  # unknowable when a grade is missing
    assert _row(d, "any grade").n == 1
    assert _row(d, "any grade").ci_upper == pytest.approx(_r_case(1, 11)["upper"], rel=1e-9)
    json.dumps(d.to_dict(), allow_nan=False)


@pytest.mark.parametrize("bad", [[7], ["Yes"], [True], [1.5]])
def test_recorded_grades_reject(bad):
    with pytest.raises(ValueError):
        summarise_recorded_grades(bad, "CRS")


def test_recorded_none_is_not_assessed():
    d = summarise_recorded_grades([1, None, 0], "CRS")
    assert (d.n_patients, d.n_not_assessed, _row(d, "grade 1").denominator) == (2, 1, 2)


def test_summarise_max_grades_rejects_unknown_toxicity():
    with pytest.raises(ValueError):
        summarise_max_grades([], "fever")


def test_system_is_recorded(obs):
    rows = (obs(temperature_c=37, hypotension=Hypotension.FLUIDS),)
    p = summarise_patients(grade_observations(ObservationSet("t", rows)), GradingSystem.CTCAE5)
    assert p[0].crs.max_grade == 2  # CTCAE needs no fever; ASTCT would say 0
    assert summarise_max_grades(p, "CRS").system == "CTCAE v5.0"


_recorded = st.lists(st.one_of(st.none(), st.integers(0, 5), st.just(UNGRADED)), max_size=30)


@settings(max_examples=60, deadline=None)
@given(_recorded)
def test_distribution_invariants(values):
    d = summarise_recorded_grades(values, "CRS")
    assert d.n_patients + d.n_not_assessed == len(values)
    single = [r for r in d.rows if len(r.grades) == 1]
    assert sum(r.n for r in single) == d.n_patients
    for r in d.rows:
        assert r.denominator == d.n_patients
        if r.proportion is not None:
            assert r.ci_lower <= r.proportion <= r.ci_upper
            assert 0.0 <= r.ci_lower and r.ci_upper <= 1.0
