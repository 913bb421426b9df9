"""Every kind of bad input of issue 2 part 4: named precisely, all reported together."""

import datetime as dt

import pytest
from cohort_builders import CELL_CASES, cohort_rows, load_seed_like, row, write_rows

from remission.cohort.problems import InputError


def _load_with_p2(tmp_path, cells, **kw):
    rows = cohort_rows(3)
    rows[1].update(cells)
    return load_seed_like(write_rows(tmp_path / "c.csv", rows), **kw)


@pytest.mark.parametrize(("cells", "col", "value", "message", "expected"), CELL_CASES)
def test_cell_problem_named_precisely(tmp_path, cells, col, value, message, expected):
    with pytest.raises(InputError) as exc:
        _load_with_p2(tmp_path, cells)
    matching = [p for p in exc.value.problems if p.column == col and message in p.message]
    assert len(matching) == 1, exc.value.render()
    p = matching[0]
    assert (p.row, p.patient_id, p.value) == (3, "P2", value)
    assert expected in p.expected
    text = str(p)
    for part in (str(tmp_path / "c.csv"), "row 3", "patient P2", repr(col), message, expected):
        assert part in text
    if value is not None:
        assert repr(value) in text


def test_event_after_data_cutoff_is_censored_not_an_error(tmp_path):
    # issue 10: an interim analysis of a live export; P2's death (2018-03-01) is censored
    cohort = _load_with_p2(tmp_path, {}, data_cutoff="2018-02-01")
    assert cohort.n == 3
    os_ = cohort.endpoint("OS", origin="hsct").set_index("patient_id")
    assert os_.loc["P2", "event"] == 0
    assert os_.loc["P2", "time"] == (dt.date(2018, 2, 1) - dt.date(2017, 7, 20)).days
    assert os_.attrs["after_cutoff"] == 1


def test_date_after_today_is_an_error(tmp_path):
    with pytest.raises(InputError) as exc:
        _load_with_p2(tmp_path, {"last_followup_date": "2034-01-01"}, today=dt.date(2026, 1, 1))
    (p,) = [p for p in exc.value.problems if "run date" in p.message]
    assert (p.row, p.patient_id, p.value) == (3, "P2", "2034-01-01")
    assert p.message == "date after today (the run date)"
    assert p.expected == "on or before 2026-01-01"


def test_follow_up_past_cutoff_is_censoring_not_error(tmp_path):
    cohort = _load_with_p2(tmp_path, {}, data_cutoff="2018-06-01")
    assert cohort.n == 3  # P1 and P3 followed to 2019-06-01, past the cut-off


def test_near_miss_of_an_absent_column_did_you_mean(tmp_path):
    rows = [row(1, **{"HSCT date": "x"}), row(2, **{"HSCT date": "y"})]
    with pytest.raises(InputError) as exc:
        load_seed_like(write_rows(tmp_path / "c.csv", rows, drop=("hsct_date",)))
    (p,) = exc.value.problems
    assert (p.row, p.column) == (1, "HSCT date")
    assert "did you mean 'hsct_date'?" in p.message
    assert "'hsct_date', which is missing" in p.expected
    rows = [row(1, hsct_dat="2017-07-20")]
    with pytest.raises(InputError, match="did you mean 'hsct_date'"):
        load_seed_like(write_rows(tmp_path / "c.csv", rows, drop=("hsct_date",)))


def test_extra_columns_are_kept_with_an_inferred_type(tmp_path):
    rows = [row(i, risk_group=g, wbc=w, cart_date=d, mrd_d28=m, hsct_dat="x")
            for i, (g, w, d, m) in enumerate([("HR", "12.5", "2017-06-02", "<0.01"),
                                              ("SR", "3", "", "0.2"), ("HR", "", "2017-06-09", "PNQ"),
                                              ("IR", "40.1", "2017-06-03", "N/A")], start=1)]  # fmt: skip
    cohort = load_seed_like(write_rows(tmp_path / "c.csv", rows))  # hsct_date present: kept
    kinds = {c.name: c.kind for c in cohort.columns if c.inferred}
    assert kinds == {"risk_group": "category", "wbc": "number", "cart_date": "date",
                     "mrd_d28": "mrd", "hsct_dat": "category"}  # fmt: skip
    assert cohort.levels["risk_group"] == ("HR", "IR", "SR")
    f = cohort.frame
    assert str(f["cart_date"].dtype) == "datetime64[ns]" and f["wbc"].isna().sum() == 1
    assert cohort.summary().inferred["risk_group"] == "category (3 levels)"
    assert cohort.endpoint("OS", origin="cart_date").shape[0] == 3  # any date column


def test_missing_required_column(tmp_path):
    path = write_rows(tmp_path / "c.csv", cohort_rows(2), drop=("sex", "last_followup_date"))
    with pytest.raises(InputError) as exc:
        load_seed_like(path)
    assert {(p.column, p.message) for p in exc.value.problems} == {
        ("sex", "required column missing"),
        ("last_followup_date", "required column missing"),
    }


def test_duplicate_patient_id_names_both_rows(tmp_path):
    rows = cohort_rows(3)
    rows[2]["patient_id"] = "P1"
    with pytest.raises(InputError) as exc:
        load_seed_like(write_rows(tmp_path / "c.csv", rows))
    got = [(p.row, p.patient_id, p.message) for p in exc.value.problems]
    assert got == [
        (2, "P1", "duplicate patient_id (also in row 4)"),
        (4, "P1", "duplicate patient_id (also in row 2)"),
    ]


