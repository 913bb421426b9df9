"""Start-up time of the command line: ``remission --help`` and ``--version``.

``python benchmarks/cli_start.py [--repeat 10]`` runs each command ``--repeat`` times in
a fresh process and prints the best and median wall-clock seconds, beside a bare
``python -c pass`` (the interpreter's own start-up) and ``remission km --help`` (which
imports the km command and the statistics it needs). Not part of the tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "remission --version": [sys.executable, "-m", "remission", "--version"],
    "remission --help": [sys.executable, "-m", "remission", "--help"],
    "remission km --help": [sys.executable, "-m", "remission", "km", "--help"],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    a = ap.parse_args()
    print("| command | best s | median s |")
    print("|---|---|---|")
    for name, cmd in CASES.items():
        times = []
        for _ in range(a.repeat):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        print(f"| {name} | {min(times):.3f} | {statistics.median(times):.3f} |")


if __name__ == "__main__":
    main()
