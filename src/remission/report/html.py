"""report.html: one self-contained file (inline CSS and SVG, no URL), phone- and print-ready.

Nothing here computes: it lays out a :class:`~remission.report.results.ReportData`.
Inline SVGs from matplotlib reuse element ids (glyphs, clip paths); each figure's ids
are prefixed so that several figures can share one HTML document.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from remission.report import format as fmt
from remission.report.outcome import survival_frame
from remission.report.results import LISTING_MAX
from remission.report.table1 import INDENT
from remission.report.tables import Listing

__all__ = [
    "render_html",
    "table_html",
    "scope_svg_ids",
    "cell_text",
    "mrd_paragraphs",
    "followup_paragraphs",
]

_CSS = """
:root{--fg:#111;--mut:#555;--line:#d6d6d6;--ok:#0a7a3f;--bad:#b3261e;--na:#8a6d00;--acc:#0072B2}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);
 margin:0 auto;max-width:1100px;padding:16px}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin-top:1.8em;border-bottom:2px solid
 var(--acc);padding-bottom:.2em}h3{font-size:1.05em}
.banner{background:#fff4e5;border:2px solid #e69f00;padding:10px 14px;border-radius:6px;
 font-weight:600;margin:12px 0}
.summary{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.pill{padding:8px 14px;border-radius:18px;font-weight:600;border:1px solid var(--line)}
.reproduced{color:var(--ok)}.discrepant{color:var(--bad)}.not-computable{color:var(--na)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:8px 0}
table{border-collapse:collapse;font-size:.9em;min-width:100%}table.wide{min-width:0}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #333;background:#fafafa}
td.num{text-align:right;white-space:nowrap}
table.wide td,table.wide th{white-space:nowrap}table.wide td:first-child,table.wide th:first-child{
 position:sticky;left:0;background:#fff;white-space:normal;min-width:13em;max-width:22em;z-index:1;
 box-shadow:1px 0 0 var(--line)}table.wide thead th:first-child{background:#fafafa}
td.level{padding-left:1.6em}tr.var td{font-weight:600}
sup{font-size:.7em;line-height:0}ol.notes{font-size:.85em;color:var(--mut);margin:4px 0;
 padding-left:2em}
.foot{font-size:.85em;color:var(--mut);margin:4px 0}
figure{margin:16px 0}figure.flow{overflow-x:auto}figure.flow svg{width:100%;min-width:480px;max-width:580px}figure svg{max-width:100%;height:auto;display:block}
figcaption{font-size:.9em;color:var(--mut)}
.figs{display:flex;flex-wrap:wrap;gap:24px}.figs figure{flex:1 1 420px;max-width:540px}
.status{font-weight:700;white-space:nowrap}
td.id{word-break:normal;min-width:9em}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;
 word-break:break-all}
dl.repro{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px}dl.repro dt{font-weight:600}
@media (max-width:600px){body{font-size:14px;padding:10px}th,td{padding:3px 5px}
 table.cards thead{display:none}table.cards,table.cards tbody,table.cards tr,table.cards td{
 display:block;width:100%}table.cards tr{border:1px solid var(--line);border-radius:6px;
 margin:0 0 10px;padding:4px}table.cards td{border:none}
 table.cards caption{display:block;width:100%}
 table.cards td:before{content:attr(data-label);display:block;font-size:.75em;color:var(--mut);
 text-transform:uppercase}table.cards td:empty{display:none}}
@media print{body{max-width:none;font-size:10pt}.scroll{overflow:visible}
 h2{break-after:avoid}figure,table{break-inside:avoid}.banner{border-width:1px}
 a{color:inherit;text-decoration:none}}
"""


def _e(x: object) -> str:
    return html.escape("" if x is None else str(x))


def cell_text(x: object) -> str:
    """A table cell as HTML: escaped, with a non-breaking space before ``%``."""
    return _e(x).replace(" %", "\u00a0%")


def scope_svg_ids(svg: str, prefix: str) -> str:
    """Prefix every ``id`` of an SVG and its ``#id`` references with ``prefix``.

    Also drops the XML declaration and the ``xmlns`` declarations, which HTML5 does
    not need for inline SVG, so the page names no URL at all.
    """
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", svg)  # not needed inline in HTML5
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if not ids:
        return svg

    def ref(m: re.Match) -> str:
        name = m.group(2)
        return f"{m.group(1)}#{prefix}{name}" if name in ids else m.group(0)

    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return re.sub(r'(url\(|href=")#([^)"]+)', ref, svg)


def table_html(
    df: pd.DataFrame, caption: str = "", footnotes: Sequence[tuple[str, str]] = (),
    legend: str = "", numeric: Sequence[str] = (), wide: bool = False,
) -> str:  # fmt: skip
    """A DataFrame of text cells as an accessible table that scrolls inside its container.

    ``wide`` tables keep their cells on one line and the first column in view while the
    others scroll (Table 1 by group). Rows whose first cell starts with
    :data:`remission.report.table1.INDENT` are level rows under a variable's header row.
    ``footnotes`` are ``(mark, text)``; numbered marks are listed as a numbered list.
    """
    head = "".join(f'<th scope="col">{cell_text(c)}</th>' for c in df.columns)
    body = []
    num = {i for i, c in enumerate(df.columns) if c in numeric}
    nested = bool(len(df.columns)) and any(str(v).startswith(INDENT) for v in df.iloc[:, 0])
    for row in df.itertuples(index=False, name=None):
        first = str(row[0]) if row else ""
        level = first.startswith(INDENT)
        cells = [f'<td class="level">{cell_text(first.removeprefix(INDENT))}</td>' if level
                 else f"<td>{cell_text(first)}</td>"]  # fmt: skip
        cells += [f'<td class="num">{cell_text(v)}</td>' if i in num else f"<td>{cell_text(v)}</td>"
                  for i, v in enumerate(row[1:], start=1)]  # fmt: skip
        body.append(
            ('<tr class="var">' if nested and not level else "<tr>") + "".join(cells) + "</tr>"
        )
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    cls = ' class="wide"' if wide else ""
    out = [f'<div class="scroll"><table{cls}>{cap}<thead><tr>{head}</tr></thead>'
           f'<tbody>{"".join(body)}</tbody></table></div>']  # fmt: skip
    if footnotes and all(m.isdigit() for m, _ in footnotes):
        out.append('<ol class="notes">' + "".join(f'<li value="{_e(m)}">{_e(t)}</li>'
                                                   for m, t in footnotes) + "</ol>")  # fmt: skip
    else:
        out += [f'<p class="foot">{_e(sym)} {_e(text)}</p>' for sym, text in footnotes]
    if legend:
        out.append(f'<p class="foot">{_e(legend)}</p>')
    return "\n".join(out)


def _claims_section(claims: Sequence[Mapping]) -> str:
    n = {s: sum(c["status"] == s for c in claims) for s in ("reproduced", "discrepant",
                                                            "not computable")}  # fmt: skip
    pills = "".join(f'<span class="pill {s.replace(" ", "-")}">{k} {s}</span>'
                    for s, k in n.items())  # fmt: skip
    rows = []
    for c in claims:
        cls = c["status"].replace(" ", "-")
        cells = [("Claim", "mono id", _e(c["id"]).replace("_", "_<wbr>")),
                 ("Quote", "", _e(c["quote"])),
                 ("Published", "", _e(c.get("published_text") or _pub(c))),
                 ("Computed", "", _e(c.get("computed_text") or fmt.MISSING)),
                 ("Status", f"status {cls}", _e(c["status"])), ("Note", "", _e(c["note"]))]  # fmt: skip
        rows.append("<tr>" + "".join(f'<td class="{k}" data-label="{lab}">{v}</td>'
                                     for lab, k, v in cells) + "</tr>")  # fmt: skip
    table = ('<div class="scroll"><table class="cards"><caption>Published statements beside the values '
             'computed from the data</caption><thead><tr><th>Claim</th><th>Quote</th>'
             '<th>Published</th><th>Computed</th><th>Status</th><th>Note</th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table></div>')  # fmt: skip
    return f'<h2 id="claims">Claims audit</h2><div class="summary">{pills}</div>{table}'


def _pub(c: Mapping) -> str:
    """The published value of a claim that could not be computed, as written in YAML."""
    p = {k: v for k, v in c["published"].items() if k not in ("form", "digits")}
    return "; ".join(f"{k}: {v}" for k, v in p.items())


def _survival_table(numbers: Mapping) -> str:
    df, caption = survival_frame(numbers)
    if df.empty:
        return "<p>Time-to-event analyses not available.</p>"
    return table_html(df, caption, numeric=("n",), wide=True)


def _followup_text(numbers: Mapping) -> str:
    return "".join(f"<p>{_e(x)}</p>" for x in followup_paragraphs(numbers))


def followup_paragraphs(numbers: Mapping) -> list[str]:
    """Days from each intervention's start to HSCT and follow-up per origin, as sentences."""
    out = []
    for key, t in numbers.items():
        if not (key.startswith("timing_days_") and key.endswith("_to_hsct")):
            continue
        name = key.removeprefix("timing_days_").removesuffix("_to_hsct")
        if (t or {}).get("n"):
            out.append(f"Days from the start of {name} to HSCT: median {fmt.number(t['median'])} "
                       f"(range {fmt.value_range(t['min'], t['max'])}), n = {t['n']}.")  # fmt: skip
    for origin, f in (numbers.get("followup") or {}).items():
        if not f:
            continue
        a, r = f["alive"], f["reverse_km_median"]
        out.append(
            f"Follow-up from {fmt.origin_label(origin)} among the {a['n']} patients alive: median "
            f"{fmt.number(a['median'])} days (range {fmt.value_range(a['min'], a['max'])}); "
            f"reverse Kaplan-Meier median {fmt.number(r['time'])} days "
            f"(95 % CI {fmt.value_range(r['lower'], r['upper'])})."
        )
    return out


def _mrd_text(numbers: Mapping) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in mrd_paragraphs(numbers))