def test_all_problems_reported_together(tmp_path):
    rows = cohort_rows(3)
    rows[0]["crs_grade"] = "7"
    rows[1]["hsct_date"] = "2017-01-01"
    rows[2]["mrd_pre_percent"] = "101"
    rows[2]["donor"] = "aunt"
    rows.append(row(4, **{"patient_id": "P1", "relapse lineage": "x"}))
    with pytest.raises(InputError) as exc:
        load_seed_like(write_rows(tmp_path / "c.csv", rows, drop=("relapse_lineage",)))
    got = [(p.row, p.column) for p in exc.value.problems]
    assert got == [
        (1, "relapse lineage"),
        (2, "crs_grade"),
        (2, "patient_id"),
        (3, "hsct_date"),
        (4, "mrd_pre_percent"),
        (4, "donor"),
        (5, "patient_id"),
    ]
    assert exc.value.render().startswith("7 problems found:")


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_same_problems_from_every_format(tmp_path, suffix):
    rows = cohort_rows(3)
    rows[1]["hsct_date"] = "2017-05-01"
    rows[2]["donor"] = "aunt"
    problems = []
    for s in (".csv", suffix):
        with pytest.raises(InputError) as exc:
            load_seed_like(write_rows(tmp_path / f"c{s}", rows))
        problems.append([(p.row, p.patient_id, p.column, p.value) for p in exc.value.problems])
    assert problems[0] == problems[1]
    assert len(problems[0]) == 2


def test_drop_invalid_records_which_and_why(tmp_path):
    rows = cohort_rows(4)
    rows[1]["hsct_date"] = "2017-05-01"
    rows[3]["donor"] = "aunt"
    rows[3]["crs_grade"] = "9"
    cohort = load_seed_like(write_rows(tmp_path / "c.csv", rows), drop_invalid=True)
    assert cohort.patient_ids == ("P1", "P3")
    assert [(d.row, d.patient_id) for d in cohort.dropped] == [(3, "P2"), (5, "P4")]
    assert [p.column for p in cohort.dropped[1].problems] == ["crs_grade", "donor"]
    assert "HSCT before blinatumomab start" in cohort.dropped[0].reasons()[0]
    assert cohort.dropped[1].to_dict()["patient_id"] == "P4"
    assert cohort.summary().n_dropped == 2


def test_drop_invalid_never_drops_file_problems(tmp_path):
    path = write_rows(tmp_path / "c.csv", [row(1, donr="MUD")], drop=("donor",))
    with pytest.raises(InputError, match="unknown column"):
        load_seed_like(path, drop_invalid=True)


def test_drop_invalid_with_nothing_left(tmp_path):
    path = write_rows(tmp_path / "c.csv", [row(1, sex="?")])
    with pytest.raises(InputError, match="no valid patient rows left"):
        load_seed_like(path, drop_invalid=True)


def test_header_only_file(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(",".join(row(1)) + "\n")
    with pytest.raises(InputError, match="no patient rows"):
        load_seed_like(path)


@pytest.mark.parametrize(
    ("data", "needle"),
    [(b"", "empty"), (b"\x00\x01binary", "binary"), ("id\ncaf\xe9\n".encode("latin-1"), "UTF-8"),
     (b"patient_id,sex\nP1,M\nP2,F,extra\n", "row 3")],
)  # fmt: skip
def test_malformed_files_one_readable_line(tmp_path, data, needle):
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as exc:
        load_seed_like(path)
    assert len(exc.value.problems) == 1
    assert needle in str(exc.value)


def test_spreadsheet_cells_shown_readably(tmp_path):
    import datetime as dt

    import openpyxl

    path = write_rows(tmp_path / "c.xlsx", cohort_rows(2))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    # Excel turned a lymphocyte count "1.2" into 1 February, and a date got a time of day
    ws.cell(3, header.index("lymphocytes_pre_1e9_per_l") + 1).value = dt.datetime(2017, 2, 1)
    ws.cell(3, header.index("hsct_date") + 1).value = dt.datetime(2017, 7, 20, 14, 30)
    wb.save(path)
    with pytest.raises(InputError) as exc:
        load_seed_like(path)
    got = [(p.row, p.patient_id, p.column, p.value, p.message) for p in exc.value.problems]
    assert got == [
        (3, "P2", "hsct_date", "2017-07-20 14:30:00", "a date with a time of day"),
        (3, "P2", "lymphocytes_pre_1e9_per_l", "2017-02-01", "not a number (datetime)"),
    ]


def test_occurrence_must_agree_with_grade(tmp_path):

    path = tmp_path / "c.csv"
    path.write_text(
        "patient_id,sex,blinatumomab_start_date,last_followup_date,neurotoxicity_grade,"
        "neurotoxicity,crs\nP1,M,2018-01-01,2019-01-01,0,yes,\nP2,F,2018-01-01,2019-01-01,,yes,no\n"
    )
    with pytest.raises(InputError) as exc:
        load_seed_like(path)
    (problem,) = exc.value.problems
    assert (problem.row, problem.patient_id, problem.column) == (2, "P1", "neurotoxicity")
    assert "neurotoxicity_grade is 0" in str(problem)
