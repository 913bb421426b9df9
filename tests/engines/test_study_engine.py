"""The engines read a cohort through its study file as the in-memory loader does: the
demo cohort's own headers (rename), sex coded 1/2 (recode), day-first or month-first
dates, the study's interventions as origins, cut-off censoring; count tables equal to
the in-memory ones, and bad dates the same errors (or a refusal naming --engine memory).
"""

import re

import numpy as np
import pytest
from conftest import ENGINES
from helpers import assert_same_table
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.cohort.cohort import load_cohort
from remission.cohort.parse import CellError, parse_date
from remission.cohort.problems import InputError
from remission.datasets.demo import demo_cohort, write_demo_cohort
from remission.engines import EngineInput, count_endpoint, model_rows
from remission.engines.cells import date, present
from remission.engines.duckdb_engine import DuckDBRunner
from remission.stats.counts import count_table
from remission.stats.frontend import survival_data
from remission.stats.km import km_from_counts
from remission.stats.logrank import logrank_test

_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo cohort (day-first and ISO dates mixed, as written by the generator)."""
    return write_demo_cohort(tmp_path_factory.mktemp("demo"), n=400, centres=5, seed=3)


@pytest.fixture(scope="module")
def demo_us(tmp_path_factory):
    """The same cohort written month first (03/21/2019), with date_order: month-first."""
    folder = tmp_path_factory.mktemp("demo_us")
    cohort, study = write_demo_cohort(folder, n=400, centres=5, seed=3)
    frame = demo_cohort(400, 5, seed=3)
    frame = frame.map(lambda v: _DMY.sub(r"\2/\1/\3", v) if isinstance(v, str) else v)
    frame.to_csv(cohort, index=False, lineterminator="\n")
    study.write_text(study.read_text() + "date_order: month-first\n")
    return cohort, study


def _memory_table(cohort, endpoint, origin, group, causes):
    from remission.cli._input import ordered  # as the commands order categories

    frame = ordered(cohort.endpoint(endpoint, origin=origin), cohort.levels)
    sd = survival_data(frame, "time", "event", group, event_codes=(0, 1, 2), require_events=False)
    table = count_table(sd.time, sd.event, sd.group, group_labels=sd.group_labels, causes=causes)
    return table, frame


def _engine(path, study, endpoint, origin, group, engine):
    from remission.cohort.study import load_study

    counts, excluded = count_endpoint(
        EngineInput(path=str(path)), endpoint, origin, load_study(study).data_cutoff_date,
        group, study=load_study(study), engine=engine, require_events=False,
    )  # fmt: skip
    return counts, excluded


def _labels_in_order(table, levels):
    """The memory table's groups follow the study's levels; order the engine's the same."""
    from remission.engines.aggregate import reorder_groups

    return reorder_groups(table, [x for x in levels if x in table.group_labels])


CASES = [("EFS", "cart", "risk_group"), ("OS", "inotuzumab", "sex"), ("CIR", "cart", "sex"),
         ("RFS", "hsct", None)]  # fmt: skip


@pytest.mark.parametrize("which", ["demo", "demo_us"])
@pytest.mark.parametrize(("endpoint", "origin", "group"), CASES)
def test_demo_cohort_on_duckdb_equals_memory(request, which, endpoint, origin, group):
    path, study = request.getfixturevalue(which)
    cohort = load_cohort(path, study=study)
    got, excluded = _engine(path, study, endpoint, origin, group, "duckdb")
    mem, frame = _memory_table(cohort, endpoint, origin, group, got.table.causes)
    table = _labels_in_order(got.table, cohort.levels[group]) if group else got.table
    assert_same_table(table, mem)
    assert excluded == tuple(frame.attrs["excluded"])
    if group:  # recoded 1/2 and canonical levels, not the file's codes
        assert set(table.group_labels) <= set(cohort.levels[group])
    a, b = km_from_counts(table), km_from_counts(mem)
    for ga, gb in zip(a.groups, b.groups, strict=True):
        assert np.array_equal(ga.survival, gb.survival)
        assert np.array_equal(ga.upper, gb.upper, equal_nan=True)
    if group:
        ta, tb = logrank_test([table]), logrank_test([mem])
        assert (ta.statistic, ta.p_value, ta.groups) == (tb.statistic, tb.p_value, tb.groups)


