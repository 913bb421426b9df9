"""Report tables from a 4-patient hand-made cohort (values worked out by hand)."""

import pandas as pd

from remission.cohort.mrdvalue import parse_mrd
from remission.report.tables import (
    Variable,
    characteristics_table,
    mrd_response_table,
    patient_listing,
    toxicity_table,
)


def _row(table, label, level=""):
    blocks = table["Characteristic"].replace("", pd.NA).ffill()
    hit = table[(blocks == label) & (table["Level"] == level)]
    assert len(hit) == 1, (label, level)
    return hit.iloc[0]


def test_table1_continuous_categorical_mrd_and_missing(tiny_cohort):
    t = characteristics_table(tiny_cohort, iqr=True)
    age = _row(t, "Age at blinatumomab, years")
    # ages 0.2, 0.41, 0.75, 2.9: median 0.58, quartiles (type 7) 0.3575 and 1.2875
    assert age["All (n=4)"] == "0.58 (0.20-2.90) [IQR 0.36-1.29]"
    assert age["Missing"] == "0"
    assert _row(t, "Sex", "F")["All (n=4)"] == "2 (50 %)"
    cns = _row(t, "CNS status", "CNS1")
    assert cns["All (n=4)"] == "2 (67 %)" and cns["Missing"] == "1"
    pre = _row(t, "MRD before blinatumomab, %", "quantifiable, median (range)")
    assert pre["All (n=4)"] == "0.3 (0.1-40) [IQR 0.2-20.15]"
    assert pre["Missing"] == "1"
    post = _row(t, "MRD after blinatumomab, %", "negative, n (%)")
    assert post["All (n=4)"] == "3 (75 %)"
    lym = _row(t, "Lymphocytes before blinatumomab, x10^9/L")
    assert lym["Missing"] == "1"


def test_table1_stratified_with_tests(tiny_cohort):
    vs = [Variable("sex", "Sex"), Variable("age_at_blinatumomab_years", "Age", "continuous", 2)]
    t = characteristics_table(tiny_cohort, vs, by="sex", test=True)
    assert list(t.columns) == ["Characteristic", "Level", "All (n=4)", "F (n=2)", "M (n=2)",
                               "Missing", "p", "Test"]  # fmt: skip
    # sex by sex: 2x2 table [[2,0],[0,2]], Fisher two-sided p = 2/6 = 0.333
    assert _row(t, "Sex", "F")["p"] == "0.33"
    # ages F {0.41, 0.2} vs M {0.75, 2.9}: Kruskal H = 2.4, p = 0.121
    assert _row(t, "Age")["p"] == "0.12"
    assert _row(t, "Age")["Test"] == "Kruskal-Wallis"
    assert _row(t, "Sex", "F")["Test"] == "Fisher's exact"


def test_listing_footnotes_come_from_the_data(tiny_cohort):
    lst = patient_listing(tiny_cohort)
    t = lst.table
    assert list(t["Status"]) == ["CR", "Relapse\u2192died*", "Relapse\u2021", "Died\u00a7"]
    notes = dict(lst.footnotes)
    # P2: HSCT 2017-03-25, relapse 2017-04-29 = day 35, death 2017-05-20 = day 56
    assert notes["*"] == (
        "AML lineage switch relapse on day 35 after HSCT; died of progressive leukemia on day "
        "56 after HSCT."
    )
    assert notes["\u2020"] == "Result after 2 cycles."
    assert t.loc[2, "Post-MRD, %"] == "0.05\u2020"
    assert "CAR T-cell therapy, remission" in notes["\u2021"]
    assert notes["\u00a7"].startswith("Died of parainfluenza pneumonitis on day 57")
    assert t.loc[1, "Pre-MRD, %"] == "N/A" and t.loc[0, "Post-MRD, %"] == "<0.005"
    assert t.loc[0, "Age, y/sex"] == "0.75/M" and t.loc[2, "CRS"] == "Grade 2"
    assert "FBT, fludarabine, busulfan, thiotepa" in lst.abbreviations
    assert "TBI, total body irradiation" in lst.abbreviations
    assert "FTT, fludarabine, treosulfan" in lst.abbreviations
    assert "haplo" not in lst.abbreviations


def test_mrd_and_toxicity_tables_from_result_dicts():
    mrd = mrd_response_table([
        ("5", {"pre": "0.28", "post": "0.06", "log_reduction": 0.669, "log_reduction_bound":
               "exact", "category": "no_response", "reason": "r"}),
        ("6", {"pre": "0.3", "post": "<0.005", "log_reduction": 1.778, "log_reduction_bound":
               "at_least", "category": "complete", "reason": "r"}),
    ])  # fmt: skip
    assert list(mrd["Log10 reduction"]) == ["0.67", ">=1.78"]
    assert list(mrd["Response"]) == ["no response", "complete"]
    tox = toxicity_table([{"toxicity": "CRS", "source": "recorded grades", "confidence": 0.95,
                           "n_not_assessed": 1,
                           "rows": [{"label": "grade 1", "n": 2, "denominator": 11,
                                     "percent": 200 / 11, "ci_lower": 0.0228,
                                     "ci_upper": 0.5178}]}])  # fmt: skip
    assert tox.loc[0, "n/N"] == "2/11"
    assert tox.loc[0, "% (95 % CI)"] == "18 % (95 % CI 2-52)"
    assert tox.loc[0, "Source"] == "recorded grades; not recorded for 1 patient(s), left out of N"


def test_table1_by_group_when_one_group_has_no_pnq_or_no_value_at_all(tiny_cohort):
    # issue 11: a PNQ result in one group only (the other group's MRD all missing) made the
    # groups' row counts differ ("internal error: IndexError" from report --group)
    frame = tiny_cohort.copy()
    frame["mrd_pre_percent"] = [parse_mrd(x) for x in ["PNQ", "N/A", "0.3", "N/A"]]
    frame["lymphocytes_pre_1e9_per_l"] = [None, None, 0.35, None]
    t = characteristics_table(frame, by="sex", test=True)
    pnq = _row(t, "MRD before blinatumomab, %", "positive, not quantifiable, n (%)")
    assert pnq["All (n=4)"] == "1 (50 %)" and pnq["M (n=2)"] == "1 (100 %)"
    assert pnq["F (n=2)"] == "0 (0 %)"
    assert _row(t, "Lymphocytes before blinatumomab, x10^9/L")["Missing"] == "3"
