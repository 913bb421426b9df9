"""Reading run files: every problem named by file, row, column, value and expectation."""

import pytest

from remission.cohort.problems import InputError
from remission.mrd import Role, read_run

HEADER = "sample,marker,role,dilution,replicate,ct\n"
STANDARDS = "".join(
    f"DX,IGH,standard,{d},{r},{20 - 3.3 * e:.2f}\n"
    for e, d in ((-1, "1e-1"), (-2, "0.01"), (-3, "10^-3"))
    for r in (1, 2, 3)
)


def _write(tmp_path, text, name="run.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _problems(tmp_path, text):
    p = _write(tmp_path, text)
    with pytest.raises(InputError) as exc:
        read_run(p)
    return exc.value.problems


def test_a_good_file_reads(tmp_path):
    text = HEADER + STANDARDS + "FU,IGH,followup,,1,Undetermined\nFU,IGH,followup,,2,\n"
    run = read_run(_write(tmp_path, text))
    assert run.markers == ("IGH",)
    assert [w.dilution for w in run.select(Role.STANDARD)][6] == pytest.approx(1e-3)
    fu = run.select(Role.FOLLOWUP)
    assert [w.ct for w in fu] == [None, None]
    assert [w.row for w in fu] == [11, 12]


def test_extra_columns_and_case_are_accepted(tmp_path):
    text = "Well,Sample,Marker,Role,Dilution,Replicate,Ct\n" + "".join(
        f"A{i},{line}" for i, line in enumerate(STANDARDS.splitlines(keepends=True))
    )
    assert len(read_run(_write(tmp_path, text)).wells) == 9


def test_missing_columns_are_all_named(tmp_path):
    (*probs,) = _problems(tmp_path, "sample,marker,ct\nDX,IGH,20\n")
    assert [p.column for p in probs] == ["role", "dilution", "replicate"]
    assert all("required column missing" in str(p) for p in probs)


def test_ct_as_text_unknown_role_and_bad_replicate_are_all_reported(tmp_path):
    text = (
        HEADER
        + STANDARDS
        + "FU,IGH,followup,,1,thirty\nFU,IGH,folowup,,2,30\nFU,IGH,followup,,x,30\n"
    )
    probs = _problems(tmp_path, text)
    assert len(probs) == 3
    ct, role, rep = probs
    assert (ct.row, ct.column, ct.value, ct.patient_id) == (11, "ct", "thirty", None)
    assert "blank or Undetermined" in ct.expected
    assert (role.row, role.column, role.value) == (12, "role", "folowup")
    assert "normal_control" in role.expected
    assert (rep.row, rep.column, rep.value) == (13, "replicate", "x")
    assert "run.csv, row 11, column 'ct': sample 'FU': Ct is not a number" in str(ct)


def test_duplicated_well_names_the_first_row(tmp_path):
    text = HEADER + STANDARDS + "DX,IGH,standard,0.1,1,23.4\n"
    (p,) = _problems(tmp_path, text)
    assert p.row == 11
    assert "same sample, marker, role, dilution and replicate as row 2" in p.message
    # the sample is named as on every other run-file problem, never as a patient
    assert p.message.startswith("sample 'DX': ") and p.patient_id is None


def test_missing_standards(tmp_path):
    (p,) = _problems(tmp_path, HEADER + "FU,IGH,followup,,1,30\n")
    assert "no standard wells" in p.message


def test_marker_without_its_own_standards(tmp_path):
    (p,) = _problems(tmp_path, HEADER + STANDARDS + "FU,TRG,followup,,1,30\n")
    assert "marker 'TRG' has no standards" in p.message


def test_single_dilution(tmp_path):
    text = HEADER + "".join(f"DX,IGH,standard,1e-3,{r},30.0\n" for r in (1, 2, 3))
    (p,) = _problems(tmp_path, text)
    assert "amplified at 1 dilution(s)" in p.message
    assert p.expected == "at least two amplified dilutions"


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("DX,IGH,standard,,4,30", "dilution", "standard without a dilution"),
        ("DX,IGH,standard,2,4,30", "dilution", "not a dilution"),
        ("FU,IGH,followup,1e-3,1,30", "dilution", "a dilution on a followup row"),
        ("FU,IGH,followup,,1,-3", "ct", "Ct out of range"),
        ("FU,IGH,followup,,1,75", "ct", "Ct out of range"),
        (",IGH,followup,,1,30", "sample", "sample is empty"),
        ("FU,,followup,,1,30", "marker", "marker is empty"),
        ("FU,IGH,followup,,0,30", "replicate", "not a replicate number"),
    ],
)
def test_row_problems(tmp_path, line, column, message):
    (p,) = _problems(tmp_path, HEADER + STANDARDS + line + "\n")
    assert (p.row, p.column) == (11, column)
    assert message in p.message


