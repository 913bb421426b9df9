"""REDCap exports and ADaM .xpt files load to the same cohort as the equivalent CSV."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from remission.cohort.adam import adtte_endpoint, read_adam, read_xpt
from remission.cohort.cohort import load_cohort
from remission.cohort.io import read_table
from remission.cohort.problems import InputError
from remission.cohort.redcap import read_data_dictionary, read_redcap
from remission.datasets import load_seed_cohort, seed_cohort_path, seed_study_path
from remission.mrd.series import read_mrd_series

SEED_COHORT_PATH = seed_cohort_path()

DATA = Path(__file__).parent / "data"
REDCAP = DATA / "redcap"
ADAM = DATA / "adam"
DICT = REDCAP / "seed_DataDictionary.csv"
HEADER = ('"Variable / Field Name","Form Name","Field Type","Field Label",'
          '"Choices, Calculations, OR Slider Labels"\n')  # fmt: skip


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_redcap_folder_loads_to_the_seed_cohort():
    seed = load_cohort(SEED_COHORT_PATH)
    cohort = load_cohort(REDCAP)
    assert cohort.frame.equals(seed.frame)
    assert cohort.source.path == str(REDCAP / "seed_DATA.csv")  # messages name the data CSV
    assert len(cohort.source.sha256) == 64


def test_redcap_choices_checkboxes_and_repeating_mrd():
    export = read_redcap(REDCAP / "seed_DATA.csv", DICT)
    main = export.table.frame
    assert list(main["sex"][:3]) == ["M", "F", "M"]
    assert main["crs"].iloc[0] == "No" and main["crs"].iloc[2] == "Yes"  # yesno 0/1
    assert main["kmt2a_rearranged"].iloc[0] == "yes"  # radio 0, no | 1, yes
    assert "patient_complete" not in main.columns and "mrd_result" not in main.columns
    mrd = export.repeating("mrd_assessment")
    assert list(mrd.frame.columns) == ["patient_id", "redcap_repeat_instance", "mrd_timepoint",
                                       "mrd_day", "mrd_result", "mrd_method"]  # fmt: skip
    assert mrd.frame["mrd_method"].iloc[0] == "RQ-PCR Ig/TCR; flow cytometry"
    assert mrd.rows[:2] == (3, 4)  # the export's own rows
    # the long table holds each patient's pre/post results of the main form
    seed = pd.read_csv(SEED_COHORT_PATH, dtype=str, keep_default_na=False)
    for _, r in mrd.frame.iterrows():
        col = (
            "mrd_pre_percent" if r["mrd_timepoint"] == "before blinatumomab" else "mrd_post_percent"
        )
        assert seed.set_index("patient_id").loc[r["patient_id"], col] == r["mrd_result"]
    series = read_mrd_series(mrd, patient="patient_id", time="mrd_day", mrd="mrd_result")
    assert [(p.time, str(p.value)) for p in series["P01"]] == [(0.0, "0.1"), (28.0, "<0.005")]
    assert len(series) == 11 and len(series["P03"]) == 1
    with pytest.raises(InputError, match="no repeating instrument 'mrd'"):
        export.repeating("mrd")


def test_redcap_bad_cells_all_reported_with_row_patient_column_value(tmp_path):
    text = (REDCAP / "seed_DATA.csv").read_text().splitlines()
    head = text[0].split(",")
    first = text[1].split(",")
    first[head.index("sex")] = "7"
    text[1] = ",".join(first)
    mrd = text[2].split(",")
    mrd[head.index("mrd_method___2")] = "2"
    text[2] = ",".join(mrd)
    text[0] = text[0].replace("notes", "notez")
    write(tmp_path / "d.csv", "\n".join(text) + "\n")
    with pytest.raises(InputError) as exc:
        read_redcap(tmp_path / "d.csv", DICT)
    msgs = [str(p) for p in exc.value.problems]
    assert any("row 1, column 'notez': column is not a field" in m and "notes" in m for m in msgs)
    assert any("row 2, patient P01, column 'sex': code not among" in m and "'7'" in m
               and "1 (M), 2 (F)" in m for m in msgs)  # fmt: skip
    assert any("row 3, patient P01, column 'mrd_method___2': checkbox cell is not 0 or 1" in m
               for m in msgs)  # fmt: skip


def test_redcap_dictionary_problems(tmp_path):
    d = write(tmp_path / "dd.csv", HEADER + 'id,f,text,ID,\nsex,f,radio,Sex,"1 M | 2, F"\n'
              'x,f,slidr,X,\n')  # fmt: skip
    with pytest.raises(InputError) as exc:
        read_data_dictionary(d)
    msgs = [str(p) for p in exc.value.problems]
    assert len(msgs) == 2
    assert "row 3, column 'Choices, Calculations, OR Slider Labels'" in msgs[0]
    assert "row 4, column 'Field Type': unknown field type (value 'slidr')" in msgs[1]
    with pytest.raises(InputError, match="not a REDCap data dictionary"):
        read_data_dictionary(write(tmp_path / "x.csv", "a,b\n1,2\n"))


def test_redcap_longitudinal_events_merge_and_conflict(tmp_path):
    d = write(tmp_path / "dd.csv", HEADER + "record_id,base,text,ID,\nsex,base,radio,Sex,"
              '"1, M | 2, F"\nlfu,fu,text,Last,\nmrd,mrd,text,MRD,\n')  # fmt: skip
    data = ("record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,sex,"
            "lfu,mrd\n1,baseline_arm_1,,,1,,\n1,followup_arm_1,,,,2020-01-01,\n"
            "1,followup_arm_1,mrd,1,,,0.01\n1,followup_arm_1,mrd,2,,,<0.005\n"
            "2,baseline_arm_1,,,2,,\n2,followup_arm_1,,,1,2021-01-01,\n")  # fmt: skip
    write(tmp_path / "r.csv", data)
    with pytest.raises(InputError) as exc:
        read_redcap(tmp_path / "r.csv", d)
    (p,) = exc.value.problems
    assert (p.row, p.patient_id, p.column, p.value) == (7, "2", "sex", "M")
    write(tmp_path / "r.csv", data.replace("2,followup_arm_1,,,1,", "2,followup_arm_1,,,,"))
    export = read_redcap(tmp_path / "r.csv", d)
    assert export.table.frame.to_dict("list") == {
        "record_id": ["1", "2"],
        "sex": ["M", "F"],
        "lfu": ["2020-01-01", "2021-01-01"],
    }
    assert export.table.rows == (2, 6)
    long = export.repeats["mrd"].frame
    assert list(long["redcap_event_name"]) == ["followup_arm_1"] * 2
    assert list(long["redcap_repeat_instance"]) == [1, 2] and list(long["mrd"]) == [
        "0.01",
        "<0.005",
    ]


def test_adam_loads_to_the_seed_cohort_through_the_study_file():
    seed = load_seed_cohort()
    adam = load_cohort(ADAM, study=DATA / "adam_study.yaml")  # rename: maps the ADSL names
    pd.testing.assert_frame_equal(adam.frame, seed.frame)
    assert adam.data_cutoff == seed.data_cutoff
    assert read_table(ADAM / "adsl.xpt").frame.columns[0] == "USUBJID"  # a single .xpt as read
    assert "SEX" in read_table(ADAM).frame.columns  # the folder: USUBJID -> patient_id only
    assert "patient_id" in read_table(ADAM).frame.columns


def test_redcap_loads_to_the_seed_cohort_with_its_study_file():
    seed = load_seed_cohort()
    redcap = load_cohort(REDCAP, study=seed_study_path())
    pd.testing.assert_frame_equal(redcap.frame, seed.frame)


def test_adtte_parameters_equal_the_derived_endpoints():
    export = read_adam(ADAM / "adsl.xpt", ADAM / "adtte.xpt")
    assert export.parameters() == ("OS", "EFS")
    seed = load_cohort(SEED_COHORT_PATH)
    for name in ("OS", "EFS"):
        derived = seed.endpoint(name, origin="hsct")
        got = adtte_endpoint(export.adtte, name).set_index("patient_id")
        want = derived.set_index("patient_id")
        assert list(got.index) == list(want.index)
        assert got["time"].tolist() == want["time"].tolist()
        assert got["event"].tolist() == want["event"].tolist()


def test_adtte_bad_rows_all_reported(tmp_path):
    import pyreadstat

    tte = pd.DataFrame({"USUBJID": ["A", "B", "B", "C"], "PARAMCD": ["OS"] * 4,
                        "AVAL": [10.0, -1.0, 3.0, 5.0], "CNSR": [0.0, 1.0, 0.5, 1.0],
                        "AVALU": ["DAYS", "DAYS", "DAYS", "FORTNIGHTS"]})  # fmt: skip
    pyreadstat.write_xport(tte, str(tmp_path / "adtte.xpt"))
    t = read_xpt(tmp_path / "adtte.xpt")
    with pytest.raises(InputError) as exc:
        adtte_endpoint(t, "OS")
    msgs = [str(p) for p in exc.value.problems]
    assert len(msgs) == 3
    assert "row 3, patient B, column 'AVAL': AVAL is not a time >= 0 (value -1.0)" in msgs[0]
    assert "row 4, patient B, column 'CNSR'" in msgs[1]
    assert "row 5, patient C, column 'AVALU': unknown time unit" in msgs[2]
    with pytest.raises(InputError, match="no ADTTE rows for this parameter.*one of: OS"):
        adtte_endpoint(t, "PFS")
    years = tte.iloc[:1].assign(AVALU="YEARS", AVAL=2.0)
    pyreadstat.write_xport(years, str(tmp_path / "y.xpt"))
    got = adtte_endpoint(read_xpt(tmp_path / "y.xpt"), "OS")
    assert math.isclose(got["time"].iloc[0], 730.5) and got["event"].iloc[0] == 1


def test_not_a_transport_file_and_bad_folders(tmp_path):
    write(tmp_path / "adsl.xpt", "hello")
    with pytest.raises(InputError, match="adsl.xpt: is not a readable SAS transport file"):
        read_table(tmp_path)
    empty = tmp_path / "e"
    empty.mkdir()
    with pytest.raises(
        InputError, match="is a folder, not a file .found: no files.; expected a REDCap"
    ):
        read_table(empty)
    two = tmp_path / "two"
    two.mkdir()
    write(two / "dd.csv", DICT.read_text())
    with pytest.raises(InputError, match="exactly one data CSV besides the dictionary .0 found"):
        read_table(two)


def test_redcap_data_access_group_kept_and_repeating_events_kept(tmp_path):
    d = write(tmp_path / "dd.csv", HEADER + "record_id,base,text,ID,\nsex,base,radio,Sex,"
              '"1, M | 2, F"\ntox,visit,text,Toxicity,\n')  # fmt: skip
    data = ("record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,"
            "redcap_data_access_group,sex,tox\n"
            "1,baseline_arm_1,,,centre_a,1,\n1,visit_arm_1,,1,centre_a,,CRS 1\n"
            "1,visit_arm_1,,2,centre_a,,none\n2,baseline_arm_1,,,centre_b,2,\n")  # fmt: skip
    export = read_redcap(write(tmp_path / "r.csv", data), d)
    main = export.table.frame
    assert main.to_dict("list") == {"record_id": ["1", "2"], "sex": ["M", "F"],
                                    "tox": [None, None],
                                    "redcap_data_access_group": ["centre_a", "centre_b"]}  # fmt: skip
    visits = export.repeats["event:visit_arm_1"]
    assert visits.rows == (3, 4)
    assert visits.frame.to_dict("list") == {
        "record_id": ["1", "1"], "redcap_event_name": ["visit_arm_1"] * 2,
        "redcap_repeat_instance": [1, 2], "redcap_data_access_group": ["centre_a"] * 2,
        "tox": ["CRS 1", "none"]}  # fmt: skip
