"""Formula cells in every CSV remission writes (issue 11; OWASP "CSV Injection")."""

import csv
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import remission
from remission.cli import main
from remission.cohort.csvsafe import FORMULA_START, neutralise, safe_frame, unneutralise

PAYLOADS = ['=HYPERLINK("http://x.invalid","click")', "@SUM(1+1)", "+1+cmd|' /C calc'!A0",
            "-2+3", "\t=1", "\r=1"]  # fmt: skip


def test_payloads_get_an_apostrophe_and_numbers_stay_numbers():
    for p in PAYLOADS:
        assert neutralise(p) == "'" + p
    for number in ("-0.5", "+3", "1e-3", "-1E+4", ".5", 2, -2.5):
        assert neutralise(number) == number
    assert neutralise("<0.005") == "<0.005" and neutralise("'note") == "'note"
    assert neutralise("'=x") == "''=x" and unneutralise("''=x") == "'=x"


@given(st.text())
def test_neutralised_text_is_safe_and_reads_back(text):
    out = neutralise(text)
    assert not out.startswith(FORMULA_START) or re.fullmatch(r"[+-][\d.eE+-]+", out)
    assert unneutralise(out) == text


def test_frames_are_neutralised_cells_and_header():
    import pandas as pd

    frame = pd.DataFrame({"=a": ["=1", "x"], "n": [-1.5, 2.0]})
    out = safe_frame(frame)
    assert list(out.columns) == ["'=a", "n"]
    assert list(out["'=a"]) == ["'=1", "x"]
    assert list(out["n"]) == [-1.5, 2.0] and list(frame["=a"]) == ["=1", "x"]


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [c for row in csv.reader(fh) for c in row]


def test_report_tables_hold_no_formula_cell(tmp_path, capsys):
    seed = Path(remission.__file__).parent / "datasets" / "seed_cohort.csv"
    rows = list(csv.reader(seed.read_text(encoding="utf-8").splitlines()))
    header = rows[0]
    for i, payload in enumerate(PAYLOADS[:3], start=1):
        for col in ("conditioning", "cause_of_death", "notes", "post_relapse_therapy"):
            rows[i][header.index(col)] = payload if col != "cause_of_death" or rows[i][
                header.index("death_date")] else ""  # fmt: skip
    cohort = tmp_path / "c.csv"
    with cohort.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "r"
    assert main(["report", str(cohort), "-o", str(out)]) == 0, capsys.readouterr().err
    tables = sorted((out / "tables").glob("*.csv"))
    assert tables
    cells = [c for t in tables for c in _cells(t)]
    assert any(c == "'" + PAYLOADS[0] for c in cells)  # the payload reached a table, defused
    bad = [c for c in cells if c.startswith(FORMULA_START)
           and not re.fullmatch(r"[+-][\d.eE+-]+", c)]  # fmt: skip
    assert bad == []


def test_every_csv_writer_in_the_package_uses_the_shared_rule():
    src = Path(remission.__file__).parent
    writers = re.compile(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(")
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if writers.search(text):
            assert "remission.cohort.csvsafe import" in text, path
