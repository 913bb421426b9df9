"""The app's server side: each page's handlers, all running ``remission`` commands.

Every result on a page comes from a ``remission`` command run in-process
(:mod:`remission.app.runner`), and its command line is shown under it; the app computes
nothing itself.
"""

from __future__ import annotations

import base64
import functools
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from htmltools import TagList, tags
from shiny import App, reactive, render, ui

from remission.app import views
from remission.app.pages import ENDPOINTS, FIGURE_FORMATS, app_ui
from remission.app.runner import CommandResult, run_command
from remission.app.state import Workspace

__all__ = ["build_shiny_app"]


@functools.cache
def _options(command: str) -> frozenset[str]:
    """The option strings a command accepts (so the app passes only what it takes)."""
    from remission.cli import build_parser

    parser = build_parser(only=command)
    sub = next(a for a in parser._actions if a.dest == "command")
    return frozenset(sub.choices[command]._option_string_actions)


@functools.cache
def _commands() -> frozenset[str]:
    from remission.cli import _commands as mods

    return frozenset(m.NAME for m in mods())


def _image(path: Path, alt: str):
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    mime = "image/svg+xml" if path.suffix == ".svg" else "image/png"
    return tags.div(tags.img(src=f"data:{mime};base64,{data}", alt=alt), class_="rm-figure")


def _times_days(text: str) -> str:
    """``"1,3"`` years -> ``"365.25,1095.75"`` days (the commands' --at takes days)."""
    out = []
    for part in (text or "").split(","):
        part = part.strip()
        if part:
            try:
                out.append(f"{float(part) * 365.25:g}")
            except ValueError:
                continue
    return ",".join(out)


def study_origins(study: dict, columns: list[str]) -> tuple[list[str], str]:
    """The origins to offer (HSCT, the study file's interventions and named origins,
    diagnosis) and the one selected: HSCT when the cohort has an HSCT column, else the
    study's first intervention or origin."""
    own = [str(k) for k in (study.get("interventions") or {})]
    own += [str(k) for k in (study.get("origins") or {})]
    offered = list(dict.fromkeys(["hsct", *own, "diagnosis"]))
    first = "hsct" if "hsct_date" in columns or not own else own[0]
    return offered, first


@dataclass
class _Ctx:
    """One browser session: its inputs, its workspace and the commands it ran."""

    input: object
    output: object
    root: Path
    reports_url: str
    ws: reactive.Value
    check_ok: reactive.Value
    report_dir: reactive.Value
    study_msg: reactive.Value
    figure_args: reactive.Value

    def run(self, argv: list[str]) -> CommandResult:
        res = run_command(argv)
        self.ws.set(self.ws.get().ran(self.shown(res.command_line)))
        return res

    def shown(self, text: str) -> str:
        """A command line or message as the user knows it: their file's name, not ours."""
        w = self.ws.get()
        if w.cohort is not None:
            text = text.replace(str(w.cohort), w.cohort_name)
        return text.replace(str(w.folder) + "/", "")

    def block(self, res: CommandResult, body) -> TagList:
        command = views.command_box(self.shown(res.command_line))
        if not res.ok:
            return TagList(views.error_box(self.shown(res.message())), command)
        return TagList(body, command)

    def common(self, command: str) -> list[str]:
        """FILE, --study, --data-cutoff and --drop-invalid, as far as ``command`` takes them."""
        w, opts = self.ws.get(), _options(command)
        args = list(w.file_args())
        if "--study" in opts:
            args += w.study_args()
        cutoff = self.input.cutoff().strip()
        if cutoff and "--data-cutoff" in opts:
            args += ["--data-cutoff", cutoff]
        if "--drop-invalid" in opts and command != "validate" and self.input.drop_invalid():
            args.append("--drop-invalid")  # the rows the check page excluded stay excluded
        return args

    def blocked(self):
        if not self.ws.get().loaded:
            return ui.p("Load a cohort first (page 1).")
        if not self.check_ok.get():
            return ui.p("Check the data first (page 2): nothing is analysed until the "
                        "blocking problems are fixed or excluded.")  # fmt: skip
        return None

    def headers(self) -> list[str]:
        """The cohort file's own headers (empty if it cannot be read)."""
        from remission.cohort.io import read_table
        from remission.cohort.problems import InputError

        w = self.ws.get()
        try:
            if w.cohort is None:
                from remission.datasets import seed_cohort_path

                return [str(h) for h in read_table(seed_cohort_path()).frame.columns]
            return [str(h) for h in read_table(w.cohort).frame.columns]
        except InputError:
            return []

    def refresh_columns(self) -> None:
        """Offer the cohort's columns (headers renamed by the saved study file) as groups
        and covariates."""
        from remission.app.mapping import read_study_text
        from remission.cohort.problems import InputError

        w = self.ws.get()
        try:
            study = read_study_text(w.study.read_text("utf-8")) if w.study else {}
        except InputError:
            study = {}
        rename = {str(k): str(v) for k, v in (study.get("rename") or {}).items()}
        cols = [rename.get(h, h) for h in self.headers()]
        cols = [c for c in cols if c != "patient_id"]
        ui.update_select("group", choices={"": "(none)", **{c: c for c in cols}})
        ui.update_selectize("covariates", choices=cols)
        origins, selected = study_origins(study, cols)
        ui.update_select("origin", choices=origins, selected=selected)
        names = [str(k) for k in (study.get("endpoints") or {})]
        ui.update_select("endpoint", choices=list(dict.fromkeys([*ENDPOINTS, *names])))