@pytest.mark.parametrize("engine", ENGINES)
def test_demo_cohort_equals_memory_on_each_engine(demo_us, engine):
    path, study = demo_us
    cohort = load_cohort(path, study=study)
    got, _ = _engine(path, study, "EFS", "cart", "risk_group", engine)
    mem, _ = _memory_table(cohort, "EFS", "cart", "risk_group", got.table.causes)
    assert_same_table(_labels_in_order(got.table, cohort.levels["risk_group"]), mem)


def test_model_rows_read_renamed_and_recoded_columns(demo):
    from remission.cohort.study import load_study

    path, study = demo
    s = load_study(study)
    frame, _ = model_rows(EngineInput(path=str(path)), ["sex", "wbc"], "OS", "cart",
                          s.data_cutoff_date, study=s)  # fmt: skip
    cohort = load_cohort(path, study=study)
    mem = cohort.endpoint("OS", origin="cart")
    cols = ["time", "event", "sex", "wbc"]

    def rows(f):  # the same rows, in any order (memory orders patients by id)
        return sorted(
            tuple(None if x != x else x for x in r) for r in f[cols].astype(object).values
        )

    assert rows(frame) == rows(mem.astype({"sex": str}))


# --- dates: what SQL reads is what the in-memory parser reads ---------------------------

_PARTS = st.tuples(st.integers(0, 35), st.integers(0, 35), st.integers(1000, 2300))
_SEPS = st.sampled_from(["/", ".", "-"])


@st.composite
def date_texts(draw):
    """Dates in every written form, valid or not, with blanks around some."""
    a, b, y = draw(_PARTS)
    s1, s2 = draw(_SEPS), draw(_SEPS)
    pad = draw(st.sampled_from(["", "0"]))
    form = draw(st.sampled_from(["dmy", "iso", "iso_t", "yy", "name", "serial", "junk"]))
    text = {
        "dmy": f"{pad}{a}{s1}{pad}{b}{s2}{y}",
        "iso": f"{y}{s1}{pad}{a}{s2}{pad}{b}",
        "iso_t": f"{y}-{a:02d}-{b:02d} 00:00:00",
        "yy": f"{a}/{b}/{y % 100:02d}",
        "name": f"{a} Mar {y}",
        "serial": str(40000 + a * 100 + b),
        "junk": draw(st.sampled_from(["NA", "unknown", "nan", "-", "", "2019", "x", "n.a."])),
    }[form]
    return draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", " "]))


def _sql_dates(values, month_first):
    import pandas as pd

    frame = pd.DataFrame({"v": values})
    with DuckDBRunner(EngineInput(frame=frame)) as r:
        sql = (
            f"SELECT {date(r.dialect, 'v', 'text', 'VARCHAR', month_first)}, "
            + present(r.dialect, '"v"', "text")
            + " FROM input_table"
        )
        return r.fetch(sql)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(date_texts(), min_size=1, max_size=20), month_first=st.booleans())
def test_sql_dates_agree_with_the_parser(values, month_first):
    for v, (got, is_present) in zip(values, _sql_dates(values, month_first), strict=True):
        try:  # a blank cell is read as None (io.read_table), never as ""
            want = parse_date(v, month_first) if v.strip() else None
        except CellError:
            want = "error"
        assert is_present == (want is not None), v
        if got is not None:  # read by SQL: the very date the loader reads
            assert got == want, v
        elif want not in (None, "error"):  # read in memory only: forms SQL leaves out
            assert re.search(r"[A-Za-z]", v) or re.fullmatch(r"\s*\d{5}\s*", v), v


