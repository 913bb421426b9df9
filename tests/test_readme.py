"""The README's examples run: ```python blocks are executed, ```console lines starting
with ``$ remission`` are run through the CLI in a scratch folder and must exit 0."""

import re
import shlex
from pathlib import Path

import pytest

from remission.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```(python|console)\n(.*?)```", re.DOTALL)


def blocks(kind):
    return [b for k, b in BLOCK.findall(README.read_text()) if k == kind]


def commands():
    out = []
    for block in blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ remission "):
                out.append(line[len("$ remission ") :].split("  #")[0].strip())
    return out


@pytest.mark.parametrize("code", blocks("python") or [pytest.param("", marks=pytest.mark.skip)])
def test_python_examples_run(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(README), "exec"), {"__name__": "__readme__"})


@pytest.mark.parametrize("command", commands() or [pytest.param("", marks=pytest.mark.skip)])
def test_console_examples_exit_zero(command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    assert main(shlex.split(command)) == 0, capsys.readouterr().err
