"""``remission plot km|cif`` end to end, in process: formats, options, bad input."""

import re

import pandas as pd
import pytest
from PIL import Image

from remission.cli import main
from remission.cli.cmd_plot import _order


def run(capsys, *argv):
    code = main(["plot", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_svg_has_editable_text_and_the_risk_table(tmp_path, capsys):
    out = tmp_path / "efs.svg"
    code, stdout, err = run(capsys, "km", "--endpoint", "EFS", "--origin", "hsct", "-o", out)
    assert code == 0 and err == "" and stdout.strip() == f"wrote {out}"
    svg = out.read_text()
    assert "<text" in svg  # svg.fonttype none: text, not paths
    assert "font-family: 'DejaVu Sans', 'Arial', 'Helvetica', sans-serif" in svg
    assert ">No. at risk<" in svg and ">11<" in svg  # 11 patients at risk at time 0
    assert "<!DOCTYPE" not in svg and "<metadata" not in svg


def test_pdf_embeds_truetype_fonts(tmp_path, capsys):
    out = tmp_path / "os.pdf"
    assert run(capsys, "km", "--endpoint", "OS", "-o", out)[0] == 0
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # pdf.fonttype 42
    assert b"/Subtype /Type3" not in pdf


def test_one_drawing_in_every_format_at_600_dpi_double_width(tmp_path, capsys):
    stem = tmp_path / "figure2"
    code, stdout, _ = run(capsys, "km", "--endpoint", "EFS", "--format", "svg,pdf,png,tiff",
                          "--dpi", "600", "--width", "double", "-o", stem)  # fmt: skip
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "figure2.pdf", "figure2.png", "figure2.svg", "figure2.tiff"]  # fmt: skip
    with Image.open(stem.with_suffix(".tiff")) as tif, Image.open(stem.with_suffix(".png")) as png:
        assert tif.info["compression"] == "tiff_lzw" and tif.mode == "RGB"
        assert round(tif.info["dpi"][0]) == 600 and round(png.info["dpi"][0]) == 600
        assert tif.size == png.size
        assert tif.size[0] == pytest.approx(178 / 25.4 * 600, abs=3)  # double column
    w, h = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"',
                                stem.with_suffix(".svg").read_text()).groups())  # fmt: skip
    assert tif.size[1] / tif.size[0] == pytest.approx(h / w, rel=0.005)


def test_cif_with_events_and_censored_rows(tmp_path, capsys):
    out = tmp_path / "cir.png"
    code, _, err = run(capsys, "cif", "--endpoint", "CIR", "--at", "365.25", "-o", out,
                       "--risk-table", "at_risk,events,censored", "--unit", "years")  # fmt: skip
    assert code == 0, err
    with Image.open(out) as im:
        assert round(im.info["dpi"][0]) == 300


def test_grouped_plain_table_with_median_and_landmarks(tmp_path, capsys):
    data = tmp_path / "d.csv"
    pd.DataFrame({"days": [5, 8, 12, 20, 30, 31, 40, 50], "died": [1, 0, 1, 1, 0, 1, 1, 0],
                  "arm": ["B", "A", "B", "A", "B", "A", "B", "A"]}).to_csv(data, index=False)  # fmt: skip
    out = tmp_path / "f.svg"
    code, _, err = run(capsys, "km", data, "--time", "days", "--event", "died", "--group", "arm",
                       "--order", "B,A", "--median", "--at", "30", "--unit", "days",
                       "--legend", "direct", "-o", out)  # fmt: skip
    assert code == 0, err
    svg = out.read_text()
    assert "Log-rank p" in svg and "Median, d" in svg and "(95% CI)" in svg
    assert svg.index(">B<") < svg.index(">A<")  # declared order, not sorted


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "bmp"], "bmp is not one of svg, pdf, png, tiff"),
        (["-o", "x.gif"], "gif is not one of"),
        (["--width", "10"], "--width: width must be between 40 and 260 mm"),
        (["--width", "wide"], "single, double or millimetres"),
        (["--risk-table", "at_risk,deaths"], "deaths is not at_risk, events or censored"),
        (["--dpi", "20"], "--dpi must be between 72 and 1200"),
        (["--xmax", "-1"], "--xmax must be a positive number"),
    ],
)
def test_bad_options_are_one_line_errors_and_write_nothing(tmp_path, capsys, args, message,
                                                           monkeypatch):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "km", "--endpoint", "EFS", *args)
    assert code == 2 and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_unknown_cause_is_an_error(tmp_path, capsys):
    code, _, err = run(capsys, "cif", "--endpoint", "CIR", "--cause", "7", "-o", tmp_path / "x.pdf")
    assert code == 2 and "--cause 7: no such event code (causes: 1, 2)" in err
    assert not (tmp_path / "x.pdf").exists()