def mrd_paragraphs(numbers: Mapping) -> list[str]:
    """The MRD section's sentences: definitions, counts, response rate, lymphocyte test."""
    m = numbers.get("mrd")
    if not m:
        return []
    c, rules, rate = m["counts"], m["rules"], m["response_rate"]
    parts = [f"Definitions: complete MRD response = MRD-negative at a sensitivity of "
             f"{fmt.number(rules['complete_max_sensitivity'])} % or better; partial = still positive "
             f"with a log10 reduction of at least {fmt.number(rules['partial_min_log_reduction'])}; "
             "a reduction to a negative result is a lower bound (printed \u2265)."]  # fmt: skip
    parts.append(f"Complete {c['complete']}, partial {c['partial']}, no response "
                 f"{c['no_response']}, not evaluable {c['not_evaluable']}.")  # fmt: skip
    if rate:
        parts.append(f"MRD response rate (complete or partial) {rate['x']}/{rate['n']}: "
                     + fmt.percent_ci(rate["estimate"], rate["lower"], rate["upper"])
                     + " (Clopper-Pearson).")  # fmt: skip
    ly = m.get("lymphocytes_by_response", {})
    if "p_value" in ly:
        parts.append(f"Pre-treatment lymphocytes, complete responders median "
                     f"{fmt.number(ly['complete']['median'], 2)} (n = {ly['complete']['n']}) vs others "
                     f"{fmt.number(ly['not_complete']['median'], 2)} (n = {ly['not_complete']['n']}); "
                     f"Mann-Whitney U = {fmt.number(ly['mann_whitney_u'])}, "
                     f"p = {fmt.p_value(ly['p_value'], numbers.get('p_style', 'default'))} "
                     f"({ly['method']}).")  # fmt: skip
    return parts


