"""docs/figures.md: its example runs and writes what it says; its command lines exit 0."""

import re
import shlex
from pathlib import Path

from PIL import Image

from remission.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "figures.md"


def test_python_example_runs_and_writes_every_format(tmp_path, monkeypatch):
    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)
    monkeypatch.chdir(tmp_path)
    ns: dict = {"__name__": "__doc__"}
    exec(compile(code, str(DOC), "exec"), ns)
    assert {p.name for p in tmp_path.iterdir()} == {
        "efs.svg", "efs.pdf", "efs.png", "efs.tiff", "cir.pdf"}  # fmt: skip
    with Image.open("efs.tiff") as im:
        assert round(im.info["dpi"][0]) == 600 and im.info["compression"] == "tiff_lzw"
    texts = {t.get_text() for t in ns["fig"].texts}
    assert texts >= {"negative", "positive", "n", "Median, mo\n(95% CI)", "12 mo, %\n(95% CI)"}
    assert any(t.startswith("Log-rank p") for t in texts)


def test_console_lines_exit_zero(tmp_path, monkeypatch, capsys):
    (block,) = re.findall(r"```console\n(.*?)```", DOC.read_text(), re.DOTALL)
    monkeypatch.chdir(tmp_path)
    for line in block.splitlines():
        argv = shlex.split(line.removeprefix("$ remission "))
        assert main(argv) == 0, capsys.readouterr().err
    assert {p.name for p in tmp_path.iterdir()} == {"efs.pdf", "os.svg", "cir.png", "cir.tiff"}