def _load_page(c: _Ctx) -> None:
    inp = c.input

    @reactive.effect
    @reactive.event(inp.cohort_file)
    def _upload_cohort():
        f = inp.cohort_file()[0]
        c.ws.set(c.ws.get().with_upload("cohort", f["datapath"], f["name"]))
        c.check_ok.set(False)
        c.refresh_columns()

    @reactive.effect
    @reactive.event(inp.use_seed)
    def _seed():
        from remission.datasets import seed_study_path

        c.ws.set(c.ws.get().seed())
        ui.update_text_area("study_text", value=Path(seed_study_path()).read_text("utf-8"))
        c.check_ok.set(False)
        c.refresh_columns()

    @render.ui
    def load_status():
        w = c.ws.get()
        if not w.loaded:
            return ui.p("No cohort loaded yet.", class_="rm-status")
        return ui.p(tags.strong("Loaded: "), w.cohort_name, class_="rm-status")

    @reactive.effect
    @reactive.event(inp.claims_file)
    def _upload_claims():
        f = inp.claims_file()[0]
        c.ws.set(c.ws.get().with_upload("claims", f["datapath"], "claims.yaml"))


def _study_page(c: _Ctx) -> None:
    inp = c.input

    @reactive.effect
    @reactive.event(inp.study_file)
    def _upload_study():
        f = inp.study_file()[0]
        c.ws.set(c.ws.get().with_upload("study", f["datapath"], "study.yaml"))
        ui.update_text_area("study_text", value=Path(f["datapath"]).read_text("utf-8"))

    @reactive.effect
    @reactive.event(inp.make_study)
    def _make_study():
        w = c.ws.get()
        target = w.folder / "study-starter.yaml"
        res = c.run(["init", *w.file_args(), "-o", str(target), "--force"])
        if res.ok and target.exists():
            ui.update_text_area("study_text", value=target.read_text("utf-8"))
        note = ui.p("Starter study file generated: check each guess marked in it, then save.")
        c.study_msg.set(c.block(res, note))

    @reactive.effect
    @reactive.event(inp.save_study)
    def _save_study():
        w = c.ws.get()
        target = w.folder / "study.yaml"
        target.write_text(inp.study_text(), encoding="utf-8")
        c.ws.set(replace(w, study=target))
        c.check_ok.set(False)
        c.study_msg.set(ui.p("Study file saved; check the data again (page 2)."))

    @render.ui
    def study_status():
        return c.study_msg.get()


