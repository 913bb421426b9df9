"""The mapping form's pure functions: the form's values written into the study file."""

from remission.app.mapping import MapRow, apply_form, dump_study, read_study_text
from remission.cohort.study_parse import parse_study


def test_date_order_from_the_form():
    rows = [MapRow("DOB", "date_of_birth", False), MapRow("Arm", "arm", True, "category",
                                                          ("B", "A"), "B")]  # fmt: skip
    study = apply_form({"interventions": {"x": {"start": "x_date"}}}, rows, "T", "2023-12-31",
                       "month-first")  # fmt: skip
    assert study["date_order"] == "month-first"
    assert study["interventions"] == {"x": {"start": "x_date"}}  # other sections kept
    back = read_study_text(dump_study(study))
    assert back["date_order"] == "month-first"
    assert back["rename"] == {"DOB": "date_of_birth", "Arm": "arm"}
    assert parse_study({k: v for k, v in back.items() if k != "interventions"},
                       "s.yaml").date_order == "month-first"  # fmt: skip
    # day first is the default and is not written; switching back removes the key
    again = apply_form(back, rows, "T", "2023-12-31", "day-first")
    assert "date_order" not in again


def test_origins_offered_are_the_studys():
    from remission.app.server import study_origins

    study = {"interventions": {"cart": {"start": "cart_date"}}, "origins": {"cr1": "cr_date"}}
    assert study_origins(study, ["hsct_date", "cart_date"]) == (
        ["hsct", "cart", "cr1", "diagnosis"],
        "hsct",
    )
    # no transplants in the cohort: the study's own treatment is where time starts
    assert study_origins(study, ["cart_date"]) == (["hsct", "cart", "cr1", "diagnosis"], "cart")
    assert study_origins({}, []) == (["hsct", "diagnosis"], "hsct")
