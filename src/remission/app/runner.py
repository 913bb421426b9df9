"""Run a ``remission`` command in-process, as the command line would, and keep its output.

The app has no statistics and no parsing of its own: every analysis it shows is a
``remission`` command line, run through :func:`remission.cli.main`, and the command line is
shown beside the result so that what was clicked can be rerun and audited.
"""

from __future__ import annotations

import contextlib
import io
import json
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CommandResult", "run_command"]


@dataclass(frozen=True)
class CommandResult:
    """What a command printed and returned; ``command_line`` is the shell form."""

    argv: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    problems: tuple = ()

    @property
    def ok(self) -> bool:
        return self.code == 0

    @property
    def command_line(self) -> str:
        return " ".join(shlex.quote(a) for a in ("remission", *self.argv))

    def json(self) -> object:
        """The command's ``--json`` output, parsed."""
        return json.loads(self.stdout)

    def message(self) -> str:
        """The error text for the page (never a traceback: the CLI does not print one)."""
        text = self.stderr.strip() or self.stdout.strip()
        return text or f"the command ended with exit code {self.code}"


def run_command(argv: Sequence[str]) -> CommandResult:
    """Run ``remission ARGV`` in this process; stdout and stderr are captured."""
    from remission.cli import main

    out, err = io.StringIO(), io.StringIO()
    problems: list = []
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv), problems=problems)
        except SystemExit as exc:  # argparse on a bad option
            code = exc.code if isinstance(exc.code, int) else 2
    return CommandResult(tuple(argv), code, out.getvalue(), err.getvalue(), tuple(problems))
