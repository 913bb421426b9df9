"""What an engine reads: a file, a DuckDB database, a SQL query or a data frame.

Inside every query the input is the relation ``input_table``: a ``--sql`` query over a
Parquet or CSV file refers to the file by that name (``SELECT * FROM input_table WHERE
centre = 'A'``); over a DuckDB database file it refers to the database's own tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from remission.cohort.problems import InputError, Problem

__all__ = ["EngineInput", "AUTO_DUCKDB_BYTES", "choose_engine", "ENGINES"]

ENGINES = ("auto", "memory", "duckdb", "spark")
# above this size a file is counted by DuckDB when the engine is "auto"
AUTO_DUCKDB_BYTES = 200 * 1024 * 1024
DATABASE_SUFFIXES = (".duckdb", ".db", ".ddb")
PARQUET_SUFFIXES = (".parquet", ".pq")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass(frozen=True, eq=False)
class EngineInput:
    """One input: ``path`` (Parquet, CSV/TSV, DuckDB database), ``sql`` or ``frame``."""

    path: str | None = None
    sql: str | None = None
    frame: object | None = None  # a pandas DataFrame

    @property
    def name(self) -> str:
        if self.path:
            return self.path + (" (--sql)" if self.sql else "")
        return "SQL query" if self.sql else "data frame"

    @property
    def suffix(self) -> str:
        return Path(self.path).suffix.lower() if self.path else ""

    @property
    def is_database(self) -> bool:
        return self.suffix in DATABASE_SUFFIXES

    def check(self) -> None:
        """The file exists and is of a kind an engine reads."""
        if self.path is None:
            return
        p = Path(self.path)
        if not p.exists():
            raise InputError([Problem(self.path, "file not found")])
        if p.is_dir():
            # a folder of Parquet files (a partitioned data set) is read as one table
            if not any(p.rglob("*.parquet")):
                raise InputError([Problem(self.path, "folder without Parquet files")])
            return
        if self.suffix not in DATABASE_SUFFIXES + PARQUET_SUFFIXES + TEXT_SUFFIXES:
            raise InputError(
                [
                    Problem(
                        self.path,
                        f"an engine cannot read {self.suffix or 'this file'!r}",
                        expected="a Parquet, CSV/TSV or DuckDB database file (.duckdb)",
                    )
                ]
            )


def choose_engine(engine: str, inp: EngineInput) -> str:
    """The engine ``auto`` stands for: DuckDB for a database file, a SQL query, a folder of
    Parquet files or a file above :data:`AUTO_DUCKDB_BYTES`; in memory otherwise."""
    if engine != "auto":
        return engine
    if inp.sql or inp.is_database:
        return "duckdb"
    if inp.path and Path(inp.path).is_dir():  # a partitioned Parquet data set
        return "duckdb" if any(Path(inp.path).rglob("*.parquet")) else "memory"
    if inp.path and Path(inp.path).is_file():
        big = Path(inp.path).stat().st_size > AUTO_DUCKDB_BYTES
        if big and inp.suffix in PARQUET_SUFFIXES + TEXT_SUFFIXES:
            return "duckdb"
    return "memory"
