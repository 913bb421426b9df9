"""Spark: the same counting as a Spark SQL aggregation, for data on a cluster.

The queries are those of :mod:`remission.engines.sql` in Spark's dialect; Spark runs
the ``GROUP BY`` where the data are (``--spark-master spark://host:7077``, or
``local[2]`` on one machine) and only the aggregated rows come back. Spark needs a Java
runtime and the optional ``pyspark`` package (``pip install 'remission[spark]'``).
"""

from __future__ import annotations

import os
import warnings
from contextlib import contextmanager
from pathlib import Path

from remission.cohort.problems import InputError, Problem
from remission.engines.inputs import PARQUET_SUFFIXES, EngineInput
from remission.engines.sql import SPARK

__all__ = ["SparkRunner", "spark_available"]


@contextmanager
def _quiet():
    """pyspark warns that it does not yet support pandas 3 in full; the conversions used
    here (plain numeric, text and date columns) are tested to give the same tables."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
        warnings.filterwarnings("ignore", category=FutureWarning, message=".*PySpark.*")
        warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark.*")
        yield


#: log4j2 configuration for the JVM: errors only (no banner, no warnings on the terminal)
_LOG4J = (Path(__file__).resolve().parent / "log4j2-quiet.properties").as_uri()


def spark_available() -> str | None:
    """None when Spark can run here, else why not."""
    import shutil

    try:
        with _quiet():
            import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'remission[spark]')"
    if not shutil.which("java"):
        return "no Java runtime (e.g. apt-get install default-jre-headless)"
    return None


class SparkRunner:
    """A Spark session over one :class:`EngineInput` (stopped by :meth:`close`)."""

    dialect = SPARK
    name = "spark"

    def __init__(self, inp: EngineInput, master: str = "local[2]") -> None:
        why = spark_available()
        if why:
            raise InputError([Problem(inp.name, f"the Spark engine cannot run: {why}")])
        with _quiet():
            from pyspark.sql import SparkSession

        inp.check()
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        if inp.is_database:
            raise InputError(
                [Problem(inp.name, "Spark does not read DuckDB database files",
                         expected="--engine duckdb, or a Parquet/CSV file")]
            )  # fmt: skip
        self.inp = inp
        self.source = inp.name
        self._views: list[str] = []
        with _quiet():
            self.spark = (
                SparkSession.builder.master(master)
                .appName("remission")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOG4J}")
                .getOrCreate()
            )
            self.spark.sparkContext.setLogLevel("ERROR")
            try:
                self._read().createOrReplaceTempView("input_table")
            except Exception as exc:  # Spark's reader errors have no common public base
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                raise InputError([Problem(inp.name, f"Spark could not read it: {first}")]) from None

    def _read(self):
        inp = self.inp
        if inp.frame is not None:
            return self.spark.createDataFrame(inp.frame)
        p = Path(inp.path).resolve()  # the JVM's working folder is where Spark started
        if p.is_dir() or p.suffix.lower() in PARQUET_SUFFIXES:
            return self.spark.read.parquet(str(p))
        sep = "\t" if p.suffix.lower() == ".tsv" else ","
        return self.spark.read.csv(str(p), header=True, inferSchema=True, sep=sep)

    def relation(self) -> str:
        if self.inp.sql:
            return f"({self.inp.sql.strip().rstrip(';')}) AS input_sql"
        return "input_table"

    def column_types(self, relation: str) -> dict[str, str]:
        return dict(self._query(f"SELECT * FROM {relation} LIMIT 0").dtypes)

    def fetch(self, sql: str) -> list[tuple]:
        with _quiet():
            return [tuple(r) for r in self._query(sql).collect()]

    def fetch_frame(self, sql: str):
        """The rows of a query as a pandas DataFrame (what Cox needs in memory)."""
        with _quiet():
            return self._query(sql).toPandas()

    def _query(self, sql: str):
        try:
            with _quiet():
                return self.spark.sql(sql)
        except Exception as exc:  # Spark's analysis errors have no common public base
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(
                [Problem(self.source, f"Spark could not run the query: {first}")]
            ) from None

    def register(self, name: str, frame) -> None:
        """A small pandas frame (``r_`` text, ``d_`` dates) as the temporary view ``name``."""
        with _quiet():
            self.spark.createDataFrame(frame, schema="r_ string, d_ date").createOrReplaceTempView(
                name
            )
        self._views.append(name)

    def close(self) -> None:
        """The session stays up for the next query in this process (Spark's own cache)."""
        for name in ["input_table", *self._views]:
            self.spark.catalog.dropTempView(name)

    def __enter__(self) -> SparkRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
