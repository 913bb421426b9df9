"""Report tables from a 4-patient hand-made cohort (values worked out by hand)."""

import pandas as pd
import pytest

from remission.cohort.mrdvalue import parse_mrd
from remission.cohort.study import load_study
from remission.datasets import seed_study_path
from remission.report.listing import listing_spec, present_columns
from remission.report.table1 import INDENT
from remission.report.tables import (
    Variable,
    characteristics_table,
    mrd_response_table,
    patient_listing,
    toxicity_table,
)

NB = "\u00a0"


def _seed_spec(frame):
    """The listing's columns as the seed study file declares them, for ``frame``."""
    study = load_study(seed_study_path())
    starts = {i.name: i.start for i in study.interventions}
    return listing_spec(study.all_columns(), starts, study.endpoints, present_columns(frame))


ALL4 = f"Overall (N{NB}={NB}4)"


def _row(table, label, level=None):
    """The header row of ``label`` or, with ``level``, the row under it."""
    names = list(table["Characteristic"])
    start = names.index(label)
    if level is None:
        return table.iloc[start]
    for i in range(start + 1, len(names)):
        if not names[i].startswith(INDENT):
            break
        if names[i] == INDENT + level:
            return table.iloc[i]
    raise AssertionError((label, level))


def test_table1_rows_name_their_statistic(tiny_cohort):
    t = characteristics_table(tiny_cohort)
    assert list(t.columns) == ["Characteristic", ALL4]
    # ages 0.2, 0.41, 0.75, 2.9 (2 decimals declared): median 0.58, type-7 quartiles
    # 0.3575 and 1.2875
    assert _row(t, "Age at blinatumomab, years", "Median (IQR)")[ALL4] == "0.58 (0.36\u20131.29)"
    assert _row(t, "Age at blinatumomab, years", "Range")[ALL4] == "0.20\u20132.90"
    assert _row(t, "Sex, n (%)", "F")[ALL4] == f"2 (50{NB}%)"
    # CNS: 2 of the 3 known are CNS1; one missing, in its own row
    assert _row(t, "CNS status, n (%)", "CNS1")[ALL4] == f"2 (67{NB}%)"
    assert _row(t, "CNS status, n (%)", "Missing, n")[ALL4] == "1"
    with pytest.raises(AssertionError):
        _row(t, "Sex, n (%)", "Missing, n")  # nothing missing: no row
    # MRD before: 0.1, N/A, 0.3, 40 -> 3 quantifiable; median 0.3, quartiles 0.2 and 20.15,
    # two significant digits: 0.30 (0.20-20), range 0.10-40
    pre = "MRD before blinatumomab, %"
    assert _row(t, pre, "Quantifiable, n (%)")[ALL4] == f"3 (100{NB}%)"
    assert _row(t, pre, "Quantifiable level, median (IQR)")[ALL4] == "0.30 (0.20\u201320)"
    assert _row(t, pre, "Quantifiable level, range")[ALL4] == "0.10\u201340"
    assert _row(t, pre, "Missing, n")[ALL4] == "1"
    assert _row(t, "MRD after blinatumomab, %", "Negative, n (%)")[ALL4] == f"3 (75{NB}%)"
    lym = "Lymphocytes before blinatumomab, \u00d710\u2079/L"
    assert _row(t, lym, "Missing, n")[ALL4] == "1"


def test_table1_stratified_p_and_test_right_after_overall(tiny_cohort):
    vs = [Variable("sex", "Sex"), Variable("age_at_blinatumomab_years", "Age", "continuous", 2)]
    t = characteristics_table(tiny_cohort, vs, by="sex", test=True)
    assert list(t.columns) == ["Characteristic", ALL4, "p", "Test", f"F (N{NB}={NB}2)",
                               f"M (N{NB}={NB}2)"]  # fmt: skip
    # sex by sex: 2x2 table [[2,0],[0,2]], expected counts 1 < 5 -> Fisher, p = 2/6
    assert _row(t, "Sex, n (%)")["p"] == "0.33"
    assert _row(t, "Sex, n (%)")["Test"] == "Fisher's exact"
    # ages F {0.41, 0.2} vs M {0.75, 2.9}: Kruskal H = 2.4, p = 0.121
    assert _row(t, "Age")["p"] == "0.12" and _row(t, "Age")["Test"] == "Kruskal-Wallis"
    jama = characteristics_table(tiny_cohort, vs, by="sex", test=True, p_style="jama")
    assert _row(jama, "Age")["p"] == ".12"


def test_table1_chi_square_when_expected_counts_allow():
    # 40 patients, 2 x 2 with all expected counts 10: Pearson chi-square (no correction);
    # [[15, 5], [5, 15]]: X2 = 40 (15*15 - 5*5)^2 / (20^4) = 10, p = 0.001565
    frame = pd.DataFrame({"patient_id": range(40), "x": ["a"] * 15 + ["b"] * 5 + ["a"] * 5
                          + ["b"] * 15, "g": ["1"] * 20 + ["2"] * 20})  # fmt: skip
    t = characteristics_table(frame, [Variable("x", "X")], by="g", test=True)
    assert _row(t, "X, n (%)")["Test"] == "Chi-square"
    assert _row(t, "X, n (%)")["p"] == "0.002"


