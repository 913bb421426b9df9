"""Write the synthetic REDCap project and ADaM pair made from the bundled seed cohort.

Run from the repository root: ``python tests/cohort/data/make_formats.py``. It writes

- ``redcap/seed_DATA.csv`` and ``redcap/seed_DataDictionary.csv``: a REDCap project with
  a non-repeating ``patient`` form (choice fields as codes, yes/no fields as 1/0) and a
  repeating ``mrd_assessment`` instrument (time point radio, day from the start of
  blinatumomab (synthetic: 0 and 28), result text, method checkbox exported as
  ``mrd_method___1..3``), laid out as REDCap's raw CSV export;
- ``adam/adsl.xpt`` (ADaM-style 8-character names, USUBJID) and ``adam/adtte.xpt`` (OS
  and EFS from HSCT, computed here from the dates, independently of remission's
  endpoint code) with pyreadstat; ``adam_study.yaml`` is the seed's study file plus a
  ``rename:`` section mapping the ADSL names to the data dictionary's.

The tests load these and compare them with the seed CSV (tests/cohort/test_formats.py).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pyreadstat
import yaml

HERE = Path(__file__).parent
SEED = HERE.parents[2] / "src" / "remission" / "datasets" / "seed_cohort.csv"
SEED_STUDY = SEED.with_name("seed_study.yaml")

DICT_HEADER = ["Variable / Field Name", "Form Name", "Section Header", "Field Type",
               "Field Label", "Choices, Calculations, OR Slider Labels", "Field Note",
               "Text Validation Type OR Show Slider Number", "Text Validation Min",
               "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
               "Required Field?", "Custom Alignment", "Question Number (surveys only)",
               "Matrix Group Name", "Matrix Ranking?", "Field Annotation"]  # fmt: skip
CHOICES = {
    "sex": ("radio", ["M", "F"]),
    "disease_status": ("dropdown", ["CR1", "CR2", "CR3", "first relapse", "second relapse",
                                    "primary refractory"]),
    "cns_status": ("radio", ["CNS1", "CNS2", "CNS3"]),
    "donor": ("dropdown", ["MSD", "MMSD", "MUD", "MMUD", "haplo", "cord"]),
    "kmt2a_rearranged": ("radio", ["no", "yes"], 0),  # codes from 0: 0, no | 1, yes
}  # fmt: skip
YESNO = ("crs", "neurotoxicity")
MRD_FORM = [("mrd_timepoint", "radio", "1, before blinatumomab | 2, after blinatumomab cycle 1"),
            ("mrd_day", "text", ""),
            ("mrd_result", "text", ""),
            ("mrd_method", "checkbox", "1, RQ-PCR Ig/TCR | 2, flow cytometry | 3, NGS")]  # fmt: skip
ADSL_NAMES = {
    "patient_id": "USUBJID", "centre": "SITEID", "sex": "SEX", "date_of_birth": "BRTHDT",
    "diagnosis_date": "DIAGDT", "age_at_blinatumomab_years": "AGEBLIN",
    "kmt2a_rearranged": "KMT2AFL", "disease_status": "DISSTAT", "cns_status": "CNSSTAT",
    "mrd_pre_percent": "MRDPRE", "lymphocytes_pre_1e9_per_l": "LYMPRE",
    "blinatumomab_start_date": "TRTSDT", "blinatumomab_cycles": "BLINCYC",
    "crs_grade": "CRSGR", "neurotoxicity_grade": "NTXGR", "crs": "CRSFL",
    "neurotoxicity": "NTXFL", "mrd_post_percent": "MRDPOST", "hsct_date": "HSCTDT",
    "conditioning": "CONDIT", "donor": "DONOR", "relapse_date": "RELDT",
    "relapse_lineage": "RELLIN", "second_malignancy_date": "SMNDT", "death_date": "DTHDT",
    "cause_of_death": "DTHCAUS", "last_followup_date": "LSTALVDT",
    "post_relapse_therapy": "PRELTHER", "notes": "NOTES",
}  # fmt: skip
NUMBERS = ("age_at_blinatumomab_years", "lymphocytes_pre_1e9_per_l", "blinatumomab_cycles",
           "crs_grade", "neurotoxicity_grade")  # fmt: skip


def seed() -> list[dict[str, str]]:
    with open(SEED, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def dictionary_rows(columns: list[str]) -> list[list[str]]:
    rows = []
    for c in columns:
        ftype, choices, valid = "text", "", ""
        if c in CHOICES:
            ftype = CHOICES[c][0]
            first = CHOICES[c][2] if len(CHOICES[c]) > 2 else 1
            choices = " | ".join(f"{k}, {v}" for k, v in enumerate(CHOICES[c][1], start=first))
        elif c in YESNO:
            ftype = "yesno"
        elif c.endswith("_date"):
            valid = "date_ymd"
        elif c in NUMBERS:
            valid = "number"
        rows.append([c, "patient", "", ftype, c.replace("_", " "), choices, "", valid]
                    + [""] * 10)  # fmt: skip
    for name, ftype, choices in MRD_FORM:
        valid = "integer" if name == "mrd_day" else ""
        rows.append([name, "mrd_assessment", "", ftype, name.replace("_", " "), choices, "",
                     valid] + [""] * 10)  # fmt: skip
    return rows


def code(c: str, v: str) -> str:
    if not v:
        return ""
    if c in CHOICES:
        first = CHOICES[c][2] if len(CHOICES[c]) > 2 else 1
        return str(CHOICES[c][1].index(v) + first)
    if c in YESNO:
        return {"yes": "1", "no": "0"}[v]
    return v


def write_redcap(patients: list[dict[str, str]], columns: list[str]) -> None:
    out = HERE / "redcap"
    out.mkdir(exist_ok=True)
    with open(out / "seed_DataDictionary.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(DICT_HEADER)
        w.writerows(dictionary_rows(columns))
    repeat = ["mrd_timepoint", "mrd_day", "mrd_result", "mrd_method___1", "mrd_method___2",
              "mrd_method___3", "mrd_assessment_complete"]  # fmt: skip
    header = [columns[0], "redcap_repeat_instrument", "redcap_repeat_instance",
              *columns[1:], "patient_complete", *repeat]  # fmt: skip
    with open(out / "seed_DATA.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for k, p in enumerate(patients):
            w.writerow([p[columns[0]], "", ""] + [code(c, p[c]) for c in columns[1:]]
                       + ["2"] + [""] * len(repeat))  # fmt: skip
            instance = 0
            # synthetic assessment days from the start of blinatumomab: 0 and 28 (cycle 1)
            for point, day, col in ((1, 0, "mrd_pre_percent"), (2, 28, "mrd_post_percent")):
                if not p[col]:
                    continue
                instance += 1
                method = ["1", "0", "0"] if k % 2 else ["1", "1", "0"]
                w.writerow([p[columns[0]], "mrd_assessment", str(instance)] + [""] * len(columns[1:])
                           + ["", str(point), str(day), p[col], *method, "2"])  # fmt: skip


def _date(v: str) -> dt.date | None:
    return dt.date.fromisoformat(v) if v else None


def adtte_rows(p: dict[str, str]) -> list[dict]:
    """OS and EFS from HSCT: the first event, else censored at last follow-up."""
    start, last = _date(p["hsct_date"]), _date(p["last_followup_date"])
    rows = []
    for param, name, events in (("OS", "Overall survival", ("death_date",)),
                                ("EFS", "Event-free survival",
                                 ("relapse_date", "second_malignancy_date", "death_date"))):  # fmt: skip
        dated = sorted((_date(p[c]), c) for c in events if p[c])
        adt, cnsr, desc = (dated[0][0], 0, dated[0][1].removesuffix("_date").replace("_", " ")) \
            if dated else (last, 1, "censored at last follow-up")  # fmt: skip
        rows.append({"STUDYID": "SEED", "USUBJID": p["patient_id"], "PARAMCD": param,
                     "PARAM": name, "STARTDT": start, "ADT": adt,
                     "AVAL": float((adt - start).days), "AVALU": "DAYS", "CNSR": float(cnsr),
                     "EVNTDESC": desc})  # fmt: skip
    return rows


def write_adam(patients: list[dict[str, str]]) -> None:
    out = HERE / "adam"
    out.mkdir(exist_ok=True)
    data = {}
    for c, name in ADSL_NAMES.items():
        values = [p[c] for p in patients]
        if c.endswith("_date"):
            data[name] = [_date(v) for v in values]
        elif c in NUMBERS:
            data[name] = [float(v) if v else float("nan") for v in values]
        else:
            data[name] = values
    pyreadstat.write_xport(pd.DataFrame(data), str(out / "adsl.xpt"), table_name="ADSL")
    tte = pd.DataFrame([r for p in patients if p["hsct_date"] for r in adtte_rows(p)])
    pyreadstat.write_xport(tte, str(out / "adtte.xpt"), table_name="ADTTE")
    study = yaml.safe_load(SEED_STUDY.read_text(encoding="utf-8"))
    study["rename"] = {v: k for k, v in ADSL_NAMES.items() if k != "patient_id"}
    (HERE / "adam_study.yaml").write_text(
        "# The seed's study file (src/remission/datasets/seed_study.yaml) plus a rename:\n"
        "# section mapping the ADSL variables to the data dictionary. Made by make_formats.py.\n"
        + yaml.safe_dump(study, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )


def main() -> None:
    patients = seed()
    columns = list(patients[0])
    write_redcap(patients, columns)
    write_adam(patients)


if __name__ == "__main__":
    main()
