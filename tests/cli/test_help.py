"""Every command's help ends with examples; `remission --help` imports no heavy library."""

import subprocess
import sys

import pytest

from remission.cli import _summaries, build_parser
from remission.cli._input import excluded_summary

COMMANDS = [name for _, name, _ in _summaries()]


@pytest.mark.parametrize("name", COMMANDS)
def test_help_ends_with_examples(name):
    parser = build_parser(only=name)
    sub = next(a for a in parser._actions if a.dest == "command").choices[name]
    text = sub.format_help().rstrip()
    tail = text[text.lower().rindex("examples:") :]
    lines = tail.splitlines()[1:]
    commands = [line.strip() for line in lines if not line.startswith("    ")]  # not continued
    assert commands and all(c.startswith(f"remission {name}") for c in commands), tail


def test_top_level_help_lists_every_command_without_importing_them():
    code = (
        "import sys, contextlib, io\n"
        "from remission.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('pandas', 'scipy', 'matplotlib', 'numpy') if m in sys.modules]\n"
        "print(heavy)\n"
        "print(buf.getvalue())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    assert out.splitlines()[0] == "[]"
    for name in COMMANDS:
        assert f"    {name} " in out or f"    {name}\n" in out


def test_exclusions_are_summarised_by_reason():
    excluded = [(f"P{i}", "hsct_date missing") for i in range(30)] + [("Q1", "no dates")]
    text = excluded_summary(excluded)
    assert text.startswith("excluded 31: hsct_date missing 30 (P0, P1, P2, ...); no dates 1 (Q1)")
    assert "P3" not in text and "--json" in text


def test_lazy_public_api_still_resolves():
    import remission

    assert callable(remission.km) and "km" in dir(remission)
    with pytest.raises(AttributeError):
        remission.not_a_name  # noqa: B018
