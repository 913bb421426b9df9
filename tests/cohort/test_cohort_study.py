"""Study YAML files: known keys, dates, did-you-mean for typos, readable errors."""

import datetime as dt

import pytest

from remission.cohort.problems import InputError
from remission.cohort.study import Study, load_study


def write(tmp_path, text, name="study.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_full_study(tmp_path):
    p = write(
        tmp_path, "title: Infants\ndata_cutoff_date: 2020-06-30\nfacts:\n  cycles_total: 13\n"
    )
    s = load_study(p)
    assert s == Study(dt.date(2020, 6, 30), "Infants", facts={"cycles_total": 13})
    assert s.to_dict()["data_cutoff_date"] == "2020-06-30"


def test_day_first_cutoff_text(tmp_path):
    assert load_study(
        write(tmp_path, 'data_cutoff_date: "30/06/2020"\n')
    ).data_cutoff_date == dt.date(2020, 6, 30)


def test_all_problems_listed(tmp_path):
    p = write(tmp_path, "data_cutof_date: 2020-06-30\ntitel: x\nfacts: 3\n")
    with pytest.raises(InputError) as exc:
        load_study(p)
    text = exc.value.render()
    assert "unknown key 'data_cutof_date'; did you mean 'data_cutoff_date'?" in text
    assert "unknown key 'titel'; did you mean 'title'?" in text
    assert "facts must be a mapping" in text
    assert len(exc.value.problems) == 3


@pytest.mark.parametrize(
    ("text", "needle"),
    [("data_cutoff_date: soon\n", "data_cutoff_date: not a date"), ("- a\n- b\n", "not a mapping"),
     ("a: [1,\n", "not valid YAML at line"), ("", "not a mapping")],
)  # fmt: skip
def test_bad_study_files(tmp_path, text, needle):
    with pytest.raises(InputError, match=needle):
        load_study(write(tmp_path, text))


def test_missing_study_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_study(tmp_path / "nope.yaml")
