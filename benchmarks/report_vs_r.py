"""The report on a 3,000-patient, 12-centre cohort against the same analyses in R.

``python benchmarks/report_vs_r.py [--n 3000] [--centres 12] [--repeat 3]``

Makes the cohort (``make_report_cohort.py``) in a temporary folder, then runs, alternately
and ``--repeat`` times each, ``remission report COHORT`` and
``Rscript report_equivalent.R COHORT`` (survival, cmprsk, base graphics: the same
endpoints, Kaplan-Meier, log-rank, cumulative incidence, follow-up, Table 1 with tests,
MRD and toxicity CIs, SVG + PNG figures, CSV tables and an HTML page), without and with
``--group centre``. Prints the median wall-clock and CPU (user + system of the child
process) seconds, the ratios, and the size of report.html. Not part of the tests.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_report_cohort import make_cohort  # noqa: E402

CUTOFF = "2023-12-31"


def _timed(cmd: list[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one run of ``cmd`` (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _commands(cohort: Path, out: Path, group: bool) -> dict[str, list[str]]:
    extra_py = ["--group", "centre"] if group else []
    extra_r = ["centre"] if group else []
    return {
        "remission": [sys.executable, "-m", "remission", "report", str(cohort), "--data-cutoff",
                      CUTOFF, "-o", str(out / "py"), *extra_py],
        "R": ["Rscript", str(HERE / "report_equivalent.R"), str(cohort), CUTOFF,
              str(out / "r"), *extra_r],
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--centres", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    if shutil.which("Rscript") is None:
        sys.exit("Rscript is not installed (R with survival and cmprsk is needed)")
    tmp = Path(tempfile.mkdtemp(prefix="remission-bench-"))
    try:
        cohort = tmp / "cohort.csv"
        make_cohort(a.n, a.centres).to_csv(cohort, index=False)
        print(f"{a.n} patients, {a.centres} centres; median of {a.repeat} runs\n")
        print("| analysis | remission wall s | R wall s | wall ratio | remission CPU s "
              "| R CPU s | CPU ratio | report.html |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|")
        for group in (False, True):
            cmds = _commands(cohort, tmp, group)
            runs: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
            for _ in range(a.repeat):
                for name, cmd in cmds.items():
                    runs[name].append(_timed(cmd))
            wall = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
            cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
            size = (tmp / "py" / "report.html").stat().st_size / 1e6
            label = f"report --group centre ({a.centres} levels)" if group else "report"
            print(f"| {label} | {wall['remission']:.1f} | {wall['R']:.1f} | "
                  f"{wall['remission'] / wall['R']:.1f}x | {cpu['remission']:.1f} | "
                  f"{cpu['R']:.1f} | {cpu['remission'] / cpu['R']:.1f}x | {size:.2f} MB |")  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
