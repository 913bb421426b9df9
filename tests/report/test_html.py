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
