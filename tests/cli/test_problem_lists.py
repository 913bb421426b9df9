"""Every command prints a long list of problems the same way: the first
``SHOWN_PROBLEMS`` one a line, the rest counted by kind, and where to get all of them."""

import csv
import re

import pytest

from remission.cli import SHOWN_PROBLEMS, main
from remission.datasets import seed_cohort_path


@pytest.fixture(scope="module")
def bad_cohort(tmp_path_factory):
    """The seed cohort 6 times over (66 patients): 40 unreadable MRD results, then 4 last
    follow-up dates before the HSCT, 22 valid rows."""
    with open(seed_cohort_path(), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], rows[1:]
    out = [head]
    for k in range(6):
        for i, row in enumerate(body):
            r = list(row)
            r[0] = f"{r[0]}-{k}"
            n = k * len(body) + i
            if n < 40:
                r[head.index("mrd_pre_percent")] = "lots"
            elif n < 44:
                r[head.index("last_followup_date")] = "2010-01-01"
            out.append(r)
    path = tmp_path_factory.mktemp("bad") / "cohort.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(out)
    return path


def _err(capsys, argv):
    assert main(argv) == 2
    return capsys.readouterr().err


COMMANDS = [
    ["km", "--endpoint", "OS", "--data-cutoff", "2019-12-31"],
    ["km", "--endpoint", "OS"],
    ["compare", "--endpoint", "OS", "--group", "sex", "--data-cutoff", "2019-12-31"],
    ["cif", "--endpoint", "CIR", "--data-cutoff", "2019-12-31"],
    ["validate", "--data-cutoff", "2019-12-31"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_a_long_problem_list_is_capped_alike(bad_cohort, capsys, argv):
    err = _err(capsys, [argv[0], str(bad_cohort), *argv[1:]])
    lines = err.splitlines()
    n = int(re.fullmatch(rf"remission {argv[0]}: (\d+) problems found:", lines[0]).group(1))
    assert n > 44  # 40 MRD results, and each early follow-up date breaks several rules
    listed = [ln for ln in lines if ln.startswith("  - ")]
    assert len(listed) == SHOWN_PROBLEMS
    assert f"  ... and {n - SHOWN_PROBLEMS} more:" in lines
    assert "      10 x not an MRD result in column 'mrd_pre_percent'" in lines
    assert len(lines) <= SHOWN_PROBLEMS + 12  # the rest counted by kind, never listed
    assert lines[-1].startswith("(every problem, one a row: remission validate FILE")
    # the same list whichever command found it
    validate = _err(capsys, ["validate", str(bad_cohort), "--data-cutoff", "2019-12-31"])
    assert err.split(":", 1)[1] == validate.split(":", 1)[1]


def test_drop_invalid_listing_is_capped_too(bad_cohort, capsys, tmp_path):
    assert main(["validate", str(bad_cohort), "--drop-invalid"]) == 0
    out = capsys.readouterr().out
    assert "44 rows excluded (--drop-invalid):" in out and "22 patients valid" in out
    reasons = [ln for ln in out.splitlines() if ln.startswith("    - ")]
    assert 0 < len(reasons) <= SHOWN_PROBLEMS
    assert "more rows (" in out and "x not an MRD result in column 'mrd_pre_percent'" in out
    assert "--drop-invalid --problems problems.csv)" in out
    target = tmp_path / "problems.csv"
    assert main(["validate", str(bad_cohort), "--drop-invalid", "--problems", str(target)]) == 0
    out = capsys.readouterr().out
    assert "--problems problems.csv)" not in out  # every problem is in the file already
    with open(target, newline="", encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh))) == 1 + len(
            [ln for ln in out.splitlines() if ln.startswith("    - ")]
        ) + sum(int(ln.split(" x ")[0]) for ln in out.splitlines() if " x " in ln)


def test_exclusions_by_kind_not_by_date():
    from remission.cli._input import excluded_summary

    late = [(f"P{i}", f"hsct_date 2023-01-{i + 1:02d} after the data cut-off 2019-01-01")
            for i in range(25)]  # fmt: skip
    other = [(f"Q{k}", f"reason {k}") for k in range(6)]
    text = excluded_summary([("M1", "hsct_date missing"), *late, *other])
    assert text == (
        "excluded 32: hsct_date after the data cut-off 25 (P0, P1, P2, ...); hsct_date missing "
        "1 (M1); reason 0 1 (Q0); reason 1 1 (Q1); reason 2 1 (Q2); 3 more for 3 other "
        "reasons (all ids with --json)"
    )


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_cutoff_that_excludes_many_gives_one_line(capsys, engine):
    import json

    argv = ["km", "--endpoint", "OS", "--data-cutoff", "2018-06-30", "--engine", engine]
    assert main(argv) == 0
    note = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("Note:"))
    # the seed: 7 HSCTs after 2018-06-30, each on its own date
    assert "excluded 7: hsct_date after the data cut-off 7 (P05, P06, P07, ...)" in note
    assert "P08" not in note and "2019-04-08" not in note
    assert main([*argv, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["excluded_patients"]
    assert [p["patient_id"] for p in listed] == ["P05", "P06", "P07", "P08", "P09", "P10", "P11"]
    assert listed[1]["reason"] == "hsct_date 2019-04-08 after the data cut-off 2018-06-30"
