"""``remission followup`` end to end, in-process."""

from __future__ import annotations

import json
from pathlib import Path

from remission.cli import main

LUNG = str(Path(__file__).resolve().parents[1] / "reference" / "data" / "km_lung.csv")


def test_json(capsys) -> None:
    argv = ["followup", LUNG, "--time", "time", "--event", "status", "--conf-type", "log"]
    assert main([*argv, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    # R: quantile(survfit(Surv(time, 1 - status) ~ 1, lung), 0.5) (conf.type "log")
    assert d["reverse_km_median"] == {"time": 588.0, "lower": 511.0, "upper": 1010.0}
    assert d["alive"] == {"n": 63, "median": 284.0, "min": 92.0, "max": 1022.0}
    assert d["conf_type"] == "log" and d["n_excluded"] == 0


def test_text(capsys) -> None:
    assert main(["followup", LUNG, "--time", "time", "--event", "status"]) == 0
    out = capsys.readouterr().out
    assert "Reverse Kaplan-Meier median: 588" in out and "Among the 63 alive" in out


def test_missing_column(capsys) -> None:
    assert main(["followup", LUNG, "--time", "days", "--event", "status"]) == 2
    assert "column not found" in capsys.readouterr().err


def test_unit_converts_the_printed_times(capsys) -> None:
    import re

    assert main(["followup", "--endpoint", "OS", "--origin", "hsct"]) == 0
    days = capsys.readouterr().out
    assert main(["followup", "--endpoint", "OS", "--origin", "hsct", "--unit", "months"]) == 0
    months = capsys.readouterr().out
    d = float(re.search(r"Reverse Kaplan-Meier median: ([\d.]+) \(", days).group(1))
    m = re.search(r"Reverse Kaplan-Meier median: ([\d.]+) months \(", months)
    assert m and float(m.group(1)) == round(d / 30.4375, 2)
    # days need dates: a --time column has the data's own unit
    argv = ["followup", LUNG, "--time", "time", "--event", "status", "--unit", "years"]
    assert main(argv) == 2
    assert "--unit converts days" in capsys.readouterr().err
