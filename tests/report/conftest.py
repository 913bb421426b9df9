"""Tiny hand-made cohorts in the data-dictionary format."""

import pandas as pd
import pytest

from remission.cohort.mrdvalue import parse_mrd


def _tiny_cohort() -> pd.DataFrame:
    """Four patients; dates chosen so day counts are easy to check by hand."""
    d = pd.to_datetime
    return pd.DataFrame(
        {
            "patient_id": ["P1", "P2", "P3", "P4"],
            "sex": ["M", "F", "F", "M"],
            "age_at_blinatumomab_years": [0.75, 0.41, 0.2, 2.9],
            "kmt2a_rearranged": ["yes"] * 4,
            "disease_status": ["CR2", "CR2", "CR1", "primary refractory"],
            "cns_status": ["CNS1", "CNS1", "CNS3", None],
            "mrd_pre_percent": [parse_mrd(x) for x in ["0.1", "N/A", "0.3", "40"]],
            "lymphocytes_pre_1e9_per_l": [0.94, None, 0.35, 2.43],
            "blinatumomab_start_date": d(["2017-01-01", "2017-02-01", "2018-03-01", "2019-01-01"]),
            "blinatumomab_cycles": pd.array([1, 1, 2, None], dtype="Int64"),
            "crs_grade": pd.array([0, 1, 2, 0], dtype="Int64"),
            "neurotoxicity_grade": pd.array([0, 0, 1, 0], dtype="Int64"),
            "mrd_post_percent": [parse_mrd(x) for x in ["<0.005", "<0.005", "0.05", "<0.005"]],
            "hsct_date": d(["2017-02-20", "2017-03-25", "2018-05-01", "2019-03-01"]),
            "conditioning": ["FBT", "FTT", "FTT + ATG", "CY/TBI/Alem"],
            "donor": ["MUD", "MSD", "MMUD", "MSD"],
            "relapse_date": d([None, "2017-04-29", "2018-08-10", None]),
            "relapse_lineage": [None, "AML lineage switch", "B-ALL CD19+", None],
            "death_date": d([None, "2017-05-20", None, "2019-04-27"]),
            "cause_of_death": [None, "progressive leukemia", None, "parainfluenza pneumonitis"],
            "post_relapse_therapy": [None, None, "CAR T-cell therapy, remission", None],
            "last_followup_date": d(["2020-01-01", "2017-05-20", "2020-01-01", "2019-04-27"]),
        }
    )


@pytest.fixture
def tiny_cohort() -> pd.DataFrame:
    return _tiny_cohort()


@pytest.fixture(scope="module")
def tiny_cohort_module() -> pd.DataFrame:
    return _tiny_cohort()


@pytest.fixture
def tiny_csv(tmp_path, tiny_cohort):
    """The tiny cohort as a CSV file in the data-dictionary format."""
    df = tiny_cohort.copy()
    for c in ("mrd_pre_percent", "mrd_post_percent"):
        df[c] = [v.to_text() for v in df[c]]
    for c in [c for c in df.columns if c.endswith("_date")]:
        df[c] = df[c].dt.strftime("%Y-%m-%d")
    path = tmp_path / "cohort.csv"
    df.to_csv(path, index=False)
    return path
