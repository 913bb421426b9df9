"""The command line: the only place that parses arguments and prints.

Each subcommand lives in its own module ``remission.cli.cmd_<name>`` that defines
``NAME``, ``HELP``, ``add_arguments(parser)``, ``run(args) -> int`` and ``EXAMPLES``
(shown at the end of its ``--help``); they are found here by name, so adding a command
touches no shared file. Only the command being run is imported: ``remission --help``
reads the other commands' ``NAME`` and ``HELP`` from their source text, so that it and
``--version`` start in a fraction of a second. A command module imports numpy, pandas,
SciPy, matplotlib (and the layers that use them) inside ``run``, never at its top, and
takes its choice lists from :mod:`remission.cli._choices`: ``remission km --help`` and an
argument error answer without loading them (``tests/cli/test_choices.py``;
``benchmarks/cli_start.py`` times it).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import pkgutil
import re
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "UsageError", "build_parser"]


class UsageError(Exception):
    """A problem with the command line or its input, reported as one line, exit 2."""


def _commands(only: str | None = None) -> list:
    """The command modules; with ``only``, just that one (fast start: a command's heavy
    imports are not paid by the others). Module ``cmd_<name>`` defines command ``name``."""
    names = sorted(i.name for i in pkgutil.iter_modules(__path__) if i.name.startswith("cmd_"))
    if only is not None and f"cmd_{only}" in names:
        names = [f"cmd_{only}"]
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


_CONST = re.compile(r"^(NAME|HELP) = (.+)$", re.M)


def _summaries() -> list[tuple[str, str, str]]:
    """(module, NAME, HELP) of every command, read from the source without importing it
    (a one-line string literal at the top level of ``cmd_<name>.py``, else the module's
    syntax tree)."""
    out = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("cmd_"):
            continue
        text = (Path(__path__[0]) / f"{info.name}.py").read_text(encoding="utf-8")
        try:
            found = {k: ast.literal_eval(v) for k, v in _CONST.findall(text)}
        except (SyntaxError, ValueError):  # a literal over several lines: parse the module
            found = _constants(text)
        out.append((info.name, found.get("NAME", info.name[4:]), found.get("HELP", "")))
    return out


def _constants(text: str) -> dict[str, str]:
    """Top-level ``NAME`` and ``HELP`` string assignments of a module's source."""
    tree = ast.parse(text)
    return {t.id: ast.literal_eval(node.value) for node in tree.body
            if isinstance(node, ast.Assign) for t in node.targets
            if isinstance(t, ast.Name) and t.id in ("NAME", "HELP")}  # fmt: skip


def _add_command(sub: argparse._SubParsersAction, mod: object) -> None:
    p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP,  # type: ignore[attr-defined]
                       epilog=getattr(mod, "EXAMPLES", None),
                       formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    mod.add_arguments(p)  # type: ignore[attr-defined]
    p.set_defaults(_run=mod.run)  # type: ignore[attr-defined]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only`` a command's name, only that command is imported (the
    others are listed by name and help); with ``only=None`` every command is imported."""
    from remission import __version__

    parser = argparse.ArgumentParser(
        prog="remission",
        description="Reproducible, verified results sections for leukemia cohort studies.",
        epilog="Run 'remission COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"remission {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    summaries = _summaries()
    lazy = only is not None
    for module, name, text in summaries:
        if lazy and name != only:
            sub.add_parser(name, help=text, description=text)
        else:
            _add_command(sub, importlib.import_module(f"{__name__}.{module}"))
    return parser


SHOWN_PROBLEMS = 30  # printed one a line; the rest counted by kind (InputError.render)


def main(argv: Sequence[str] | None = None, *, problems: list | None = None) -> int:
    """Entry point of the ``remission`` console script; returns the exit code.

    ``problems``, when given, receives the :class:`~remission.cohort.problems.Problem`
    records of an input error (the app shows them as a table), besides the printed text.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in argv if not a.startswith("-")), "")
    parser = build_parser(only=first)
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    from remission.cohort.problems import InputError

    try:
        return int(args._run(args) or 0)
    except InputError as exc:
        if problems is not None:
            problems.extend(exc.problems)
        print(f"remission {args.command}: {exc.render(limit=SHOWN_PROBLEMS)}", file=sys.stderr)
        from remission.cli._sheets import sheet_hint

        hint = sheet_hint(getattr(args, "file", None) or getattr(args, "cohort", None),
                          getattr(args, "sheet", None))  # fmt: skip
        if hint:
            print(hint, file=sys.stderr)
        if len(exc.problems) > SHOWN_PROBLEMS and not getattr(args, "problems", None):
            print("(every problem, one a row: remission validate FILE [--study YAML] "
                  "--problems problems.csv)", file=sys.stderr)  # fmt: skip
        return 2
    except UsageError as exc:
        print(f"remission {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("remission: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback for the user; REMISSION_DEBUG=1 shows it
        if os.environ.get("REMISSION_DEBUG"):
            raise
        print(
            f"remission {args.command}: internal error: {type(exc).__name__}: {exc}"
            " (set REMISSION_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 3
