"""``--engine``: the same output from DuckDB (and Spark) as in memory, on the CLI."""

import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from remission.cli import main
from remission.engines import AUTO_DUCKDB_BYTES, EngineInput, choose_engine
from remission.engines.spark_engine import spark_available


def _json(capsys, argv):
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    out.pop("note", None)
    return out


@pytest.mark.parametrize(
    "argv",
    [
        ["km", "--endpoint", "EFS", "--at", "365.25,1095.75"],
        ["compare", "--endpoint", "OS", "--group", "sex"],
        ["cif", "--endpoint", "CIR", "--group", "sex"],
        ["followup", "--endpoint", "OS"],
        ["cox", "--endpoint", "OS", "--covariates", "sex,age_at_blinatumomab_years"],
    ],
)
def test_seed_cohort_duckdb_output_equals_memory(capsys, argv):
    mem = _json(capsys, [*argv, "--json", "--engine", "memory"])
    got = _json(capsys, [*argv, "--json", "--engine", "duckdb"])
    assert got == mem


@pytest.fixture
def registry(tmp_path):
    rng = np.random.default_rng(3)
    n = 2000
    df = pd.DataFrame({"days": rng.integers(0, 900, n), "died": rng.integers(0, 2, n),
                       "arm": rng.choice(["A", "B"], n), "centre": rng.choice(["x", "y", "z"], n)})  # fmt: skip
    csv = tmp_path / "r.csv"
    df.to_csv(csv, index=False)
    pq = tmp_path / "r.parquet"
    df.to_parquet(pq)
    db = tmp_path / "r.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"CREATE TABLE patients AS SELECT * FROM read_parquet('{pq}')")
    con.close()
    return csv, pq, db


def test_parquet_database_and_sql_give_the_csv_numbers(capsys, registry):
    csv, pq, db = registry
    base = ["compare", "--time", "days", "--event", "died", "--group", "arm", "--json"]
    mem = _json(capsys, [*base, str(csv)])
    assert _json(capsys, [*base, str(pq), "--engine", "duckdb"]) == mem
    assert _json(capsys, [*base, str(db)]) == mem  # a database file: DuckDB by default
    sql = "SELECT * FROM patients WHERE centre <> 'none'"
    assert _json(capsys, [*base, str(db), "--sql", sql]) == mem
    sub = _json(capsys, [*base, str(pq), "--sql", "SELECT * FROM input_table WHERE centre = 'x'"])
    assert sum(g["n"] for g in sub["groups"]) == int((pd.read_csv(csv)["centre"] == "x").sum())


def test_engine_usage_errors(capsys, registry):
    csv, pq, db = registry
    assert main(["km", str(csv), "--time", "days", "--event", "died", "--sql", "SELECT 1",
                 "--engine", "memory"]) == 2  # fmt: skip
    assert "--sql needs an engine" in capsys.readouterr().err
    assert main(["km", str(db), "--time", "days", "--event", "died"]) == 0  # its one table
    assert "counted by duckdb" in capsys.readouterr().out
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE other AS SELECT 1 AS x")
    con.close()
    assert main(["km", str(db), "--time", "days", "--event", "died"]) == 2
    assert "the database has 2 tables (other, patients)" in capsys.readouterr().err
    assert main(["km", str(pq), "--time", "days", "--event", "gone", "--engine", "duckdb"]) == 2
    assert "column not found" in capsys.readouterr().err


def test_auto_engine_by_kind_and_size(registry):
    csv, pq, db = registry
    assert choose_engine("auto", EngineInput(path=str(csv))) == "memory"
    assert choose_engine("auto", EngineInput(path=str(pq))) == "memory"
    assert choose_engine("auto", EngineInput(path=str(db))) == "duckdb"
    assert choose_engine("auto", EngineInput(sql="SELECT 1")) == "duckdb"
    assert choose_engine("memory", EngineInput(path=str(db))) == "memory"
    assert AUTO_DUCKDB_BYTES == 200 * 1024 * 1024


@pytest.mark.skipif(spark_available() is not None, reason=str(spark_available()))
def test_spark_local_mode_output_equals_memory(capsys, registry):
    csv, pq, _ = registry
    base = ["km", "--time", "days", "--event", "died", "--group", "arm", "--json"]
    mem = _json(capsys, [*base, str(csv)])
    got = _json(capsys, [*base, str(pq), "--engine", "spark", "--spark-master", "local[2]"])
    assert got.pop("source").endswith("r.parquet") and mem.pop("source").endswith("r.csv")
    assert got == mem
    seed = ["cif", "--endpoint", "CIR", "--group", "sex", "--json"]
    assert _json(capsys, [*seed, "--engine", "spark"]) == _json(capsys, seed)


def test_a_study_that_renames_headers_and_recodes_on_duckdb(tmp_path, capsys):
    """The engine applies the study file's rename and recode (remission.engines.studyview):
    the same table as in memory (tests/engines/test_study_engine.py has the rest)."""
    from remission.datasets.demo import write_demo_cohort

    cohort, study = write_demo_cohort(tmp_path, n=60, centres=2, seed=3)
    argv = ["km", str(cohort), "--study", str(study), "--endpoint", "OS", "--group", "sex"]
    assert main([*argv, "--engine", "duckdb"]) == 0
    out = capsys.readouterr().out
    assert "counted by duckdb" in out
    assert main([*argv, "--engine", "auto"]) == 0  # auto: a small file, in memory
    mem = capsys.readouterr().out
    assert "counted by" not in mem and "OS from hsct" in mem

    def table(text):
        return [line for line in text.splitlines() if line.startswith(("group", "M ", "F "))]

    assert table(out) == table(mem) and len(table(mem)) == 3