def headline(numbers: Mapping) -> str:
    """``2,399 of 2,400 patients analysed.``: eligible of every patient row in the file
    (rows left out by --drop-invalid included)."""
    screened = (numbers.get("eligibility") or {}).get("n_screened", numbers["n_patients"])
    return (f"{fmt.thousands(numbers['n_eligible'])} of {fmt.thousands(screened)} patients "
            "analysed.")  # fmt: skip


def excluded_text(excluded: Sequence[Mapping], shown: int = 10) -> str:
    """The first ``shown`` excluded patients with their reason, then how many more."""
    if not excluded:
        return "none"
    text = "; ".join(f"{x['patient_id']} ({x['reason']})" for x in excluded[:shown])
    more = len(excluded) - shown
    return text + (f"; and {fmt.thousands(more)} more (report.json)" if more > 0 else "")


def _flow_section(numbers: Mapping, flow_svg: str) -> str:
    el = numbers["eligibility"]
    rows = [{"Criterion": s["criterion"], "Before": s["n_before"], "After": s["n_after"],
             "Excluded": excluded_text(s["excluded"]), "Note": s["note"] or (f"not assessable, kept: {', '.join(s['not_assessable'])}"
                                              if s["not_assessable"] else "")}
            for s in el["steps"]]  # fmt: skip
    table = (
        table_html(pd.DataFrame(rows), "Eligibility criteria, applied in order")
        if rows
        else ("<p>No eligibility criteria given: all patients in the file are analysed.</p>")
    )
    svg = scope_svg_ids(flow_svg, "flow-")
    if el.get("as_stated"):
        table = f"<p>Eligibility as stated by the study: {_e(el['as_stated'])}</p>" + table
    return f'<h2 id="flow">Patients</h2><figure class="flow">{svg}</figure>{table}'


