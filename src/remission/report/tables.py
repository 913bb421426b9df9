"""Report tables as DataFrames: Table 1, the per-patient listing, MRD response, toxicity.

The listing is built in :mod:`remission.report.listing` (re-exported here).

Presentation only: every function takes the cohort frame (data-dictionary columns) or
result dicts of the statistics/MRD/toxicity layers and returns text cells formatted by
:mod:`remission.report.format`. Writing CSV/HTML is :mod:`remission.report.html`'s job.

Table 1 is built in :mod:`remission.report.table1` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from remission.report import format as fmt
from remission.report.listing import (
    ABBREVIATIONS,
    Listing,
    ListingSpec,
    listing_spec,
    patient_listing,
    superscript,
)
from remission.report.table1 import SEED_VARIABLES, Variable, characteristics_table

__all__ = [
    "superscript",
    "Variable",
    "SEED_VARIABLES",
    "characteristics_table",
    "Listing",
    "patient_listing",
    "ListingSpec",
    "listing_spec",
    "mrd_response_table",
    "toxicity_table",
    "ABBREVIATIONS",
]


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
