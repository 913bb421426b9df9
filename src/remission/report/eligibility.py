"""Eligibility: the study's inclusion criteria applied in order, and the flow diagram.

The study file lists criteria as declarative filters (the ``where`` language of
:mod:`remission.report.claims`)::

    eligibility:
      - criterion: KMT2A rearranged
        where: {kmt2a_rearranged: yes}
      - criterion: Blinatumomab before HSCT
        where: {days_blinatumomab_to_hsct: {ge: 0}}
        if_missing: keep        # keep (default) or exclude

Criteria are applied in the order given (STROBE item 13: numbers at each stage). A
patient whose data cannot show whether a criterion is met (every column it names is
blank) is kept when ``if_missing: keep`` (exclusion needs evidence) and counted as
"not assessable"; with ``exclude`` the patient is excluded for that reason. A criterion
naming a column the cohort lacks is not applied and says so.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from remission.cohort.problems import InputError, Problem
from remission.report.analysis import select
from remission.report.claims import NotComputable

__all__ = ["Criterion", "Step", "Flow", "parse_criteria", "apply_criteria", "flow_svg",
           "with_invalid_rows"]  # fmt: skip

#: the first step of the flow when ``--drop-invalid`` left rows out
VALID_STEP = "Row passes validation (rows with problems left out: --drop-invalid)"


@dataclass(frozen=True)
class Criterion:
    text: str
    where: Mapping
    if_missing: str = "keep"


@dataclass(frozen=True)
class Step:
    """One criterion applied: patients before/after, excluded (id, reason), not assessable."""

    criterion: str
    n_before: int
    n_after: int
    excluded: tuple[tuple[str, str], ...]
    not_assessable: tuple[str, ...]
    applied: bool = True
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "criterion": self.criterion, "n_before": self.n_before, "n_after": self.n_after,
            "excluded": [{"patient_id": p, "reason": r} for p, r in self.excluded],
            "not_assessable": list(self.not_assessable), "applied": self.applied,
            "note": self.note,
        }  # fmt: skip


@dataclass(frozen=True, eq=False)
class Flow:
    n_screened: int
    steps: tuple[Step, ...]
    eligible: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"n_screened": self.n_screened, "n_eligible": len(self.eligible),
                "eligible": list(self.eligible), "steps": [s.to_dict() for s in self.steps]}  # fmt: skip


def parse_criteria(data: object, source: str = "<study>") -> tuple[Criterion, ...]:
    """Read the ``eligibility`` list of a study document (all problems together)."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise InputError(
            [Problem(source, "eligibility is not a list", expected="- criterion: ...")]
        )
    out, probs = [], []
    for i, c in enumerate(data, start=1):
        ok = isinstance(c, Mapping) and isinstance(c.get("criterion"), str)
        ok = ok and isinstance(c.get("where"), Mapping)
        if not ok:
            probs.append(Problem(source, f"eligibility criterion {i} is malformed",
                                 expected="criterion: <text> and where: {column: condition}"))  # fmt: skip
            continue
        mode = c.get("if_missing", "keep")
        if mode not in ("keep", "exclude"):
            probs.append(Problem(source, f"eligibility criterion {i}: if_missing", value=mode,
                                 expected="keep or exclude"))  # fmt: skip
        out.append(Criterion(c["criterion"], dict(c["where"]), mode))
    if probs:
        raise InputError(probs)
    return tuple(out)


