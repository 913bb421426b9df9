"""Reading an RQ-PCR run file: one row per well, every problem reported at once.

The run file (CSV, TSV, .xlsx or Parquet) is in long format, one row per well (see
docs/mrd.md):

``sample``
    the DNA sample: the diagnostic DNA for standards (and its control-gene wells), a
    follow-up sample, a normal control, or a label for no-template controls.
``marker``
    the Ig/TCR target (e.g. ``IGH-1``), or the control gene (e.g. ``ALB``) on
    ``control_gene`` rows.
``role``
    ``standard`` | ``followup`` | ``normal_control`` | ``ntc`` | ``control_gene``.
``dilution``
    standards only: the fraction of diagnostic DNA in the dilution (``1e-3``,
    ``0.001`` or ``10^-4.3``); blank on every other row.
``replicate``
    replicate number, a positive integer, unique within sample/marker/role/dilution.
``ct``
    threshold cycle; blank or ``Undetermined`` means no amplification.

Further columns (e.g. ``well``) are allowed and ignored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from remission.cohort.io import read_table, reconcile
from remission.cohort.problems import InputError, Problem

__all__ = ["Role", "Well", "Run", "read_run", "parse_run_rows", "REQUIRED_COLUMNS"]

REQUIRED_COLUMNS = ("sample", "marker", "role", "dilution", "replicate", "ct")
_NO_AMPLIFICATION = {"", "undetermined", "undet", "no ct", "no cq"}
_POWER = re.compile(r"^10\s*\^\s*([-+]?\d+(?:\.\d+)?)$")
_MAX_CT = 60.0


class Role(StrEnum):
    STANDARD = "standard"
    FOLLOWUP = "followup"
    NORMAL_CONTROL = "normal_control"
    NTC = "ntc"
    CONTROL_GENE = "control_gene"


@dataclass(frozen=True)
class Well:
    """One well of the run; ``ct`` is ``None`` when nothing amplified."""

    row: int
    sample: str
    marker: str
    role: Role
    dilution: float | None
    replicate: int
    ct: float | None

    @property
    def amplified(self) -> bool:
        return self.ct is not None


@dataclass(frozen=True)
class Run:
    """The wells of one run file, in file order."""

    source: str
    wells: tuple[Well, ...]

    def select(self, role: Role, marker: str | None = None) -> tuple[Well, ...]:
        return tuple(
            w for w in self.wells if w.role is role and (marker is None or w.marker == marker)
        )

    @property
    def markers(self) -> tuple[str, ...]:
        """Ig/TCR targets with standards, in order of first appearance."""
        seen = dict.fromkeys(w.marker for w in self.wells if w.role is Role.STANDARD)
        return tuple(seen)

    def diagnosis_sample(self, marker: str) -> str:
        return self.select(Role.STANDARD, marker)[0].sample

    def followup_samples(self, marker: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w.sample for w in self.select(Role.FOLLOWUP, marker)))

    def control_gene_ct(self, sample: str) -> float | None:
        """Mean control-gene Ct of a sample's amplified wells, ``None`` if it has none."""
        cts = [
            w.ct
            for w in self.wells
            if w.role is Role.CONTROL_GENE and w.sample == sample and w.ct is not None
        ]
        return sum(cts) / len(cts) if cts else None


def read_run(path: str | Path, sheet: str | int | None = None) -> Run:
    """Read and check a run file (CSV/TSV, .xlsx or Parquet, via
    :func:`remission.cohort.io.read_table`); raise :class:`InputError` listing every
    problem. Wholly empty rows are not wells and are skipped."""
    table = read_table(path, sheet)
    header = [str(c) for c in table.frame.columns]
    records = []
    for i, values in enumerate(table.frame.itertuples(index=False, name=None)):
        if all(v is None for v in values):
            continue
        cells = {h: _cell_text(v) for h, v in zip(header, values, strict=True)}
        records.append((table.row_of(i), cells))
    run = parse_run_rows(records, header, table.path)
    reconcile(table, len(run.wells), 0, "wells read")  # every other record is an error
    return run


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)


def parse_run_rows(
    records: Iterable[tuple[int, dict[str, str]]], header: Iterable[str], source: str
) -> Run:
    """Check rows already split into (spreadsheet row number, column -> text)."""
    columns = {h.strip().lower(): h for h in header}
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputError(
            Problem(
                source,
                "required column missing",
                column=c,
                expected="columns " + ", ".join(REQUIRED_COLUMNS),
            )
            for c in missing
        )
    problems: list[Problem] = []
    wells: list[Well] = []
    for line, rec in records:
        text = {c: (rec.get(columns[c]) or "").strip() for c in REQUIRED_COLUMNS}
        well = _parse_row(text, line, source, problems)
        if well is not None:
            wells.append(well)
    problems.extend(_duplicates(wells, source))
    if not problems:
        problems.extend(_run_level_problems(wells, source))
    if problems:
        raise InputError(problems)
    return Run(source, tuple(wells))