def test_standards_from_two_samples(tmp_path):
    (p,) = _problems(tmp_path, HEADER + STANDARDS + "DX2,IGH,standard,1e-4,1,33.2\n")
    assert "several samples" in p.message and p.value == "DX, DX2"


def test_unreadable_and_empty_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_run(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="empty"):
        read_run(_write(tmp_path, ""))
    p = tmp_path / "bin.csv"
    p.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputError, match="binary file"):
        read_run(p)
    p.write_bytes(HEADER.encode() + b"DX,IGH,standard,0.1,1,2\xe93\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_run(p)


def test_rows_with_too_many_or_too_few_fields(tmp_path):
    text = HEADER + STANDARDS + "FU,IGH,followup,,1,30,extra\nFU,IGH,followup,,2\n"
    probs = _problems(tmp_path, text)
    assert [(p.row, p.message) for p in probs] == [
        (11, "row has 7 fields but the header has 6"),
        (12, "row has 5 fields but the header has 6"),
    ]


def test_excel_run_with_numeric_cells(tmp_path):
    import pandas as pd

    rows = [["DX", "IGH", "standard", 10.0**-e, r, 20 + 3.3 * e] for e in (1, 2, 3) for r in (1, 2)]
    rows += [["FU", "IGH", "followup", None, 1, None], [None] * 6]
    frame = pd.DataFrame(rows, columns=HEADER.strip().split(","))
    path = tmp_path / "run.xlsx"
    frame.to_excel(path, index=False)
    run = read_run(path)
    assert [w.replicate for w in run.wells[:2]] == [1, 2]
    assert run.wells[0].dilution == pytest.approx(0.1)
    assert run.wells[-1].ct is None and run.wells[-1].row == 8


def test_a_dilution_beyond_the_range_of_floats_is_not_a_dilution(tmp_path):
    # issue 11: 10^400 overflowed float ("internal error: OverflowError")
    probs = _problems(tmp_path, HEADER + STANDARDS + "DX,IGH,standard,10^400,1,20\n")
    assert [(p.row, p.column, p.message, p.value) for p in probs] == [
        (11, "dilution", "sample 'DX': not a dilution", "10^400")
    ]


def test_a_flat_standard_curve_is_a_failed_run_not_a_crash(tmp_path, capsys):
    # issue 11 (found while fuzzing): slope ~1e-13 overflowed 10 ** (-1 / slope)
    from remission.cli import main

    text = HEADER + (
        "DX,IGH,standard,0.1,1,30\nDX,IGH,standard,0.01,1,30.000000000001\n"
        "FU,IGH,followup,,1,0.0001\nFU,ALB,control_gene,,1,0.001\nDX,ALB,control_gene,,1,60\n"
    )
    assert main(["mrd", "interpret", str(_write(tmp_path, text))]) == 0
    out, err = capsys.readouterr()
    assert "internal error" not in err and "efficiency inf %" in out
    assert "run_not_accepted" in out
