"""Claims: schema errors, evaluation to reproduced / discrepant / not computable."""

from pathlib import Path

import pytest
import yaml

from remission.cohort.problems import InputError
from remission.report.analysis import AnalysisContext
from remission.report.claims import evaluate_claims, load_claims, parse_claims
from seed_claim_ids import ISSUE_IDS

SEED_CLAIMS = Path(__file__).parents[2] / "src/remission/datasets/seed_claims.yaml"


class HandContext(AnalysisContext):
    """The real context with estimators replaced by hand-computed values (no stats layer)."""

    def __init__(self, frame):
        super().__init__(frame, endpoint=self._endpoint_by_hand)

    @staticmethod
    def _endpoint_by_hand(name, origin):
        raise AssertionError("not used")

    def km_at(self, endpoint, origin, days):
        # EFS after HSCT of the seed letter, worked by hand: 10/11*9/10*6/7*5/6*4/5
        est = 10 / 11 * 9 / 10 * 6 / 7 * 5 / 6 * 4 / 5
        return {"time": days, "estimate": est, "lower": 0.18, "upper": 0.72}

    def binomial(self, x, n):
        # Clopper-Pearson for 10/18 as published by von Stackelberg et al.
        table = {(10, 18): (0.3076, 0.7847), (17, 52): (0.2033, 0.4714)}
        lo, hi = table.get((x, n), (0.0, 1.0))
        return {"x": x, "n": n, "estimate": x / n, "lower": lo, "upper": hi}


def test_seed_claims_file_has_exactly_the_issue_ids():
    claims = load_claims(SEED_CLAIMS)
    assert [c.id for c in claims] == ISSUE_IDS
    assert all(c.quote for c in claims)


