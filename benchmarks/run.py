"""Side-by-side timings of remission and its peers: ``python benchmarks/run.py``.

Discovers ``benchmarks/bench_*.py``; each defines ``cases(n, seed)`` returning a list of
``(case name, {"remission": fn, "lifelines": fn, ...})`` with the data already built; a
function runs one whole estimate. For every size, case and library this prints the best
of ``--repeat`` wall-clock times, the peer/remission ratio, and the peak memory that the
remission call allocates (tracemalloc) against its input arrays' bytes (set as the
``input_bytes`` attribute of the remission function).

Example: ``python benchmarks/run.py --sizes 1e5,1e6 --repeat 5``
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def _modules(only: str | None) -> list:
    mods = []
    for path in sorted(HERE.glob("bench_*.py")):
        if only and only not in path.stem:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(mod)  # type: ignore[union-attr]
        mods.append(mod)
    return mods


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """Best wall-clock time of ``repeat`` calls, after one warm-up call. A function marked
    ``self_timed`` (a program in another process, e.g. R) is called once with ``repeat``
    and returns its own best time of that many calls after a warm-up, measured inside the
    process (its start-up and data loading are not counted)."""
    if getattr(fn, "self_timed", False):
        return fn(repeat)  # type: ignore[call-arg]
    fn()
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def peak_memory(fn: Callable[[], object]) -> int:
    """Peak bytes allocated (tracemalloc) during one call."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _row(size: int, case: str, fns: dict, args: argparse.Namespace) -> list[str]:
    times = {}
    for lib, fn in fns.items():
        if lib != "remission" and size > args.max_peer_n:
            continue
        try:
            times[lib] = best_time(fn, args.repeat)
        except ImportError:
            continue
    base = times["remission"]
    peers = {k: v for k, v in times.items() if k != "remission"}
    cells = [f"{size:.0e}", case, f"{base * 1e3:9.1f}"]
    for lib in PEERS:
        t = peers.get(lib)
        cells.append("-" if t is None else f"{t * 1e3:9.1f} ({t / base:5.1f}x)")
    fastest = min(peers.values()) / base if peers else float("nan")
    cells.append("-" if not peers else f"{fastest:5.1f}x")
    rem = fns["remission"]
    peak = peak_memory(rem)
    inp = getattr(rem, "input_bytes", None)
    cells.append(f"{peak / 2**20:7.1f} MiB" + ("" if not inp else f" ({peak / inp:4.2f}x)"))
    return cells


PEERS = ("R", "lifelines", "statsmodels", "scikit-survival")
HEAD = ["n", "case", "remission ms", *(f"{p} ms (ratio)" for p in PEERS), "vs fastest",
        "remission peak mem (x input)"]  # fmt: skip


def _print_table(rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [HEAD, *rows]) for i in range(len(HEAD))]
    for r in [HEAD, *rows]:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)), flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1e5,1e6", help="comma-separated row counts")
    p.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    p.add_argument("--max-peer-n", type=float, default=1e6, help="skip peers above this n")
    p.add_argument("--only", help="run only bench_*.py files whose name contains this")
    p.add_argument("--seed", type=int, default=20240101)
    args = p.parse_args(argv)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    print(f"# python {platform.python_version()} on {platform.machine()}, best of {args.repeat}")
    rows = []
    for mod in _modules(args.only):
        for size in sizes:
            for case, fns in mod.cases(size, args.seed):
                rows.append(_row(size, case, fns, args))
                print("  done:", " | ".join(rows[-1]), file=sys.stderr, flush=True)
    _print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
