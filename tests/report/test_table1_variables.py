"""Table 1 rows for a study's own columns and the columns kept with an inferred type."""

import pandas as pd

from remission.cohort.schema import Column, column
from remission.report.table1 import SEED_VARIABLES, characteristics_table, table1_variables


def test_study_and_inferred_columns_become_rows_in_declared_order():
    cols = (
        column("patient_id"), column("sex"), column("crs"),  # core: known rows only
        Column("risk", "category", "Risk.", allowed=("low", "standard", "high"),
               reference="standard"),
        Column("wbc", "number", "WBC.", unit="10^9/L", inferred=True),
        Column("cart_date", "date", "CAR-T."),
        Column("mrd_d28", "mrd", "MRD.", inferred=True),
    )  # fmt: skip
    got = table1_variables(cols)
    assert [v.column for v in got] == ["sex", "risk", "wbc", "mrd_d28"]
    assert got[1].levels == ("low", "standard", "high") and got[1].kind == "categorical"
    assert (got[2].kind, got[2].label) == ("continuous", "WBC, \u00d710\u2079/L")
    assert got[3].kind == "mrd"
    frame = pd.DataFrame({"patient_id": ["A", "B", "C"], "sex": ["M", "F", "M"],
                          "risk": ["high", "low", None], "wbc": [1.0, 2.0, 4.0],
                          "mrd_d28": ["<0.01", "0.2", ""]})  # fmt: skip
    t1 = characteristics_table(frame, got)
    labels = [str(x).strip() for x in t1["Characteristic"]]
    # levels in the declared (clinical) order
    assert labels.index("low") < labels.index("standard") < labels.index("high")
    assert any(x.startswith("WBC") for x in labels)


def test_the_seed_keeps_its_table():
    from remission.datasets import load_seed_cohort

    seed = load_seed_cohort()
    assert table1_variables(seed.columns, treatment="blinatumomab") == tuple(
        v for v in SEED_VARIABLES if v.column in seed.frame.columns
    )


def test_labels_name_the_study_treatment():
    cols = (column("disease_status"), column("mrd_pre_percent"), column("mrd_post_percent"))
    labels = [v.label for v in table1_variables(cols, treatment="cart")]
    assert labels == ["Disease status at cart", "MRD before cart, %", "MRD after cart, %"]
    assert table1_variables(cols)[1].label == "MRD before treatment, %"


def test_core_columns_the_cohort_does_not_record_are_left_out():
    cols = (column("sex"), column("cns_status"), column("conditioning"),
            Column("cycles", "integer", "Cycles."))  # fmt: skip
    # cns_status and the study's own cycles are empty in every row: only the core one goes
    got = table1_variables(cols, present=["sex", "conditioning"])
    assert [v.column for v in got] == ["sex", "conditioning", "cycles"]
    assert [v.column for v in table1_variables(cols)] == ["sex", "cns_status", "conditioning",
                                                         "cycles"]  # fmt: skip
