"""Eligibility criteria applied in order, with exclusions listed and a flow diagram."""

import pytest

from remission.cohort.problems import InputError
from remission.report.analysis import derive_columns
from remission.report.eligibility import apply_criteria, flow_svg, parse_criteria

CRITERIA = [
    {"criterion": "KMT2A rearranged", "where": {"kmt2a_rearranged": "yes"}},
    {"criterion": "CNS status known and not CNS3", "where": {"cns_status": {"ne": "CNS3"}}},
    {"criterion": "In remission", "where": {"disease_status": ["CR1", "CR2"]},
     "if_missing": "exclude"},
    {"criterion": "No prior HSCT", "where": {"prior_hsct": "no"}},
]  # fmt: skip


def test_criteria_in_order_with_reasons(tiny_cohort):
    flow = apply_criteria(derive_columns(tiny_cohort), parse_criteria(CRITERIA))
    s = flow.steps
    assert [(x.n_before, x.n_after) for x in s] == [(4, 4), (4, 3), (3, 2), (2, 2)]
    # P3 is CNS3 -> excluded; P4's CNS status is blank -> kept as not assessable
    assert s[1].excluded == (("P3", "not met: CNS status known and not CNS3"),)
    assert s[1].not_assessable == ("P4",)
    assert s[2].excluded == (("P4", "not met: In remission"),)
    assert not s[3].applied and "prior_hsct" in s[3].note
    assert flow.eligible == ("P1", "P2")
    d = flow.to_dict()
    assert d["n_screened"] == 4 and d["n_eligible"] == 2


def test_blank_value_excluded_when_asked(tiny_cohort):
    crit = parse_criteria([{"criterion": "CNS known", "where": {"cns_status": {"present": True}},
                            "if_missing": "exclude"}])  # fmt: skip
    flow = apply_criteria(derive_columns(tiny_cohort), crit)
    assert flow.steps[0].excluded == (("P4", "not assessable: CNS known"),)


def test_malformed_criteria_are_reported_together():
    with pytest.raises(InputError) as err:
        parse_criteria([{"criterion": "x"}, "y", {"criterion": "z", "where": {}, "if_missing": "drop"}],
                       "study.yaml")  # fmt: skip
    text = err.value.render()
    assert text.startswith("3 problems found") and "study.yaml" in text and "'drop'" in text
    assert parse_criteria(None) == ()


def test_flow_diagram_counts(tiny_cohort):
    flow = apply_criteria(derive_columns(tiny_cohort), parse_criteria(CRITERIA))
    svg = flow_svg(flow)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    for text in ("n = 4", "n = 3", "n = 2", "Excluded: n = 1", "Not applied",
                 "Not assessable, kept: 1"):  # fmt: skip
        assert text in svg
