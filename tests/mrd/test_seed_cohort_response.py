"""Issue 5's 'Done when' on the bundled seed cohort itself: its MRD columns load as MRD
results, and the response categories follow from the letter's Table 1."""

import pytest

from remission.cohort import MRDValue
from remission.datasets import load_seed_cohort
from remission.mrd import MRDResponse, assess_response


@pytest.fixture(scope="module")
def assessed():
    frame = load_seed_cohort().frame
    return {
        pid: assess_response(pre, post)
        for pid, pre, post in zip(
            frame["patient_id"], frame["mrd_pre_percent"], frame["mrd_post_percent"], strict=True
        )
    }


def test_mrd_columns_are_mrd_results():
    frame = load_seed_cohort().frame
    for col in ("mrd_pre_percent", "mrd_post_percent"):
        assert all(isinstance(v, MRDValue) for v in frame[col])
    assert [str(v) for v in frame["mrd_post_percent"]].count("<0.005") == 9


def test_nine_complete_responses(assessed):
    complete = sorted(p for p, a in assessed.items() if a.category is MRDResponse.COMPLETE)
    assert complete == ["P01", "P02", "P03", "P04", "P07", "P08", "P09", "P10", "P11"]


@pytest.mark.parametrize(("pid", "reduction"), [("P05", 0.67), ("P06", 0.78)])
def test_patients_5_and_6_are_not_partial_responses(assessed, pid, reduction):
    a = assessed[pid]
    # 0.28 -> 0.06 and 0.3 -> 0.05: under 1 log, whatever the letter's text says
    assert a.category is MRDResponse.NO_RESPONSE
    assert a.reduction.bound == "exact"
    assert round(a.reduction.value, 2) == reduction
