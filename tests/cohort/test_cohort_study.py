"""Study YAML files: known keys, dates, did-you-mean for typos, readable errors."""

import datetime as dt

import pytest

from remission.cohort.problems import InputError
from remission.cohort.study import Study, load_study


def write(tmp_path, text, name="study.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_full_study(tmp_path):
    p = write(
        tmp_path, "title: Infants\ndata_cutoff_date: 2020-06-30\nfacts:\n  cycles_total: 13\n"
    )
    s = load_study(p)
    assert s == Study(dt.date(2020, 6, 30), "Infants", facts={"cycles_total": 13})
    assert s.to_dict()["data_cutoff_date"] == "2020-06-30"


def test_day_first_cutoff_text(tmp_path):
    assert load_study(
        write(tmp_path, 'data_cutoff_date: "30/06/2020"\n')
    ).data_cutoff_date == dt.date(2020, 6, 30)


def test_all_problems_listed(tmp_path):
    p = write(tmp_path, "data_cutof_date: 2020-06-30\ntitel: x\nfacts: 3\n")
    with pytest.raises(InputError) as exc:
        load_study(p)
    text = exc.value.render()
    assert "unknown key 'data_cutof_date'; did you mean 'data_cutoff_date'?" in text
    assert "unknown key 'titel'; did you mean 'title'?" in text
    assert "facts: must be a mapping" in text
    assert len(exc.value.problems) == 3


@pytest.mark.parametrize(
    ("text", "needle"),
    [("data_cutoff_date: soon\n", "data_cutoff_date: not a date"), ("- a\n- b\n", "not a mapping"),
     ("a: [1,\n", "not valid YAML at line"), ("", "not a mapping")],
)  # fmt: skip
def test_bad_study_files(tmp_path, text, needle):
    with pytest.raises(InputError, match=needle):
        load_study(write(tmp_path, text))


def test_missing_study_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_study(tmp_path / "nope.yaml")


FULL = """\
title: CAR-T
data_cutoff_date: 2023-06-30
interventions:
  cart: {start: cart_date, precedes: [hsct_date, relapse_date, death_date]}
columns:
  cart_date: {type: date, constraints: {required: true}}
  risk: {type: category, categories: [low, standard, high], reference: standard}
  wbc: {type: number, unit: 10^9/L, constraints: {minimum: 0}}
  donor: {reference: MUD}
origins: {relapse: relapse_date}
endpoints:
  RFS: {events: [relapse_date, death_date]}
  CIR2: {events: [relapse_date], competing: [death_date]}
rename: {"Pt ID": patient_id, DOB: date_of_birth}
recode: {sex: {1: M, 2: F}}
eligibility:
  description: Everyone given CAR T cells.
  criteria: [{criterion: CAR T, where: {cart_date: {present: true}}}]
"""


def test_the_study_file_describes_a_study(tmp_path):
    s = load_study(write(tmp_path, FULL))
    assert [(i.name, i.start, i.precedes) for i in s.interventions] == [
        ("cart", "cart_date", ("hsct_date", "relapse_date", "death_date"))
    ]
    cols = {c.name: c for c in s.columns}
    assert cols["cart_date"].required and cols["wbc"].minimum == 0 and cols["wbc"].unit
    assert cols["risk"].levels == ("standard", "low", "high")  # reference first, then order
    assert s.column("donor").levels[0] == "MUD" and s.column("sex").levels == ("M", "F")
    assert s.origin_columns() == {
        "diagnosis": "diagnosis_date", "hsct": "hsct_date", "cart": "cart_date",
        "relapse": "relapse_date",
    }  # fmt: skip
    specs = s.endpoint_specs()
    assert list(specs) == ["EFS", "OS", "CIR", "NRM", "RFS", "CIR2"]
    assert specs["CIR2"].codes() == {0: "censored", 1: "relapse", 2: "death (competing)"}
    assert s.rename == {"Pt ID": "patient_id", "DOB": "date_of_birth"}
    assert s.recode == {"sex": {"1": "M", "2": "F"}}
    assert s.eligibility["criteria"][0]["criterion"] == "CAR T"
    assert s.with_references({"risk": "HIGH"}).column("risk").levels[0] == "high"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("columns:\n  risk: {type: category, categoires: [a, b]}\n",
         "columns.risk: unknown key 'categoires'; did you mean 'categories'?"),
        ("columns:\n  risk: {type: catgory}\n", "type 'catgory' unknown; did you mean 'category'?"),
        ("columns:\n  risk: {type: category, categories: [a, b], reference: c}\n",
         "reference is not one of the categories"),
        ("columns:\n  donor: {type: text}\n", "a core column: only description, unit, reference"),
        ("interventions:\n  cart: {start: cart_dat}\ncolumns:\n  cart_date: {type: date}\n",
         "interventions.cart.start: not a date column; did you mean 'cart_date'?"),
        ("endpoints:\n  RFS: {events: [relapse_dat]}\n", "did you mean 'relapse_date'?"),
        ("endpoints:\n  efs: {events: [relapse_date]}\n", "a built-in endpoint cannot be redefined"),
        ("origins: {x: sex}\n", "origins.x: not a date column"),
        ("recode: {sx: {1: M}}\n", "recode.sx: not a declared column; did you mean 'sex'?"),
        ("rename: {a: x, b: x}\n", "two headers renamed to the same column"),
        ("eligibility: {criteria: 3}\n", "eligibility.criteria: must be a list"),
    ],
)  # fmt: skip
def test_every_key_is_checked(tmp_path, text, needle):
    with pytest.raises(InputError) as exc:
        load_study(write(tmp_path, text))
    assert needle in exc.value.render()


