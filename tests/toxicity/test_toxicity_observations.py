"""Reading the observation format: every problem collected, located and explained."""

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from remission.cohort.problems import InputError
from remission.toxicity import Consciousness, Hypotension, Oxygen, read_observations

DATA = Path(__file__).parent / "data"
HEADER = "patient_id,time,age_years,temperature_c,hypotension,oxygen,oxygen_l_min,ice_score"


def write(tmp_path, text, name="obs.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_reads_seed_file():
    s = read_observations(DATA / "seed_cohort_observations.csv")
    assert s.patients() == ("P03", "P07", "P09")
    assert len(s.observations) == 14
    o = s.of_patient("P07")[2]
    assert o.row == 8
    assert o.hypotension is Hypotension.FLUIDS
    assert o.oxygen is Oxygen.NONE
    assert o.capd == (3, 3, 3, 3, 0, 0, 1, 1)
    assert o.consciousness is Consciousness.VOICE
    assert o.steroids is True and o.infusion_interrupted is True and o.dose_reduced is False
    assert o.blinatumomab_start == date(2018, 1, 15)
    assert o.cerebral_edema is None  # blank = not assessed
    assert o.time_text == "2018-01-17"


def test_blank_means_not_assessed(tmp_path):
    s = read_observations(write(tmp_path, HEADER + "\nA,2024-05-01 08:30,40,,,,,\n"))
    o = s.observations[0]
    assert (o.temperature_c, o.hypotension, o.oxygen, o.ice_score) == (None, None, None, None)
    assert o.time == datetime(2024, 5, 1, 8, 30)
    assert o.time_text == "2024-05-01T08:30:00"


def test_rows_sorted_by_time_within_patient(tmp_path):
    text = HEADER + "\nA,2024-05-02,40,38,,,,\nB,2024-05-01,40,37,,,,\nA,2024-05-01,40,37,,,,\n"
    s = read_observations(write(tmp_path, text))
    assert [(o.patient_id, o.row) for o in s.observations] == [("A", 4), ("A", 2), ("B", 3)]


def test_all_problems_collected_with_location(tmp_path):
    text = (
        HEADER + ",capd_1,capd_2,capd_3,capd_4,capd_5,capd_6,capd_7,capd_8\n"
        "A,2024-05-01,40,101.3,,,,,,,,,,,,\n"  # Fahrenheit
        "A,2024-05-02,40,38.5,pressor,,,,,,,,,,,\n"  # unknown hypotension value
        "B,yesterday,0.5,38,,,,,,,,,,,,\n"  # bad time
        "B,2024-05-03,0.5,38,,,,8,,,,,,,,\n"  # ICE for an infant
        "C,2024-05-03,0.5,38,,,,,4,4,4,,0,0,0,0\n"  # CAPD incomplete
        "C,2024-05-03,0.5,38,,none,3,,,,,,,,,\n"  # flow with no oxygen
        "D,2024-05-03,0.5,,,,,,,,,,,,,\n"
        "D,2024-05-03,0.5,,,,,,,,,,,,,\n"  # duplicate time
        ",2024-05-04,,,,,,,,,,,,,,\n"  # no patient, no age
    )
    with pytest.raises(InputError) as exc:
        read_observations(write(tmp_path, text))
    got = {(p.row, p.patient_id, p.column) for p in exc.value.problems}
    assert got == {
        (2, "A", "temperature_c"),
        (3, "A", "hypotension"),
        (4, "B", "time"),
        (5, "B", "ice_score"),
        (6, "C", "capd_4"),
        (7, "C", "oxygen_l_min"),
        (9, "D", "time"),
        (10, None, "patient_id"),
        (10, None, "age_years"),
    }
    text_out = str(exc.value)
    assert "obs.csv, row 2, patient A, column 'temperature_c': out of range (value '101.3'); " \
           "expected a number from 30 to 45 degrees Celsius" in text_out  # fmt: skip
    assert "one of none, fluids, one_vasopressor" in text_out
    assert "first at row 8" in text_out


def test_unknown_and_missing_columns(tmp_path):
    with pytest.raises(InputError) as exc:
        read_observations(write(tmp_path, "patient_id,time,temprature_c\nA,2024-05-01,38\n"))
    got = {(p.row, p.column, p.message) for p in exc.value.problems}
    assert got == {
        (1, "temprature_c", "unknown column; did you mean 'temperature_c'?"),
        (1, "age_years", "required column missing"),
    }
    assert all(p.expected for p in exc.value.problems)


def test_invalid_capd_answer_is_reported_once_not_also_as_blank(tmp_path):
    items = ",".join(f"capd_{i}" for i in range(1, 9))
    text = f"patient_id,time,age_years,{items}\nA,2024-05-01,0.5,5,4,4,4,0,0,0,0\n"
    with pytest.raises(InputError) as exc:
        read_observations(write(tmp_path, text))
    assert [(p.row, p.column, p.message) for p in exc.value.problems] == [
        (2, "capd_1", "out of range")
    ]


def test_blinatumomab_start_must_be_constant(tmp_path):
    text = "patient_id,time,age_years,blinatumomab_start\nA,2024-05-01,1,2024-05-01\nA,2024-05-02,1,2024-05-02\n"
    with pytest.raises(InputError, match="blinatumomab_start differs"):
        read_observations(write(tmp_path, text))


def test_header_only(tmp_path):
    with pytest.raises(InputError, match="no assessments"):
        read_observations(write(tmp_path, HEADER + "\n"))


@pytest.mark.parametrize("suffix", ["xlsx", "parquet"])
def test_other_formats_read_the_same(tmp_path, suffix):
    src = DATA / "seed_cohort_observations.csv"
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    frame = frame.replace("", None)
    p = tmp_path / f"obs.{suffix}"
    if suffix == "xlsx":
        frame.to_excel(p, index=False)
    else:
        frame.to_parquet(p)
    assert read_observations(p).observations == read_observations(src).observations


@pytest.mark.parametrize(
    ("cell", "value"), [("yes", True), ("No", False), ("TRUE", True), ("0", False)]
)
def test_yes_no_cells(tmp_path, cell, value):
    s = read_observations(
        write(tmp_path, f"patient_id,time,age_years,steroids\nA,2024-05-01,1,{cell}\n")
    )
    assert s.observations[0].steroids is value


def test_excel_date_cells(tmp_path):
    frame = pd.DataFrame(
        {
            "patient_id": ["A", "A"],
            "time": [pd.Timestamp("2024-05-01"), pd.Timestamp("2024-05-01 14:30")],
            "age_years": [0.5, 0.5],
            "blinatumomab_start": [pd.Timestamp("2024-04-30")] * 2,
            "temperature_c": [38.2, 37.0],
            "steroids": [True, False],
        }
    )
    p = tmp_path / "obs.xlsx"
    frame.to_excel(p, index=False)
    a, b = read_observations(p).observations
    assert (a.time_text, b.time_text) == ("2024-05-01", "2024-05-01T14:30:00")
    assert a.blinatumomab_start == date(2024, 4, 30)
    assert (a.temperature_c, a.steroids, b.steroids) == (38.2, True, False)