def _blank(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for c in columns:
        mask &= frame[c].map(lambda v: v is None or (not hasattr(v, "qualifier") and pd.isna(v)))
    return mask


def apply_criteria(frame: pd.DataFrame, criteria: Sequence[Criterion]) -> Flow:
    """Apply ``criteria`` in order to ``frame`` (with derived columns); ids as text."""
    current = frame
    steps = []
    for c in criteria:
        cols = list(c.where)
        absent = [x for x in cols if x not in current.columns]
        if absent:
            steps.append(Step(c.text, len(current), len(current), (), (), applied=False,
                              note=f"not applied: column {', '.join(absent)} not in the cohort"))  # fmt: skip
            continue
        try:
            met = select(current, c.where).index
        except NotComputable as exc:
            steps.append(Step(c.text, len(current), len(current), (), (), False, str(exc)))
            continue
        blank = _blank(current, cols)
        unknown = current.index[blank & ~current.index.isin(met)]
        keep = met.union(unknown) if c.if_missing == "keep" else met
        gone = current.loc[~current.index.isin(keep)]
        reasons = tuple(
            (str(pid), "not assessable: " + c.text if i in unknown else "not met: " + c.text)
            for i, pid in zip(gone.index, gone["patient_id"], strict=True)
        )
        na = (
            tuple(str(p) for p in current.loc[unknown, "patient_id"])
            if c.if_missing == "keep"
            else ()
        )
        steps.append(Step(c.text, len(current), len(keep), reasons, na))
        current = current.loc[current.index.isin(keep)]
    return Flow(len(frame), tuple(steps), tuple(str(p) for p in current["patient_id"]))


def with_invalid_rows(flow: Flow, invalid: Sequence[tuple[str, str]]) -> Flow:
    """``flow`` preceded by the rows ``--drop-invalid`` left out, (patient or row, reason)
    each: they were in the file, so they are screened and excluded, never silently gone."""
    if not invalid:
        return flow
    n = flow.n_screened
    step = Step(VALID_STEP, n + len(invalid), n, tuple((str(p), str(r)) for p, r in invalid), ())
    return Flow(n + len(invalid), (step, *flow.steps), flow.eligible)


def _box(x: float, y: float, w: float, h: float, lines: Sequence[str], cls: str) -> str:
    out = [f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" class="{cls}"/>']
    for i, line in enumerate(lines):
        ty = y + 18 + 15 * i
        out.append(
            f'<text x="{x + w / 2}" y="{ty}" text-anchor="middle">{html.escape(line)}</text>'
        )
    return "\n".join(out)


def flow_svg(flow: Flow, source_label: str = "Patients in the data file") -> str:
    """A STROBE-style flow diagram (plain SVG, system fonts, no external reference)."""
    w, bw, h, gap = 580, 310, 44, 26
    parts, y = [], 10
    parts.append(_box(20, y, bw, h, [source_label, f"n = {flow.n_screened}"], "main"))
    for s in flow.steps:
        y2 = y + h + gap
        parts.append(f'<line x1="{20 + bw / 2}" y1="{y + h}" x2="{20 + bw / 2}" y2="{y2}" '
                     'class="arrow" marker-end="url(#arrowhead)"/>')  # fmt: skip
        n_out = s.n_before - s.n_after
        side = [f"Excluded: n = {n_out}" if s.applied else "Not applied:"]
        if not s.applied:
            side.append(_short(s.note.removeprefix("not applied: "), 30))
        if s.not_assessable:
            side.append(f"Not assessable, kept: {len(s.not_assessable)}")
        mid = y + h + gap / 2
        parts.append(f'<line x1="{20 + bw / 2}" y1="{mid}" x2="{350}" y2="{mid}" class="arrow"/>')
        parts.append(_box(350, mid - 20, 220, 18 + 15 * len(side), side, "side"))
        crit = _short(s.criterion, 42)
        parts.append(_box(20, y2, bw, h, [crit, f"n = {s.n_after}"], "main"))
        y = y2 + (15 * max(len(side) - 2, 0))
    height = y + h + 20
    defs = ('<defs><marker id="arrowhead" markerWidth="8" markerHeight="8" refX="7" refY="4" '
            'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker></defs>')  # fmt: skip
    style = ("<style>text{font:13px system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
             "fill:#111}.main{fill:#eef4fb;stroke:#0072B2}.side{fill:#fff;stroke:#999;"
             "stroke-dasharray:3 2}.arrow{stroke:#333;stroke-width:1.2}</style>")  # fmt: skip
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {height}" '
            f'role="img" aria-label="Flow diagram of patient selection">{defs}{style}'
            + "\n".join(parts) + "</svg>")  # fmt: skip


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"