TRICKY = ["2019-03-21", " 2019/3/21 ", "2019-03-21 00:00:00", "2019-03-21T00:00", "21/03/2019",
          "21.03.2019", "21-03-2019", "03/21/2019", "3/4/2019", "31/02/2019", "21/03-2019",
          "21/03/19", "21 Mar 2019", "43545", "1677-12-31", "2262-01-01", "\u00a02019-03-21",
          "NA", "unknown", "nan", "-", "13/13/2019", "2019-13-01", "2019-03-21 10:00:00"]  # fmt: skip


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("month_first", [False, True])
def test_tricky_dates_on_each_engine(engine, month_first):
    """What each engine's SQL reads is exactly what parse_date reads."""
    import pandas as pd

    from remission.engines import open_runner

    with open_runner(engine, EngineInput(frame=pd.DataFrame({"v": TRICKY}))) as r:
        c = r.dialect.quote("v")
        got = r.fetch(
            f"SELECT {date(r.dialect, c, 'text', 'string', month_first)} FROM input_table"
        )
    read = 0
    for v, (day,) in zip(TRICKY, got, strict=True):
        try:
            want = parse_date(v, month_first)
        except CellError:
            want = "error"
        if day is not None:
            read += 1
            assert day == want, v
        else:
            assert want in (None, "error") or v in ("21 Mar 2019", "43545"), v
    assert read == (7 if month_first else 9)  # 5 ISO forms, 3/4/2019 and 21/03 x3 or 03/21


# --- errors -------------------------------------------------------------------------------


def _with_cell(tmp_path, demo, header, row, value, extra_study=""):
    import pandas as pd

    path, study = demo
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, header] = value
    out = tmp_path / "cohort.csv"
    frame.to_csv(out, index=False, lineterminator="\n")
    s = tmp_path / "study.yaml"
    s.write_text(study.read_text() + extra_study)
    return out, s


def _both_errors(path, study, engine="duckdb"):
    with pytest.raises(InputError) as mem:
        load_cohort(path, study=study)
    with pytest.raises(InputError) as eng:
        _engine(path, study, "EFS", "cart", None, engine)
    return mem.value.problems, eng.value.problems


def test_impossible_date_is_the_loaders_error(tmp_path, demo):
    path, study = _with_cell(tmp_path, demo, "Last contact", 5, "31/02/2022")
    mem, eng = _both_errors(path, study)
    (want,) = [p for p in mem if p.column == "last_followup_date"]
    (got,) = eng
    assert (got.message, got.row, got.patient_id, got.value, got.expected, got.header) == (
        want.message, want.row, want.patient_id, want.value, want.expected, want.header
    )  # fmt: skip
    assert "no such date" in got.message and got.header == "Last contact"


def test_month_first_cells_in_a_day_first_column(tmp_path, demo):
    path, study = _with_cell(tmp_path, demo, "CAR-T infusion date", 7, "03/25/2021")
    mem, eng = _both_errors(path, study)
    (want,) = [p for p in mem if p.column == "cart_infusion_date" and p.row is None]
    (got,) = eng
    assert got.message == want.message  # "... in 1 cell, the first in row 9: ..."
    assert (got.value, got.expected) == (want.value, want.expected)
    assert "row 9" in got.message and "date_order: month-first" in got.expected


def test_day_first_cell_in_a_month_first_column(tmp_path, demo_us):
    path, study = _with_cell(tmp_path, demo_us, "Last contact", 3, "25/03/2021")
    mem, eng = _both_errors(path, study)
    (want,) = [p for p in mem if p.column == "last_followup_date"]
    (got,) = eng
    assert (got.message, got.row, got.value, got.expected) == (
        want.message, want.row, want.value, want.expected
    )  # fmt: skip


@pytest.mark.parametrize("form", ["month name", "Excel day number"])
def test_a_form_only_memory_reads_is_refused(tmp_path, demo, form):
    import datetime as dt

    import pandas as pd

    day = parse_date(pd.read_csv(demo[0], dtype=str)["Last contact"][4])
    value = (
        day.strftime("%d %b %Y")
        if form == "month name"
        else str((day - dt.date(1899, 12, 30)).days)
    )
    path, study = _with_cell(tmp_path, demo, "Last contact", 4, value)
    load_cohort(path, study=study)  # memory reads it
    with pytest.raises(InputError) as eng:
        _engine(path, study, "EFS", "cart", None, "duckdb")
    (got,) = eng.value.problems
    assert got.column == "last_followup_date" and got.value == value
    assert "1 cell in a form the duckdb engine does not read (the first in row 6)" in got.message
    assert "--engine memory" in got.expected


