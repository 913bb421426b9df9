"""report.html in headless Chromium: loads without console errors, figures drawn, not blank.

Needs Debian's ``chromium`` (/usr/bin/chromium; CI installs it).
"""

import json
import os
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
)
if CHROMIUM is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from remission.cli import main  # noqa: E402


def _chromium(url: str, shot, profile, width: int = 1200, height: int = 2000):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shot}",
           f"--window-size={width},{height}", "--enable-logging=stderr", "--v=0", url]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    import pandas as pd

    from remission.cohort.mrdvalue import parse_mrd

    # the same tiny cohort as conftest.tiny_cohort, written as CSV
    rows = [
        ("P1", "M", 0.75, "CR2", "0.1", 0.94, "2017-01-01", 0, 0, "<0.005", "2017-02-20", None, None, "2020-01-01"),
        ("P2", "F", 0.41, "CR2", "N/A", None, "2017-02-01", 1, 0, "<0.005", "2017-03-25", "2017-04-29", "2017-05-20", "2017-05-20"),
        ("P3", "F", 0.2, "CR1", "0.3", 0.35, "2018-03-01", 2, 1, "0.05", "2018-05-01", "2018-08-10", None, "2020-01-01"),
        ("P4", "M", 2.9, "primary refractory", "40", 2.43, "2019-01-01", 0, 0, "<0.005", "2019-03-01", None, "2019-04-27", "2019-04-27"),
    ]  # fmt: skip
    cols = ["patient_id", "sex", "age_at_blinatumomab_years", "disease_status", "mrd_pre_percent",
            "lymphocytes_pre_1e9_per_l", "blinatumomab_start_date", "crs_grade",
            "neurotoxicity_grade", "mrd_post_percent", "hsct_date", "relapse_date", "death_date",
            "last_followup_date"]  # fmt: skip
    df = pd.DataFrame(rows, columns=cols)
    assert all(not parse_mrd(v).is_missing or v == "N/A" for v in df["mrd_pre_percent"])
    csv = tmp / "cohort.csv"
    df.to_csv(csv, index=False)
    out = tmp / "report"
    assert main(["report", str(csv), "-o", str(out)]) == 0
    shot = tmp / "shot.png"
    res = _chromium((out / "report.html").as_uri(), shot, tmp / "profile")
    return out, shot, res


def test_page_loads_without_console_errors(rendered):
    _, shot, res = rendered
    assert res.returncode == 0, res.stderr[-2000:]
    console = [line for line in res.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
    assert shot.is_file()


def test_screenshot_is_not_blank(rendered):
    _, shot, _ = rendered
    with Image.open(shot) as im:
        pixels = np.asarray(im.convert("RGB")).reshape(-1, 3)
    colours = np.unique(pixels[::7], axis=0)
    assert len(colours) > 50  # text, table rules, status colours, banner
    assert (pixels.min(axis=1) < 128).mean() > 0.005  # some dark ink on the page


def test_figures_and_claim_ids_are_in_the_report(rendered):
    out, _, _ = rendered
    page = (out / "report.html").read_text()
    assert '<figure id="figure1">' in page and "<svg" in page
    assert page.count("<svg") >= 3
    data = json.loads((out / "report.json").read_text())
    assert data["claims"] == []  # no claims file given for a user's cohort
    assert {"figures/figure1.svg", "figures/figure1.png"} <= set(data["files"])


def test_the_console_check_does_catch_errors(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>undefinedFn();</script>x</body></html>")
    res = _chromium(page.as_uri(), tmp_path / "b.png", tmp_path / "profile", 400, 300)
    assert any("CONSOLE" in line and "undefinedFn" in line for line in res.stderr.splitlines())


def _widths(page, tmp_path, width: int) -> tuple[int, int]:
    """(document scroll width, viewport width) of ``page`` shown ``width`` px wide.

    The page is shown in an iframe of that width (headless Chromium's window is at least
    500 px wide), whose script reports to the outer page, dumped with --dump-dom.
    """
    import html
    import re

    script = ("<script>parent.document.body.setAttribute('data-w', "
              "document.documentElement.scrollWidth + ' ' + window.innerWidth)</script></body>")  # fmt: skip
    inner = html.escape(page.replace("</body>", script), quote=True)
    probe = tmp_path / f"probe{width}.html"
    probe.write_text(f'<html><body><iframe width="{width}" height="1500" style="border:0" '
                     f'srcdoc="{inner}"></iframe></body></html>', encoding="utf-8")  # fmt: skip
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1600",
           "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()]  # fmt: skip
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=90).stdout
    doc, view = re.search(r'data-w="(\d+) (\d+)"', dom).groups()
    return int(doc), int(view)


@pytest.mark.parametrize("width", [390, 1280])
def test_wide_tables_scroll_inside_their_box_not_the_page(tmp_path, rendered, width):
    import pandas as pd

    from remission.report.html import render_html

    out, _, _ = rendered
    groups = {
        f"Centre number {i} (N\u00a0=\u00a0250)": ["1,234 (50\u00a0%)"] * 3 for i in range(12)
    }
    wide = pd.DataFrame({"Characteristic": ["Sex, n (%)", "\u2003F", "\u2003M"],
                         "Overall (N\u00a0=\u00a03,000)": ["", "1,497 (50\u00a0%)", "1,503"],
                         "p": [".15", "", ""], "Test": ["Chi-square", "", ""], **groups})  # fmt: skip
    numbers = {"n_patients": 3000, "n_eligible": 3000, "claims": [],
               "eligibility": {"steps": [], "as_stated": ""}}  # fmt: skip
    page = render_html("T", numbers, {"table1": (wide, "Table 1", (), "")}, {}, "<svg></svg>",
                       {"data cut-off": "2020-01-01"}, False)  # fmt: skip
    doc, view = _widths(page, tmp_path, width)
    assert view == width and doc <= view, (doc, view)  # the 16-column table scrolls in its box
    unboxed = page.replace('<div class="scroll">', "<div>")
    assert _widths(unboxed, tmp_path, width)[0] > width  # the check can fail
    seed = (out / "report.html").read_text(encoding="utf-8")
    doc, view = _widths(seed, tmp_path, width)
    assert doc <= view, (doc, view)
