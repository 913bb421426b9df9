"""ASTCT CRS grading, rule by rule, from the consensus CRS table (Lee et al. 2019).

Expected grades are read off the consensus table and its footnotes, not computed by the
code under test: fever >= 38.0 C; low-flow <= 6 L/min, high-flow > 6 L/min; blow-by
counts as low-flow; one vasopressor with or without vasopressin is grade 3; multiple
vasopressors (vasopressin excluded) grade 4; the more severe of hypotension and hypoxia
sets the grade; after antipyretic/anti-cytokine therapy fever is no longer required.
"""

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.toxicity import (
    Hypotension,
    ObservationSet,
    Oxygen,
    astct_crs_grade,
    grade_observations,
)


@pytest.mark.parametrize(("temp", "grade"), [(37.9, 0), (38.0, 1), (38.1, 1), (40.2, 1)])
def test_fever_threshold_is_38_0(obs, temp, grade):
    assert astct_crs_grade(obs(temperature_c=temp)).grade == grade


@pytest.mark.parametrize(
    ("oxygen", "rate", "grade"),
    [
        (Oxygen.LOW_FLOW, 6.0, 2),  # <= 6 L/min is low-flow
        (Oxygen.LOW_FLOW, 7.0, 3),  # > 6 L/min is high-flow whatever the label
        (Oxygen.LOW_FLOW, 6.5, 3),
        (Oxygen.HIGH_FLOW, 7.0, 3),
        (Oxygen.HIGH_FLOW, 5.0, 2),  # the consensus defines high-flow by the rate
        (Oxygen.LOW_FLOW, None, 2),
        (Oxygen.HIGH_FLOW, None, 3),
        (Oxygen.BLOW_BY, None, 2),
        (Oxygen.FACEMASK, None, 3),
        (Oxygen.NON_REBREATHER, None, 3),
        (Oxygen.VENTURI, None, 3),
        (Oxygen.CPAP, None, 4),
        (Oxygen.BIPAP, None, 4),
        (Oxygen.MECHANICAL_VENTILATION, None, 4),
        (Oxygen.NONE, None, 1),
    ],
)
def test_hypoxia_with_fever(obs, oxygen, rate, grade):
    g = astct_crs_grade(obs(temperature_c=38.5, oxygen=oxygen, oxygen_l_min=rate))
    assert g.grade == grade
    assert g.reason.startswith(f"grade {grade}: ")


@pytest.mark.parametrize(
    ("hypotension", "grade"),
    [
        (Hypotension.NONE, 1),
        (Hypotension.FLUIDS, 2),
        (Hypotension.ONE_VASOPRESSOR, 3),
        (Hypotension.VASOPRESSIN_PLUS_ONE, 3),  # vasopressin is not counted
        (Hypotension.MULTIPLE_VASOPRESSORS, 4),
    ],
)
def test_hypotension_with_fever(obs, hypotension, grade):
    assert astct_crs_grade(obs(temperature_c=38.5, hypotension=hypotension)).grade == grade


def test_reason_names_the_finding(obs):
    g = astct_crs_grade(obs(temperature_c=38.4, oxygen=Oxygen.HIGH_FLOW, oxygen_l_min=8))
    assert g.reason.startswith("grade 3: hypoxia on high-flow 8 L/min")


def test_more_severe_event_sets_grade(obs):
    # Consensus footnote: a febrile patient on one vasopressor and low-flow is grade 3.
    g = astct_crs_grade(
        obs(temperature_c=38.6, hypotension=Hypotension.ONE_VASOPRESSOR,
            oxygen=Oxygen.LOW_FLOW, oxygen_l_min=2)
    )  # fmt: skip
    assert g.grade == 3
    assert "also hypoxia on low-flow 2 L/min" in g.reason


def test_hypotension_without_fever_is_not_crs(obs):
    g = astct_crs_grade(obs(temperature_c=37.2, hypotension=Hypotension.FLUIDS))
    assert g.grade == 0
    assert "not CRS by ASTCT" in g.reason


def test_fever_not_required_after_therapy(obs):
    o = obs(temperature_c=37.0, oxygen=Oxygen.HIGH_FLOW, oxygen_l_min=8)
    assert astct_crs_grade(o, fever_not_required=False).grade == 0
    g = astct_crs_grade(o, fever_not_required=True)
    assert g.grade == 3
    assert "fever not required" in g.reason


