"""Report tables as DataFrames: Table 1, the per-patient listing, MRD response, toxicity.

Presentation only: every function takes the cohort frame (data-dictionary columns) or
result dicts of the statistics/MRD/toxicity layers and returns text cells formatted by
:mod:`remission.report.format`. Writing CSV/HTML is :mod:`remission.report.html`'s job.

Table 1 follows the usual form of clinical journals (e.g. the CONSORT/STROBE baseline
table): continuous variables as median (range) [IQR], categorical ones as n (%), the
number missing per variable, and, when stratified, Fisher's exact test for categorical
variables (Freeman-Halton for r x c tables, :mod:`remission.report.exact`; chi-square
when the table is too large to enumerate, and said so) and the Kruskal-Wallis test for
continuous ones (equivalent to the Wilcoxon rank-sum test for two groups).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from remission.cohort.mrdvalue import MRDValue, parse_mrd
from remission.report import format as fmt
from remission.report.exact import TooManyTables, fisher_exact_rxc

__all__ = [
    "Variable",
    "SEED_VARIABLES",
    "characteristics_table",
    "Listing",
    "patient_listing",
    "mrd_response_table",
    "toxicity_table",
    "ABBREVIATIONS",
]


@dataclass(frozen=True)
class Variable:
    """A Table 1 row: ``kind`` is ``continuous``, ``categorical`` or ``mrd``."""

    column: str
    label: str
    kind: str = "categorical"
    digits: int | None = None
    levels: tuple[str, ...] = ()


SEED_VARIABLES: tuple[Variable, ...] = (
    Variable("age_at_blinatumomab_years", "Age at blinatumomab, years", "continuous", 2),
    Variable("sex", "Sex", levels=("F", "M")),
    Variable("kmt2a_rearranged", "KMT2A rearranged", levels=("yes", "no")),
    Variable("disease_status", "Disease status at blinatumomab"),
    Variable("cns_status", "CNS status", levels=("CNS1", "CNS2", "CNS3")),
    Variable("mrd_pre_percent", "MRD before blinatumomab, %", "mrd"),
    Variable(
        "lymphocytes_pre_1e9_per_l", "Lymphocytes before blinatumomab, x10^9/L", "continuous", 2
    ),  # fmt: skip
    Variable("blinatumomab_cycles", "Blinatumomab cycles"),
    Variable("crs_grade", "CRS, maximum grade"),
    Variable("neurotoxicity_grade", "Neurotoxicity, maximum grade"),
    Variable("mrd_post_percent", "MRD after blinatumomab, %", "mrd"),
    Variable("conditioning", "HSCT conditioning"),
    Variable("donor", "Donor"),
)

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

_SYMBOLS = ("*", "\u2020", "\u2021", "\u00a7", "\u2016", "\u00b6", "#")


def _mrd(v: object) -> MRDValue:
    return v if isinstance(v, MRDValue) else parse_mrd(v)


def _missing(s: pd.Series) -> pd.Series:
    return s.map(lambda v: _mrd(v).is_missing) if s.dtype == object and _is_mrd(s) else s.isna()


def _is_mrd(s: pd.Series) -> bool:
    return any(isinstance(v, MRDValue) for v in s)


def _continuous_cells(s: pd.Series, v: Variable, iqr: bool) -> list[tuple[str, str]]:
    vals = pd.to_numeric(s, errors="coerce").dropna().to_numpy(float)
    return [("", fmt.median_range(vals, v.digits, iqr))]


def _mrd_cells(
    s: pd.Series, v: Variable, iqr: bool, pnq_row: bool = False
) -> list[tuple[str, str]]:
    """MRD rows; the PNQ row is shown when any patient (not only this group) has one."""
    vals = [_mrd(x) for x in s]
    known = [x for x in vals if not x.is_missing]
    levels = [x.level for x in known if x.level is not None]
    neg = sum(x.is_negative for x in known)
    pnq = sum(x.qualifier.value == "positive_not_quantifiable" for x in known)
    out = [("quantifiable, median (range)", fmt.median_range(levels, v.digits, iqr)),
           ("quantifiable, n (%)", fmt.count_percent(len(levels), len(known)))]  # fmt: skip
    if pnq or pnq_row:
        out.append(("positive, not quantifiable, n (%)", fmt.count_percent(pnq, len(known))))
    out.append(("negative, n (%)", fmt.count_percent(neg, len(known))))
    return out


def _any_pnq(s: pd.Series) -> bool:
    return any(_mrd(x).qualifier.value == "positive_not_quantifiable" for x in s)


def _levels(frame: pd.DataFrame, v: Variable) -> list[str]:
    seen = [str(x) for x in frame[v.column].dropna().unique()]
    order = list(v.levels) + sorted(x for x in seen if x not in v.levels)
    return [x for x in order if x in seen] if not v.levels else order


def _categorical_cells(s: pd.Series, v: Variable, levels: list[str]) -> list[tuple[str, str]]:
    known = s.dropna().astype(str)
    return [(lev, fmt.count_percent(int((known == lev).sum()), len(known))) for lev in levels]


def _p_value(frame: pd.DataFrame, v: Variable, by: str) -> tuple[float | None, str]:
    """(p, test name): Kruskal-Wallis for continuous, Fisher's exact for categorical."""
    data = pd.DataFrame({"x": frame[v.column], "g": frame[by]}).dropna()
    if v.kind == "mrd" or data["g"].nunique() < 2:
        return None, ""
    if v.kind == "continuous":
        groups = [pd.to_numeric(g["x"], errors="coerce").dropna().to_numpy(float)
                  for _, g in data.groupby("g", sort=True)]  # fmt: skip
        groups = [g for g in groups if len(g)]
        if len(groups) < 2 or np.ptp(np.concatenate(groups)) == 0:
            return None, ""
        return float(stats.kruskal(*groups).pvalue), "Kruskal-Wallis"
    table = pd.crosstab(data["x"].astype(str), data["g"].astype(str)).to_numpy()
    if table.shape[0] < 2 or table.shape[1] < 2:
        return None, ""
    try:
        return fisher_exact_rxc(table), "Fisher's exact"
    except TooManyTables:
        return float(stats.chi2_contingency(table).pvalue), "chi-square (too large for exact)"