def _map_form(c: _Ctx) -> None:
    from remission.app import mapping

    rows = reactive.value(())

    @reactive.effect
    @reactive.event(c.input.show_form)
    def _show():
        from remission.cohort.problems import InputError
        from remission.cohort.schema import COLUMN_NAMES

        try:
            study = mapping.read_study_text(c.input.study_text())
            rows.set(tuple(mapping.form_rows(study, c.headers(), COLUMN_NAMES)))
        except InputError as exc:
            rows.set(())
            c.study_msg.set(views.problems_table(exc.problems))

    @render.ui
    def map_form():
        if not rows.get():
            return None
        study = mapping.read_study_text(c.input.study_text())
        order = "month-first" if study.get("date_order") == "month-first" else "day-first"
        return views.mapping_form(rows.get(), mapping.TYPES, str(study.get("title") or ""),
                                  str(study.get("data_cutoff_date") or ""), order,
                                  mapping.DATE_ORDERS)  # fmt: skip

    @reactive.effect
    @reactive.event(c.input.apply_form)
    def _apply():
        inp = c.input
        edited = [replace(r, column=(inp[f"map_col_{i}"]() or r.column).strip(),
                          type=inp[f"map_type_{i}"]() if r.own else r.type,
                          categories=tuple(x.strip() for x in (inp[f"map_levels_{i}"]() if r.own
                                           else "").split(",") if x.strip()),
                          reference=(inp[f"map_ref_{i}"]() if r.own else "").strip())
                  for i, r in enumerate(rows.get())]  # fmt: skip
        study = mapping.read_study_text(inp.study_text())
        study = mapping.apply_form(study, edited, inp.map_title(), inp.map_cutoff(),
                                   inp.map_date_order())  # fmt: skip
        ui.update_text_area("study_text", value=mapping.dump_study(study))
        rows.set(tuple(edited))
        c.study_msg.set(ui.p("The form is in the study file below: save it, then check."))


def _check_page(c: _Ctx) -> None:
    @render.ui
    @reactive.event(c.input.check)
    def check_result():
        argv = ["validate", *c.common("validate")]
        if c.input.drop_invalid():
            argv.append("--drop-invalid")
        res = c.run(argv)
        c.check_ok.set(res.ok)
        if res.ok:
            c.refresh_columns()
        command = views.command_box(c.shown(res.command_line))
        if res.ok:
            return TagList(ui.h5("No blocking problems"), tags.pre(c.shown(res.stdout)), command)
        if res.problems:
            n = len(res.problems)
            return TagList(ui.h5(f"{n} problem{'s' if n != 1 else ''} to fix"),
                           views.problems_table(res.problems), command)  # fmt: skip
        return c.block(res, None)


def _analyse_page(c: _Ctx) -> None:
    inp = c.input

    def figure(base: list[str], grp: list[str], unit: str):
        if "plot" not in _commands():
            return None
        target = c.ws.get().folder / "km.svg"
        argv = ["plot", "km", *c.common("plot"), *base, *grp, "--unit", unit]
        c.figure_args.set(argv)
        res = c.run([*argv, "-o", str(target)])
        body = _image(target, "Kaplan-Meier curves") if res.ok and target.exists() else None
        return c.block(res, body)

    def section(title: str, argv: list[str], view) -> list:
        res = c.run(argv)
        return [ui.h5(title), c.block(res, view(res.json()) if res.ok else None)]

    @render.ui
    @reactive.event(inp.analyse)
    def analysis():
        blocked = c.blocked()
        if blocked is not None:
            return blocked
        unit, group = inp.unit(), inp.group()
        base = ["--endpoint", inp.endpoint(), "--origin", inp.origin()]
        grp = ["--group", group] if group else []
        at = ["--at", _times_days(inp.at_years())] if _times_days(inp.at_years()) else []
        parts = [figure(base, grp, unit)]
        parts += section("Kaplan-Meier", ["km", *c.common("km"), *base, *grp, "--json", *at],
                         lambda d: views.km_table(d, unit))  # fmt: skip
        if group:
            parts += section("Comparison", ["compare", *c.common("compare"), *base, *grp, "--json"],
                             views.compare_table)  # fmt: skip
        parts += section("Follow-up", ["followup", *c.common("followup"), *base, "--json"],
                         lambda d: views.followup_table(d, unit))  # fmt: skip
        covs = list(inp.covariates() or [])
        if covs:
            argv = ["cox", *c.common("cox"), *base, "--covariates", ",".join(covs), "--json"]
            parts += section("Cox regression", argv, views.cox_table)
        return TagList(*parts)


