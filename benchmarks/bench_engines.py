"""Engines at registry scale: KM + log-rank from a Parquet file, each variant in its own
process (so its peak resident memory is its own).

    python benchmarks/bench_engines.py --rows 1e8 --memory-rows 1e7 --spark-rows 1e7

Variants, on the same file (integer days, 0/1 event, four arms):

* ``duckdb-bare``: DuckDB's ``SELECT arm, days, died, count(*) ... GROUP BY ALL`` over the
  file, fetched: the floor for any engine-side counting;
* ``remission-duckdb``: ``remission.engines.count`` (checks, exclusions, the GROUP BY)
  then ``km_from_counts`` (KM + log-log CIs per arm) and ``logrank_test``;
* ``remission-memory``: ``pandas.read_parquet`` then ``remission.km`` and
  ``remission.compare`` on the DataFrame (up to ``--memory-rows``);
* ``remission-spark``: the engine's counting as a Spark aggregation in local mode
  (``--spark-master``, default ``local[2]``), then the same estimators (up to
  ``--spark-rows``; the time includes reading the file, not starting Spark).

The file is written by DuckDB itself (``COPY ... TO 'x.parquet'``), so making 1e8 rows
needs no memory for the rows. Each variant prints its wall time (best of ``--repeat``
after one warm-up run) and the process's peak resident set size.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_file(path: Path, rows: int) -> None:
    import duckdb

    duckdb.sql(
        f"""COPY (SELECT
              CAST(least(ceil(-ln(1 - random()) * 1000), 3650) AS INTEGER) AS days,
              CAST(random() < 0.6 AS TINYINT) AS died,
              CAST(floor(random() * 4) AS TINYINT) AS arm
            FROM range({rows})) TO '{path}' (FORMAT parquet)"""
    )


def _variant(name: str, path: str, master: str):
    import remission
    from remission.stats.km import km_from_counts
    from remission.stats.logrank import logrank_test

    if name == "duckdb-bare":
        import duckdb

        def run():
            return duckdb.sql(
                f"SELECT arm, days, died, count(*) FROM read_parquet('{path}') GROUP BY ALL"
            ).fetchall()

        return run
    if name == "remission-memory":
        import pandas as pd

        def run():
            df = pd.read_parquet(path)
            remission.km(df, "days", "died", group="arm")
            return remission.compare(df, "days", "died", group="arm")

        return run
    from remission.engines import EngineInput, count

    engine = "duckdb" if name == "remission-duckdb" else "spark"

    def run():
        c = count(EngineInput(path=path), "days", "died", "arm", engine=engine,
                  spark_master=master)  # fmt: skip
        km_from_counts(c.table)
        return logrank_test([c.table])

    return run


def child(name: str, path: str, repeat: int, master: str) -> None:
    fn = _variant(name, path, master)
    fn()  # warm-up (and Spark's start)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB
    stat = getattr(out, "statistic", None)
    print(json.dumps({"variant": name, "seconds": best, "peak_rss_mib": rss, "chisq": stat}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=float, default=1e7)
    ap.add_argument("--memory-rows", type=float, default=1e7)
    ap.add_argument("--spark-rows", type=float, default=1e7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--spark-master", default="local[2]")
    ap.add_argument("--child", nargs=2, metavar=("VARIANT", "FILE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child[0], a.child[1], a.repeat, a.spark_master)
        return
    with tempfile.TemporaryDirectory() as tmp:
        sizes = sorted({int(a.rows), int(a.memory_rows), int(a.spark_rows)})
        for n in sizes:
            path = Path(tmp) / f"r{n}.parquet"
            t0 = time.perf_counter()
            make_file(path, n)
            mib = path.stat().st_size / 2**20
            print(
                f"# {n:.0e} rows: {mib:.0f} MiB Parquet, written in {time.perf_counter() - t0:.1f} s"
            )
            variants = ["duckdb-bare", "remission-duckdb"]
            if n <= a.memory_rows:
                variants.append("remission-memory")
            if n <= a.spark_rows:
                variants.append("remission-spark")
            for v in variants:
                cmd = [sys.executable, __file__, "--child", v, str(path), "--repeat",
                       str(a.repeat), "--spark-master", a.spark_master]  # fmt: skip
                res = subprocess.run(cmd, capture_output=True, text=True)
                if res.returncode:
                    print(f"{n:.0e} | {v:<17} | failed: {res.stderr.strip().splitlines()[-1:]}")
                    continue
                r = json.loads(res.stdout.strip().splitlines()[-1])
                print(f"{n:.0e} | {v:<17} | {r['seconds'] * 1000:9.0f} ms | peak RSS "
                      f"{r['peak_rss_mib']:7.0f} MiB | log-rank chi2 {r['chisq']}")  # fmt: skip
            path.unlink()


if __name__ == "__main__":
    main()
