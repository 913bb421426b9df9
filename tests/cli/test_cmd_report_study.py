"""`remission report` on a study that is not the seed: the synthetic CAR T-cell demo."""

import argparse
import contextlib
import csv
import io
import json

import numpy as np
import pytest

from remission.cli import main
from remission.datasets.demo import write_demo_cohort

#: The demo study with a competing-risks endpoint of its own besides RFS.
_CIR_CART = """endpoints:
  CIRC:
    events: [relapse_date]
    competing: [death_date]
    description: Relapse, death without relapse competing
"""


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    cohort, study = write_demo_cohort(folder, n=300, centres=4, seed=1)
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("endpoints:\n", _CIR_CART, 1), encoding="utf-8")
    return cohort, study


@pytest.fixture(scope="module")
def demo_report(demo_files):
    cohort, study = demo_files
    out = cohort.parent / "report"
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["report", str(cohort), "--study", str(study), "-o", str(out)])
    assert code == 0
    return out, json.loads((out / "report.json").read_text(encoding="utf-8"))


def _computed(cohort, study, *extra):
    """The report's results (no files written) for the command line's options."""
    from remission.cli.cmd_report import _inputs, add_arguments
    from remission.report.results import compute_results

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    argv = [str(cohort), "--study", str(study), *extra]
    return compute_results(_inputs(parser.parse_args(argv), argv))


def _csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def test_listing_has_the_studys_columns(demo_report):
    out, data = demo_report
    header = _csv(out / "tables" / "listing.csv")[0]
    assert header[:3] == ["Patient", "Centre", "Age at cart, y/sex"]
    for own in ("Risk group", "WBC, \u00d710\u2079/L", "Inotuzumab, day", "HSCT, day"):
        assert own in header
    assert not [h for h in header if "linatumomab" in h or "ycles" in h or "ymphocyte" in h]
    assert data["tables"]["listing"]["rows"][0].keys() == set(header)
    # no day counted from a date the cohort does not have
    assert not any("day None" in r["Notes"] for r in data["tables"]["listing"]["rows"])


def test_no_blinatumomab_anywhere_in_the_page(demo_report):
    out, _ = demo_report
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "blinatumomab" not in page.lower()
    assert "MRD before cart," in page and "tables/listing.csv" in page


def test_study_endpoints_get_figures(demo_report):
    out, data = demo_report
    for name in ("figure4", "figure5"):
        assert f"figures/{name}.svg" in data["files"] and (out / "figures" / f"{name}.png").exists()
    page = (out / "report.html").read_text(encoding="utf-8")
    # in the study file's order: CIRC, then RFS; from CAR-T first (not every patient given
    # CAR T cells had a transplant, so the study's treatment leads), then HSCT
    assert ("Figure 4. CIRC: Relapse, death without relapse competing. Cumulative incidence "
            "with competing events: (A) after cart start.") in page  # fmt: skip
    assert ("Figure 5. RFS: Relapse-free survival (relapse or death from any cause). "
            "Kaplan-Meier: (A) after cart start, (B) after HSCT.") in page  # fmt: skip
    assert "Figure 1. EFS and OS after cart start." in page


def test_study_endpoint_figures_draw_the_reported_numbers(demo_files):
    res = _computed(*demo_files, "--group", "risk_group")
    # figure 4 is EFS/OS by group; the study's endpoints follow as 5 and 6
    assert [k for k in res.panels] == [f"figure{i}" for i in range(1, 7)]
    km_panels, caption = res.panels["figure6"]
    assert caption.startswith("Figure 6. RFS") and [p.title for p in km_panels] == [
        "RFS after cart start", "RFS after HSCT"]  # fmt: skip
    table = res.numbers["survival"]["RFS_cart"]["groups"][0]["table"]
    np.testing.assert_allclose(km_panels[0].curves[0].value, [r["survival"] for r in table])
    (cif_panel,), _ = res.panels["figure5"]
    assert cif_panel.kind == "incidence" and cif_panel.title == "CIRC after cart start"
    cause1 = next(c for c in res.numbers["competing"]["CIRC_cart"]["curves"] if c["cause"] == 1)
    np.testing.assert_allclose(cif_panel.curves[0].value, [r["estimate"] for r in cause1["at"]])
