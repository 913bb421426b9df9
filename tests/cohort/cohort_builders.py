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
