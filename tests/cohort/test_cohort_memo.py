"""remember_loaded_cohorts: a long-running process reads a file once, and never a stale one."""

import os

import pytest

from remission.cohort import cohort as cohort_module
from remission.cohort.cohort import load_cohort, remember_loaded_cohorts
from remission.datasets import seed_cohort_path, seed_study_path


@pytest.fixture()
def remembering(monkeypatch):
    monkeypatch.setattr(cohort_module, "_REMEMBERED", None)
    remember_loaded_cohorts(size=2)
    yield
    monkeypatch.setattr(cohort_module, "_REMEMBERED", None)


def test_off_by_default_every_load_reads_the_file(monkeypatch):
    monkeypatch.setattr(cohort_module, "_REMEMBERED", None)
    a = load_cohort(seed_cohort_path(), study=seed_study_path())
    b = load_cohort(seed_cohort_path(), study=seed_study_path())
    assert a is not b and a.equals(b)


def test_same_file_and_arguments_give_the_kept_cohort(remembering):
    a = load_cohort(seed_cohort_path(), study=seed_study_path())
    assert load_cohort(seed_cohort_path(), study=seed_study_path()) is a
    other = load_cohort(seed_cohort_path(), study=seed_study_path(), data_cutoff="2019-06-30")
    assert other is not a and other.data_cutoff != a.data_cutoff


def test_a_changed_file_is_read_again(remembering, tmp_path):
    path = tmp_path / "c.csv"
    text = seed_cohort_path().read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    a = load_cohort(path, study=seed_study_path())
    lines = text.splitlines(keepends=True)
    path.write_text(lines[0] + "".join(lines[2:]), encoding="utf-8")  # one patient fewer
    os.utime(path, ns=(1, 1))  # a different modification time even on a coarse clock
    b = load_cohort(path, study=seed_study_path())
    assert b is not a and b.n == a.n - 1


def test_a_kept_cohort_cannot_be_changed_through_its_frame(remembering):
    a = load_cohort(seed_cohort_path(), study=seed_study_path())
    before = a.frame
    changed = a.frame
    changed.loc[0, "sex"] = "F" if changed.loc[0, "sex"] == "M" else "M"
    again = load_cohort(seed_cohort_path(), study=seed_study_path()).frame
    assert again.equals(before) and not again.equals(changed)


def test_only_the_last_few_are_kept(remembering):
    first = load_cohort(seed_cohort_path(), study=seed_study_path())
    for cut in ("2019-06-30", "2019-09-30"):
        load_cohort(seed_cohort_path(), study=seed_study_path(), data_cutoff=cut)
    assert load_cohort(seed_cohort_path(), study=seed_study_path()) is not first


def test_excluded_patients_are_shared_not_deep_copied_by_pandas():
    import copy

    cohort = load_cohort(seed_cohort_path(), study=seed_study_path())
    efs = cohort.endpoint("EFS", origin="diagnosis")  # no diagnosis dates: all 11 excluded
    excluded = efs.attrs["excluded"]
    assert len(excluded) == 11 and copy.deepcopy(excluded) is excluded
    assert efs[["time"]].attrs["excluded"] is excluded  # pandas' copies share it
    assert excluded == tuple(tuple(x) for x in excluded)  # still a plain tuple of pairs
