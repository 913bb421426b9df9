"""Turn the commands' JSON into small HTML tables for the page (presentation only).

Every function takes the parsed ``--json`` output of a ``remission`` command and returns
an :class:`htmltools.Tag`; all text is escaped by htmltools.
"""

from __future__ import annotations

from collections.abc import Sequence

from htmltools import Tag, TagList, tags

__all__ = ["table", "km_table", "compare_table", "cox_table", "followup_table", "problems_table",
           "command_box", "error_box", "days", "tables_workbook", "mapping_form"]  # fmt: skip


def days(x: object, unit: str = "months") -> str:
    """A time in days shown in ``unit`` (days, months of 30.4375 days or years of 365.25)."""
    if x is None:
        return "not reached"
    factor = {"days": 1.0, "months": 30.4375, "years": 365.25}[unit]
    return f"{float(x) / factor:.1f}"


def _pct(x: object) -> str:
    return "-" if x is None else f"{100 * float(x):.1f}"


def _p(x: object) -> str:
    if x is None:
        return "-"
    x = float(x)
    return "<0.001" if x < 0.001 else f"{x:.3f}"


def table(header: Sequence[str], rows: Sequence[Sequence[object]], caption: str = "") -> Tag:
    """A plain table that scrolls sideways inside its box on a narrow screen."""
    head = tags.thead(tags.tr(*[tags.th(h) for h in header]))
    body = tags.tbody(*[tags.tr(*[tags.td("" if c is None else str(c)) for c in r]) for r in rows])
    cap = tags.caption(caption) if caption else None
    return tags.div(tags.table(cap, head, body, class_="table table-sm"), class_="rm-scroll")


def km_table(data: dict, unit: str) -> Tag | TagList:
    """n, events, median (95 % CI) and survival at the requested times, per group."""
    groups = data.get("groups", [])
    times = [a["time"] for a in (groups[0].get("at") or [])] if groups else []
    header = ["Group", "n", "Events", f"Median, {unit} (95% CI)"]
    header += [f"At {days(t, unit)} {unit}, % (95% CI)" for t in times]
    rows = []
    for g in groups:
        m = g.get("median") or {}
        med = f"{days(m.get('time'), unit)} ({days(m.get('lower'), unit)} to {days(m.get('upper'), unit)})"
        row = [g["group"], g["n"], g["events"], med]
        for a in g.get("at") or []:
            if a.get("survival") is None:
                row.append("beyond follow-up")
            else:
                row.append(f"{_pct(a['survival'])} ({_pct(a['lower'])}-{_pct(a['upper'])})")
        rows.append(row)
    note = data.get("note")
    if not note:
        return table(header, rows)
    # what the analysis is of: endpoint, origin, censoring at the cut-off, exclusions
    return TagList(table(header, rows), tags.p(note, class_="rm-note"))


def compare_table(data: dict) -> Tag:
    """Observed and expected events per group, the test and the hazard ratios."""
    rows = [[g["group"], g["n"], f"{g['observed']:.0f}", f"{g['expected']:.2f}"]
            for g in data.get("groups", [])]  # fmt: skip
    test = (f"{data.get('test')}: chi-square {data['statistic']:.3f} on {data['df']} df, "
            f"p = {_p(data['p_value'])}")  # fmt: skip
    parts = [table(["Group", "n", "Observed", "Expected"], rows), tags.p(test)]
    hr = data.get("hazard_ratio")
    if hr:
        for name in ("mantel_haenszel", "logrank"):
            est = hr.get(name)
            if est:
                parts.append(tags.p(
                    f"Hazard ratio {hr['group']} vs {hr['reference']} ({name.replace('_', '-')}): "
                    f"{est['estimate']:.2f} ({est['lower']:.2f}-{est['upper']:.2f})"))  # fmt: skip
    return TagList(*parts)