def _parse_row(text: dict[str, str], line: int, source: str, out: list[Problem]) -> Well | None:
    n_before = len(out)
    sample = text["sample"]

    def bad(column: str, message: str, value: object, expected: str) -> None:
        text = f"sample {sample!r}: {message}" if sample else message
        out.append(Problem(source, text, line, None, column, value, expected))

    for column in ("sample", "marker"):
        if not text[column]:
            bad(column, f"{column} is empty", None, f"the {column} name")
    role = _role(text["role"])
    if role is None:
        bad("role", "unknown role", text["role"], "one of " + ", ".join(r.value for r in Role))
    dilution = _dilution(text["dilution"]) if text["dilution"] else None
    if role is Role.STANDARD and not text["dilution"]:
        bad("dilution", "standard without a dilution", None, "a fraction such as 1e-3")
    elif text["dilution"] and dilution is None:
        bad("dilution", "not a dilution", text["dilution"], "a number in (0, 1], e.g. 1e-3")
    elif dilution is not None and role is not None and role is not Role.STANDARD:
        bad("dilution", f"a dilution on a {role.value} row", text["dilution"], "blank")
    replicate = _replicate(text["replicate"])
    if replicate is None:
        bad("replicate", "not a replicate number", text["replicate"], "a positive integer")
    ct, error = _ct(text["ct"])
    if error:
        bad(
            "ct",
            error,
            text["ct"],
            f"a number in (0, {_MAX_CT:g}], blank or Undetermined",
        )
    if len(out) > n_before:
        return None
    return Well(line, sample, text["marker"], role, dilution, replicate, ct)


def _role(text: str) -> Role | None:
    try:
        return Role(text.strip().lower())
    except ValueError:
        return None


def _dilution(text: str) -> float | None:
    t = text.replace(",", ".").replace("\u2212", "-")
    m = _POWER.match(t)
    try:
        value = 10.0 ** float(m.group(1)) if m else float(t)
    except (ValueError, OverflowError):  # 10^400 overflows a float
        return None
    return value if math.isfinite(value) and 0 < value <= 1 else None


def _replicate(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() and value >= 1 else None


def _ct(text: str) -> tuple[float | None, str]:
    """(Ct or ``None`` for no amplification, the problem or ``""``)."""
    if text.lower() in _NO_AMPLIFICATION:
        return None, ""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None, "Ct is not a number"
    if not math.isfinite(value) or not 0 < value <= _MAX_CT:
        return None, "Ct out of range"
    return value, ""


def _duplicates(wells: list[Well], source: str) -> list[Problem]:
    first: dict[tuple, Well] = {}
    out = []
    for w in wells:
        key = (w.sample, w.marker, w.role, w.dilution, w.replicate)
        if key in first:
            out.append(
                Problem(
                    source,
                    f"sample {w.sample!r}: duplicated well: same sample, marker, role, "
                    f"dilution and replicate as row {first[key].row}",
                    w.row,
                    None,
                    "replicate",
                    w.replicate,
                    "one row per well",
                )
            )
        else:
            first[key] = w
    return out


def _run_level_problems(wells: list[Well], source: str) -> list[Problem]:
    out = []
    targets = dict.fromkeys(w.marker for w in wells if w.role is not Role.CONTROL_GENE)
    if not any(w.role is Role.STANDARD for w in wells):
        return [
            Problem(
                source,
                "no standard wells in the run",
                column="role",
                expected="a 10-fold dilution series of diagnostic DNA (role standard)",
            )
        ]
    for marker in targets:
        std = [w for w in wells if w.role is Role.STANDARD and w.marker == marker]
        if not std:
            out.append(
                Problem(
                    source,
                    f"marker {marker!r} has no standards",
                    column="role",
                    expected=f"standard wells for marker {marker!r}",
                )
            )
            continue
        samples = sorted({w.sample for w in std})
        if len(samples) > 1:
            out.append(
                Problem(
                    source,
                    f"standards of marker {marker!r} come from several samples",
                    column="sample",
                    value=", ".join(samples),
                    expected="one diagnostic DNA per marker",
                )
            )
        amplified = {w.dilution for w in std if w.amplified}
        if len(amplified) < 2:
            out.append(
                Problem(
                    source,
                    f"marker {marker!r}: standards amplified at "
                    f"{len(amplified)} dilution(s), a curve cannot be fitted",
                    column="dilution",
                    expected="at least two amplified dilutions",
                )
            )
    return out
