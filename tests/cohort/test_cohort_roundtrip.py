"""Property tests: order does not matter; CSV -> Parquet -> xlsx -> CSV loses nothing."""

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from cohort_builders import cohort_rows as fixed_rows
from cohort_builders import load_seed_like, write_rows
from cohort_strategies import cohort_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.cohort.mrdvalue import MRDQualifier
from remission.cohort.problems import InputError
from remission.cohort.write import write_cohort

SETTINGS = settings(max_examples=15, deadline=None, derandomize=True)


@SETTINGS
@given(rows=cohort_rows(), data=st.data())
def test_any_permutation_of_rows_and_columns_gives_the_same_cohort(rows, data):
    columns = list(rows[0])
    order = data.draw(st.permutations(range(len(rows))))
    col_order = data.draw(st.permutations(columns))
    with tempfile.TemporaryDirectory() as d:
        a = pd.DataFrame(rows, columns=columns, dtype=object)
        b = a.iloc[list(order)][list(col_order)]
        a.to_csv(Path(d) / "a.csv", index=False)
        b.to_csv(Path(d) / "b.csv", index=False)
        ca, cb = load_seed_like(Path(d) / "a.csv"), load_seed_like(Path(d) / "b.csv")
    assert ca.equals(cb)
    assert ca.patient_ids == cb.patient_ids


@SETTINGS
@given(rows=cohort_rows())
def test_csv_parquet_xlsx_round_trip_loses_nothing(rows):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        pd.DataFrame(rows, dtype=object).to_csv(d / "in.csv", index=False)
        first = load_seed_like(d / "in.csv")
        cohort = first
        for name in ("a.parquet", "b.xlsx", "c.csv"):
            cohort = load_seed_like(write_cohort(cohort, d / name))
            assert cohort.equals(first), name
        write_cohort(first, d / "first.csv")
        assert (d / "first.csv").read_bytes() == (d / "c.csv").read_bytes()
    for col in ("mrd_pre_percent", "mrd_post_percent"):
        assert [v.to_text() for v in cohort.frame[col]] == [v.to_text() for v in first.frame[col]]


def test_round_trip_keeps_mrd_qualifiers(tmp_path):
    rows = fixed_rows(3)
    rows[0]["mrd_post_percent"] = "pos <0.01"
    rows[1]["mrd_post_percent"] = "N/A"
    first = load_seed_like(write_rows(tmp_path / "in.csv", rows))
    for name in ("a.parquet", "b.xlsx"):
        again = load_seed_like(write_cohort(first, tmp_path / name))
        post = list(again.frame["mrd_post_percent"])
        assert [v.qualifier for v in post] == [
            MRDQualifier.POSITIVE_NOT_QUANTIFIABLE, MRDQualifier.MISSING,
            MRDQualifier.POSITIVE_NOT_QUANTIFIABLE,
        ]  # fmt: skip
        assert post[0].limit == 0.01
        assert [v.limit for v in again.frame["mrd_pre_percent"]] == [None, None, 0.01]


def test_csv_text_is_canonical(tmp_path):
    rows = fixed_rows(2)
    rows[0]["hsct_date"] = "20/07/2017"
    rows[0]["notes"] = "=1+1"
    out = write_cohort(load_seed_like(write_rows(tmp_path / "in.csv", rows)), tmp_path / "o.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbfpatient_id,")  # BOM, for Excel
    text = out.read_text(encoding="utf-8-sig")
    assert "2017-07-20" in text and "20/07/2017" not in text
    # issue 11: formula text is neutralised in CSV (OWASP), and read back as written
    assert ",<0.005," in text and ",'=1+1" in text and ",=1+1" not in text
    assert load_seed_like(out).frame.loc[0, "notes"] == "=1+1"
    xlsx = load_seed_like(write_cohort(load_seed_like(out), tmp_path / "o.xlsx"))
    assert xlsx.frame.loc[0, "notes"] == "=1+1"


def test_write_is_atomic_and_checks_suffix(tmp_path):
    cohort = load_seed_like(write_rows(tmp_path / "in.csv", fixed_rows(2)))
    with pytest.raises(ValueError, match="cannot write .json"):
        write_cohort(cohort, tmp_path / "o.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@SETTINGS
@given(rows=cohort_rows(min_size=2), data=st.data())
def test_a_corrupted_row_is_named_and_only_it_is_dropped(rows, data):
    i = data.draw(st.integers(0, len(rows) - 1))
    col, bad = data.draw(
        st.sampled_from(
            [
                ("sex", "?"),
                ("hsct_date", "31/02/2019"),
                ("crs_grade", "7"),
                ("mrd_pre_percent", "-1"),
            ]
        )
    )
    rows = [dict(r) for r in rows]
    rows[i][col] = bad
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "c.csv"
        pd.DataFrame(rows, dtype=object).to_csv(path, index=False)
        with pytest.raises(InputError) as exc:
            load_seed_like(path)
        cohort = load_seed_like(path, drop_invalid=True)
    (p,) = exc.value.problems
    assert (p.row, p.patient_id, p.column, p.value) == (i + 2, rows[i]["patient_id"], col, bad)
    assert [(x.row, x.patient_id) for x in cohort.dropped] == [(i + 2, rows[i]["patient_id"])]
    assert sorted(cohort.patient_ids) == sorted(
        r["patient_id"] for j, r in enumerate(rows) if j != i
    )
