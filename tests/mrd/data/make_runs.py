"""Regenerate the synthetic run files in this folder (fixed seeds; see README.md).

PYTHONPATH=src python tests/mrd/data/make_runs.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from remission.mrd.simulate import COLUMNS, RunDesign, simulate_run

HERE = Path(__file__).parent

# sample -> true MRD fraction of the diagnostic DNA (0 = no leukemic DNA)
SINGLE = RunDesign(
    marker="IGH-1",
    followups={
        "FU-HIGH": 1e-2,
        "FU-MID": 1e-3,
        "FU-QR": 3e-4,
        "FU-LOW": 3e-5,
        "FU-NEG": 0.0,
        "FU-LESSDNA": 1e-3,
    },
    dna_shift={"FU-LESSDNA": 1.5},
    background_ct=39.5,
    background_followups=("FU-BACKGROUND",),
)
SECOND = RunDesign(
    marker="TRG-1",
    slope=-3.5,
    intercept=21.5,
    followups={"FU-HIGH": 1e-2, "FU-MID": 1e-3, "FU-QR": 3e-4, "FU-LOW": 0.0, "FU-NEG": 0.0},
    include_control_gene=False,
)

FILES = {
    "run_single_marker.csv": lambda: simulate_run(SINGLE, seed=20070604),
    "run_two_markers.csv": lambda: (
        simulate_run(SINGLE, seed=20070605)
        + [dict(r, well=f"T{i}") for i, r in enumerate(simulate_run(SECOND, seed=20070606), 1)]
    ),
}


def render(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main() -> None:
    for name, make in FILES.items():
        (HERE / name).write_text(render(make()), encoding="utf-8")


if __name__ == "__main__":
    main()
