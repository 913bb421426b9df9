"""Report tables as DataFrames: Table 1, the per-patient listing, MRD response, toxicity.

Presentation only: every function takes the cohort frame (data-dictionary columns) or
result dicts of the statistics/MRD/toxicity layers and returns text cells formatted by
:mod:`remission.report.format`. Writing CSV/HTML is :mod:`remission.report.html`'s job.

Table 1 is built in :mod:`remission.report.table1` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from remission.cohort.mrdvalue import MRDValue, parse_mrd
from remission.report import format as fmt
from remission.report.table1 import SEED_VARIABLES, Variable, characteristics_table

__all__ = [
    "superscript",
    "Variable",
    "SEED_VARIABLES",
    "characteristics_table",
    "Listing",
    "patient_listing",
    "mrd_response_table",
    "toxicity_table",
    "ABBREVIATIONS",
]


#: Abbreviations the listing may use (the seed letter's legend, extended).
ABBREVIATIONS: dict[str, str] = {
    "Alem": "alemtuzumab", "ALL": "acute lymphoblastic leukemia", "AML": "acute myeloid leukemia",
    "ATG": "anti-thymocyte globulin", "CAR": "chimeric antigen receptor",
    "CNS": "central nervous system", "CR": "complete remission",
    "CR1": "first complete remission", "CR2": "second complete remission",
    "CRS": "cytokine release syndrome", "CY": "cyclophosphamide", "F": "female",
    "FBT": "fludarabine, busulfan, thiotepa", "FTT": "fludarabine, treosulfan, thiotepa",
    "HSCT": "hematopoietic stem cell transplantation", "M": "male",
    "MMSD": "mismatched sibling donor", "MMUD": "mismatched unrelated donor",
    "MRD": "minimal residual disease", "MSD": "matched sibling donor",
    "MUD": "matched unrelated donor", "N/A": "not available", "TBI": "total body irradiation",
    "haplo": "haploidentical donor", "cord": "cord blood",
}  # fmt: skip


def _mrd(v: object) -> MRDValue:
    return v if isinstance(v, MRDValue) else parse_mrd(v)


@dataclass(frozen=True, eq=False)
class Listing:
    """The per-patient table with its generated notes and abbreviation legend.

    ``table`` has plain cells and a ``Notes`` column (the form written as CSV);
    ``footnotes`` are ``(number, text)`` numbered once in order of first use (identical
    texts share a number) and ``marks`` say which cell refers to which note:
    ``(row, column, number)``; :meth:`marked_table` puts the numbers in the cells.
    """

    table: pd.DataFrame
    footnotes: tuple[tuple[str, str], ...]
    abbreviations: str
    marks: tuple[tuple[int, str, str], ...] = ()

    def marked_table(self) -> pd.DataFrame:
        """The table without ``Notes``, each noted cell followed by its superscript number."""
        out = self.table.drop(columns=["Notes"], errors="ignore").copy()
        for row, col, num in self.marks:
            out.loc[row, col] = f"{out.loc[row, col]}{superscript(num)}"
        return out


def superscript(num: str) -> str:
    """``superscript("12")`` -> ``"\u00b9\u00b2"`` (a note number in the cell's text)."""
    return num.translate(_SUPERSCRIPT)


_SUPERSCRIPT = str.maketrans(
    "0123456789,", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u02d2"
)


def _days(a: object, b: object) -> int | None:
    if pd.isna(a) or pd.isna(b):
        return None
    return int((pd.Timestamp(a) - pd.Timestamp(b)).days)


def _text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) or pd.isna(v) else str(v)


def _grade(v: object) -> str:
    if pd.isna(v):
        return fmt.MISSING
    return "No" if int(v) == 0 else f"Grade {int(v)}"


def _status(r: Mapping) -> tuple[str, str]:
    """Outcome cell and its footnote text (relapse lineage, therapy, cause of death)."""
    origin = r.get("hsct_date") if not pd.isna(r.get("hsct_date")) else None
    where = "after HSCT" if origin is not None else "after blinatumomab"
    origin = origin if origin is not None else r.get("blinatumomab_start_date")
    relapsed, died = not pd.isna(r.get("relapse_date")), not pd.isna(r.get("death_date"))
    parts = []
    if relapsed:
        lineage = _text(r.get("relapse_lineage")) or "lineage not recorded"
        parts.append(f"{lineage} relapse on day {_days(r['relapse_date'], origin)} {where}")
        if _text(r.get("post_relapse_therapy")):
            parts.append(_text(r.get("post_relapse_therapy")))
    if died:
        cause = _text(r.get("cause_of_death")) or "cause not recorded"
        parts.append(f"died of {cause} on day {_days(r['death_date'], origin)} {where}")
    status = {(False, False): "CR", (True, False): "Relapse", (False, True): "Died",
              (True, True): "Relapse\u2192died"}[(relapsed, died)]  # fmt: skip
    text = "; ".join(parts)
    return status, (text[:1].upper() + text[1:] + ".") if text else ""


