"""`remission report` on a study that is not the seed: the synthetic CAR T-cell demo."""

import contextlib
import csv
import io
import json

import pytest

from remission.cli import main
from remission.datasets.demo import write_demo_cohort


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    cohort, study = write_demo_cohort(folder, n=300, centres=4, seed=1)
    out = folder / "report"
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["report", str(cohort), "--study", str(study), "-o", str(out)])
    assert code == 0
    return out, json.loads((out / "report.json").read_text(encoding="utf-8"))


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
