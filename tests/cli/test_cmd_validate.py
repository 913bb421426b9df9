"""remission validate: summary and exit 0, or every problem and exit 2; writes nothing."""

import pytest

import remission.datasets
from remission.cli import main

HEADER = "patient_id,sex,date_of_birth,blinatumomab_start_date,hsct_date,mrd_pre_percent,death_date,last_followup_date"
GOOD = [
    "P1,M,2017-01-10,2017-06-01,2017-07-20,<0.005,,2019-06-01",
    "P2,F,,2017-05-01,2017-06-15,0.06,2018-03-01,2018-03-01",
]


def cohort_file(tmp_path, rows=GOOD, name="cohort.csv"):
    p = tmp_path / name
    p.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return p


def run(capsys, *argv):
    code = main(["validate", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def seed_like(tmp_path):
    """The seed's study file without its cut-off: these cohorts have its columns."""
    text = remission.datasets.seed_study_path().read_text(encoding="utf-8")
    path = tmp_path / "study.yaml"
    path.write_text(text.replace("data_cutoff_date: 2019-12-31\n", ""), encoding="utf-8")
    return path


def test_valid_file_prints_summary(tmp_path, capsys):
    p = cohort_file(tmp_path)
    study = seed_like(tmp_path)
    code, out, err = run(capsys, p, "--data-cutoff", "2019-12-31", "--study", study)
    assert (code, err) == (0, "")
    assert f"{p}: 2 patients valid" in out
    assert "data cut-off: 2019-12-31" in out
    assert "dates from 2017-01-10 to 2019-06-01" in out
    assert "ages computed from the dates for 1" in out
    assert "missing values (of 2):" in out
    assert "    date_of_birth" in out and "    relapse_date" not in out
    assert "not in the file (missing for every patient): centre, date_of_birth" not in out
    assert "not in the file (missing for every patient): centre, diagnosis_date" in out
    assert "  study columns (study file):\n    age_at_blinatumomab_years  number, years" in out
    assert sorted(x.name for x in tmp_path.iterdir()) == ["cohort.csv", "study.yaml"]


def test_extra_columns_are_reported_with_their_inferred_type(tmp_path, capsys):
    p = cohort_file(tmp_path)
    code, out, err = run(capsys, p)
    assert code == 0
    assert "other columns kept, type inferred" in out
    assert "    blinatumomab_start_date  date" in out


def test_every_problem_listed_exit_2_nothing_written(tmp_path, capsys):
    rows = [
        "P1,M,2017-01-10,2017-06-01,2017-05-20,<0.005,,2019-06-01",
        "P1,X,,2017-05-01,2017-06-15,150,2018-03-01,2018-02-01",
    ]
    p = cohort_file(tmp_path, rows)
    study = seed_like(tmp_path)
    code, out, err = run(capsys, p, "--study", study)
    assert code == 2 and out == ""
    assert "6 problems found:" in err
    expected_lines = [
        f"{p}, row 2, patient P1, column 'hsct_date': HSCT before blinatumomab start (value '2017-05-20'); expected on or after blinatumomab_start_date (2017-06-01)",
        f"{p}, row 2, patient P1, column 'patient_id': duplicate patient_id (also in row 3) (value 'P1'); expected a patient_id used only once",
        f"{p}, row 3, patient P1, column 'patient_id': duplicate patient_id (also in row 2) (value 'P1'); expected a patient_id used only once",
        f"{p}, row 3, patient P1, column 'sex': unknown category (value 'X'); expected one of M, F",
        f"{p}, row 3, patient P1, column 'mrd_pre_percent': MRD level above 100 % (value '150'); expected an MRD level from 0 to 100 %",
        f"{p}, row 3, patient P1, column 'death_date': death after last follow-up (value '2018-03-01'); expected on or before last_followup_date (2018-02-01)",
    ]
    for line in expected_lines:
        assert line in err
    assert "Traceback" not in err
    assert sorted(x.name for x in tmp_path.iterdir()) == ["cohort.csv", "study.yaml"]


def test_drop_invalid_lists_excluded_rows(tmp_path, capsys):
    p = cohort_file(tmp_path, [*GOOD, "P3,M,,2017-05-01,,lots,,2018-01-01"])
    code, out, err = run(capsys, p, "--drop-invalid")
    assert code == 0
    assert "2 patients valid" in out
    assert "1 row excluded (--drop-invalid):" in out
    assert "row 4, patient P3:" in out
    assert "not an MRD result (column 'mrd_pre_percent', value 'lots'; expected" in out


def test_study_file_cutoff(tmp_path, capsys):
    p = cohort_file(tmp_path)
    study = tmp_path / "study.yaml"
    study.write_text("data_cutoff_date: 2018-01-01\n")
    code, out, err = run(capsys, p, "--study", study)
    # issue 10: P2's death after the cut-off is censored at it, not an error
    assert code == 0 and "data cut-off: 2018-01-01" in out
    # a cut-off on the command line replaces the study file's (a sensitivity analysis at
    # another cut-off), and says so, as km, compare and report do
    code, out, err = run(capsys, p, "--study", study, "--data-cutoff", "2019-01-01")
    assert code == 0, err
    assert (
        "data cut-off: 2019-01-01 (--data-cutoff, in place of the study file's 2018-01-01)" in out
    )


@pytest.mark.parametrize(
    ("argv", "needle"),
    [(["--data-cutoff", "soon"], "--data-cutoff: 'soon' is not a date"),
     (["--data-cutoff", "06/31/2019"], "--data-cutoff")],
)  # fmt: skip
def test_bad_cutoff_is_a_usage_error(tmp_path, capsys, argv, needle):
    code, out, err = run(capsys, cohort_file(tmp_path), *argv)
    assert code == 2 and needle in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [("e.csv", b"", "file is empty"), ("b.csv", b"\x00\x01\x02", "binary"),
     ("l.csv", "patient_id\ncaf\xe9\n".encode("latin-1"), "not UTF-8"),
     ("r.csv", b"patient_id,sex\nP1,M\nP2,F,x\n", "row 3"), ("x.xlsx", b"PK nope", "not a readable .xlsx"),
     ("missing.csv", None, "file not found")],
)  # fmt: skip
def test_malformed_files(tmp_path, capsys, name, data, needle):
    p = tmp_path / name
    if data is not None:
        p.write_bytes(data)
    code, out, err = run(capsys, p)
    assert code == 2 and needle in err and "Traceback" not in err


def test_seed_cohort_by_default(capsys, monkeypatch, tmp_path):
    if getattr(remission.datasets, "seed_cohort_path", None) is None:
        code, out, err = run(capsys)
        assert code == 2 and "no bundled seed cohort" in err
        monkeypatch.setattr(
            remission.datasets, "seed_cohort_path", lambda: cohort_file(tmp_path), raising=False
        )
    code, out, err = run(capsys)
    assert code == 0, err
    assert "patients valid" in out


def test_drop_invalid_names_header_and_omits_absent_value(tmp_path, capsys):
    """A renamed column shows the spreadsheet's header; a blank cell shows no 'value None';
    a missing-value word ('unknown') in a required column is shown as written."""
    text = "\n".join([HEADER.replace("last_followup_date", "Last contact"), *GOOD,
                      "P3,unknown,,2017-05-01,,,,2018-01-01", "P4,F,,2017-05-01,,,,"])  # fmt: skip
    p = tmp_path / "cohort.csv"
    p.write_text(text + "\n", encoding="utf-8")
    study = tmp_path / "study.yaml"
    study.write_text("rename:\n  Last contact: last_followup_date\n", encoding="utf-8")
    code, out, err = run(capsys, p, "--study", study, "--drop-invalid")
    assert code == 0, err
    assert "value None" not in out
    assert (
        "required value given as a missing-value word (column 'sex', value 'unknown'; "
        "expected one of M, F)" in out
    )
    assert (
        "required value missing (column 'last_followup_date' (header 'Last contact'); "
        "expected a date such as" in out
    )


def _bad_sex(tmp_path, n):
    rows = [f"Q{i},X,,2017-05-01,,,,2018-01-01" for i in range(n)]
    return cohort_file(tmp_path, [*GOOD, *rows])


def test_long_problem_lists_are_capped_with_counts(tmp_path, capsys):
    code, out, err = run(capsys, _bad_sex(tmp_path, 45))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == "remission validate: 45 problems found:"
    assert sum(line.startswith("  - ") for line in lines) == 30
    assert "  ... and 15 more:" in lines
    assert "      15 x unknown category in column 'sex'" in lines
    assert "--problems problems.csv" in lines[-1]


def test_problems_file_lists_every_problem(tmp_path, capsys):
    import csv

    p = _bad_sex(tmp_path, 45)
    target = tmp_path / "problems.csv"
    code, out, err = run(capsys, p, "--problems", target)
    assert code == 2
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["row", "patient_id", "column", "header", "value", "problem", "expected",
                       "file"]  # fmt: skip
    assert len(rows) == 46
    assert rows[1][:3] == ["4", "Q0", "sex"] and rows[1][4:6] == ["X", "unknown category"]
    # a second run replaces its own earlier file
    assert run(capsys, p, "--problems", target)[0] == 2
    assert sorted(x.name for x in tmp_path.iterdir()) == ["cohort.csv", "problems.csv"]


def test_problems_file_never_replaces_a_users_file(tmp_path, capsys):
    p = _bad_sex(tmp_path, 2)
    mine = tmp_path / "notes.csv"
    mine.write_text("my,own\n1,2\n", encoding="utf-8")
    code, out, err = run(capsys, p, "--problems", mine)
    assert code == 2 and "not an earlier problems file" in err
    assert mine.read_text(encoding="utf-8") == "my,own\n1,2\n"
    code, out, err = run(capsys, p, "--problems", p)
    assert code == 2 and "is an input file" in err
    assert sorted(x.name for x in tmp_path.iterdir()) == ["cohort.csv", "notes.csv"]


def test_problems_file_with_drop_invalid_lists_the_reasons(tmp_path, capsys):
    import csv

    p = _bad_sex(tmp_path, 3)
    target = tmp_path / "why.csv"
    code, out, err = run(capsys, p, "--drop-invalid", "--problems", target)
    assert code == 0 and "3 rows excluded" in out
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [r[1] for r in rows[1:]] == ["Q0", "Q1", "Q2"]