def cox_table(data: dict) -> Tag:
    """Hazard ratios with 95 % CIs and Wald p-values, and the model's tests."""
    rows = [[c["name"], f"{c['hazard_ratio']:.2f}", f"{c['lower']:.2f}-{c['upper']:.2f}",
             _p(c["p_value"]), c.get("status", "")]
            for c in data.get("coefficients", [])]  # fmt: skip
    tests = data.get("tests", {})
    lines = [f"{k.replace('_', ' ')}: {v['statistic']:.3f} on {v['df']} df, p = {_p(v['p_value'])}"
             for k, v in tests.items()]  # fmt: skip
    head = f"n = {data.get('n')}, events = {data.get('events')}, ties: {data.get('ties')}"
    return TagList(tags.p(head), table(["Term", "HR", "95% CI", "p", "Status"], rows),
                   tags.ul(*[tags.li(x) for x in lines]))  # fmt: skip


def followup_table(data: dict, unit: str) -> Tag:
    """Median follow-up by reverse Kaplan-Meier, and among patients alive."""
    r = data.get("reverse_km_median") or {}
    a = data.get("alive") or {}
    rows = [["Reverse Kaplan-Meier median",
             f"{days(r.get('time'), unit)} ({days(r.get('lower'), unit)} to {days(r.get('upper'), unit)})"],
            [f"Median among {a.get('n', 0)} patients alive (range)",
             f"{days(a.get('median'), unit)} ({days(a.get('min'), unit)} to {days(a.get('max'), unit)})"]]  # fmt: skip
    return table(["Follow-up", unit], rows)


def problems_table(problems: Sequence) -> Tag:
    """One row per problem: row, patient, column, value, what is wrong and what was expected."""
    rows = [[p.row, p.patient_id, f"{p.column} ({p.header})" if p.header else p.column,
             "" if p.value is None else repr(p.value), p.message, p.expected]
            for p in problems]  # fmt: skip
    return table(["Row", "Patient", "Column", "Value", "Problem", "Expected"], rows)


def tables_workbook(csvs: Sequence, target) -> None:
    """The report's CSV tables as one Excel workbook, a sheet per table (text kept as text:
    the CSVs' formula-neutralised cells stay neutral)."""
    import pandas as pd

    with pd.ExcelWriter(target, engine="openpyxl") as book:
        for i, path in enumerate(csvs):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame.to_excel(book, sheet_name=f"{i + 1} {path.stem}"[:31], index=False)


def mapping_form(rows: Sequence, types: Sequence[str], title: str, cutoff: str,
                 date_order: str = "day-first", date_orders: dict | None = None) -> Tag:  # fmt: skip
    """The study file's mapping as a form: one row per spreadsheet header."""
    from shiny import ui

    body = []
    for i, r in enumerate(rows):
        cells = [tags.td(r.header), tags.td(ui.input_text(f"map_col_{i}", None, r.column))]
        if r.own:
            cells += [tags.td(ui.input_select(f"map_type_{i}", None, list(types),
                                              selected=r.type or "text")),
                      tags.td(ui.input_text(f"map_levels_{i}", None, ", ".join(r.categories),
                                            placeholder="levels in clinical order")),
                      tags.td(ui.input_text(f"map_ref_{i}", None, r.reference))]  # fmt: skip
        else:
            cells += [tags.td("data dictionary", colspan="3")]
        body.append(tags.tr(*cells))
    head = tags.tr(*[tags.th(h) for h in ("Spreadsheet header", "Column", "Type",
                                           "Categories (in order)", "Reference")])  # fmt: skip
    table = tags.div(tags.table(tags.thead(head), tags.tbody(*body), class_="table table-sm rm-map"),
                     class_="rm-scroll")  # fmt: skip
    return TagList(ui.input_text("map_title", "Title", title),
                   ui.input_text("map_cutoff", "Data cut-off date", cutoff,
                                 placeholder="2023-12-31"),
                   ui.input_select("map_date_order", "Dates in the file are written",
                                   dict(date_orders or {"day-first": "day first"}),
                                   selected=date_order),
                   table,
                   ui.input_action_button("apply_form", "Apply the form to the study file",
                                          class_="btn-primary"))  # fmt: skip


def command_box(command_line: str) -> Tag:
    """The equivalent command line, to rerun what was clicked."""
    return tags.div(tags.span("Command line: "), tags.code(command_line), class_="rm-command")


def error_box(text: str) -> Tag:
    return tags.pre(text, class_="rm-error")