def test_unknown_level_is_the_loaders_error(tmp_path, demo):
    path, study = _with_cell(tmp_path, demo, "risk_group", 2, "hihg")
    _engine(path, study, "EFS", "cart", "sex", "duckdb")  # a column not used: not checked
    with pytest.raises(InputError) as memory:
        load_cohort(path, study=study)
    mem = memory.value.problems
    with pytest.raises(InputError) as eng:
        _engine(path, study, "EFS", "cart", "risk_group", "duckdb")
    (want,) = [p for p in mem if p.column == "risk_group"]
    (got,) = eng.value.problems
    assert (got.message, got.row, got.value, got.expected) == (
        want.message, want.row, want.value, want.expected
    )  # fmt: skip
    assert "did you mean 'high'" in got.message


def test_unknown_origin_lists_what_there_is_after_renaming(demo):
    path, study = demo
    with pytest.raises(InputError) as eng:
        _engine(path, study, "EFS", "car", None, "duckdb")
    text = eng.value.render()
    assert "unknown origin 'car'; did you mean 'cart'?" in text
    assert "diagnosis, hsct, cart, inotuzumab" in text and "cart_infusion_date" in text
    assert "Date of diagnosis" not in text  # the renamed name, not the file's header
    with pytest.raises(InputError) as mem:
        load_cohort(path, study=study).endpoint("EFS", origin="car")
    assert mem.value.problems[0].message == eng.value.problems[0].message


def test_two_headers_renamed_to_one_name(tmp_path, demo):
    path, study = demo
    s = tmp_path / "study.yaml"
    s.write_text(study.read_text().replace("  Centre: centre\n", "  Centre: risk_group\n"))
    with pytest.raises(InputError, match="two columns for one name after renaming"):
        _engine(path, s, "EFS", "cart", None, "duckdb")


# --- the command line, end to end ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["km", "--endpoint", "EFS", "--origin", "cart", "--group", "risk_group"],
        ["compare", "--endpoint", "OS", "--origin", "cart", "--group", "sex",
         "--strata", "risk_group"],
        ["compare", "--endpoint", "RFS", "--origin", "inotuzumab", "--group", "risk_group",
         "--test", "trend"],
    ],
)  # fmt: skip
@pytest.mark.parametrize("which", ["demo", "demo_us"])
def test_cli_prints_the_same_numbers_on_duckdb(request, capsys, which, args):
    from remission.cli import main

    path, study = request.getfixturevalue(which)
    printed = {}
    for engine in ("memory", "duckdb"):
        assert main([args[0], str(path), "--study", str(study), *args[1:], "--engine", engine]) == 0
        printed[engine] = capsys.readouterr().out.splitlines()
    notes = [line for line in printed["duckdb"] if "times in days)" in line]
    assert len(notes) == 1 and "counted by duckdb" in notes[0]
    assert notes[0].replace("; counted by duckdb", "") in printed["memory"]  # the same note
    assert "events after the data cut-off 2023-12-31 censored at it" in notes[0]

    def numbers(lines):  # everything but the note line, which names the engine
        return [line for line in lines if "times in days)" not in line]

    assert numbers(printed["duckdb"]) == numbers(printed["memory"])
    assert len(numbers(printed["memory"])) > 5
    late = [
        re.search(r"(\d+) events? after the data cut-off", "\n".join(p)) for p in printed.values()
    ]
    assert late[0].group(1) == late[1].group(1)


def test_a_misspelt_header_of_a_used_column_is_named(tmp_path, demo):
    """The brief's case: the header 'Diagnosis Date' that no rename maps is taken, as in
    memory, for a misspelling of diagnosis_date (not an 'unknown origin')."""
    path, study = demo
    text = path.read_text().replace("Date of diagnosis", "Diagnosis Date", 1)
    (tmp_path / "cohort.csv").write_text(text)
    with pytest.raises(InputError) as mem:
        load_cohort(tmp_path / "cohort.csv", study=study)
    with pytest.raises(InputError) as got:
        _engine(tmp_path / "cohort.csv", study, "EFS", "diagnosis", None, "duckdb")
    (want,) = mem.value.problems
    (problem,) = got.value.problems
    assert problem == want
    assert "did you mean 'diagnosis_date'" in problem.message
    _engine(tmp_path / "cohort.csv", study, "EFS", "cart", None, "duckdb")  # column not used


