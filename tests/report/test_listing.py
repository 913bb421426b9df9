"""The per-patient listing's columns come from the study file, never from code."""

import pandas as pd

from remission.cohort.schema import COLUMNS, Column, EndpointSpec
from remission.cohort.study import load_study
from remission.datasets.demo import DEMO_STUDY
from remission.report.listing import (
    NOT_GIVEN,
    column_header,
    listing_spec,
    patient_listing,
    present_columns,
    unit_text,
)


def _demo_study(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text(DEMO_STUDY, encoding="utf-8")
    return load_study(path)


def _headers(spec):
    return [c.header for c in spec.columns]


def test_headers_from_names_and_units():
    assert unit_text("10^9/L") == "\u00d710\u2079/L" and unit_text("years") == "years"
    assert unit_text("10^-3") == "\u00d710\u207b\u00b3"
    assert column_header(Column("wbc", "number", "", unit="10^9/L")) == "WBC, \u00d710\u2079/L"
    assert column_header(Column("lymphocytes_pre_1e9_per_l", "number", "", unit="10^9/L")) == (
        "Lymphocytes pre, \u00d710\u2079/L"
    )
    assert column_header(Column("blinatumomab_cycles", "integer", "", unit="cycles")) == (
        "Blinatumomab, cycles"
    )
    assert column_header(Column("kmt2a_rearranged", "text", "")) == "KMT2A rearranged"
    assert column_header(Column("risk_group", "text", "")) == "Risk group"


def test_the_study_files_label_names_the_column():
    from remission.cohort.study_parse import parse_study

    study = parse_study({"columns": {"wbc_at_dx_x10_9_l": {"type": "number",
                                                           "label": "WBC at dx (x10^9/L)"},
                                     "wbc": {"type": "number", "unit": "10^9/L",
                                             "label": "WBC at diagnosis"}}}, "s.yaml")  # fmt: skip
    first, second = study.columns
    assert column_header(first) == "WBC at dx (x10^9/L)"
    assert column_header(second) == "WBC at diagnosis, \u00d710\u2079/L"


def test_a_car_t_study_lists_its_own_columns(tmp_path):
    study = _demo_study(tmp_path)
    starts = {i.name: i.start for i in study.interventions}
    spec = listing_spec(study.all_columns(), starts, study.endpoints)
    headers = _headers(spec)
    assert headers[:3] == ["Patient", "Centre", "Age at cart, y/sex"]
    assert "Risk group" in headers and "WBC, \u00d710\u2079/L" in headers
    # the bridging intervention and the HSCT as days from the CAR T cells (day 0)
    assert headers.index("Inotuzumab, day") < headers.index("HSCT, day")
    assert spec.day0 == ("cart", "cart_infusion_date")
    assert not [h for h in headers if "linatumomab" in h or "ycles" in h or "ymphocyte" in h]
    # dates are days, never raw date columns; the age column is not repeated
    assert not {"cart_infusion_date", "age_at_cart_years"} & {
        c.column for c in spec.columns if c.kind != "age_sex"
    }


def test_columns_without_a_value_are_left_out():
    spec = listing_spec(COLUMNS, present=["patient_id", "sex", "donor", "crs", "hsct_date"])
    # no intervention: no day 0, so the HSCT is not a day column; CRS occurrence stands
    # in for a grade that is not recorded
    assert _headers(spec) == ["Patient", "Sex", "CRS", "Donor"]


def _frame(**cols):
    base = {"patient_id": ["A", "B", "C"], "sex": ["F", "M", "F"],
            "cart_infusion_date": pd.to_datetime(["2020-01-10", "2020-02-01", "2020-03-01"]),
            "hsct_date": pd.to_datetime(["2020-03-10", None, None]),
            "relapse_date": pd.to_datetime(["2020-02-20", None, None]),
            "agvhd34_date": pd.to_datetime(["2020-04-09", None, None]),
            "death_date": pd.to_datetime(["2020-04-09", "2020-03-02", None]),
            "last_followup_date": pd.to_datetime(["2020-04-09", "2020-03-02", "2021-01-01"]),
            "donor": ["MUD", None, None]}  # fmt: skip
    base.update(cols)
    return pd.DataFrame(base)


def test_status_tells_the_study_endpoints_events_in_order():
    frame = _frame()
    own = (Column("cart_infusion_date", "date", ""), Column("agvhd34_date", "date", ""))
    grfs = EndpointSpec("GRFS", ("agvhd34_date", "relapse_date", "death_date"))
    spec = listing_spec((*COLUMNS, *own), {"cart": "cart_infusion_date"}, (grfs,),
                        present_columns(frame))  # fmt: skip
    lst = patient_listing(frame, spec)
    t = lst.table
    # A: relapse before the HSCT (day 41 after cart), then aGvHD and death on one day
    # (death last), counted from the HSCT (2020-03-10 -> 2020-04-09 = day 30)
    assert t.loc[0, "Status"] == "Relapse\u2192AGVHD34\u2192died"
    assert t.loc[0, "Notes"] == (
        "Relapse on day 41 after cart; AGVHD34 on day 30 after HSCT; died on day 30 after HSCT."
    )
    assert list(t["HSCT, day"]) == ["60", NOT_GIVEN, NOT_GIVEN]
    assert list(t["Donor"]) == ["MUD", NOT_GIVEN, NOT_GIVEN]  # B, C: no transplant
    assert t.loc[1, "Notes"] == "Died on day 30 after cart."
    assert t.loc[2, "Status"] == "Event-free" and t.loc[2, "Notes"] == ""
    assert [n for n, _ in lst.footnotes] == ["1", "2"]


def test_an_event_before_every_origin_is_dated():
    frame = _frame(cart_infusion_date=pd.to_datetime(["2020-03-01", "2020-02-01", "2020-03-01"]))
    spec = listing_spec(COLUMNS, {"cart": "cart_infusion_date"}, (), present_columns(frame))
    notes = patient_listing(frame, spec).table["Notes"]
    assert notes[0].startswith("Relapse on 2020-02-20;")
