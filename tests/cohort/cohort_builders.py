"""Small valid cohorts for tests: rows as text cells, written to CSV/xlsx/Parquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

BASE = {
    "patient_id": "P1",
    "centre": "Rome",
    "sex": "M",
    "date_of_birth": "2017-01-10",
    "diagnosis_date": "2017-03-01",
    "age_at_blinatumomab_years": "",
    "kmt2a_rearranged": "yes",
    "disease_status": "CR1",
    "cns_status": "CNS1",
    "mrd_pre_percent": "0.06",
    "lymphocytes_pre_1e9_per_l": "1.2",
    "blinatumomab_start_date": "2017-06-01",
    "blinatumomab_cycles": "1",
    "crs_grade": "0",
    "neurotoxicity_grade": "0",
    "mrd_post_percent": "<0.005",
    "hsct_date": "2017-07-20",
    "conditioning": "TBF",
    "donor": "MUD",
    "relapse_date": "",
    "relapse_lineage": "",
    "second_malignancy_date": "",
    "death_date": "",
    "cause_of_death": "",
    "last_followup_date": "2019-06-01",
    "post_relapse_therapy": "",
    "notes": "",
}


def row(i: int = 1, **cells: str) -> dict[str, str]:
    """A valid patient row ``P<i>``; ``cells`` replace single cells."""
    out = dict(BASE, patient_id=f"P{i}")
    unknown = set(cells) - set(out)
    out.update(cells)
    for name in unknown:  # keep unknown test columns at the end
        out[name] = out.pop(name)
    return out


def cohort_rows(n: int = 3) -> list[dict[str, str]]:
    """``n`` valid patients; P2 relapsed and died, P3 has a negative pre-MRD with PNQ post."""
    rows = [row(i) for i in range(1, n + 1)]
    if n >= 2:
        rows[1].update(
            sex="F", relapse_date="2018-01-15", relapse_lineage="AML lineage switch",
            death_date="2018-03-01", cause_of_death="leukemia", last_followup_date="2018-03-01",
        )  # fmt: skip
    if n >= 3:
        rows[2].update(mrd_pre_percent="<0.01", mrd_post_percent="PNQ", donor="haplo")
    return rows


def write_rows(path: Path, rows: list[dict[str, str]], drop: tuple[str, ...] = ()) -> Path:
    """Write ``rows`` as text cells to a .csv, .xlsx or .parquet file."""
    frame = pd.DataFrame(rows, dtype=object).drop(columns=list(drop))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path)
    return path


# (cells of patient P2 (spreadsheet row 3), column, value shown, message, expectation)
CELL_CASES = [
    ({"hsct_date": "2017-13-45"}, "hsct_date", "2017-13-45", "no such date", "a date such as"),
    ({"hsct_date": "next week"}, "hsct_date", "next week", "not a date", "a date such as"),
    ({"hsct_date": "07/25/2017"}, "hsct_date", "07/25/2017", "month-first", "day first"),
    ({"hsct_date": "20/07/17"}, "hsct_date", "20/07/17", "two-digit year", "four-digit year"),
    ({"lymphocytes_pre_1e9_per_l": "1.2.3"}, "lymphocytes_pre_1e9_per_l", "1.2.3", "not a number", "a number >= 0"),
    ({"lymphocytes_pre_1e9_per_l": "-0.5"}, "lymphocytes_pre_1e9_per_l", "-0.5", "below the minimum", ">= 0"),
    ({"lymphocytes_pre_1e9_per_l": "1,500"}, "lymphocytes_pre_1e9_per_l", "1,500", "ambiguous", "decimal point"),
    ({"crs_grade": "5"}, "crs_grade", "5", "above the maximum", "from 0 to 4"),
    ({"crs_grade": "1.5"}, "crs_grade", "1.5", "not a whole number", "from 0 to 4"),
    ({"donor": "sibling"}, "donor", "sibling", "unknown category", "one of MSD, MMSD"),
    ({"disease_status": "CR4"}, "disease_status", "CR4", "unknown category", "primary refractory"),
    ({"sex": "X"}, "sex", "X", "unknown category", "one of M, F"),
    ({"mrd_pre_percent": "-0.1"}, "mrd_pre_percent", "-0.1", "negative MRD", "0 to 100 %"),
    ({"mrd_post_percent": "150"}, "mrd_post_percent", "150", "above 100 %", "0 to 100 %"),
    ({"mrd_post_percent": "lots"}, "mrd_post_percent", "lots", "not an MRD result", "<0.005"),
    ({"last_followup_date": ""}, "last_followup_date", None, "required value missing", "a date"),
    ({"sex": "unknown"}, "sex", "unknown", "missing-value word", "one of M, F"),
    ({"relapse_date": "", "death_date": "", "cause_of_death": "infection",
      "relapse_lineage": ""}, "cause_of_death", "infection", "without death_date", "death_date"),
    ({"hsct_date": "2017-05-01"}, "hsct_date", "2017-05-01", "HSCT before blinatumomab start",
     "on or after blinatumomab_start_date (2017-06-01)"),
    ({"relapse_date": "2017-05-01"}, "relapse_date", "2017-05-01",
     "such as the relapse it treated, goes in a study column of its own, e.g. prior_relapse_date",
     "on or after blinatumomab_start_date (2017-06-01)"),
    ({"death_date": "2018-01-10"}, "death_date", "2018-01-10", "death before relapse",
     "on or after relapse_date (2018-01-15)"),
    ({"second_malignancy_date": "2018-06-01", "death_date": ""}, "second_malignancy_date",
     "2018-06-01", "second malignancy after last follow-up",
     "on or before last_followup_date (2018-03-01)"),
    ({"hsct_date": "2018-03-05", "last_followup_date": "2018-03-10"}, "hsct_date", "2018-03-05",
     "HSCT after death", "on or before death_date (2018-03-01)"),
    ({"last_followup_date": "2018-05-01"}, "last_followup_date", "2018-05-01",
     "last follow-up after death", "on or before death_date (2018-03-01)"),
    ({"date_of_birth": "2017-07-01"}, "blinatumomab_start_date", "2017-06-01",
     "blinatumomab start before birth", "on or after date_of_birth (2017-07-01)"),
    ({"age_at_blinatumomab_years": "2"}, "age_at_blinatumomab_years", "2",
     "age contradicts the dates", "0.39 years"),
]  # fmt: skip


def seed_like_study():
    """The seed's study file without its data cut-off: the study of these test cohorts
    (they have the seed's blinatumomab columns)."""
    import dataclasses

    from remission.cohort.study import load_study
    from remission.datasets import seed_study_path

    return dataclasses.replace(load_study(seed_study_path()), data_cutoff_date=None)


def seed_like_study_file(folder: Path) -> Path:
    """:func:`seed_like_study` as a YAML file in ``folder`` (for command-line tests)."""
    from remission.datasets import seed_study_path

    text = seed_study_path().read_text(encoding="utf-8")
    path = folder / "seed_like_study.yaml"
    path.write_text(text.replace("data_cutoff_date: 2019-12-31\n", ""), encoding="utf-8")
    return path


def load_seed_like(path, **kw):
    """``load_cohort`` with :func:`seed_like_study` (unless ``study`` is given)."""
    from remission.cohort.cohort import load_cohort

    kw.setdefault("study", seed_like_study())
    return load_cohort(path, **kw)
