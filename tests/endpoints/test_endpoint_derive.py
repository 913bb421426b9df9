"""derive_endpoint on hand-made cohorts: every number below is worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from remission.cohort.problems import InputError
from remission.cohort.schema import DATE_COLUMNS as CORE_DATE_COLUMNS
from remission.endpoints import EVENT_CODES, TIME_CONVENTION, derive_endpoint

# the seed study's intervention start is a study column (issue 10), not a core one
DATE_COLUMNS = (*CORE_DATE_COLUMNS, "blinatumomab_start_date")


def make_cohort(rows: list[dict]) -> pd.DataFrame:
    """A frame with every date column (parsed), patient_id and a grouping column."""
    frame = pd.DataFrame(
        [
            {
                "patient_id": r["patient_id"],
                "sex": r.get("sex", "F"),
                **{c: r.get(c) for c in DATE_COLUMNS},
            }
            for r in rows
        ],
        columns=["patient_id", "sex", *DATE_COLUMNS],
    )
    for c in DATE_COLUMNS:
        frame[c] = pd.to_datetime(frame[c], format="%Y-%m-%d")
    return frame


BASE = {
    "diagnosis_date": "2018-01-01",
    "blinatumomab_start_date": "2018-06-01",
    "hsct_date": "2018-07-21",
}


def patient(pid: str, **dates: str) -> dict:
    return {"patient_id": pid, **BASE, **dates}


@pytest.fixture
def cohort() -> pd.DataFrame:
    return make_cohort(
        [
            # relapse day 30 after HSCT, alive; then a death later
            patient(
                "A",
                relapse_date="2018-08-20",
                death_date="2018-10-19",
                last_followup_date="2018-10-19",
            ),
            # death without relapse on day 100
            patient("B", death_date="2018-10-29", last_followup_date="2018-10-29"),
            # second malignancy on day 200, alive at day 400
            patient("C", second_malignancy_date="2019-02-06", last_followup_date="2019-08-25"),
            # event-free, followed to day 500
            patient("D", last_followup_date="2019-12-03"),
            # relapse and death on the same day (day 60)
            patient(
                "E",
                relapse_date="2018-09-19",
                death_date="2018-09-19",
                last_followup_date="2018-09-19",
            ),
        ]
    )


def table(data) -> dict:
    return {
        p: (t, e) for p, t, e in data.frame[["patient_id", "time", "event"]].itertuples(index=False)
    }


def test_efs_first_of_relapse_second_malignancy_death(cohort):
    got = table(derive_endpoint(cohort, "EFS", "hsct"))
    assert got == {
        "A": (30.0, 1),
        "B": (100.0, 1),
        "C": (200.0, 1),
        "D": (500.0, 0),
        "E": (60.0, 1),
    }


def test_os_death_only(cohort):
    got = table(derive_endpoint(cohort, "OS", "hsct"))
    assert got == {
        "A": (90.0, 1),
        "B": (100.0, 1),
        "C": (400.0, 0),
        "D": (500.0, 0),
        "E": (60.0, 1),
    }


def test_cir_relapse_with_competing_death(cohort):
    got = table(derive_endpoint(cohort, "CIR", "hsct"))
    # C's second malignancy is not an event: follow-up continues to day 400
    assert got == {
        "A": (30.0, 1),
        "B": (100.0, 2),
        "C": (400.0, 0),
        "D": (500.0, 0),
        "E": (60.0, 1),
    }


def test_nrm_death_without_relapse_with_competing_relapse(cohort):
    got = table(derive_endpoint(cohort, "NRM", "hsct"))
    assert got == {
        "A": (30.0, 2),
        "B": (100.0, 1),
        "C": (400.0, 0),
        "D": (500.0, 0),
        "E": (60.0, 2),
    }


def test_origins_shift_times(cohort):
    # blinatumomab start is 50 days before HSCT, diagnosis 201 days before HSCT
    hsct = table(derive_endpoint(cohort, "OS", "hsct"))
    blina = table(derive_endpoint(cohort, "OS", "blinatumomab"))
    diag = table(derive_endpoint(cohort, "OS", "diagnosis"))
    for p in hsct:
        assert blina[p] == (hsct[p][0] + 50, hsct[p][1])
        assert diag[p] == (hsct[p][0] + 201, hsct[p][1])


def test_cutoff_censors_follow_up_and_later_events(cohort):
    # cut-off on day 95 after HSCT: B's death (day 100) and A's death (day 90) differ
    data = derive_endpoint(cohort, "OS", "hsct", data_cutoff=dt.date(2018, 10, 24))
    assert table(data) == {
        "A": (90.0, 1),
        "B": (95.0, 0),
        "C": (95.0, 0),
        "D": (95.0, 0),
        "E": (60.0, 1),
    }
    assert data.data_cutoff == dt.date(2018, 10, 24)
    for form in ("2018-10-24", pd.Timestamp("2018-10-24")):
        assert table(derive_endpoint(cohort, "OS", "hsct", data_cutoff=form)) == table(data)


def test_event_on_cutoff_counts(cohort):
    data = derive_endpoint(cohort, "OS", "hsct", data_cutoff="2018-10-29")
    assert table(data)["B"] == (100.0, 1)


def test_missing_origin_excluded_with_reason(cohort):
    frame = cohort.copy()
    frame.loc[frame["patient_id"] == "D", "hsct_date"] = pd.NaT
    data = derive_endpoint(frame, "EFS", "hsct")
    assert list(data.frame["patient_id"]) == ["A", "B", "C", "E"]
    assert data.excluded == (("D", "hsct_date missing"),)


def test_origin_after_cutoff_excluded_with_reason(cohort):
    data = derive_endpoint(cohort, "EFS", "hsct", data_cutoff="2018-07-01")
    assert len(data.frame) == 0
    assert data.excluded[0] == ("A", "hsct_date 2018-07-21 after the data cut-off 2018-07-01")


def test_event_before_origin_is_an_error_naming_everything(cohort):
    frame = cohort.copy()
    frame.loc[frame["patient_id"] == "A", "relapse_date"] = pd.Timestamp("2018-07-01")
    frame.loc[frame["patient_id"] == "B", "death_date"] = pd.Timestamp("2018-07-02")
    with pytest.raises(InputError) as err:
        derive_endpoint(frame, "EFS", "hsct", source="cohort.csv", rows=[2, 3, 4, 5, 6])
    problems = err.value.problems
    assert [(p.patient_id, p.column, p.value, p.row) for p in problems] == [
        ("A", "relapse_date", "2018-07-01", 2),
        ("B", "death_date", "2018-07-02", 3),
    ]
    assert all(p.file == "cohort.csv" and "2018-07-21" in p.expected for p in problems)
    assert "event before the origin" in str(err.value)


def test_event_before_origin_fine_from_an_earlier_origin(cohort):
    frame = cohort.copy()
    frame.loc[frame["patient_id"] == "A", "relapse_date"] = pd.Timestamp("2018-07-01")
    assert table(derive_endpoint(frame, "CIR", "blinatumomab"))["A"] == (30.0, 1)


def test_event_after_last_followup_is_an_error(cohort):
    frame = cohort.copy()
    frame.loc[frame["patient_id"] == "D", "death_date"] = pd.Timestamp("2020-01-01")
    with pytest.raises(InputError) as err:
        derive_endpoint(frame, "OS", "hsct")
    (problem,) = err.value.problems
    assert (problem.patient_id, problem.column, problem.value) == ("D", "death_date", "2020-01-01")


def test_last_followup_missing_or_before_origin(cohort):
    frame = cohort.copy()
    frame.loc[frame["patient_id"] == "C", "last_followup_date"] = pd.NaT
    frame.loc[frame["patient_id"] == "D", "last_followup_date"] = pd.Timestamp("2018-07-01")
    with pytest.raises(InputError) as err:
        derive_endpoint(frame, "OS", "hsct")
    assert [(p.patient_id, p.column, p.message) for p in err.value.problems] == [
        ("C", "last_followup_date", "last follow-up date missing"),
        ("D", "last_followup_date", "last follow-up before the origin"),
    ]


def test_missing_column_and_unparsed_dates(cohort):
    frame = cohort.drop(columns="death_date")
    frame["hsct_date"] = frame["hsct_date"].dt.strftime("%Y-%m-%d")
    with pytest.raises(InputError) as err:
        derive_endpoint(frame, "OS", "hsct")
    assert {(p.column, p.message) for p in err.value.problems} == {
        ("death_date", "column missing"),
        ("hsct_date", "dates not parsed"),
    }


def test_unknown_endpoint_or_origin(cohort):
    with pytest.raises(ValueError, match="unknown endpoint"):
        derive_endpoint(cohort, "DFS", "hsct")
    with pytest.raises(ValueError, match="unknown origin 'transplant'"):
        derive_endpoint(cohort, "OS", "transplant")
    # any date column is an origin, and NAME stands for NAME_date or NAME_start_date
    assert derive_endpoint(cohort, "OS", "relapse").origin_column == "relapse_date"


def test_endpoint_name_case_insensitive(cohort):
    assert derive_endpoint(cohort, "efs", "hsct").endpoint == "EFS"


def test_time_of_day_is_ignored(cohort):
    frame = cohort.copy()
    frame["hsct_date"] = frame["hsct_date"] + pd.Timedelta(hours=23)
    assert table(derive_endpoint(frame, "OS", "hsct")) == table(
        derive_endpoint(cohort, "OS", "hsct")
    )


def test_result_frame_carries_cohort_columns_and_converts_units(cohort):
    data = derive_endpoint(cohort, "OS", "hsct")
    assert list(data.frame.columns[:3]) == ["patient_id", "time", "event"]
    assert "sex" in data.frame.columns and "hsct_date" in data.frame.columns
    assert data.frame["time"].dtype == float
    assert data.times("years")[3] == pytest.approx(500 / 365.25, rel=1e-15)
    assert data.times("months")[3] == pytest.approx(500 / 30.4375, rel=1e-15)
    assert data.time_unit == "days" and data.convention == TIME_CONVENTION
    assert data.event_codes == EVENT_CODES["OS"]


def test_to_dict(cohort):
    d = derive_endpoint(cohort, "CIR", "hsct", data_cutoff="2019-12-31").to_dict()
    assert d["endpoint"] == "CIR" and d["origin_column"] == "hsct_date"
    assert d["data_cutoff"] == "2019-12-31"
    assert d["event_codes"]["2"].startswith("death without relapse")
    assert d["patients"][1] == {"patient_id": "B", "time": 100.0, "event": 2}
    assert d["excluded"] == []


def test_input_frame_not_modified(cohort):
    before = cohort.copy()
    derive_endpoint(cohort, "EFS", "hsct", data_cutoff="2018-09-01")
    pd.testing.assert_frame_equal(cohort, before)


def test_rows_must_align(cohort):
    with pytest.raises(ValueError, match="one spreadsheet row per patient"):
        derive_endpoint(cohort, "OS", "hsct", rows=[2, 3])


def test_empty_cohort_gives_empty_result():
    data = derive_endpoint(make_cohort([]), "CIR", "hsct")
    assert len(data.frame) == 0 and data.excluded == ()
    assert list(data.frame.columns[:3]) == ["patient_id", "time", "event"]
