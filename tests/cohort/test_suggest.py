"""did-you-mean hints: one rule (difflib ratio >= 0.6 after folding case/hyphens/spaces)."""

from remission.cohort.suggest import closest, did_you_mean


def test_folding_finds_the_exact_name():
    assert closest("Patient ID", ["patient_id", "sex"]) == "patient_id"
    assert closest("hsct-date", ["hsct_date"]) == "hsct_date"


def test_close_misspelling_is_suggested_and_far_one_is_not():
    assert did_you_mean("temprature_c", ["temperature_c", "time"]) == (
        "; did you mean 'temperature_c'?"
    )
    assert did_you_mean("zzz", ["temperature_c", "time"]) == ""
