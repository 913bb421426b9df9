"""remission's ``cox_fit`` against R's ``coxph.fit`` (Efron ties) on the same data, in
wall-clock and CPU time, alternately: ``python benchmarks/cox_vs_r.py --n 1e6 --rounds 3``.

The data are ``bench_cox.make_data5`` (five covariates) or ``make_data`` (``--covariates
1``), written once to a temporary binary file that ``cox_r.R`` reads. Each round runs R
(best of ``--repeat`` calls after a warm-up, timed inside R: wall-clock and user + system
time) and then remission in this process (the same), so both see the same load; the
table gives every round and the median ratios. CPU time is less disturbed than wall-clock
time by other processes on a shared machine. The coefficients must agree to 1e-6.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from bench_cox import make_data, make_data5, write_r_input  # noqa: E402

from remission.stats.cox_fit import cox_fit  # noqa: E402
from remission.stats.cox_tests import global_tests  # noqa: E402


def _ours(t, e, x, repeat: int) -> tuple[float, float, np.ndarray]:
    """Best wall and best CPU seconds of ``repeat`` fits after a warm-up; coefficients."""
    fit = cox_fit(t, e, x, ties="efron")
    wall = cpu = float("inf")
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fit = cox_fit(t, e, x, ties="efron")
        global_tests(fit)
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu, fit.coef


def _r(path: Path, repeat: int) -> tuple[float, float, np.ndarray]:
    cmd = ["Rscript", str(HERE / "cox_r.R"), str(path), str(repeat), "fit"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    lines = {ln.split()[0]: ln.split()[1:] for ln in out.splitlines() if ln.strip()}
    return float(lines["seconds"][0]), float(lines["cpu"][0]), np.array(lines["coef"], float)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=float, default=1e6)
    ap.add_argument("--covariates", type=int, choices=(1, 5), default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20240101)
    args = ap.parse_args()
    df = (make_data5 if args.covariates == 5 else make_data)(int(args.n), args.seed)
    covs = [c for c in df.columns if c.startswith("x")]
    t, e, x = df["time"].to_numpy(float), df["event"].to_numpy(), df[covs].to_numpy()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = write_r_input(Path(tmp) / "cox.bin", t, e, x)
        for _ in range(args.rounds):
            r_wall, r_cpu, r_coef = _r(path, args.repeat)
            wall, cpu, coef = _ours(t, e, x, args.repeat)
            if not np.allclose(coef, r_coef, rtol=1e-6, atol=1e-9):
                raise SystemExit(f"coefficients differ: {coef} vs R {r_coef}")
            rows.append((wall, cpu, r_wall, r_cpu))
    print(f"n = {int(args.n)}, {len(covs)} covariates, best of {args.repeat} per round")
    print("round | remission wall / CPU ms | R wall / CPU ms | ratio wall | ratio CPU")
    for i, (w, c, rw, rc) in enumerate(rows, 1):
        print(f"{i:5d} | {w * 1e3:7.1f} / {c * 1e3:7.1f} | {rw * 1e3:7.1f} / {rc * 1e3:7.1f} | "
              f"{rw / w:5.2f}x | {rc / c:5.2f}x")  # fmt: skip
    print(f"median ratio: wall {statistics.median(r[2] / r[0] for r in rows):.2f}x, "
          f"CPU {statistics.median(r[3] / r[1] for r in rows):.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
