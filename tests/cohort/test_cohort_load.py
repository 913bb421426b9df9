"""load_cohort on valid input: typed frame, order, formats, summary, source, endpoint."""

import datetime as dt
import hashlib

import openpyxl
import pandas as pd
import pytest
from cohort_builders import cohort_rows, load_seed_like, row, seed_like_study, write_rows

import remission.endpoints
from remission.cohort.cohort import Cohort, as_date, natural_key
from remission.cohort.mrdvalue import MRDValue
from remission.cohort.problems import InputError
from remission.cohort.schema import COLUMN_NAMES


def test_typed_frame(tmp_path):
    cohort = load_seed_like(write_rows(tmp_path / "c.csv", cohort_rows(3)))
    f = cohort.frame
    assert list(f.columns) == list(COLUMN_NAMES) + [c.name for c in seed_like_study().columns]
    assert str(f["hsct_date"].dtype) == "datetime64[ns]"
    assert f["lymphocytes_pre_1e9_per_l"].dtype == "float64"
    assert str(f["crs_grade"].dtype) == "Int64"
    assert f["mrd_pre_percent"].dtype == object
    assert list(f["mrd_pre_percent"]) == [
        MRDValue.quantifiable(0.06), MRDValue.quantifiable(0.06), MRDValue.negative(0.01)
    ]  # fmt: skip
    assert list(f["mrd_post_percent"]) == [MRDValue.negative(0.005)] * 2 + [MRDValue.pnq()]
    assert f.loc[1, "death_date"] == pd.Timestamp("2018-03-01")
    assert f.loc[2, "donor"] == "haplo"
    assert f.loc[0, "relapse_date"] is pd.NaT
    assert f.loc[0, "cause_of_death"] is None


def test_canonical_categories_and_synonyms(tmp_path):
    rows = [row(1, sex="female", disease_status="first RELAPSE", cns_status="cns2",
                donor="Haploidentical", kmt2a_rearranged="Y")]  # fmt: skip
    f = load_seed_like(write_rows(tmp_path / "c.csv", rows)).frame
    assert f.loc[0, ["sex", "disease_status", "cns_status", "donor", "kmt2a_rearranged"]].tolist() == [
        "F", "first relapse", "CNS2", "haplo", "yes"
    ]  # fmt: skip


def test_age_derived_from_dates_or_checked(tmp_path):
    rows = [row(1), row(2, age_at_blinatumomab_years="0.42")]
    cohort = load_seed_like(write_rows(tmp_path / "c.csv", rows))
    days = (dt.date(2017, 6, 1) - dt.date(2017, 1, 10)).days  # 142
    assert cohort.frame["age_at_blinatumomab_years"].tolist() == [days / 365.25, 0.42]
    assert cohort.age_derived == ("P1",)
    assert cohort.summary().n_age_derived == 1


def test_optional_columns_may_be_left_out(tmp_path):
    path = write_rows(tmp_path / "c.csv", cohort_rows(2), drop=("notes", "mrd_pre_percent"))
    f = load_seed_like(path).frame
    assert f["notes"].isna().all()
    assert all(v.is_missing for v in f["mrd_pre_percent"])


def test_natural_order_of_patients(tmp_path):
    rows = [row(i) for i in (10, 2, 1)]
    cohort = load_seed_like(write_rows(tmp_path / "c.csv", rows))
    assert cohort.patient_ids == ("P1", "P2", "P10")
    assert cohort.source_rows == (4, 3, 2)
    assert sorted(["a10", "a9", "b1", "a09"], key=natural_key) == ["a09", "a9", "a10", "b1"]


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet", ".csv"])
def test_formats_give_the_same_cohort(tmp_path, suffix):
    rows = cohort_rows(3)
    ref = load_seed_like(write_rows(tmp_path / "ref.csv", rows))
    assert load_seed_like(write_rows(tmp_path / f"c{suffix}", rows)).equals(ref)