def _as_number(v: object) -> float:
    """A cell as a float (NaN when missing or not a number: an undeclared column may
    hold text)."""
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def _listing_row(r: Mapping) -> tuple[dict, list[tuple[str, str]]]:
    age = _as_number(r.get("age_at_blinatumomab_years"))
    cycles = _as_number(r.get("blinatumomab_cycles"))
    post = str(_mrd(r.get("mrd_post_percent")))
    notes = []
    if not pd.isna(cycles) and int(cycles) > 1:
        notes.append(("Post-MRD, %", f"Result after {int(cycles)} cycles."))
    status, note = _status(r)
    if note:
        notes.append(("Status", note))
    row = {
        "Patient": _text(r.get("patient_id")),
        "Age, y/sex": f"{fmt.number(age, 2) if not pd.isna(age) else fmt.MISSING}/{_text(r.get('sex'))}",
        "Disease status": _text(r.get("disease_status")) or fmt.MISSING,
        "CNS status": _text(r.get("cns_status")) or fmt.MISSING,
        "Pre-MRD, %": str(_mrd(r.get("mrd_pre_percent"))),
        "Lymphocytes, \u00d710\u2079/L": fmt.number(_as_number(r.get("lymphocytes_pre_1e9_per_l"))),
        "Cycles, n": fmt.MISSING if pd.isna(cycles) else str(int(cycles)),
        "CRS": _grade(r.get("crs_grade")),
        "Neurotoxicity": _grade(r.get("neurotoxicity_grade")),
        "Post-MRD, %": post,
        "HSCT conditioning": _text(r.get("conditioning")) or fmt.MISSING,
        "Donor": _text(r.get("donor")) or fmt.MISSING,
        "Status": status,
    }  # fmt: skip
    return row, notes


def patient_listing(frame: pd.DataFrame) -> Listing:
    """The letter's Table 1 from the data: one row per patient, notes generated.

    Notes are numbered 1, 2, ... in order of first use; identical texts share a number
    (never a growing run of symbols). Abbreviations are listed only if used.
    """
    rows, numbers, notes, marks = [], {}, [], []
    for i, r in enumerate(frame.to_dict("records")):
        row, row_notes = _listing_row(r)
        for col, text in row_notes:
            if text not in numbers:
                numbers[text] = str(len(numbers) + 1)
                notes.append((numbers[text], text))
            marks.append((i, col, numbers[text]))
        row["Notes"] = " ".join(text for _, text in row_notes)
        rows.append(row)
    table = pd.DataFrame(rows)
    return Listing(table, tuple(notes), _abbreviations(table, notes), tuple(marks))


def _abbreviations(table: pd.DataFrame, notes: Sequence[tuple[str, str]]) -> str:
    text = " ".join(table.astype(str).to_numpy().ravel()) + " " + " ".join(t for _, t in notes)
    text += " " + " ".join(table.columns)
    tokens = set(text.replace("/", " ").replace(",", " ").replace("+", " ").split())
    used = [k for k in ABBREVIATIONS if k in tokens]
    return "; ".join(f"{k}, {ABBREVIATIONS[k]}" for k in sorted(used, key=str.lower)) + "."


def mrd_response_table(assessments: Sequence[tuple[str, Mapping]]) -> pd.DataFrame:
    """Per patient: MRD before/after, log10 reduction (``\u2265`` for a bound), category.

    ``assessments`` pairs a patient id with a ``ResponseAssessment.to_dict()`` of
    :mod:`remission.mrd.response` (keys ``pre``, ``post``, ``log_reduction``,
    ``log_reduction_bound``, ``category``, ``reason``).
    """
    rows = []
    for pid, a in assessments:
        rows.append({
            "Patient": str(pid),
            "Pre-MRD, %": a["pre"],
            "Post-MRD, %": a["post"],
            "Log10 reduction": fmt.at_least(a["log_reduction"], a["log_reduction_bound"]),
            "Response": str(a["category"]).replace("_", " "),
            "Reason": a["reason"],
        })  # fmt: skip
    return pd.DataFrame(rows)


def _source(d: Mapping) -> str:
    n = d.get("n_not_assessed") or 0
    return d["source"] + (f"; not recorded for {n} patient(s), left out of N" if n else "")


def toxicity_table(distributions: Sequence[Mapping]) -> pd.DataFrame:
    """Toxicity by maximum grade, n/N (%) with the exact 95 % CI.

    ``distributions`` are ``GradeDistribution.to_dict()`` of :mod:`remission.toxicity`
    (``toxicity``, ``source``, ``rows`` of ``label, n, denominator, percent, ci_lower,
    ci_upper``).
    """
    rows = []
    for d in distributions:
        for i, r in enumerate(d["rows"]):
            p = None if r["percent"] is None else r["percent"] / 100.0
            ci = fmt.percent_ci(p, r["ci_lower"], r["ci_upper"], d.get("confidence", 0.95))
            rows.append({
                "Toxicity": d["toxicity"] if i == 0 else "",
                "Maximum grade": r["label"],
                "n/N": f"{r['n']}/{r['denominator']}",
                "% (95 % CI)": ci,
                "Source": _source(d) if i == 0 else "",
            })  # fmt: skip
    return pd.DataFrame(rows)
