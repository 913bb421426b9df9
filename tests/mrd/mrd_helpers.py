"""Hand-built run files for the MRD tests: exact Ct values, no noise.

The default curve is Ct = 20 - 3.3 * log10(dilution), dilutions 1e-1 ... 1e-5 in
triplicate (Ct 23.3, 26.6, 29.9, 33.2, 36.5), normal-DNA background at Ct 39.0: the
quantitative range then ends at 1e-4 (33.2 <= 39 - 3) and the sensitivity at 1e-5
(36.5 <= 39 - 1, but 36.5 > 39 - 3).
"""

from __future__ import annotations

import math

from remission.mrd.runfile import Run, parse_run_rows

HEADER = ["sample", "marker", "role", "dilution", "replicate", "ct"]
SLOPE, INTERCEPT = -3.3, 20.0
DILUTIONS = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5)


def ct_of(dilution: float, slope: float = SLOPE, intercept: float = INTERCEPT) -> float:
    return intercept + slope * math.log10(dilution)


def _text(ct: float | None) -> str:
    return "Undetermined" if ct is None else repr(float(ct))


def standards(
    marker="IGH",
    slope=SLOPE,
    intercept=INTERCEPT,
    dilutions=DILUTIONS,
    jitter=(0.0, 0.0, 0.0),
    sample="DX",
    drop=(),
):
    """Standard rows; ``drop`` lists (dilution, replicate) pairs that do not amplify."""
    rows = []
    for d in dilutions:
        for rep, j in enumerate(jitter, start=1):
            ct = None if (d, rep) in drop else ct_of(d, slope, intercept) + j
            rows.append((sample, marker, "standard", repr(d), rep, _text(ct)))
    return rows


def wells(sample, marker, role, cts):
    return [(sample, marker, role, "", rep, _text(ct)) for rep, ct in enumerate(cts, start=1)]


def controls(marker="IGH", background=(39.0, None, None), ntc=(None, None)):
    return wells("MNC", marker, "normal_control", background) + wells("NTC", marker, "ntc", ntc)


def followup(sample, cts, marker="IGH"):
    return wells(sample, marker, "followup", cts)


def control_gene(sample, cts, gene="ALB"):
    return wells(sample, gene, "control_gene", cts)


def to_run(rows, source="run.csv") -> Run:
    records = [(i + 2, dict(zip(HEADER, map(str, r), strict=True))) for i, r in enumerate(rows)]
    return parse_run_rows(records, HEADER, source)


def default_run(extra=(), marker="IGH") -> Run:
    """The default curve and controls plus ``extra`` rows."""
    return to_run(standards(marker) + controls(marker) + list(extra))
