"""HTML helpers: inline SVG ids scoped per figure, tables escaped, no URL left."""

import pandas as pd

from remission.report.html import render_html, scope_svg_ids, table_html

SVG = ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
       'xmlns:xlink="http://www.w3.org/1999/xlink"><defs><path id="g1"/>'
       '<clipPath id="c1"/></defs><use xlink:href="#g1"/><g clip-path="url(#c1)"/>'
       '<a href="#elsewhere"/></svg>')  # fmt: skip


def test_svg_ids_are_prefixed_and_urls_dropped():
    out = scope_svg_ids(SVG, "figure1-")
    assert 'id="figure1-g1"' in out and 'xlink:href="#figure1-g1"' in out
    assert "url(#figure1-c1)" in out
    assert 'href="#elsewhere"' in out  # not an id of this SVG: left alone
    assert "http" not in out and "<?xml" not in out


def test_table_html_escapes_and_footnotes():
    df = pd.DataFrame({"a<b": ["x & y"], "n": ["3"]})
    out = table_html(df, "Cap <1>", [("*", "note <i>")], "A, abbr.", numeric=("n",))
    assert "a&lt;b" in out and "x &amp; y" in out and "Cap &lt;1&gt;" in out
    assert '<td class="num">3</td>' in out and "* note &lt;i&gt;" in out


def test_page_has_banner_only_for_reconstructed_data():
    numbers = {"n_patients": 2, "n_eligible": 2, "claims": [],
               "eligibility": {"steps": [], "as_stated": ""}}  # fmt: skip
    args = ("T", numbers, {}, {}, "<svg></svg>", {"data cut-off": "2020-01-01"})
    assert "Reconstructed data" in render_html(*args, reconstructed=True)
    page = render_html(*args, reconstructed=False)
    assert "Reconstructed data" not in page and "http" not in page
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page


def _numbers(n: int, claims: list) -> dict:
    group = {"group": "all", "n": n, "events": 2, "median": {"time": None, "lower": 300.0,
             "upper": None}, "at": [{"time": 365.25, "survival": 0.8, "lower": 0.6, "upper": 0.9}]}  # fmt: skip
    return {"n_patients": n, "n_eligible": n, "claims": claims, "unit": "months",
            "eligibility": {"steps": [], "as_stated": ""},
            "survival": {"EFS_hsct": {"endpoint": "EFS", "origin": "hsct", "groups": [group]}},
            "competing": {"CIR_hsct": {"endpoint": "CIR", "origin": "hsct", "n": n,
                                       "events": {"1": 3, "2": 1},
                                       "causes": [{"cause": 1, "at": [{"time": 365.25,
                                                   "estimate": 0.1, "lower": 0.05, "upper": 0.2}]}]}}}  # fmt: skip


def _page(n: int, claims: list, listing=None) -> str:
    tables = {
        "listing": (pd.DataFrame({"Patient": ["P1"]}), "Table 2. Individual patients", (), "")
    }
    return render_html("T", _numbers(n, claims), tables, {}, "<svg></svg>",
                       {"data cut-off": "2020-01-01"}, False, listing=listing)  # fmt: skip


def test_no_claims_file_no_claims_section():
    assert 'id="claims"' not in _page(3, [])
    claim = {"id": "c1", "quote": "q", "published": {"form": "count", "value": 1},
             "published_text": "1", "computed_text": "1", "status": "reproduced", "note": ""}  # fmt: skip
    assert 'id="claims"' in _page(3, [claim])


def test_listing_only_for_small_cohorts(tiny_cohort):
    from remission.report.results import LISTING_MAX
    from remission.report.tables import patient_listing

    lst = patient_listing(tiny_cohort)
    small = _page(4, [], lst)
    assert "<td>P2</td>" in small and '<ol class="notes">' in small
    assert small.count('<li value="1">') == 1  # each note listed once, numbered
    big = _page(LISTING_MAX + 1, [], lst)
    assert "<td>P2</td>" not in big and "tables/listing.csv" in big


def test_time_to_event_table_states_unit_once_and_not_reached():
    page = _page(3, [])
    assert "not reached" in page and "N/A" not in page.split('id="survival"')[1]
    assert "Median, months (95\u00a0% CI)" in page and "1-year,\u00a0% (95\u00a0% CI)" in page
    assert "80 (60\u201390)" in page  # KM 1-year estimate with its CI, per cent
    assert "3 (competing 1)" in page  # CIR: n and events
