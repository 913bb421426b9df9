"""What one browser session has loaded, and the command-line arguments that name it.

A session works in its own private folder (mode 0700) inside the app's folder; uploads are
copied there under fixed names, never under the name the browser sent, so nothing can be
written outside it. The bundled seed cohort is named by leaving FILE out, as on the
command line.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["Workspace", "COHORT_SUFFIXES"]

#: Cohort files the app accepts (the loaders' suffixes).
COHORT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq")


@dataclass(frozen=True)
class Workspace:
    """The session's inputs: ``cohort`` None means the bundled seed cohort."""

    folder: Path
    cohort: Path | None = None
    cohort_name: str = "the bundled seed cohort (reconstructed)"
    study: Path | None = None
    claims: Path | None = None
    loaded: bool = False
    commands: tuple[str, ...] = field(default=())

    def keep(self, source: str | Path, kind: str, original_name: str) -> Path:
        """Copy an uploaded file into the folder under a fixed name for its ``kind``."""
        suffix = Path(original_name).suffix.lower()
        if not suffix[1:].isalnum():
            suffix = ""
        target = self.folder / f"{kind}{suffix}"
        shutil.copyfile(source, target)
        return target

    def with_upload(self, kind: str, source: str | Path, original_name: str) -> Workspace:
        """Keep an uploaded cohort, study or claims file and name it in the workspace."""
        target = self.keep(source, kind, original_name)
        if kind == "cohort":
            return replace(self, cohort=target, cohort_name=original_name, loaded=True,
                           study=None, claims=None)  # fmt: skip
        return replace(self, **{kind: target})

    def seed(self) -> Workspace:
        return replace(self, cohort=None, cohort_name=Workspace.cohort_name, study=None,
                       claims=None, loaded=True)  # fmt: skip

    def file_args(self) -> list[str]:
        """FILE as the commands take it (nothing for the seed cohort)."""
        return [] if self.cohort is None else [str(self.cohort)]

    def study_args(self) -> list[str]:
        return [] if self.study is None else ["--study", str(self.study)]

    def ran(self, command_line: str) -> Workspace:
        """Remember a command line for the exported script (each once, in order)."""
        if command_line in self.commands:
            return self
        return replace(self, commands=(*self.commands, command_line))
