"""read_table: text stays text, spreadsheet row numbers, one readable line for bad files."""

import pandas as pd
import pytest

from remission.cohort.io import read_table
from remission.cohort.problems import InputError


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode())
    return p


def test_csv_keeps_text_and_rows(tmp_path):
    p = write(tmp_path, "a.csv", "id,mrd\nP1,<0.005\nP2,N/A\nP3,\n")
    t = read_table(p)
    assert list(t.frame["mrd"]) == ["<0.005", "N/A", None]
    assert t.rows == (2, 3, 4)


def test_formats_agree(tmp_path):
    df = pd.DataFrame({"id": ["P1", "P2"], "mrd": ["<0.005", "0.06"]})
    df.to_csv(tmp_path / "a.csv", index=False)
    df.to_parquet(tmp_path / "a.parquet")
    df.to_excel(tmp_path / "a.xlsx", index=False)
    frames = [read_table(tmp_path / f"a.{s}").frame for s in ("csv", "parquet", "xlsx")]
    for f in frames[1:]:
        pd.testing.assert_frame_equal(f, frames[0])


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("e.csv", b"", "empty"),
        ("b.csv", b"\x00\x01\x02binary", "binary"),
        ("l.csv", "id,x\nP1,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("r.csv", "id,x\nP1,1\nP2,2,3\n", "row 3"),
        ("x.xlsx", b"not a zip file", "not a readable .xlsx"),
        ("x.parquet", b"not parquet", "not a readable Parquet"),
        ("x.json", b"{}", "unsupported file type"),
        ("d.csv", "id,id\nP1,P2\n", "repeated"),
    ],
)
def test_bad_files_one_line(tmp_path, name, data, needle):
    p = write(tmp_path, name, data)
    with pytest.raises(InputError) as exc:
        read_table(p)
    assert needle in str(exc.value)
    assert str(p) in str(exc.value)
    assert "Traceback" not in str(exc.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "nope.csv")


@pytest.mark.parametrize("data", ['""\n', '"",""\r\n,\r\n', '" ";\n\n'])
def test_only_empty_quoted_cells_is_one_problem(tmp_path, data):
    """A file of nothing but empty quoted cells was an IndexError (exit 3) before."""
    p = write(tmp_path, "q.csv", data)
    with pytest.raises(InputError, match="has no header row and no data") as exc:
        read_table(p)
    assert len(exc.value.problems) == 1
