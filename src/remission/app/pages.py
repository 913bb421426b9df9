"""The app's pages (Shiny for Python UI): load, check, analyse, report, MRD, toxicity, export.

Why Shiny for Python: it runs fully offline (its JavaScript and CSS ship inside the
package), it is maintained by Posit alongside R's Shiny that clinicians already use for
Kaplan-Meier apps, and its pages can be driven in a real browser by the tests
(``docs/app.md``).
"""

from __future__ import annotations

from htmltools import TagList, tags
from shiny import ui

from remission.app.state import COHORT_SUFFIXES

__all__ = ["app_ui", "ENDPOINTS", "ORIGINS", "FIGURE_FORMATS"]

#: Figure formats offered for download (``remission plot -o FILE.<format>``).
FIGURE_FORMATS = ("svg", "pdf", "png", "tiff")

_CSS = """
.rm-scroll { overflow-x: auto; max-width: 100%; }
.rm-note { font-size: 0.85em; color: #444; margin: 0.3em 0 0.5em; }
.rm-command { font-size: 0.85em; margin: 0.5em 0 1.5em; color: #444; overflow-wrap: anywhere; }
.rm-command code { white-space: pre-wrap; }
.rm-error { white-space: pre-wrap; color: #8a1c1c; background: #fdf2f2; padding: 0.6em;
            border-radius: 4px; max-height: 24em; overflow: auto; }
.rm-figure img { width: min(100%, 720px); height: auto; }
.rm-downloads { display: flex; flex-wrap: wrap; gap: 0.5em; margin: 0.5em 0 1em; }
.rm-frame { width: 100%; height: 75vh; border: 1px solid #ccc; }
.rm-status { margin: 0.5em 0; }
.rm-map td { vertical-align: top; min-width: 8em; }
.rm-map .form-group { margin-bottom: 0; width: 100% !important; }
.rm-map td:first-child { font-weight: 600; min-width: 6em; }
"""

#: The favicon, inline (no request, no network).
_ICON = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
    "%3Cpath d='M1 2h5v6h5v6h4' fill='none' stroke='%230072B2' stroke-width='2'/%3E%3C/svg%3E"
)

ENDPOINTS = ["EFS", "OS", "CIR", "NRM"]
ORIGINS = ["hsct", "diagnosis"]  # the study file's interventions and origins are added


def _page_load():
    return ui.nav_panel(
        "1 Load",
        ui.h4("Load a cohort"),
        ui.p(
            "One row per patient: CSV, TSV, Excel (.xlsx) or Parquet. The file stays on this "
            "computer, in a private folder removed when the app stops."
        ),  # fmt: skip
        ui.input_file(
            "cohort_file",
            "Cohort spreadsheet",
            accept=list(COHORT_SUFFIXES),
            button_label="Choose file...",
        ),  # fmt: skip
        ui.input_action_button(
            "use_seed", "Or start from the bundled seed cohort", class_="btn-outline-primary"
        ),  # fmt: skip
        ui.output_ui("load_status"),
        ui.hr(),
        ui.h5("Study file (optional)"),
        ui.p(
            "The study file describes the study: columns, categories, origins, endpoints, "
            "cut-off. Upload one, or start from a generated one and edit it here."
        ),  # fmt: skip
        ui.input_file("study_file", "Study file (.yaml)", accept=[".yaml", ".yml"]),
        ui.input_action_button("make_study", "Generate a starter study file"),
        ui.input_action_button("show_form", "Show the mapping as a form"),
        ui.output_ui("map_form"),
        ui.input_text_area("study_text", "Study file", rows=12, width="100%"),
        ui.input_action_button("save_study", "Save the study file", class_="btn-primary"),
        ui.output_ui("study_status"),
        ui.input_file(
            "claims_file", "Published claims to audit (.yaml, optional)", accept=[".yaml", ".yml"]
        ),  # fmt: skip
    )


def _page_check():
    return ui.nav_panel(
        "2 Check",
        ui.h4("Check the data"),
        ui.p(
            "Every problem is listed with its row, patient, column and value. Nothing is "
            "analysed until the problems are fixed in the file, or the rows are excluded "
            "with their reasons stated."
        ),  # fmt: skip
        ui.input_checkbox("drop_invalid", "Exclude rows with problems (listed with reasons)"),
        ui.input_action_button("check", "Check", class_="btn-primary"),
        ui.output_ui("check_result"),
    )


def _page_analyse():
    return ui.nav_panel(
        "3 Analyse",
        ui.layout_columns(
            ui.input_select("endpoint", "Endpoint", ENDPOINTS),
            ui.input_select("origin", "Time from", ORIGINS),
            ui.input_select("group", "Compare groups", {"": "(none)"}),
            ui.input_text("cutoff", "Data cut-off (optional)", placeholder="2020-06-30"),
            ui.input_text("at_years", "Estimates at (years)", value="1,3"),
            ui.input_select("unit", "Time unit", ["months", "years", "days"]),
            col_widths={"sm": 12, "md": 4, "lg": 2},
        ),
        ui.input_selectize("covariates", "Cox covariates", choices=[], multiple=True),
        ui.input_action_button("analyse", "Analyse", class_="btn-primary"),
        ui.output_ui("analysis"),
        ui.div(
            ui.span("Figure: "),
            *[ui.download_button(f"dl_fig_{fmt}", fmt.upper()) for fmt in FIGURE_FORMATS],
            class_="rm-downloads",
        ),
    )


def _page_report():
    return ui.nav_panel(
        "4 Report",
        ui.h4("Study report"),
        ui.p(
            "Table 1, MRD response, toxicity, survival and cumulative incidence with "
            "number-at-risk tables, follow-up, and the claims audit when a claims file is "
            "given."
        ),  # fmt: skip
        ui.input_action_button("build_report", "Build the report", class_="btn-primary"),
        ui.output_ui("report_view"),
    )


def _page_mrd():
    return ui.nav_panel(
        "MRD run",
        ui.h4("Interpret an RQ-PCR MRD run (EuroMRD)"),
        ui.input_file("run_file", "Run file (CSV)", accept=[".csv", ".tsv", ".txt", ".xlsx"]),
        ui.output_ui("mrd_view"),
    )


def _page_toxicity():
    return ui.nav_panel(
        "Toxicity",
        ui.h4("Grade CRS and ICANS (ASTCT) from bedside observations"),
        ui.input_file("obs_file", "Observation file", accept=[".csv", ".tsv", ".txt", ".xlsx"]),
        ui.output_ui("grade_view"),
    )


def _page_export():
    return ui.nav_panel(
        "5 Export",
        ui.h4("Take it with you"),
        ui.div(
            ui.download_button("dl_report", "Report (zip: HTML, Word, JSON, figures, tables)"),
            ui.download_button("dl_docx", "Report (Word)"),
            ui.download_button("dl_tables", "Tables (Excel)"),
            class_="rm-downloads",
        ),
        ui.div(
            ui.download_button("dl_study", "Study file"),
            ui.download_button("dl_commands", "Command lines (to rerun everything)"),
            class_="rm-downloads",
        ),
        ui.output_ui("export_commands"),
    )


def app_ui():
    return ui.page_navbar(
        _page_load(), _page_check(), _page_analyse(), _page_report(), _page_mrd(),
        _page_toxicity(), _page_export(),
        title="remission", id="page", window_title="remission",
        header=TagList(ui.head_content(tags.link(rel="icon", href=_ICON)), tags.style(_CSS)),
        lang="en",
    )  # fmt: skip