def _repro(repro: Mapping) -> str:
    items = "".join(f'<dt>{_e(k)}</dt><dd class="mono">{_e(v)}</dd>' for k, v in repro.items())
    return f'<h2 id="repro">Reproducibility</h2><dl class="repro">{items}</dl>'


def _listing_section(tables: Mapping, listing: Listing | None, n: int) -> str:
    """The per-patient listing, in the page only for cohorts up to ``LISTING_MAX``."""
    if "listing" not in tables:
        return ""
    _df, caption, _foot, legend = tables["listing"]
    if n > LISTING_MAX or listing is None:
        return (f"<p>{_e(caption)}: the {fmt.thousands(n)} patients are listed in "
                f"<code>tables/listing.csv</code> (shown here for cohorts of up to "
                f"{LISTING_MAX} patients).</p>")  # fmt: skip
    return table_html(listing.marked_table(), caption, listing.footnotes, legend)


def _tables_section(numbers: Mapping, tables: Mapping, listing: Listing | None) -> list[str]:
    n = int(numbers.get("n_eligible", 0))
    parts = []
    if "table1" in tables:
        df, caption, foot, legend = tables["table1"]
        parts += ["<h2>Patient characteristics</h2>",
                  table_html(df, caption, foot, legend, wide=True)]  # fmt: skip
    parts.append(_listing_section(tables, listing, n))
    if "mrd" in tables:
        df, caption, foot, legend = tables["mrd"]
        parts += ["<h2>MRD response</h2>", _mrd_text(numbers)]
        parts.append(table_html(df, caption, foot, legend) if n <= LISTING_MAX else
                     f"<p>{_e(caption)} per patient: <code>tables/mrd.csv</code>.</p>")  # fmt: skip
    if "toxicity" in tables:
        df, caption, foot, legend = tables["toxicity"]
        parts += ["<h2>Toxicity</h2>", table_html(df, caption, foot, legend)]
    return parts


def render_html(
    title: str, numbers: Mapping, tables: Mapping, figures: Mapping[str, tuple[str, str]],
    flow_svg: str, repro: Mapping, reconstructed: bool, notes: Sequence[str] = (),
    listing: Listing | None = None,
) -> str:  # fmt: skip
    """The whole report page. ``figures`` maps a name to (SVG text, caption).

    Sections without content are left out (no claims file: no claims audit); per-patient
    tables appear only for cohorts of up to :data:`LISTING_MAX` patients.
    """
    parts = [f"<h1>{_e(title)}</h1>"]
    if reconstructed:
        parts.append('<div class="banner" role="note">Reconstructed data: the bundled seed cohort '
                     "was rebuilt from a published letter; per-patient event dates are "
                     "reconstructed to reproduce its published figures, not observed.</div>")  # fmt: skip
    parts.append(f"<p>{_e(headline(numbers))} Data cut-off: {_e(repro.get('data cut-off'))}.</p>")
    if numbers["claims"]:
        parts.append(_claims_section(numbers["claims"]))
    parts.append(_flow_section(numbers, flow_svg))
    parts += _tables_section(numbers, tables, listing)
    parts.append('<h2 id="survival">Time to event</h2>' + _followup_text(numbers)
                 + _survival_table(numbers))  # fmt: skip
    figs = "".join(
        f'<figure id="{_e(name)}">{scope_svg_ids(svg, name + "-")}<figcaption>{_e(cap)}'
        "</figcaption></figure>"
        for name, (svg, cap) in figures.items()
    )
    parts.append(f'<div class="figs">{figs}</div>')
    if notes:
        parts.append("<h3>Analyses not available</h3><ul>" + "".join(f"<li>{_e(n)}</li>" for n in notes)
                     + "</ul>")  # fmt: skip
    parts.append(_repro(repro))
    body = "\n".join(parts)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>{body}</body></html>\n")  # fmt: skip
