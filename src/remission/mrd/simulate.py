"""Synthetic RQ-PCR runs with known truth, for tests, examples and documentation.

Ct = intercept + slope * log10(fraction) + Normal(0, noise_sd) for every well that
receives at least one target copy. The number of target copies in a well is Poisson
with mean ``fraction * genomes_per_well`` (about 150,000 diploid genomes in 1 ug of
DNA, the usual input), so the lowest dilutions drop out stochastically as they do in a
real run. Normal-DNA controls amplify non-specifically at ``background_ct`` + noise
(``None``: they never amplify); no-template controls never amplify.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from remission.cohort.csvsafe import neutralise

__all__ = ["RunDesign", "simulate_run", "write_run_csv"]

COLUMNS = ("well", "sample", "marker", "role", "dilution", "replicate", "ct")


@dataclass(frozen=True)
class RunDesign:
    """What to simulate. ``followups`` maps sample name -> true MRD fraction (0 = none);
    ``dna_shift`` maps sample name -> control-gene Ct shift from the diagnostic DNA
    (positive = less DNA); ``background_followups`` are follow-up samples without
    leukemic DNA whose replicates amplify non-specifically like the normal controls."""

    marker: str = "IGH-1"
    slope: float = -3.4
    intercept: float = 20.0
    noise_sd: float = 0.25
    dilutions: tuple[float, ...] = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5)
    replicates: int = 3
    genomes_per_well: float = 150_000.0
    background_ct: float | None = 41.0
    normal_wells: int = 3
    ntc_wells: int = 2
    control_gene: str = "ALB"
    control_ct: float = 25.0
    control_slope: float = -3.32
    control_noise_sd: float = 0.1
    include_control_gene: bool = True
    followups: Mapping[str, float] = field(default_factory=dict)
    background_followups: tuple[str, ...] = ()
    dna_shift: Mapping[str, float] = field(default_factory=dict)


def simulate_run(design: RunDesign, seed: int) -> list[dict[str, str]]:
    """Rows of a run file (column -> text), reproducible from ``seed``."""
    sim = _Simulator(design, np.random.default_rng(seed))
    d = design
    for dil in d.dilutions:
        sim.wells("DX", d.marker, "standard", lambda dil=dil: sim.target_ct(dil), f"{dil:g}")
    if d.include_control_gene:
        sim.wells("DX", d.control_gene, "control_gene", lambda: sim.control_ct(0.0))
    for name, fraction in d.followups.items():
        shift = d.dna_shift.get(name, 0.0)
        ratio = 10.0 ** (shift / d.control_slope)  # less DNA -> fewer target copies
        sim.wells(name, d.marker, "followup", lambda f=fraction * ratio: sim.target_ct(f))
        if d.include_control_gene:
            sim.wells(name, d.control_gene, "control_gene", lambda s=shift: sim.control_ct(s))
    for name in d.background_followups:
        sim.wells(name, d.marker, "followup", sim.background_ct)
    sim.wells("MNC", d.marker, "normal_control", sim.background_ct, n=d.normal_wells)
    sim.wells("NTC", d.marker, "ntc", lambda: None, n=d.ntc_wells)
    return sim.rows


class _Simulator:
    def __init__(self, design: RunDesign, rng: np.random.Generator):
        self.d = design
        self.rng = rng
        self.rows: list[dict[str, str]] = []

    def wells(self, sample, marker, role, ct, dilution="", n=None) -> None:
        for rep in range(1, (self.d.replicates if n is None else n) + 1):
            value = ct()
            text = "Undetermined" if value is None else f"{value:.3f}"
            well = f"W{len(self.rows) + 1}"
            fields = (well, sample, marker, role, dilution, str(rep), text)
            self.rows.append(dict(zip(COLUMNS, fields, strict=True)))

    def target_ct(self, fraction: float) -> float | None:
        d = self.d
        if fraction <= 0 or self.rng.poisson(fraction * d.genomes_per_well) == 0:
            return None
        return d.intercept + d.slope * np.log10(fraction) + self.rng.normal(0.0, d.noise_sd)

    def control_ct(self, shift: float) -> float:
        return self.d.control_ct + shift + self.rng.normal(0.0, self.d.control_noise_sd)

    def background_ct(self) -> float | None:
        bg = self.d.background_ct
        return None if bg is None else bg + self.rng.normal(0.0, 0.5)


def write_run_csv(rows: Sequence[Mapping[str, str]], path: str | Path) -> Path:
    """Write rows to a CSV with the run-file columns; returns the path."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        w.writeheader()
        w.writerows({k: neutralise(v) for k, v in r.items()} for r in rows)
    return path