def test_reference_on_the_command_line_is_checked(tmp_path):
    s = load_study(write(tmp_path, FULL))
    with pytest.raises(InputError) as exc:
        s.with_references({"risk": "medium", "rsk": "low"})
    text = exc.value.render()
    assert "column 'risk': not a level" in text and "one of low, standard, high" in text
    assert "column 'rsk': not a category column; did you mean 'risk'?" in text


def test_renames_recodes_and_study_columns_reach_the_cohort(tmp_path):
    from remission.cohort.cohort import load_cohort

    csv = tmp_path / "c.csv"
    csv.write_text(
        "Pt ID,sex,DOB,cart_date,risk,wbc,hsct_date,relapse_date,death_date,last_followup_date\n"
        "A,1,2010-01-01,2020-01-01,high,3.5,2020-03-01,2023-09-01,,2024-01-01\n"
        "B,2,2011-01-01,2020-02-01,low,,,,2020-05-01,2020-05-01\n"
    )  # fmt: skip
    c = load_cohort(csv, study=write(tmp_path, FULL), today=dt.date(2025, 1, 1))
    assert c.data_cutoff == dt.date(2023, 6, 30)
    assert list(c.frame["sex"]) == ["M", "F"] and c.references["risk"] == "standard"
    rfs = c.endpoint("RFS", origin="cart").set_index("patient_id")
    # A's relapse (2023-09-01) falls after the cut-off: censored there, and counted
    assert (rfs.loc["A", "event"], rfs.loc["A", "time"]) == (
        0,
        (dt.date(2023, 6, 30) - dt.date(2020, 1, 1)).days,
    )
    assert (rfs.loc["B", "event"], rfs.loc["B", "time"]) == (1, 90)
    assert rfs.attrs["after_cutoff"] == 1


def test_a_problem_in_a_renamed_column_names_the_spreadsheet_header(tmp_path):
    from remission.cohort.cohort import load_cohort
    from remission.cohort.problems import InputError

    cohort = tmp_path / "c.csv"
    cohort.write_text("Pt ID,Sex,DOB,Last contact\nA1,1,31/02/2010,2020-01-01\n", encoding="utf-8")
    study = tmp_path / "s.yaml"
    study.write_text("rename: {Pt ID: patient_id, Sex: sex, DOB: date_of_birth, "
                     "Last contact: last_followup_date}\nrecode: {sex: {1: M, 2: F}}\n",
                     encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as err:
        load_cohort(cohort, study=study)
    (problem,) = err.value.problems
    assert (problem.column, problem.header, problem.row) == ("date_of_birth", "DOB", 2)
    assert "column 'date_of_birth' (header 'DOB')" in str(problem)