def test_group_order_from_categorical_then_option():
    frame = pd.DataFrame({"g": pd.Categorical(["low", "high"], categories=["low", "mid", "high"])})
    assert _order(frame, "g", None) == ["low", "mid", "high"]
    assert _order(frame, "g", "high, low") == ["high", "low"]
    assert _order(pd.DataFrame({"g": ["b", "a"]}), "g", None) is None


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit):
        main(["plot", "--help"])
    assert "examples:" in capsys.readouterr().out


def test_simon_makuch_and_landmark_figures(tmp_path, capsys):
    from pathlib import Path

    hsct = Path(__file__).resolve().parents[1] / "reference" / "data" / "hsct.csv"
    out = tmp_path / "sm.svg"
    code, _, err = run(capsys, "km", hsct, "--time", "time", "--event", "death", "--exposure",
                       "hsct", "--unit", "days", "-o", out)  # fmt: skip
    assert code == 0, err
    svg = out.read_text()
    assert "mantel-byar" in svg and ">exposed<" in svg and ">No. at risk<" in svg
    # at day 0: 79 patients under observation unexposed, 1 transplanted on day 0
    assert ">79<" in svg
    out = tmp_path / "lm.svg"
    code, _, err = run(capsys, "km", hsct, "--time", "time", "--event", "death", "--exposure",
                       "hsct", "--landmark", "100", "--unit", "days", "-o", out)  # fmt: skip
    assert code == 0, err and "landmark" in out.read_text()
    code, _, err = run(capsys, "km", hsct, "--time", "time", "--event", "death", "--landmark",
                       "100", "-o", tmp_path / "x.svg")  # fmt: skip
    assert code == 2 and "--exposure" in err


def test_duckdb_engine_draws_the_same_figure(tmp_path, capsys):
    pytest.importorskip("duckdb")
    data = tmp_path / "d.csv"
    pd.DataFrame({"days": [5, 8, 12, 20, 30, 31, 40, 50, 60, 70], "died": [1, 0, 1, 1, 0, 1, 1, 0, 1, 0],
                  "arm": list("BABABABABA")}).to_csv(data, index=False)  # fmt: skip
    texts = []
    for engine in ("memory", "duckdb"):
        out = tmp_path / f"{engine}.svg"
        code, _, err = run(capsys, "km", data, "--time", "days", "--event", "died", "--group",
                           "arm", "--engine", engine, "--median", "-o", out)  # fmt: skip
        assert code == 0, err
        texts.append(re.findall(r">([^<]+)</text>", out.read_text()))
    assert texts[0] == texts[1] and "Log-rank p = 0.34" in texts[0]  # compare: p = 0.3364
    code, _, err = run(capsys, "cif", data, "--time", "days", "--event", "died", "--engine",
                       "duckdb", "-o", tmp_path / "c.pdf")  # fmt: skip
    assert code == 2 and "use --engine memory" in err


def test_axis_names_the_origin_from_the_study_file(tmp_path):
    import argparse

    from remission.cli.cmd_plot import _xlabel
    from remission.datasets.demo import write_demo_cohort

    def label(origin, file=None, study=None):
        ns = argparse.Namespace(file=file, study=study, origin=origin, endpoint="OS",
                                unit="days", reference=[])  # fmt: skip
        return _xlabel(ns)

    assert label("hsct") == "Days from HSCT"
    assert label("blinatumomab") == "Days from start of blinatumomab"  # the seed's study file
    assert label("relapse_date") == "Days from relapse"
    cohort, study = write_demo_cohort(tmp_path, n=20, centres=2, seed=1)
    assert label("cart", str(cohort), str(study)) == "Days from start of cart"