def _model(path, study, columns):
    from remission.cohort.study import load_study

    s = load_study(study)
    return model_rows(EngineInput(path=str(path)), columns, "EFS", "cart", s.data_cutoff_date,
                      study=s)  # fmt: skip


def test_numbers_of_a_model_as_the_loader_reads_them(tmp_path, demo):
    path, study = _with_cell(tmp_path, demo, "wbc", 3, "-1.5")
    with pytest.raises(InputError) as memory:
        load_cohort(path, study=study)
    (want,) = [p for p in memory.value.problems if p.column == "wbc"]
    with pytest.raises(InputError) as eng:
        _model(path, study, ["wbc"])
    (got,) = eng.value.problems
    assert (got.message, got.row, got.value, got.expected) == (
        want.message, want.row, want.value, want.expected
    )  # fmt: skip
    assert "below the minimum" in got.message


@pytest.mark.parametrize(
    ("header", "value", "column", "says"),
    [
        ("wbc", "2,5", "wbc", "does not read as a number"),
        ("MRD pre", "0.5", "mrd_pre_percent", "MRD results"),
        (None, None, "age_at_cart_years", "ages are computed from the dates in memory only"),
    ],
)
def test_what_only_memory_reads_is_refused_in_a_model(tmp_path, demo, header, value, column, says):
    path, study = _with_cell(tmp_path, demo, header, 3, value) if header else demo
    load_cohort(path, study=study)  # memory reads it
    with pytest.raises(InputError) as eng:
        _model(path, study, [column])
    (got,) = eng.value.problems
    assert got.column == column and says in got.message and "--engine memory" in got.expected


def _with_column(tmp_path, demo, name, values):
    import pandas as pd

    path, study = demo
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[name] = [values[i % len(values)] for i in range(len(frame))]
    out = tmp_path / "cohort.csv"
    frame.to_csv(out, index=False, lineterminator="\n")
    return out, study


def test_an_undeclared_group_in_the_loaders_natural_order(tmp_path, capsys, demo):
    from remission.cli import main

    path, study = _with_column(tmp_path, demo, "arm", ["arm 10", "arm 9", "arm 2"])
    got, _ = _engine(path, study, "EFS", "cart", "arm", "duckdb")
    assert got.table.group_labels == ("arm 2", "arm 9", "arm 10")
    printed = []
    for engine in ("memory", "duckdb"):
        argv = ["compare", str(path), "--study", str(study), "--endpoint", "EFS", "--origin",
                "cart", "--group", "arm", "--test", "trend", "--engine", engine]  # fmt: skip
        assert main(argv) == 0
        printed.append([x for x in capsys.readouterr().out.splitlines() if "days)" not in x])
    assert printed[0] == printed[1]


def test_spellings_the_loader_merges_are_refused(tmp_path, demo):
    path, study = _with_column(tmp_path, demo, "arm", ["A", "a", "B"])
    load_cohort(path, study=study)  # memory merges A and a
    with pytest.raises(InputError) as eng:
        _engine(path, study, "EFS", "cart", "arm", "duckdb")
    (got,) = eng.value.problems
    assert got.column == "arm" and got.value == "'A', 'a'" and "--engine memory" in got.expected


def test_cli_cox_prints_the_same_model_on_duckdb(capsys, demo):
    """Cox reads its model's columns from the engine: renamed, recoded, in the study's
    levels, the rows left out named by their spreadsheet rows, as in memory."""
    from remission.cli import main

    path, study = demo
    printed = []
    for engine in ("memory", "duckdb"):
        argv = ["cox", str(path), "--study", str(study), "--endpoint", "EFS", "--origin", "cart",
                "--covariates", "risk_group,sex,wbc", "--engine", engine]  # fmt: skip
        assert main(argv) == 0
        printed.append(capsys.readouterr().out.splitlines())
    assert "model columns read from duckdb" in printed[1][1]
    assert printed[1][1].startswith(printed[0][1])  # the note, and what the engine adds
    assert printed[0][2:] == printed[1][2:]
    assert any("missing wbc" in x for x in printed[0]) and any("sexF" in x for x in printed[0])
