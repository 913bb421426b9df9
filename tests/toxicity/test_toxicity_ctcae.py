"""CTCAE v5.0 'Cytokine release syndrome' grades, and where they differ from ASTCT."""

from datetime import datetime

import pytest

from remission.toxicity import (
    Hypotension,
    ObservationSet,
    Oxygen,
    ctcae5_crs_grade,
    disagreements,
    grade_observations,
)


@pytest.mark.parametrize(
    ("fields", "grade"),
    [
        ({"temperature_c": 37.5}, 0),
        ({"temperature_c": 38.0}, 1),
        ({"temperature_c": 38.5, "hypotension": Hypotension.FLUIDS}, 2),
        ({"temperature_c": 38.5, "hypotension": Hypotension.ONE_VASOPRESSOR}, 3),
        ({"temperature_c": 38.5, "hypotension": Hypotension.VASOPRESSIN_PLUS_ONE}, 4),
        ({"temperature_c": 38.5, "hypotension": Hypotension.MULTIPLE_VASOPRESSORS}, 4),
        ({"temperature_c": 38.5, "oxygen": Oxygen.FACEMASK, "fio2_percent": 39}, 2),
        ({"temperature_c": 38.5, "oxygen": Oxygen.FACEMASK, "fio2_percent": 40}, 3),
        ({"temperature_c": 38.5, "oxygen": Oxygen.LOW_FLOW, "oxygen_l_min": 2}, 2),
        ({"temperature_c": 38.5, "oxygen": Oxygen.NON_REBREATHER}, 3),
        ({"temperature_c": 38.5, "oxygen": Oxygen.CPAP}, 4),
        ({"temperature_c": 37.0, "hypotension": Hypotension.FLUIDS}, 2),  # no fever needed
        ({}, None),
    ],
)
def test_ctcae5_crs(obs, fields, grade):
    assert ctcae5_crs_grade(obs(**fields)).grade == grade


def test_reason_says_when_fio2_is_inferred_from_the_device(obs):
    g = ctcae5_crs_grade(obs(temperature_c=38.5, oxygen=Oxygen.HIGH_FLOW, oxygen_l_min=10))
    assert "FiO2 not recorded" in g.reason


def test_disagreements_table(obs):
    rows = (
        obs(time=datetime(2024, 5, 1), temperature_c=38.5, hypotension=Hypotension.FLUIDS),
        obs(time=datetime(2024, 5, 2), temperature_c=37.0, hypotension=Hypotension.FLUIDS),
        obs(
            time=datetime(2024, 5, 3),
            temperature_c=38.5,
            hypotension=Hypotension.VASOPRESSIN_PLUS_ONE,
        ),
    )
    d = disagreements(grade_observations(ObservationSet("t", rows)))
    assert [(x.time, x.astct_grade, x.ctcae5_grade) for x in d] == [
        ("2024-05-02", 0, 2),
        ("2024-05-03", 3, 4),
    ]
    assert set(d[0].to_dict()) == {
        "patient_id", "time", "astct_crs_grade", "ctcae5_crs_grade", "astct_reason", "ctcae5_reason",
    }  # fmt: skip