def _report_page(c: _Ctx) -> None:
    inp = c.input

    @render.ui
    @reactive.event(inp.build_report)
    def report_view():
        blocked = c.blocked()
        if blocked is not None:
            return blocked
        w = c.ws.get()
        out = w.folder / "report"
        argv = ["report", *w.file_args(), *w.study_args(), "-o", str(out)]
        argv += ["--claims", str(w.claims)] if w.claims is not None else []
        argv += ["--data-cutoff", inp.cutoff().strip()] if inp.cutoff().strip() else []
        argv += ["--group", inp.group()] if inp.group() else []
        argv += ["--drop-invalid"] if inp.drop_invalid() else []  # as the check page chose
        res = c.run(argv)
        if not res.ok:
            return c.block(res, None)
        c.report_dir.set(out)
        rel = out.relative_to(c.root).as_posix()
        frame = tags.iframe(src=f"{c.reports_url}/{rel}/report.html", class_="rm-frame",
                            title="Study report")  # fmt: skip
        return TagList(tags.pre(c.shown(res.stdout)),
                       views.command_box(c.shown(res.command_line)), frame)  # fmt: skip


def _tools_pages(c: _Ctx) -> None:
    inp = c.input

    @render.ui
    @reactive.event(inp.run_file)
    def mrd_view():
        f = inp.run_file()[0]
        path = c.ws.get().keep(f["datapath"], "run", f["name"])
        fig = path.with_name("mrd-curve.png")
        res = c.run(["mrd", "interpret", str(path), "--figure", str(fig)])
        image = _image(fig, "Standard curve") if fig.exists() else None
        return c.block(res, TagList(tags.pre(c.shown(res.stdout)), image))

    @render.ui
    @reactive.event(inp.obs_file)
    def grade_view():
        f = inp.obs_file()[0]
        path = c.ws.get().keep(f["datapath"], "observations", f["name"])
        res = c.run(["grade", str(path)])
        return c.block(res, tags.pre(c.shown(res.stdout)))


def _export_page(c: _Ctx) -> None:
    @render.ui
    def export_commands():
        cmds = c.ws.get().commands
        if not cmds:
            return ui.p("No command run yet.")
        return TagList(ui.h5("Command lines of this session"), tags.pre("\n".join(cmds)))

    @render.download_button(filename="study.yaml")
    def dl_study():
        yield c.input.study_text() or "# no study file yet\n"

    @render.download_button(filename="remission-commands.sh")
    def dl_commands():
        yield "#!/bin/sh\n# Commands run in the remission app, in order.\n"
        yield "\n".join(c.ws.get().commands) + "\n"


def _report_file(c: _Ctx, name: str) -> Path:
    out = c.report_dir.get()
    if out is None or not (Path(out) / name).exists():
        raise ValueError("build the report first (page 4)")
    return Path(out) / name


def _report_downloads(c: _Ctx) -> None:
    @render.download_button(filename="remission-report.zip")
    def dl_report():
        out = _report_file(c, "report.html").parent
        target = c.ws.get().folder / "remission-report.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for p in sorted(out.rglob("*")):
                if p.is_file():
                    z.write(p, p.relative_to(out).as_posix())
        return str(target)

    @render.download_button(filename="remission-report.docx")
    def dl_docx():
        return str(_report_file(c, "report.docx"))

    @render.download_button(filename="remission-tables.xlsx")
    def dl_tables():
        tables = _report_file(c, "tables")
        target = c.ws.get().folder / "remission-tables.xlsx"
        views.tables_workbook(sorted(tables.glob("*.csv")), target)
        return str(target)


def _figure_downloads(c: _Ctx) -> None:
    def make(fmt: str):
        @c.output(id=f"dl_fig_{fmt}")
        @render.download_button(filename=f"remission-km.{fmt}")
        def _download():
            argv = c.figure_args.get()
            if argv is None:
                raise ValueError("analyse first (page 3)")
            target = c.ws.get().folder / f"figure.{fmt}"
            res = c.run([*argv, "-o", str(target)])
            if not res.ok:
                raise ValueError(res.message())
            return str(target)

    for fmt in FIGURE_FORMATS:
        make(fmt)


def build_shiny_app(root: Path, reports_url: str = "/files") -> App:
    """The Shiny app; each browser session works in a fresh private folder under ``root``."""

    def server(input, output, session):
        folder = Path(tempfile.mkdtemp(prefix="session-", dir=root))
        c = _Ctx(input, output, root, reports_url, reactive.value(Workspace(folder)),
                 reactive.value(False), reactive.value(None), reactive.value(None),
                 reactive.value(None))  # fmt: skip
        for page in (_load_page, _study_page, _map_form, _check_page, _analyse_page, _figure_downloads,
                     _report_page, _report_downloads, _tools_pages, _export_page):  # fmt: skip
            page(c)
        session.on_ended(lambda: shutil.rmtree(folder, ignore_errors=True))

    return App(app_ui(), server)