def characteristics_table(
    frame: pd.DataFrame,
    variables: Sequence[Variable] = SEED_VARIABLES,
    by: str | None = None,
    iqr: bool = False,
    test: bool = False,
) -> pd.DataFrame:
    """Table 1: one block per variable present in ``frame``.

    Columns: ``Characteristic``, ``Level``, ``All (n=N)``, one per group of ``by``
    (``<group> (n=k)``), ``Missing`` (count over all patients) and, with ``test``,
    ``p`` and ``Test`` (Fisher's exact / Kruskal-Wallis; blank where not applicable).
    """
    groups = [] if by is None else sorted(frame[by].dropna().astype(str).unique())
    subsets = [("All", frame)] + [(g, frame[frame[by].astype(str) == g]) for g in groups]
    rows = []
    for v in variables:
        if v.column not in frame.columns:
            continue
        levels = _levels(frame, v) if v.kind == "categorical" else []
        cells = []
        for _, sub in subsets:
            if v.kind == "continuous":
                cells.append(_continuous_cells(sub[v.column], v, iqr))
            elif v.kind == "mrd":
                cells.append(_mrd_cells(sub[v.column], v, iqr, _any_pnq(frame[v.column])))
            else:
                cells.append(_categorical_cells(sub[v.column], v, levels))
        n_missing = int(_missing(frame[v.column]).sum())
        p, test_name = _p_value(frame, v, by) if (test and by) else (None, "")
        for i, (level, _) in enumerate(cells[0]):
            row = {"Characteristic": v.label if i == 0 else "", "Level": level}
            for (name, sub), c in zip(subsets, cells, strict=True):
                row[f"{name} (n={len(sub)})"] = c[i][1]
            row["Missing"] = str(n_missing) if i == 0 else ""
            if test and by:
                row["p"] = fmt.p_value(p) if (i == 0 and p is not None) else ""
                row["Test"] = test_name if i == 0 else ""
            rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True, eq=False)
class Listing:
    """The per-patient table with its generated footnotes and abbreviation legend."""

    table: pd.DataFrame
    footnotes: tuple[tuple[str, str], ...]
    abbreviations: str


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


def _listing_row(r: Mapping) -> tuple[dict, list[tuple[str, str]]]:
    age = r.get("age_at_blinatumomab_years")
    cycles = r.get("blinatumomab_cycles")
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
        "Lymphocytes, x10^9/L": fmt.number(r.get("lymphocytes_pre_1e9_per_l")),
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
    """The letter's Table 1 from the data: one row per patient, footnotes generated.

    Footnote symbols follow the journal order (*, dagger, double dagger, section, ...);
    identical footnote texts share a symbol. Abbreviations are listed only if used.
    """
    rows, symbols, notes = [], {}, []
    for r in frame.to_dict("records"):
        row, row_notes = _listing_row(r)
        for col, text in row_notes:
            if text not in symbols:
                sym = _SYMBOLS[len(symbols) % len(_SYMBOLS)] * (1 + len(symbols) // len(_SYMBOLS))
                symbols[text] = sym
                notes.append((sym, text))
            row[col] = f"{row[col]}{symbols[text]}"
        rows.append(row)
    table = pd.DataFrame(rows)
    return Listing(table, tuple(notes), _abbreviations(table, notes))


def _abbreviations(table: pd.DataFrame, notes: Sequence[tuple[str, str]]) -> str:
    text = " ".join(table.astype(str).to_numpy().ravel()) + " " + " ".join(t for _, t in notes)
    text += " " + " ".join(table.columns)
    tokens = set(text.replace("/", " ").replace(",", " ").replace("+", " ").split())
    used = [k for k in ABBREVIATIONS if k in tokens]
    return "; ".join(f"{k}, {ABBREVIATIONS[k]}" for k in sorted(used, key=str.lower)) + "."


def mrd_response_table(assessments: Sequence[tuple[str, Mapping]]) -> pd.DataFrame:
    """Per patient: MRD before/after, log10 reduction (``>=`` for a bound), category.

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