def test_schema_problems_are_reported_together(tmp_path):
    doc = {"claims": [
        {"id": "a", "quote": "q", "published": {"form": "count", "value": 1},
         "compute": {"kind": "count"}},
        {"id": "a", "quote": "q", "published": {"form": "nope"}, "compute": {"kind": "count"}},
        {"quote": "q", "published": {"form": "count"}, "compute": {"kind": "magic"}},
    ]}  # fmt: skip
    with pytest.raises(InputError) as err:
        parse_claims(doc, "c.yaml")
    text = err.value.render()
    assert "duplicate id" in text and "unknown published form" in text
    assert "missing id" in text and "unknown compute kind" in text and "'magic'" in text
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims: [\n")
    with pytest.raises(InputError, match="not valid YAML"):
        load_claims(bad)
    with pytest.raises(InputError, match="cannot read"):
        load_claims(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="no 'claims:' list"):
        parse_claims({"other": 1})


def _claims(text):
    return parse_claims(yaml.safe_load(text))


def test_statuses_on_a_hand_made_cohort(tiny_cohort):
    claims = _claims("""
claims:
  - {id: n_neg, quote: q, published: {form: count, value: 3},
     compute: {kind: count, where: {mrd_post_qualifier: negative}}}
  - {id: n_wrong, quote: q, published: {form: count, value: 3},
     compute: {kind: count, where: {crs_grade: {ge: 1}}}}
  - {id: age, quote: q, published: {form: median_range, median: 0.6, min: 0.2, max: 2.9, digits: 1},
     compute: {kind: median, column: age_at_blinatumomab_years}}
  - {id: efs, quote: q, published: {form: percent, value: 47, digits: 0},
     compute: {kind: km, endpoint: EFS, origin: hsct, at_days: 1095.75}}
  - {id: efs_bad, quote: q, published: {form: percent, value: 50, digits: 0},
     compute: {kind: km, endpoint: EFS, origin: hsct, at_days: 1095.75}}
  - {id: vs, quote: q, published: {form: percent_ci, digits: 1, items: [{value: 55.6, lower: 30.8, upper: 78.5}]},
     compute: {kind: binomial_ci, items: [{x: 10, n: 18}]}}
  - {id: gone, quote: q, published: {form: count, value: 1},
     compute: {kind: count, where: {no_such_column: 1}}}
  - {id: cyc, quote: q, published: {form: counts, values: {one: 2, two: 1}},
     compute: {kind: counts, column: blinatumomab_cycles, groups: {one: [1], two: [2]}}}
  - {id: days, quote: q, published: {form: lists, values: {relapse: [35, 138]}},
     compute: {kind: values, groups: {relapse: {column: days_hsct_to_relapse}}}}
""")
    res = {r.id: r for r in evaluate_claims(claims, HandContext(tiny_cohort))}
    assert res["n_neg"].status == "reproduced" and res["n_neg"].computed == 3
    assert res["n_wrong"].status == "discrepant"
    assert res["n_wrong"].computed == 2 and res["n_wrong"].note == "difference -1"
    # ages 0.2, 0.41, 0.75, 2.9: median 0.58 -> 0.6 at one decimal
    assert res["age"].status == "reproduced"
    assert res["age"].computed["median"] == pytest.approx(0.58)
    assert res["efs"].status == "reproduced"
    assert res["efs_bad"].status == "discrepant"
    assert res["efs_bad"].note == "difference -3.2 percentage points"  # 46.75 - 50
    assert res["vs"].status == "reproduced"
    assert res["gone"].status == "not computable"
    assert "no_such_column" in res["gone"].note and res["gone"].computed is None
    # cycles 1, 1, 2 and one missing: reported, not hidden
    assert res["cyc"].computed == {"one": 2, "two": 1, "missing": 1}
    assert res["cyc"].status == "reproduced"
    # P2 relapse day 35, P3 HSCT 2018-05-01 -> relapse 2018-08-10 = day 101
    assert res["days"].computed == {"relapse": [35.0, 101.0]}
    assert res["days"].status == "discrepant"
    d = res["days"].to_dict()
    assert set(d) >= {"id", "quote", "published", "computed", "status", "note"}


def test_where_operators(tiny_cohort):
    ctx = HandContext(tiny_cohort)
    ids = lambda w: list(ctx.select(w)["patient_id"])  # noqa: E731
    assert ids({"relapse_lineage": {"contains": "cd19"}}) == ["P3"]
    assert ids({"relapse_date": {"missing": True}}) == ["P1", "P4"]
    assert ids({"post_relapse_therapy": {"not_contains": "planned"}}) == ["P3"]
    assert ids({"disease_status": ["cr1", "CR2"]}) == ["P1", "P2", "P3"]
    assert ids({"crs_grade": [1, 2]}) == ["P2", "P3"]
    assert ids({"log_reduction": {"gt": 0.7}}) == ["P1", "P3", "P4"]
    assert ids({"mrd_pre_percent": {"present": True}}) == ["P1", "P3", "P4"]
    assert ids({"sex": "m", "cns_status": {"ne": "CNS3"}}) == ["P1"]
    # an unquoted YAML `yes` arrives as True and still means the category "yes"
    assert ids({"kmt2a_rearranged": True}) == ["P1", "P2", "P3", "P4"]
    assert ids({"kmt2a_rearranged": [False]}) == []


def test_a_count_with_unrecorded_values_is_neither_confirmed_nor_refuted(tiny_cohort):
    frame = tiny_cohort.copy()
    frame["neurotoxicity_grade"] = frame["neurotoxicity_grade"].astype("Int64")
    frame.loc[2, "neurotoxicity_grade"] = None  # P3, the only one with grade 1
    spec = """
claims:
  - {id: a, quote: q, published: {form: count, value: 1},
     compute: {kind: count, where: {neurotoxicity_grade: {ge: 1}}, missing: neurotoxicity_grade},
     context: {where: {neurotoxicity_grade: {missing: true}}, columns: [relapse_lineage]}}
  - {id: b, quote: q, published: {form: count, value: 2},
     compute: {kind: count, where: {neurotoxicity_grade: {ge: 1}}, missing: neurotoxicity_grade}}
  - {id: c, quote: q, published: {form: count, value: 0},
     compute: {kind: count, where: {neurotoxicity_grade: {ge: 1}}, missing: neurotoxicity_grade}}
"""
    a, b, c = evaluate_claims(_claims(spec), HandContext(frame))
    assert a.status == "not computable"
    assert "not recorded for 1 patient(s)" in a.note
    assert "patient P3: relapse_lineage B-ALL CD19+" in a.note
    assert b.status == "discrepant" and b.computed == {"n": 0, "missing": 1}
    assert b.computed_text == "0 (1 not recorded)"
    assert c.status == "not computable"  # 0 recorded, but the blank one may be a case


def test_published_text_for_every_form():
    from remission.report.claims import published_text

    assert published_text({"form": "count", "value": 3}) == "3"
    assert published_text({"form": "counts", "values": {"one": 9, "two": 2}}) == "one: 9, two: 2"
    assert published_text({"form": "percent", "value": 47}) == "47 %"
    assert published_text({"form": "median_range", "median": 0.2, "min": 0.06, "max": 1}) == (
        "0.2 (0.06-1)"
    )
    assert published_text({"form": "percent_ci", "value": 55.6, "lower": 30.8, "upper": 78.5}) == (
        "55.6 % (95 % CI 30.8-78.5)"
    )
    assert published_text({"form": "lists", "values": {"relapse": [35, 92]}}) == "relapse: 35, 92"


def test_km_claim_on_a_competing_endpoint_is_its_cumulative_incidence():
    """Aalen-Johansen by hand: events (1, cause 1), (2, cause 2), (3, cause 1), (4, censored):
    CIF1 = 1/4 at 1, then 1/4 + (1/2)(1/2) = 1/2 at 3 (S = 1/2 just before 3)."""
    import pandas as pd

    data = pd.DataFrame({"patient_id": list("abcd"), "time": [1, 2, 3, 4], "event": [1, 2, 1, 0]})
    ctx = AnalysisContext(pd.DataFrame({"patient_id": list("abcd")}),
                          endpoint=lambda name, origin: data)  # fmt: skip
    got = ctx.km_at("CIR", "x", 3.5)
    assert got["estimate"] == pytest.approx(0.5, rel=1e-12)
    assert (got["n"], got["events"], got["competing"]) == (4, 2, 1)
    claims = _claims("""
claims:
  - {id: cir, quote: q, published: {form: percent, value: 50, digits: 0},
     compute: {kind: km, endpoint: CIR, origin: x, at_days: 3.5}}
  - {id: late, quote: q, published: {form: percent, value: 50, digits: 0},
     compute: {kind: km, endpoint: CIR, origin: x, at_days: 10}}
""")
    cir, late = evaluate_claims(claims, ctx)
    assert cir.status == "reproduced"
    assert late.status == "not computable" and "follow-up ends before day 10" in late.note


def test_a_claim_the_data_cannot_support_is_not_computable_not_fatal():
    import pandas as pd

    from remission.cohort.problems import Problem

    def endpoint(name, origin):
        raise InputError([Problem("cohort", "no rows with a time and an event status")])

    ctx = AnalysisContext(pd.DataFrame({"patient_id": ["a"]}), endpoint=endpoint)
    claims = _claims("""
claims:
  - {id: efs, quote: q, published: {form: percent, value: 47, digits: 0},
     compute: {kind: km, endpoint: EFS, origin: hsct, at_days: 1095.75}}
""")
    (res,) = evaluate_claims(claims, ctx)
    assert res.status == "not computable"
    assert "cannot be computed from these data: no rows with a time and an event" in res.note
