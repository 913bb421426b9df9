"""docs/formats.md runs: its blocks, in order, in a scratch folder that sees the repository's
``tests/`` and ``src/`` (```console lines starting with ``$ remission`` must exit 0; ```python blocks
are executed)."""

import re
import shlex
from pathlib import Path

from remission.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "formats.md"
BLOCK = re.compile(r"```(python|console)\n(.*?)```", re.DOTALL)


def test_formats_doc_runs_in_order(tmp_path, monkeypatch, capsys):
    (tmp_path / "tests").symlink_to(ROOT / "tests", target_is_directory=True)
    (tmp_path / "src").symlink_to(ROOT / "src", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    blocks = BLOCK.findall(DOC.read_text())
    kinds = [k for k, _ in blocks]
    assert kinds.count("console") >= 3 and kinds.count("python") == 2
    for kind, body in blocks:
        if kind == "python":
            exec(compile(body, str(DOC), "exec"), {"__name__": "__doc__"})
            continue
        for line in body.splitlines():
            if line.startswith("$ remission "):
                argv = shlex.split(line[len("$ remission ") :].split("  #")[0])
                assert main(argv) == 0, (line, capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adsl.xpt", "adtte.xpt", "src", "tests"]