def test_excel_date_cells_and_serial_numbers(tmp_path):
    rows = cohort_rows(2)
    ref = load_seed_like(write_rows(tmp_path / "ref.csv", rows))
    path = write_rows(tmp_path / "c.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("hsct_date") + 1).value = dt.datetime(2017, 7, 20)
    ws.cell(3, header.index("hsct_date") + 1).value = 42936  # 2017-07-20 as a serial number
    ws.cell(2, header.index("crs_grade") + 1).value = 0
    ws.cell(2, header.index("mrd_pre_percent") + 1).value = 0.06
    wb.save(path)
    assert load_seed_like(path).equals(ref)


def test_semicolon_csv_with_day_first_dates(tmp_path):
    rows = cohort_rows(2)
    for r in rows:
        r["hsct_date"] = "20/07/2017"
        r["lymphocytes_pre_1e9_per_l"] = "1,2"
    ref = load_seed_like(write_rows(tmp_path / "ref.csv", cohort_rows(2)))
    path = tmp_path / "c.csv"
    pd.DataFrame(rows).to_csv(path, sep=";", index=False)
    assert load_seed_like(path).equals(ref)


def test_sheet_choice(tmp_path):
    path = tmp_path / "c.xlsx"
    with pd.ExcelWriter(path) as w:
        pd.DataFrame({"readme": ["not data"]}).to_excel(w, sheet_name="about", index=False)
        pd.DataFrame(cohort_rows(2)).to_excel(w, sheet_name="patients", index=False)
    assert load_seed_like(path, sheet="patients").n == 2


def test_source_and_summary(tmp_path):
    path = write_rows(tmp_path / "c.csv", cohort_rows(3))
    cohort = load_seed_like(path, data_cutoff="30/06/2019")
    assert cohort.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert cohort.data_cutoff == dt.date(2019, 6, 30)
    s = cohort.summary()
    assert (s.n_patients, s.n_dropped) == (3, 0)
    assert (s.first_date, s.last_date) == (dt.date(2017, 1, 10), dt.date(2019, 6, 1))
    assert s.date_ranges["death_date"] == (dt.date(2018, 3, 1), dt.date(2018, 3, 1))
    assert "relapse_date" in s.date_ranges and "second_malignancy_date" not in s.date_ranges
    assert s.missing["death_date"] == 2
    assert s.missing["mrd_pre_percent"] == 0
    assert s.missing["second_malignancy_date"] == 3
    d = s.to_dict()
    assert d["data_cutoff"] == "2019-06-30" and d["missing"]["notes"] == 3


def test_frame_is_a_copy(tmp_path):
    cohort = load_seed_like(write_rows(tmp_path / "c.csv", cohort_rows(2)))
    f = cohort.frame
    f.loc[0, "sex"] = "F"
    assert cohort.frame.loc[0, "sex"] == "M"


def test_as_date():
    assert as_date("2020-06-30") == as_date(dt.date(2020, 6, 30)) == as_date("30/06/2020")
    with pytest.raises(ValueError, match="not a date"):
        as_date("soon")


def test_endpoint_delegates(tmp_path):
    derive = remission.endpoints.derive_endpoint
    cohort = load_seed_like(
        write_rows(tmp_path / "c.csv", cohort_rows(3)), data_cutoff="2019-01-01"
    )
    out = cohort.endpoint("OS", origin="hsct")
    direct = derive(cohort.frame, "OS", "hsct", data_cutoff=cohort.data_cutoff)
    pd.testing.assert_frame_equal(out, direct.frame)
    assert out.attrs["excluded"] is direct.excluded or out.attrs["excluded"] == direct.excluded
    assert isinstance(cohort, Cohort)


def test_cohort_cannot_be_changed(tmp_path):
    cohort = load_seed_like(write_rows(tmp_path / "c.csv", cohort_rows(2)))
    with pytest.raises(AttributeError, match="cannot be changed"):
        cohort.data_cutoff = dt.date(2020, 1, 1)
    d = cohort.to_dict()
    assert d["n"] == 2 and d["patient_ids"] == ["P1", "P2"] and d["dropped"] == []
    assert d["source"]["path"] == str(tmp_path / "c.csv")


def test_parquet_with_native_types(tmp_path):
    rows = cohort_rows(3)
    ref = load_seed_like(write_rows(tmp_path / "ref.csv", rows))
    frame = pd.DataFrame(rows, dtype=object)
    for c in ("date_of_birth", "hsct_date", "relapse_date", "death_date", "last_followup_date"):
        frame[c] = pd.to_datetime(frame[c].replace("", None))
    frame["crs_grade"] = pd.array([0, None, 0], dtype="Int64")
    frame["lymphocytes_pre_1e9_per_l"] = [1.2, 1.2, 1.2]
    frame["kmt2a_rearranged"] = [True, True, True]
    frame.to_parquet(tmp_path / "c.parquet")
    got = load_seed_like(tmp_path / "c.parquet").frame
    want = ref.frame
    want.loc[1, "crs_grade"] = pd.NA
    pd.testing.assert_frame_equal(got, want)


def test_blank_rows_are_skipped_and_row_numbers_kept(tmp_path):
    rows = cohort_rows(3)
    rows.insert(1, dict.fromkeys(rows[0], ""))
    rows[3]["sex"] = "?"
    with pytest.raises(InputError) as exc:
        load_seed_like(write_rows(tmp_path / "c.csv", rows))
    assert [(p.row, p.patient_id, p.column) for p in exc.value.problems] == [(5, "P3", "sex")]
    cohort = load_seed_like(write_rows(tmp_path / "c.csv", rows), drop_invalid=True)
    assert cohort.source_rows == (2, 4)
    assert [d.row for d in cohort.dropped] == [5]
