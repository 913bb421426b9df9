"""report.docx: the report as an editable Word document (python-docx), for co-authors.

The same content as report.html, laid out for Word: the claims audit (when claims were
given), Table 1, the per-patient listing and MRD table (cohorts up to
:data:`~remission.report.results.LISTING_MAX` patients), the MRD and toxicity tables,
the time-to-event table, the figures as their 300-dpi PNG files with captions, and the
reproducibility block. Every table is a real Word table (editable cells, a header row
repeated on each page); a table wider than seven columns gets a landscape page.
Nothing here computes: it lays out the numbers and tables of
:class:`~remission.report.results.ReportData`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from remission.report.html import excluded_text, followup_paragraphs, headline, mrd_paragraphs
from remission.report.outcome import survival_frame
from remission.report.results import LISTING_MAX
from remission.report.table1 import INDENT
from remission.report.tables import Listing

__all__ = ["write_docx"]

_CLAIM_COLUMNS = ("Claim", "Quote", "Published", "Computed", "Status", "Note")


def _set_landscape(section: object, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT

    width, height = section.page_width, section.page_height  # type: ignore[attr-defined]
    if landscape != (width > height):
        section.page_width, section.page_height = height, width  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]


def _new_section(doc: object, landscape: bool) -> None:
    from docx.enum.section import WD_SECTION

    _set_landscape(doc.add_section(WD_SECTION.NEW_PAGE), landscape)  # type: ignore[attr-defined]


def _table(doc: object, df: pd.DataFrame, caption: str, notes: Sequence[tuple[str, str]] = (),
           legend: str = "") -> None:  # fmt: skip
    """A captioned Word table of text cells; level rows indented, header row repeated."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    wide = len(df.columns) > 7
    if wide:
        _new_section(doc, landscape=True)
    doc.add_paragraph(caption, style="Caption")  # type: ignore[attr-defined]
    table = doc.add_table(rows=1, cols=len(df.columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    size = Pt(7 if wide else 8)
    for cell, name in zip(table.rows[0].cells, df.columns, strict=True):
        cell.text = str(name)
        cell.paragraphs[0].runs[0].bold = True
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for values in df.itertuples(index=False, name=None):
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            text = "" if value is None else str(value)
            if i == 0 and text.startswith(INDENT):
                cell.paragraphs[0].paragraph_format.left_indent = Pt(10)
                text = text.removeprefix(INDENT)
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = size
    _widths(table, len(df.columns), 9.0 if wide else 6.5)
    for mark, text in notes:
        doc.add_paragraph(f"{mark}. {text}" if mark.isdigit() else f"{mark} {text}")  # type: ignore[attr-defined]
    if legend:
        doc.add_paragraph(legend)  # type: ignore[attr-defined]
    if wide:
        _new_section(doc, landscape=False)


def _flow(doc: object, numbers: Mapping) -> None:
    """The patient flow as the HTML has it: each criterion with the patients before and
    after it and who was excluded why (the first ten, then how many more)."""
    steps = (numbers.get("eligibility") or {}).get("steps") or []
    if not steps:
        return
    doc.add_heading("Patients", level=1)  # type: ignore[attr-defined]
    rows = [(s["criterion"], f"{s['n_before']:,}", f"{s['n_after']:,}",
             excluded_text(s["excluded"]), s["note"]) for s in steps]  # fmt: skip
    _table(doc, pd.DataFrame(rows, columns=["Criterion", "Before", "After", "Excluded", "Note"]),
           "Eligibility criteria, applied in order")  # fmt: skip


def _widths(table: object, n: int, total: float) -> None:
    """The first column (the row labels) a third of the text width, up to 2.2 inches; the
    others share the rest (Word otherwise squeezes 'Characteristic' to a few letters)."""
    from docx.shared import Inches

    if n < 2:
        return
    first = min(total / 3, 2.2)
    rest = (total - first) / (n - 1)
    table.autofit = False  # type: ignore[attr-defined]
    for i, column in enumerate(table.columns):  # type: ignore[attr-defined]
        column.width = Inches(first if i == 0 else rest)  # the grid, which LibreOffice reads
    for row in table.rows:  # type: ignore[attr-defined]
        for i, cell in enumerate(row.cells):
            cell.width = Inches(first if i == 0 else rest)  # each cell, which Word reads


def _claims(doc: object, claims: Sequence[Mapping]) -> None:
    counts = {s: sum(c["status"] == s for c in claims)
              for s in ("reproduced", "discrepant", "not computable")}  # fmt: skip
    doc.add_heading("Claims audit", level=1)  # type: ignore[attr-defined]
    doc.add_paragraph(", ".join(f"{n} {s}" for s, n in counts.items()) + ".")  # type: ignore[attr-defined]
    rows = [(c["id"], c["quote"], c.get("published_text") or "", c.get("computed_text") or "",
             c["status"], c["note"]) for c in claims]  # fmt: skip
    _table(doc, pd.DataFrame(rows, columns=_CLAIM_COLUMNS),
           "Published statements beside the values computed from the data")  # fmt: skip


def _tables(doc: object, numbers: Mapping, tables: Mapping, listing: Listing | None) -> None:
    small = int(numbers.get("n_eligible", 0)) <= LISTING_MAX
    if "table1" in tables:
        df, caption, notes, legend = tables["table1"]
        doc.add_heading("Patient characteristics", level=1)  # type: ignore[attr-defined]
        _table(doc, df, caption, notes, legend)
    if "listing" in tables and small and listing is not None:
        _df, caption, _notes, legend = tables["listing"]
        _table(doc, listing.marked_table(), caption, listing.footnotes, legend)
    if "mrd" in tables:
        doc.add_heading("MRD response", level=1)  # type: ignore[attr-defined]
        for text in mrd_paragraphs(numbers):
            doc.add_paragraph(text)  # type: ignore[attr-defined]
        if small:
            df, caption, notes, legend = tables["mrd"]
            _table(doc, df, caption, notes, legend)
    if "toxicity" in tables:
        df, caption, notes, legend = tables["toxicity"]
        doc.add_heading("Toxicity", level=1)  # type: ignore[attr-defined]
        _table(doc, df, caption, notes, legend)


def _figures(doc: object, figures: Mapping[str, tuple[Path, str]]) -> None:
    from docx.shared import Inches

    for png, caption in figures.values():
        doc.add_picture(str(png), width=Inches(6.0))  # type: ignore[attr-defined]
        doc.add_paragraph(caption, style="Caption")  # type: ignore[attr-defined]


def write_docx(
    path: Path, title: str, numbers: Mapping, tables: Mapping,
    figures: Mapping[str, tuple[Path, str]], repro: Mapping[str, str], reconstructed: bool,
    listing: Listing | None = None,
) -> Path:  # fmt: skip
    """Write ``report.docx``; ``figures`` maps a name to (PNG path, caption)."""
    import docx

    doc = docx.Document()
    doc.core_properties.title = title
    doc.add_heading(title, level=0)
    if reconstructed:
        doc.add_paragraph("Reconstructed data: the bundled seed cohort was rebuilt from a "
                          "published letter; per-patient event dates are reconstructed to "
                          "reproduce its published figures, not observed.").runs[0].bold = True  # fmt: skip
    doc.add_paragraph(f"{headline(numbers)} Data cut-off: {repro.get('data cut-off')}.")
    if numbers.get("claims"):
        _claims(doc, numbers["claims"])
    _flow(doc, numbers)
    _tables(doc, numbers, tables, listing)
    doc.add_heading("Time to event", level=1)
    for text in followup_paragraphs(numbers):
        doc.add_paragraph(text)
    df, caption = survival_frame(numbers)
    if not df.empty:
        _table(doc, df, caption)
    _figures(doc, figures)
    if numbers.get("notes"):
        doc.add_heading("Analyses not available", level=2)
        for text in numbers["notes"]:
            doc.add_paragraph(str(text), style="List Bullet")
    doc.add_heading("Reproducibility", level=1)
    for key, value in repro.items():
        p = doc.add_paragraph()
        p.add_run(f"{key}: ").bold = True
        p.add_run(str(value))
    doc.save(str(path))
    return path
