"""remission validate on every kind of bad cell: exit 2, the problem named in full, no file written."""

import pytest
from cohort_builders import CELL_CASES, cohort_rows, seed_like_study_file, write_rows

from remission.cli import main


@pytest.mark.parametrize(("cells", "col", "value", "message", "expected"), CELL_CASES)
def test_validate_names_the_problem(tmp_path, capsys, cells, col, value, message, expected):
    rows = cohort_rows(3)
    rows[1].update(cells)
    rows[2]["crs_grade"] = "9"  # a second problem elsewhere: all are listed at once
    path = write_rows(tmp_path / "c.csv", rows)
    study = seed_like_study_file(tmp_path)
    code = main(["validate", str(path), "--study", str(study)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    where = f"  - {path}, row 3, patient P2, column {col!r}: "
    lines = [ln for ln in err.splitlines() if ln.startswith(where) and message in ln]
    assert len(lines) == 1, err
    assert expected in lines[0] and (value is None or repr(value) in lines[0])
    assert f"  - {path}, row 4, patient P3, column 'crs_grade': above the maximum" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", study.name]
