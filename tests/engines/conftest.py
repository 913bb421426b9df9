"""Engines under test: DuckDB always; Spark when pyspark and a Java runtime are here."""

import pytest

from remission.engines.spark_engine import spark_available

ENGINES = [
    "duckdb",
    pytest.param(
        "spark",
        marks=pytest.mark.skipif(spark_available() is not None, reason=str(spark_available())),
    ),
]
