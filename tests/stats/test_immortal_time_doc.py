"""docs/immortal-time.md: its worked example runs and its assertions hold."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "immortal-time.md"


def test_worked_example_runs(tmp_path, monkeypatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert len(blocks) == 1
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__doc__"}
    exec(compile(blocks[0], str(DOC), "exec"), namespace)
    # the claims of the prose, checked on the values the example computed
    assert namespace["naive"].p_value < 1e-6 and namespace["mb"].p_value > 0.5
    assert namespace["lm"].n == 293


def test_console_lines_run_on_the_example_cohort(tmp_path, monkeypatch, capsys) -> None:
    import shlex

    from remission.cli import main

    code = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[0]
    namespace: dict = {"__name__": "__doc__"}
    exec(compile(code, str(DOC), "exec"), namespace)
    monkeypatch.chdir(tmp_path)
    namespace["cohort"].to_csv("cohort.csv", index=False)
    console = re.findall(r"```console\n(.*?)```", DOC.read_text(), re.DOTALL)[0]
    lines = [ln.split("  #")[0] for ln in console.splitlines() if ln.startswith("remission ")]
    assert len(lines) == 5
    for line in lines:
        assert main(shlex.split(line)[1:]) == 0, capsys.readouterr().err
    assert "Mantel-Byar" in capsys.readouterr().out
