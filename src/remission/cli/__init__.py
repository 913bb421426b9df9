"""The command line: the only place that parses arguments and prints.

Each subcommand lives in its own module ``remission.cli.cmd_<name>`` that defines
``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; they are found
here by name, so adding a command touches no shared file.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from remission.cohort.problems import InputError

__all__ = ["main", "UsageError", "build_parser"]


class UsageError(Exception):
    """A problem with the command line or its input, reported as one line, exit 2."""


def _commands() -> list:
    mods = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("cmd_"):
            mods.append(importlib.import_module(f"{__name__}.{info.name}"))
    return mods


def build_parser() -> argparse.ArgumentParser:
    from remission import __version__

    parser = argparse.ArgumentParser(
        prog="remission",
        description="Reproducible, verified results sections for leukemia cohort studies.",
    )
    parser.add_argument("--version", action="version", version=f"remission {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _commands():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``remission`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except InputError as exc:
        print(f"remission {args.command}: {exc.render()}", file=sys.stderr)
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
