"""``remission validate`` on a large cohort CSV: wall-clock time and peak memory (issue 11).

``python benchmarks/validate_size.py [--n 1e6] [--keep]`` writes a synthetic cohort of
``n`` patients with :mod:`make_report_cohort` (realistic variety: dates over years,
categories, MRD with qualifiers, missing values) to ``benchmarks/_out/``, then runs
``remission validate`` on it in a child process, as a user would, and prints the file
size, the wall-clock time, the child's CPU time (user + system: the time it would take on
an idle core) and its peak resident memory (``ru_maxrss``).
Targets: 1e6 rows in under 30 s and under 2 GB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_report_cohort import make_cohort  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=float, default=1e6)
    ap.add_argument("--keep", action="store_true", help="keep the generated CSV")
    args = ap.parse_args(argv)
    n = int(args.n)
    out = HERE / "_out" / f"validate_{n}.csv"
    out.parent.mkdir(exist_ok=True)
    if not out.exists():
        make_cohort(n).to_csv(out, index=False, lineterminator="\n")
    cmd = [sys.executable, "-m", "remission", "validate", str(out)]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    first = (done.stdout or done.stderr).splitlines()[:1]
    print(f"n={n} file={out.stat().st_size / 1e6:.0f} MB exit={done.returncode} "
          f"time={seconds:.1f} s cpu={cpu:.1f} s peak={peak_mb:.0f} MB  {first[0] if first else ''}")  # fmt: skip
    if not args.keep:
        out.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
