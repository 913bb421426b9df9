"""ASTCT ICANS grading (consensus adult and paediatric ICANS tables; CAPD for < 12 y)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.toxicity import (
    CerebralEdema,
    Consciousness,
    Motor,
    Seizure,
    astct_icans_grade,
    capd_anchor,
    capd_total,
)

CALM = (4, 4, 4, 4, 0, 0, 0, 0)  # eye contact etc. always; restless etc. never: total 0


@pytest.mark.parametrize(
    ("ice", "grade"),
    [(10, 0), (9, 1), (7, 1), (6, 2), (3, 2), (2, 3), (1, 3), (0, 3)],
)
def test_ice_score_bands(obs, ice, grade):
    assert astct_icans_grade(obs(ice_score=ice, consciousness=Consciousness.ALERT)).grade == grade


def test_ice_0_unarousable_is_grade_4(obs):
    g = astct_icans_grade(obs(ice_score=0, consciousness=Consciousness.UNAROUSABLE))
    assert g.grade == 4


def test_consensus_example_ice_3_with_seizure_is_grade_3(obs):
    g = astct_icans_grade(obs(ice_score=3, seizure=Seizure.RAPID))
    assert g.grade == 3
    assert "seizure" in g.reason


@pytest.mark.parametrize(
    ("fields", "grade"),
    [
        ({"consciousness": Consciousness.ALERT}, 0),
        ({"consciousness": Consciousness.SPONTANEOUS}, 1),
        ({"consciousness": Consciousness.VOICE}, 2),
        ({"consciousness": Consciousness.TACTILE}, 3),
        ({"consciousness": Consciousness.UNAROUSABLE}, 4),
        ({"seizure": Seizure.RAPID}, 3),
        ({"seizure": Seizure.EEG_NONCONVULSIVE}, 3),
        ({"seizure": Seizure.PROLONGED}, 4),
        ({"motor": Motor.DEEP_FOCAL_WEAKNESS}, 4),
        ({"cerebral_edema": CerebralEdema.FOCAL}, 3),
        ({"cerebral_edema": CerebralEdema.DIFFUSE}, 4),
    ],
)
def test_other_domains(obs, fields, grade):
    assert astct_icans_grade(obs(ice_score=10, **fields)).grade == grade


def test_capd_reverse_scores_items_1_to_4():
    assert capd_total(CALM) == 0
    assert capd_total((0, 0, 0, 0, 4, 4, 4, 4)) == 32
    assert capd_total((3, 4, 4, 4, 0, 0, 0, 0)) == 1  # eye contact 'often' scores 1
    assert capd_total((4, 4, 4, 4, 1, 0, 0, 0)) == 1  # restless 'rarely' scores 1


@pytest.mark.parametrize("bad", [(0,) * 7, (0, 0, 0, 0, 0, 0, 0, 5), (0, 0, 0, 0, 0, 0, 0, -1)])
def test_capd_total_rejects_bad_answers(bad):
    with pytest.raises(ValueError):
        capd_total(bad)


@settings(max_examples=60, deadline=None)
@given(st.tuples(*[st.integers(0, 4)] * 8))
def test_capd_total_range_and_mirror(answers):
    t = capd_total(answers)
    assert 0 <= t <= 32
    assert t + capd_total(tuple(4 - a for a in answers)) == 32


@pytest.mark.parametrize(
    ("answers", "grade"),
    [
        (CALM, 0),
        ((4, 4, 4, 3, 0, 0, 0, 0), 1),  # total 1
        ((2, 2, 4, 4, 0, 0, 0, 0), 1),  # total 4
        ((2, 2, 4, 4, 2, 0, 0, 2), 1),  # total 8: below the cut-off
        ((2, 2, 4, 4, 2, 0, 1, 2), 3),  # total 9: at the cut-off
        ((0, 0, 0, 0, 4, 4, 4, 4), 3),  # total 32
    ],
)
def test_capd_cutoff_for_infants(obs, answers, grade):
    g = astct_icans_grade(obs(age_years=0.5, capd=answers, consciousness=Consciousness.ALERT))
    assert g.grade == grade
    assert f"CAPD {capd_total(answers)}/32" in g.reason


def test_capd_below_cutoff_with_voice_is_grade_2(obs):
    g = astct_icans_grade(
        obs(age_years=0.5, capd=(2, 2, 4, 4, 2, 0, 0, 2), consciousness=Consciousness.VOICE)
    )
    assert g.grade == 2


def test_unarousable_infant_is_grade_4_never_0(obs):
    g = astct_icans_grade(obs(age_years=0.3, consciousness=Consciousness.UNAROUSABLE))
    assert g.grade == 4
    assert "CAPD cannot be performed" in g.reason


def test_infant_without_capd_or_findings_is_not_assessed(obs):
    g = astct_icans_grade(obs(age_years=0.3, consciousness=Consciousness.ALERT))
    assert g.grade is None
    assert "not assessed" in g.reason


def test_infant_without_capd_but_tactile_is_graded_with_note(obs):
    g = astct_icans_grade(obs(age_years=0.3, consciousness=Consciousness.TACTILE))
    assert g.grade == 3
    assert "CAPD not recorded" in g.reason


def test_age_12_uses_ice_and_older_may_use_capd(obs):
    assert astct_icans_grade(obs(age_years=12.0, ice_score=8)).grade == 1
    assert astct_icans_grade(obs(age_years=14.0, capd=(2, 2, 4, 4, 2, 0, 1, 2))).grade == 3


@pytest.mark.parametrize(
    ("age", "anchor"),
    [(0.0, "newborn"), (0.05, "newborn"), (0.1, "4 weeks"), (0.3, "8 weeks"),
     (0.6, "28 weeks"), (1.5, "1 year"), (2.0, "2 years"), (9.0, "2 years")],
)  # fmt: skip
def test_capd_anchor(age, anchor):
    assert capd_anchor(age) == anchor
