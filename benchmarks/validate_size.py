"""``remission validate`` on a large cohort CSV: wall-clock time and peak memory (issue 11).

``python benchmarks/validate_size.py [--n 1e6] [--kinds plain,comment,few] [--keep]``
writes synthetic cohorts of ``n`` patients with :mod:`make_report_cohort` (realistic
variety: dates over years, categories, MRD with qualifiers, missing values) to
``benchmarks/_out/``, one per kind:

- ``plain``: no quote anywhere in the file;
- ``comment``: one more column, a free-text ``comment``: 40 % of the patients have one,
  every one with a comma (so the CSV writer quotes it, as a spreadsheet does), one in
  seven with quotes inside (written doubled), a few thousand distinct texts;
- ``few``: the plain file with the centre of ten patients written ``"London, GOSH"``
  (quoted), as when a handful of cells hold a comma.

Each file is validated by ``remission validate`` in its own child process, as a user
would run it, and the script prints the file size, the wall-clock time, the child's CPU
time (user + system: the time it would take on an idle core), its peak resident memory
(``ru_maxrss`` of that child) and the load average before and after.
Targets: 1e6 rows in under 30 s and under 2 GB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_report_cohort import make_cohort  # noqa: E402

KINDS = ("plain", "comment", "few")
_PHRASES = ("relapse, CNS", "MRD, repeat in {k} weeks", 'Smith, J: "ok" to continue',
            "infection, day +{k}", "blinatumomab paused, CRS grade {g}",
            "transferred, see centre {k}")  # fmt: skip


def _comments(n: int, rng: np.random.Generator) -> list[str]:
    has = rng.random(n) < 0.4
    which = rng.integers(0, len(_PHRASES), n)
    k, g = rng.integers(1, 1000, n), rng.integers(1, 4, n)
    return [_PHRASES[w].format(k=a, g=b) if h else ""
            for h, w, a, b in zip(has, which, k, g, strict=True)]  # fmt: skip


def write_cohort(n: int, kind: str, out: Path) -> None:
    """The cohort CSV of ``kind`` (see the module docstring)."""
    df = make_cohort(n)
    rng = np.random.default_rng(7)
    if kind == "comment":
        df["comment"] = _comments(n, rng)
    elif kind == "few":
        df.loc[rng.choice(n, size=min(10, n), replace=False), "centre"] = "London, GOSH"
    df.to_csv(out, index=False, lineterminator="\n")


def run_validate(path: Path) -> dict:
    """``remission validate PATH`` in a child: exit code, wall and CPU seconds, peak MB."""
    cmd = [sys.executable, "-m", "remission", "validate", str(path)]
    with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=so, stderr=se)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        so.seek(0), se.seek(0)
        first = (so.read() or se.read()).decode(errors="replace").splitlines()[:1]
    return {"exit": child.returncode, "wall": seconds, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024, "load": (load, os.getloadavg()[0]),
            "first": first[0] if first else ""}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=float, default=1e6)
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated: " + ", ".join(KINDS))
    ap.add_argument("--keep", action="store_true", help="keep the generated CSVs")
    args = ap.parse_args(argv)
    n = int(args.n)
    (HERE / "_out").mkdir(exist_ok=True)
    for kind in args.kinds.split(","):
        out = HERE / "_out" / f"validate_{kind}_{n}.csv"
        if not out.exists():
            write_cohort(n, kind, out)
        r = run_validate(out)
        print(f"n={n} {kind:8s} file={out.stat().st_size / 1e6:.0f} MB exit={r['exit']} "
              f"wall={r['wall']:.1f} s cpu={r['cpu']:.1f} s peak={r['peak_mb']:.0f} MB "
              f"load={r['load'][0]:.1f}->{r['load'][1]:.1f}  {r['first']}", flush=True)  # fmt: skip
        if not args.keep:
            out.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
