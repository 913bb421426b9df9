"""A workbook with a title above its table gets one problem naming the header's row, not
one 'column has no name' per column."""

import pandas as pd
import pytest

from remission.cohort.io import read_table
from remission.cohort.problems import InputError


def _book(tmp_path, title_rows):
    path = tmp_path / "titled.xlsx"
    table = pd.DataFrame({"patient_id": ["P1", "P2"], "sex": ["M", "F"], "x": ["1", "2"]})
    with pd.ExcelWriter(path) as w:
        if title_rows:
            pd.DataFrame([["Registry export, 2024"]] + [[""]] * (title_rows - 1)).to_excel(
                w, index=False, header=False, startrow=0)  # fmt: skip
        table.to_excel(w, index=False, startrow=title_rows)
    return path


@pytest.mark.parametrize("title_rows", [1, 2, 4])
def test_title_rows_name_the_header_row(tmp_path, title_rows):
    with pytest.raises(InputError) as err:
        read_table(_book(tmp_path, title_rows))
    (p,) = err.value.problems
    assert p.row == 1
    assert f"the column names seem to be in row {title_rows + 1} ('patient_id', 'sex', 'x')" in (
        p.message
    )
    assert f"delete the {title_rows} row(s) above them" in p.expected


def test_a_plain_table_still_reads(tmp_path):
    assert list(read_table(_book(tmp_path, 0)).frame.columns) == ["patient_id", "sex", "x"]


@pytest.mark.parametrize(
    ("text", "row", "above"),
    [
        ("Registry export\n\npatient_id,sex,x\nP1,M,1\nP2,F,2\n", 3, 2),  # fewer fields
        ("Registry export,,\npatient_id,sex,x\nP1,M,1\n", 2, 1),  # padded by a spreadsheet
        ("Export\r\nby centre 3\r\npatient_id,sex,x\r\nP1,M,1\r\n", 3, 2),
    ],
)
def test_csv_title_rows_name_the_header_row(tmp_path, text, row, above):
    path = tmp_path / "titled.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(InputError) as err:
        read_table(path)
    (p,) = err.value.problems
    assert f"the column names seem to be in row {row} ('patient_id', 'sex', 'x')" in p.message
    assert f"delete the {above} row(s) above them" in p.expected


def test_a_short_row_is_still_named(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("a,b,c\n1,2,3\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(path)
    assert [p.row for p in err.value.problems] == [3]
