"""Problems found in input data, and the one exception that carries them all.

Every loader and validator in remission collects :class:`Problem` records instead of
raising on the first one, then raises a single :class:`InputError` holding all of them.
The command line prints each problem on one line and exits non-zero; no output file is
written when an :class:`InputError` is raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Problem", "InputError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows.

    ``row`` is the row number as a spreadsheet shows it (the header is row 1, the first
    patient row 2); ``None`` for file-level or column-level problems.
    """

    file: str
    message: str
    row: int | None = None
    patient_id: str | None = None
    column: str | None = None
    value: object = None
    expected: str | None = None
    header: str | None = None  # the spreadsheet's own header, when a study file renamed it

    def column_text(self) -> str:
        """``column 'x'``, with the spreadsheet's header when the study file renamed it."""
        return f"column {self.column!r}" + (f" (header {self.header!r})" if self.header else "")

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.patient_id is not None:
            where.append(f"patient {self.patient_id}")
        if self.column is not None:
            where.append(self.column_text())
        text = ", ".join(where) + ": " + self.message
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


class InputError(Exception):
    """Raised with every :class:`Problem` found, never only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__(self.render())

    def render(self, limit: int | None = None) -> str:
        """Every problem, one a line; with ``limit``, the first ``limit`` and then the rest
        counted by column and message (most frequent first), so a column that is wrong in
        every row does not bury the others."""
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found:"
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [head, *(f"  - {p}" for p in shown)]
        rest = self.problems[len(shown) :]
        if rest:
            lines.append(f"  ... and {len(rest)} more:")
            lines += [f"      {k} x {what}" for what, k in _tally(rest)]
        return "\n".join(lines)


def _tally(problems: Iterable[Problem], shown: int = 8) -> list[tuple[str, int]]:
    """(``message in column 'c'``, count) for the most frequent kinds of problem."""
    counts: dict[str, int] = {}
    for p in problems:
        what = p.message + (f" in column {p.column!r}" if p.column else "")
        counts[what] = counts.get(what, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) > shown:
        other = sum(k for _, k in ranked[shown:])
        ranked = [*ranked[:shown], (f"{len(ranked) - shown} other kinds of problem", other)]
    return ranked