def test_no_fever_no_finding_after_therapy_is_grade_0(obs):
    assert astct_crs_grade(obs(temperature_c=37.0), fever_not_required=True).grade == 0


def _series(obs, rows):
    return ObservationSet("t", tuple(obs(time=datetime(2024, 5, d), **kw) for d, kw in rows))


def test_tocilizumab_masks_fever_from_then_on(obs):
    s = _series(
        obs,
        [
            (1, {"temperature_c": 37.1, "hypotension": Hypotension.FLUIDS}),  # before: not CRS
            (2, {"temperature_c": 39.0, "hypotension": Hypotension.FLUIDS, "tocilizumab": True}),
            (3, {"temperature_c": 37.1, "hypotension": Hypotension.ONE_VASOPRESSOR}),
        ],
    )
    assert [a.astct_crs.grade for a in grade_observations(s)] == [0, 2, 3]


@pytest.mark.parametrize("therapy", ["antipyretic", "tocilizumab"])
def test_each_therapy_masks_fever_once_crs_has_begun(obs, therapy):
    s = _series(
        obs,
        [
            (1, {"temperature_c": 38.3}),
            (2, {therapy: True, "temperature_c": 37.5, "oxygen": Oxygen.BLOW_BY}),
        ],
    )
    assert grade_observations(s)[1].astct_crs.grade == 2


def test_premedication_steroids_do_not_mask_fever(obs):
    # dexamethasone before blinatumomab, no fever yet: later afebrile hypoxia is not CRS
    s = _series(
        obs,
        [
            (1, {"steroids": True, "temperature_c": 36.8}),
            (2, {"temperature_c": 37.2, "oxygen": Oxygen.BLOW_BY}),
        ],
    )
    assert [a.astct_crs.grade for a in grade_observations(s)] == [0, 0]


def test_steroids_after_fever_mask_it(obs):
    s = _series(
        obs,
        [
            (1, {"temperature_c": 38.6}),
            (2, {"steroids": True, "temperature_c": 37.0, "oxygen": Oxygen.BLOW_BY}),
            (3, {"temperature_c": 37.0, "hypotension": Hypotension.ONE_VASOPRESSOR}),
        ],
    )
    assert [a.astct_crs.grade for a in grade_observations(s)] == [1, 2, 3]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({}, "temperature, hypotension and oxygen all blank"),
        ({"hypotension": Hypotension.FLUIDS}, "temperature blank"),
    ],
)
def test_not_assessed_is_none_not_zero(obs, fields, reason):
    g = astct_crs_grade(obs(**fields))
    assert g.grade is None
    assert reason in g.reason


_hypo = st.sampled_from(list(Hypotension))
_oxy = st.sampled_from(list(Oxygen))
_rate = st.one_of(st.none(), st.floats(0, 60, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(temp=st.floats(35, 42), h=_hypo, o=_oxy, rate=_rate, masked=st.booleans())
def test_masking_never_lowers_and_fever_never_lowers(obs, temp, h, o, rate, masked):
    if o is Oxygen.NONE:
        rate = None
    base = obs(temperature_c=temp, hypotension=h, oxygen=o, oxygen_l_min=rate)
    g = astct_crs_grade(base, masked).grade
    assert 0 <= g <= 4
    assert astct_crs_grade(base, True).grade >= g
    hotter = obs(temperature_c=max(temp, 38.0), hypotension=h, oxygen=o, oxygen_l_min=rate)
    assert astct_crs_grade(hotter, masked).grade >= g


@settings(max_examples=40, deadline=None)
@given(
    r1=st.floats(0, 60),
    r2=st.floats(0, 60),
    device=st.sampled_from([Oxygen.LOW_FLOW, Oxygen.HIGH_FLOW]),
)
def test_more_flow_never_lowers_grade(obs, r1, r2, device):
    lo, hi = sorted((r1, r2))
    g = [
        astct_crs_grade(obs(temperature_c=38.5, oxygen=device, oxygen_l_min=r)).grade
        for r in (lo, hi)
    ]
    assert g[0] <= g[1]
