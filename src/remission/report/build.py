"""Write a report folder: report.html, report.docx, report.json, figures (SVG + PNG), tables (CSV).

Everything is written into a staging folder beside the destination and moved into
place only when complete, so an error never leaves a partial report; an existing
folder at the destination is replaced only if it holds nothing but an earlier report as
remission wrote it (:mod:`remission.report.outdir`). Nothing is written elsewhere.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import platform
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from remission.cohort.csvsafe import safe_frame
from remission.report.eligibility import flow_svg
from remission.report.figures import save_figure, survival_figure
from remission.report.html import render_html
from remission.report.outdir import (
    check_replaceable,
    move_into_place,
    new_staging,
    remove_stale_staging,
    write_manifest,
)
from remission.report.results import LISTING_MAX, ReportData, ReportInputs, compute_results
from remission.report.word import write_docx

__all__ = ["build_report", "BuiltReport", "package_versions"]

_PACKAGES = ("remission", "numpy", "scipy", "pandas", "matplotlib", "pyyaml", "openpyxl",
             "pyarrow", "python-docx")  # fmt: skip


@dataclass(frozen=True)
class BuiltReport:
    """Where the report is, and the claims tally for the summary."""

    directory: Path
    html: Path
    json: Path
    files: tuple[Path, ...]
    counts: dict[str, int]
    data: ReportData


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


#: Encoding of the tables/*.csv files: UTF-8 with a byte-order mark (Excel's cue).
CSV_ENCODING = "utf-8-sig"

#: An inline SVG larger than this (bytes) is replaced in report.html by its 300-dpi PNG
#: (as a data URI), so that a large cohort's page stays small; the SVG file is written.
SVG_INLINE_MAX = 300_000

_PLAIN = (str, int, bool, type(None))


def _clean_json(x: object) -> object:
    """NaN/inf -> null, numpy scalars -> Python; the JSON is strict (no NaN tokens)."""
    t = type(x)
    if t in _PLAIN:
        return x
    if t is float:
        return x if math.isfinite(x) else None  # type: ignore[arg-type]
    if t is dict:
        return {str(k): _clean_json(v) for k, v in x.items()}  # type: ignore[attr-defined]
    if t is list or t is tuple:
        return [_clean_json(v) for v in x]  # type: ignore[attr-defined]
    if isinstance(x, dict):
        return {str(k): _clean_json(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean_json(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, str):
        return _clean_json(x.item())
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dt.date):
        return x.isoformat()
    return x


def _inline_figure(svg: str, png: Path, caption: str) -> str:
    """The SVG text, or for a large SVG an ``<img>`` of the PNG as a data URI, shown at
    the SVG's own width (as the inline figures are), never wider than the page."""
    if len(svg) <= SVG_INLINE_MAX:
        return svg
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    alt = caption.replace('"', "'").replace("<", "").replace("&", "and")
    root = re.search(r"<svg\b[^>]*>", svg)
    width = re.search(r'\swidth="([\d.]+(?:pt|px|mm|cm|in)?)"', root.group(0)) if root else None
    size = f"width:{width.group(1)};max-width:100%" if width else "width:100%"
    return f'<img alt="{alt}" style="{size};height:auto" src="data:image/png;base64,{data}">'


def _repro(inputs: ReportInputs, now: dt.datetime) -> dict[str, str]:
    versions = package_versions()
    return {
        "input file": inputs.source_path,
        "input SHA-256": inputs.source_sha256,
        "claims file": inputs.claims_path or "none",
        "data cut-off": (inputs.data_cutoff.isoformat() if inputs.data_cutoff else "none given")
        + (f" ({inputs.data_cutoff_note})" if inputs.data_cutoff_note else ""),
        "command line": inputs.command_line or "(Python API)",
        "date": now.isoformat(timespec="seconds"),
        "package versions": ", ".join(f"{k} {v}" for k, v in versions.items()),
    }


def _write(tmp: Path, inputs: ReportInputs, data: ReportData, progress: Callable[[str], None]
           ) -> tuple[list[Path], dict, dict]:  # fmt: skip
    files: list[Path] = []
    (tmp / "figures").mkdir()
    (tmp / "tables").mkdir()
    figures, pngs = {}, {}
    for name, (panels, caption) in data.panels.items():
        if not panels:
            continue
        progress(f"drawing {name}")
        fig = survival_figure(panels, unit=inputs.unit)
        svg, png, text = save_figure(fig, tmp / "figures" / name)
        files += [svg, png]
        figures[name] = (_inline_figure(text, png, caption), caption)
        pngs[name] = (png, caption)
    for name, (df, *_rest) in data.tables.items():
        path = tmp / "tables" / f"{name}.csv"
        # no formula cells; UTF-8 with a BOM, so that Excel reads the NBSP, en dashes and
        # >= signs as UTF-8 (without it, Excel on Windows guesses the ANSI code page)
        safe_frame(df).to_csv(path, index=False, encoding=CSV_ENCODING)
        files.append(path)
    flow = flow_svg(data.flow)
    (tmp / "figures" / "flow.svg").write_text(flow, encoding="utf-8")
    files.append(tmp / "figures" / "flow.svg")
    return files, figures, pngs


def build_report(
    inputs: ReportInputs,
    out_dir: str | Path,
    progress: Callable[[str], None] = lambda msg: None,
    now: dt.datetime | None = None,
) -> BuiltReport:
    """Compute and write the report into ``out_dir`` (replaced atomically when complete)."""
    out = Path(out_dir).absolute()
    check_replaceable(out)
    now = now or dt.datetime.now(dt.UTC)
    progress("computing")
    data = compute_results(inputs)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out)
    tmp: Path | None = None
    try:
        tmp = new_staging(out)
        files, figures, pngs = _write(tmp, inputs, data, progress)
        repro = _repro(inputs, now)
        numbers = dict(data.numbers)
        numbers["reproducibility"] = repro
        numbers["reconstructed_data"] = inputs.reconstructed
        numbers["title"] = inputs.title
        numbers["files"] = sorted(str(p.relative_to(tmp)) for p in files) + ["report.html",
                                                                              "report.docx"]  # fmt: skip
        progress("writing report.html")
        page = render_html(inputs.title, numbers, data.tables, figures, flow_svg(data.flow), repro,
                           inputs.reconstructed, data.notes, data.listing)  # fmt: skip
        (tmp / "report.html").write_text(page, encoding="utf-8")
        progress("writing report.docx")
        write_docx(tmp / "report.docx", inputs.title, numbers, data.tables, pngs, repro,
                   inputs.reconstructed, data.listing)  # fmt: skip
        indent = 1 if numbers["n_patients"] <= LISTING_MAX else None  # a large one: compact
        text = json.dumps(_clean_json(numbers), indent=indent, ensure_ascii=False, allow_nan=False)
        (tmp / "report.json").write_text(text + "\n", encoding="utf-8")
        write_manifest(tmp)
        move_into_place(tmp, out)
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        remove_stale_staging(out)  # interrupted while creating one
        raise
    counts = {s: sum(c.status == s for c in data.claims)
              for s in ("reproduced", "discrepant", "not computable")}  # fmt: skip
    moved = tuple(out / p.relative_to(tmp) for p in files)
    return BuiltReport(out, out / "report.html", out / "report.json", moved, counts, data)
