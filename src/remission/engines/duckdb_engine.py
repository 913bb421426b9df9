"""DuckDB, embedded: count a Parquet file, a CSV file, a DuckDB database or a query.

DuckDB (https://duckdb.org) runs in the process, reads Parquet column by column and
aggregates in parallel out of core, so a ``GROUP BY`` over 1e8 rows needs memory for the
groups, not for the rows. :class:`DuckDBRunner` hands the queries of
:mod:`remission.engines.sql` to it.
"""

from __future__ import annotations

from pathlib import Path

from remission.cohort.problems import InputError, Problem
from remission.engines.inputs import PARQUET_SUFFIXES, EngineInput
from remission.engines.sql import DUCKDB

__all__ = ["DuckDBRunner"]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class DuckDBRunner:
    """A DuckDB connection over one :class:`EngineInput` (closed by :meth:`close`)."""

    dialect = DUCKDB
    name = "duckdb"

    def __init__(self, inp: EngineInput, threads: int | None = None) -> None:
        import duckdb

        inp.check()
        self.inp = inp
        self.source = inp.name
        self._duckdb = duckdb
        if inp.is_database:
            self.con = duckdb.connect(inp.path, read_only=True)
        else:
            self.con = duckdb.connect()
            if threads:
                self.con.execute(f"SET threads = {int(threads)}")
            self._register()

    def _register(self) -> None:
        inp = self.inp
        if inp.frame is not None:
            self.con.register("input_table", inp.frame)
        elif inp.path is not None:
            self.con.execute(f"CREATE VIEW input_table AS SELECT * FROM {self._scan(inp.path)}")

    @staticmethod
    def _scan(path: str) -> str:
        p = Path(path)
        if p.is_dir():
            return f"read_parquet({_literal(str(p / '**' / '*.parquet'))})"
        if p.suffix.lower() in PARQUET_SUFFIXES:
            return f"read_parquet({_literal(path)})"
        sep = ", delim = '\\t'" if p.suffix.lower() == ".tsv" else ""
        # dates stay text, read by the cohort loader's rules (engines.cells): DuckDB's own
        # guess of a date format could read 03/04/2019 month first
        types = ", auto_type_candidates = ['BOOLEAN', 'BIGINT', 'DOUBLE', 'VARCHAR']"
        return f"read_csv({_literal(path)}, header = true{sep}{types})"

    def relation(self) -> str:
        if self.inp.sql:
            return f"({self.inp.sql.strip().rstrip(';')}) AS input_sql"
        if self.inp.is_database:
            return self._only_table()
        return "input_table"

    def _only_table(self) -> str:
        names = [r[0] for r in self.con.execute("SHOW TABLES").fetchall()]
        if len(names) != 1:
            raise InputError(
                [
                    Problem(
                        self.source,
                        f"the database has {len(names)} tables ({', '.join(names) or 'none'})",
                        expected="--sql naming what to read, e.g. --sql 'SELECT * FROM t'",
                    )
                ]
            )
        return DUCKDB.quote(names[0])

    def column_types(self, relation: str) -> dict[str, str]:
        rel = self._query(f"SELECT * FROM {relation} LIMIT 0")
        return {c: str(t) for c, t in zip(rel.columns, rel.types, strict=True)}

    def fetch(self, sql: str) -> list[tuple]:
        return self._query(sql).fetchall()

    def fetch_frame(self, sql: str):
        """The rows of a query as a pandas DataFrame (what Cox needs in memory)."""
        return self._query(sql).df()

    def _query(self, sql: str):
        try:
            return self.con.sql(sql)
        except self._duckdb.Error as exc:
            raise InputError(
                [Problem(self.source, f"DuckDB could not run the query: {exc}")]
            ) from None

    def register(self, name: str, frame) -> None:
        """A small pandas frame (``r_`` text, ``d_`` dates) as the table ``name``."""
        self.con.register(name, frame)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> DuckDBRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
