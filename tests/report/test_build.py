"""The report folder end to end: files, JSON, HTML self-containment, atomic writing."""

import json
import shutil

import pytest

from remission.cli import main  # noqa: E402
from remission.report.outdir import (  # noqa: E402
    MANIFEST,
    STAGING_MARK,
    foreign_entries,
    write_manifest,
)

CLAIMS = """
claims:
  - {id: neg, quote: "Three became MRD negative", published: {form: count, value: 3},
     compute: {kind: count, where: {mrd_post_qualifier: negative}}}
  - {id: crs, quote: "Three had CRS", published: {form: count, value: 3},
     compute: {kind: count, where: {crs_grade: {ge: 1}}}}
  - {id: nope, quote: "x", published: {form: count, value: 1},
     compute: {kind: count, where: {not_a_column: 1}}}
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory, request):
    """One report of the tiny cohort, shared by the read-only tests of this module."""
    import contextlib
    import io

    tmp = tmp_path_factory.mktemp("build")
    frame = request.getfixturevalue("tiny_cohort_module")
    csv = tmp / "cohort.csv"
    _write_csv(frame, csv)
    claims = tmp / "claims.yaml"
    claims.write_text(CLAIMS)
    # the tiny cohort has the seed's columns: the seed's study file (without its cut-off)
    # declares them and its intervention (figure 2 is drawn from its start)
    from remission.datasets import seed_study_path

    study = tmp / "study.yaml"
    study.write_text(seed_study_path().read_text().replace("data_cutoff_date: 2019-12-31\n", ""))
    out = tmp / "out"
    buf, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
        code = main(["report", str(csv), "--claims", str(claims), "--study", str(study),
                     "-o", str(out)])  # fmt: skip
    assert code == 0, err.getvalue()
    return out, buf.getvalue()


def _write_csv(df, path):
    df = df.copy()
    for c in ("mrd_pre_percent", "mrd_post_percent"):
        df[c] = [v.to_text() for v in df[c]]
    for c in [c for c in df.columns if c.endswith("_date")]:
        df[c] = df[c].dt.strftime("%Y-%m-%d")
    df.to_csv(path, index=False)


def test_report_folder_has_everything(report):
    out, printed = report
    assert "Report written to" in printed and str(out / "report.html") in printed
    assert "1 reproduced, 1 discrepant, 1 not computable" in printed
    for name in ("report.html", "report.json", "figures/figure1.svg", "figures/figure1.png",
                 "figures/flow.svg", "tables/table1.csv", "tables/listing.csv", "report.docx"):  # fmt: skip
        assert (out / name).is_file(), name
    data = json.loads((out / "report.json").read_text())
    assert [c["id"] for c in data["claims"]] == ["neg", "crs", "nope"]
    assert [c["status"] for c in data["claims"]] == ["reproduced", "discrepant", "not computable"]
    for c in data["claims"]:
        assert set(c) >= {"id", "quote", "published", "computed", "status", "note"}
    assert data["n_patients"] == 4 and data["reconstructed_data"] is False
    assert len(data["reproducibility"]["input SHA-256"]) == 64
    assert "NaN" not in (out / "report.json").read_text()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.")]


def test_html_is_self_contained(report):
    out, _ = report
    page = (out / "report.html").read_text()
    assert page.count("<svg") >= 2  # the figures and the flow diagram, inline
    assert "http" not in page and "src=" not in page and "@import" not in page
    assert "Reconstructed data" not in page
    assert '<meta name="viewport"' in page and "@media print" in page


def test_bad_cohort_writes_nothing(tmp_path, tiny_csv, capsys):
    text = tiny_csv.read_text().replace("2017-02-20", "2017-02-30", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    out = tmp_path / "never"
    assert main(["report", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "row 2" in err and "hsct_date" in err and "'2017-02-30'" in err
    assert not out.exists() and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "cohort.csv"]


def test_refuses_to_replace_a_folder_that_is_not_a_report(tmp_path, tiny_csv, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    assert main(["report", str(tiny_csv), "-o", str(out)]) == 2
    assert "not an earlier report" in capsys.readouterr().err
    assert (out / "thesis.docx").read_text() == "precious"


def test_rerun_replaces_an_earlier_report_left_as_written(tmp_path, tiny_csv, capsys):
    out = tmp_path / "out"
    assert main(["report", str(tiny_csv), "-o", str(out)]) == 0
    manifest = json.loads((out / MANIFEST).read_text())["files"]
    assert "report.html" in manifest and "tables/table1.csv" in manifest
    (out / "report.html").write_text("an old page")  # changed since: refused below
    assert main(["report", str(tiny_csv), "-o", str(out)]) == 2
    assert "report.html (changed since remission wrote it)" in capsys.readouterr().err
    shutil.rmtree(out)
    assert main(["report", str(tiny_csv), "-o", str(out)]) == 0
    (out / "report.html").write_text("replaced below")
    write_manifest(out)  # as if remission had written this page: the folder is replaceable
    assert main(["report", str(tiny_csv), "-o", str(out)]) == 0
    assert "<svg" in (out / "report.html").read_text() and foreign_entries(out) == []
    assert "none audited" in capsys.readouterr().out
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_user_files_in_an_earlier_report_are_never_deleted(tmp_path, tiny_csv, capsys):
    # issue 11: the whole folder, with the user's notes and data, was replaced (exit 0)
    out = tmp_path / "out"
    assert main(["report", str(tiny_csv), "-o", str(out)]) == 0
    (out / "my_notes.txt").write_text("mine")
    (out / "tables" / "data.csv").write_text("a,b\n")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    assert main(["report", str(tiny_csv), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "my_notes.txt" in err and "tables/data.csv" in err and "nothing was deleted" in err
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert (out / "my_notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.csv", "out"]


def test_a_report_folder_without_manifest_is_refused(tmp_path, tiny_csv, capsys):
    out = tmp_path / "old"
    out.mkdir()
    (out / "report.json").write_text('{"reproducibility": {}}')
    assert main(["report", str(tiny_csv), "-o", str(out)]) == 2
    assert "report.json" in capsys.readouterr().err and (out / "report.json").exists()


def test_staging_folders_of_a_killed_run_are_removed_at_the_next_run(tmp_path, tiny_csv, capsys):
    out = tmp_path / "out"
    killed = tmp_path / ".out.tmp-abc123"  # as a run killed while writing leaves it
    (killed / "figures").mkdir(parents=True)
    (killed / STAGING_MARK).write_text("")
    (killed / "figures" / "figure1.svg").write_text("<svg/>")
    empty = tmp_path / ".out.tmp-killed_at_once"
    empty.mkdir()
    foreign = tmp_path / ".out.tmp-not-ours"  # no marker: not remission's, kept
    foreign.mkdir()
    (foreign / "keep.txt").write_text("x")
    assert main(["report", str(tiny_csv), "-o", str(out)]) == 0
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".out.tmp-not-ours", "cohort.csv", "out"]
    assert (foreign / "keep.txt").read_text() == "x"


def test_failure_while_writing_leaves_no_partial_output(tmp_path, tiny_csv, monkeypatch, capsys):
    import remission.report.build as build

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build, "render_html", boom)
    out = tmp_path / "out"
    assert main(["report", str(tiny_csv), "-o", str(out)]) == 3
    assert "disk full" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.csv"]


def test_docx_has_editable_tables_figures_and_claims(report):
    import docx

    out, _ = report
    doc = docx.Document(str(out / "report.docx"))
    heads = [t.rows[0].cells[0].text for t in doc.tables]
    # claims audit, Table 1, listing, MRD, toxicity, time to event: real Word tables
    assert heads == [
        "Claim",
        "Criterion",
        "Characteristic",
        "Patient",
        "Patient",
        "Toxicity",
        "Endpoint",
    ]
    claims = doc.tables[0]
    assert [r.cells[0].text for r in claims.rows[1:]] == ["neg", "crs", "nope"]
    assert [r.cells[4].text for r in claims.rows[1:]] == ["reproduced", "discrepant",
                                                          "not computable"]  # fmt: skip
    pngs = sorted((out / "figures").glob("figure*.png"))
    assert len(pngs) >= 2 and len(doc.inline_shapes) == len(pngs)  # every figure, as PNG
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert "Table 1. Patient characteristics" in captions
    assert any(c.startswith("Figure 1.") for c in captions)


def test_docx_renders_in_libreoffice(report, tmp_path):
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out, _ = report
    profile = tmp_path / "profile"  # a private profile: no clash with another soffice
    res = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(out / "report.docx")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    assert res.returncode == 0, res.stderr
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 20_000  # pages with tables and three figures


def test_a_report_terminated_while_writing_leaves_nothing_behind(tmp_path, tiny_csv):
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "remission", "report", str(tiny_csv), "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ},
    )  # fmt: skip
    seen = False
    while proc.poll() is None and not seen:
        seen = any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir())
        time.sleep(0.01)
    if not seen:
        pytest.skip("the report finished before it could be interrupted")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate()
    assert proc.returncode in (143, 0), err  # 0: it finished in the meantime
    assert "Traceback" not in err.decode()
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left in (["cohort.csv"], ["cohort.csv", "out"])


def test_csv_tables_are_utf8_with_bom_and_read_back(report):
    import pandas as pd

    from remission.app.views import tables_workbook

    out, _ = report
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    csvs = sorted((out / "tables").glob("*.csv"))
    assert {p.stem for p in csvs} >= {"table1", "listing"}
    for path in csvs:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path.name  # Excel reads it as UTF-8
        back = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows = data["tables"][path.stem]["rows"]
        assert list(back.columns) == list(rows[0]), path.name  # no BOM in the first header
        assert back.to_dict("records") == [{k: str(v) for k, v in r.items()} for r in rows]
    # the app's Excel export reads the same files
    tables_workbook(csvs, out.parent / "tables.xlsx")
    book = pd.read_excel(out.parent / "tables.xlsx", sheet_name=None, dtype=str)
    assert list(next(iter(book.values())).columns) == list(pd.read_csv(csvs[0]).columns)


def test_a_large_figure_shown_as_png_keeps_the_svg_width(tmp_path):
    from remission.report.build import SVG_INLINE_MAX, _inline_figure

    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG\r\n")
    big = '<svg width="240.944882pt" height="410.9pt" viewBox="0 0 240.9 410.9">' + " " * (
        SVG_INLINE_MAX + 1
    )  # fmt: skip
    html = _inline_figure(big + "</svg>", png, 'Figure 2. "EFS" & OS')
    assert html.startswith("<img alt=\"Figure 2. 'EFS' and OS\"")
    assert 'style="width:240.944882pt;max-width:100%;height:auto"' in html
    small = '<svg width="10pt"></svg>'
    assert _inline_figure(small, png, "x") == small