def test_listing_notes_are_numbered_once_and_come_from_the_data(tiny_cohort):
    lst = patient_listing(tiny_cohort, _seed_spec(tiny_cohort))
    t = lst.marked_table()
    assert list(t["Status"]) == ["Event-free", "Relapse\u2192died\u00b9", "Relapse\u00b2",
                                 "Died\u00b3"]  # fmt: skip
    notes = dict(lst.footnotes)
    assert list(notes) == ["1", "2", "3"]
    # P2: HSCT 2017-03-25, relapse 2017-04-29 = day 35, death 2017-05-20 = day 56
    assert notes["1"] == (
        "AML lineage switch relapse on day 35 after HSCT; died of progressive leukemia on day "
        "56 after HSCT."
    )
    assert "CAR T-cell therapy, remission" in notes["2"]
    assert notes["3"].startswith("Died of parainfluenza pneumonitis on day 57")
    # the CSV form: plain cells and the notes in words
    assert lst.table.loc[1, "Status"] == "Relapse\u2192died"
    assert lst.table.loc[1, "Notes"].startswith("AML lineage switch relapse")
    assert t.loc[1, "Pre-MRD, %"] == "N/A" and t.loc[0, "Post-MRD, %"] == "<0.005"
    assert t.loc[0, "Age at blinatumomab, y/sex"] == "0.75/M" and t.loc[2, "CRS"] == "Grade 2"
    # the study's own columns, headed by name and unit; HSCT as a day from blinatumomab
    assert list(t["Blinatumomab, cycles"]) == ["1", "1", "2", "N/A"]
    assert list(t["Lymphocytes pre, \u00d710\u2079/L"]) == ["0.94", "N/A", "0.35", "2.43"]
    assert list(t["HSCT, day"]) == ["50", "52", "61", "59"]
    assert "Day: counted from the start of blinatumomab (day 0)" in lst.abbreviations
    assert "FBT, fludarabine, busulfan, thiotepa" in lst.abbreviations
    assert "TBI, total body irradiation" in lst.abbreviations
    assert "FTT, fludarabine, treosulfan" in lst.abbreviations
    assert "haplo" not in lst.abbreviations


def test_identical_notes_share_one_number(tiny_cohort):
    twice = pd.concat([tiny_cohort, tiny_cohort.assign(patient_id=lambda d: d["patient_id"] + "b")],
                      ignore_index=True)  # fmt: skip
    lst = patient_listing(twice, _seed_spec(twice))
    assert [n for n, _ in lst.footnotes] == ["1", "2", "3"]  # no new number, no new mark
    assert list(lst.marked_table()["Status"])[4:] == list(lst.marked_table()["Status"])[:4]


def test_mrd_and_toxicity_tables_from_result_dicts():
    mrd = mrd_response_table([
        ("5", {"pre": "0.28", "post": "0.06", "log_reduction": 0.669, "log_reduction_bound":
               "exact", "category": "no_response", "reason": "r"}),
        ("6", {"pre": "0.3", "post": "<0.005", "log_reduction": 1.778, "log_reduction_bound":
               "at_least", "category": "complete", "reason": "r"}),
    ])  # fmt: skip
    assert list(mrd["Log10 reduction"]) == ["0.67", "\u22651.78"]
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
    pnq = _row(t, "MRD before blinatumomab, %", "Positive, not quantifiable, n (%)")
    assert pnq[_col(t, "Overall")] == "1 (50\u00a0%)" and pnq[_col(t, "M")] == "1 (100\u00a0%)"
    assert pnq[_col(t, "F")] == "0 (0\u00a0%)"
    missing = _row(t, "Lymphocytes before blinatumomab, ×10⁹/L", "Missing, n")
    assert missing[_col(t, "Overall")] == "3"


def _col(table, name):
    """The column of ``name`` (its header also gives N, with non-breaking spaces)."""
    return next(
        c for c in table.columns if c.startswith(name + " ") or c.startswith(name + "\u00a0")
    )


def test_table1_follows_the_declared_category_order():
    frame = pd.DataFrame({"patient_id": range(6),
                          "x": pd.Categorical(["lo", "hi", "mid", "lo", "hi", "mid"],
                                              categories=["lo", "mid", "hi"]),
                          "g": pd.Categorical(["b", "a", "b", "a", "b", "a"],
                                              categories=["b", "a"])})  # fmt: skip
    t = characteristics_table(frame, [Variable("x", "X")], by="g")
    assert [c.split(" (")[0] for c in t.columns[2:]] == ["b", "a"]
    names = list(t["Characteristic"])
    assert names[1:4] == [INDENT + "lo", INDENT + "mid", INDENT + "hi"]
