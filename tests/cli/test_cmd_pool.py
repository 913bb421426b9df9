"""``counts --by centre`` then ``pool``: the pooled rows' numbers, exactly, when nothing was
coarsened; a stated approximation when something was."""

import json

import numpy as np
import pandas as pd
import pytest

from remission.cli import main


@pytest.fixture
def three_centres(tmp_path):
    rng = np.random.default_rng(11)
    n = 600
    df = pd.DataFrame(
        {
            "days": rng.integers(1, 1500, n),
            "status": rng.choice([0, 1, 2], n, p=[0.5, 0.3, 0.2]),
            "arm": rng.choice(["A", "B"], n),
            "centre": rng.choice(["north", "south", "east"], n),
        }
    )
    df["died"] = (df["status"] > 0).astype(int)
    path = tmp_path / "all.csv"
    df.to_csv(path, index=False)
    return path, df


def _json(capsys, argv):
    assert main(argv) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def _pool(capsys, out, name, at="365,730"):
    res = _json(capsys, ["pool", str(out), "--table", name, "--at", at, "--json"])
    (table,) = res["tables"]
    return table


def test_pool_equals_pooled_rows_exactly(capsys, tmp_path, three_centres):
    path, df = three_centres
    out = tmp_path / "shared"
    for event in ("died", "status"):
        assert main(["counts", str(path), "--time", "days", "--event", event, "--group", "arm",
                     "--by", "centre", "--min-cell", "1", "-o", str(out / event)]) == 0  # fmt: skip
    assert sorted(p.name for p in (out / "died").glob("*.json")) == [
        "east.json", "north.json", "south.json"
    ]  # fmt: skip
    # no patient row in the shared files: only per-time counts
    text = (out / "died" / "east.json").read_text()
    assert "patient" not in text and "centre" in text
    capsys.readouterr()
    pooled = _pool(capsys, out / "died", "days/died by arm")
    assert pooled["exact"] and pooled["approximation"] is None
    assert pooled["centres"] == ["east", "north", "south"]
    base = [str(path), "--time", "days", "--event", "died", "--json"]
    km = _json(capsys, ["km", *base, "--group", "arm", "--at", "365,730"])
    assert pooled["km"]["groups"] == km["groups"]
    cmp = _json(capsys, ["compare", *base, "--group", "arm"])
    for key in ("statistic", "p_value", "groups", "hazard_ratio"):
        assert pooled["compare"][key] == cmp[key]
    fu = _json(capsys, ["followup", *base])
    assert pooled["followup"]["reverse_km_median"] == fu["reverse_km_median"]
    assert pooled["followup"]["alive"] == fu["alive"]
    pooled_cif = _pool(capsys, out / "status", "days/status by arm")
    cif = _json(capsys, ["cif", str(path), "--time", "days", "--event", "status",
                         "--group", "arm", "--at", "365,730", "--json"])  # fmt: skip
    for block in (*cif["causes"], *cif["gray"]):
        assert block.pop("cause_label") is None  # the CLI's label of a plain event code
    assert pooled_cif["cif"]["causes"] == cif["causes"]
    assert pooled_cif["cif"]["gray"] == cif["gray"]


def test_min_cell_coarsens_and_pool_says_so(capsys, tmp_path, three_centres):
    path, df = three_centres
    out = tmp_path / "shared5"
    assert main(["counts", str(path), "--time", "days", "--event", "died", "--group", "arm",
                 "--by", "centre", "--min-cell", "5", "-o", str(out)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert "coarsened" in printed
    for f in out.glob("*.json"):
        doc = json.loads(f.read_text())
        assert doc["disclosure"]["min_cell"] == 5 and doc["coarsened_any"]
        for tab in doc["tables"]:
            cells = np.column_stack([tab["rows"]["n_censor"], tab["rows"]["n_event"]])
            assert np.all((cells == 0) | (cells >= 5)), f  # the policy holds in every cell
            assert {c["unit"] for c in tab["coarsened"]} <= {"week", "month", "merged months"}
    pooled = _pool(capsys, out, "days/died by arm")
    assert not pooled["exact"]
    assert "placed at the end of their interval" in pooled["approximation"]
    # patients are neither lost nor invented by the coarsening
    assert [g["n"] for g in pooled["km"]["groups"]] == df.groupby("arm").size().tolist()
    assert main(["pool", str(out)]) == 0
    assert "APPROXIMATE" in capsys.readouterr().out


def test_pool_rejects_tables_counted_differently(capsys, tmp_path, three_centres):
    path, _ = three_centres
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["counts", str(path), "--time", "days", "--event", "died", "--centre", "x",
                 "--min-cell", "1", "-o", str(a)]) == 0  # fmt: skip
    assert main(["counts", str(path), "--time", "days", "--event", "died", "--centre", "x",
                 "--min-cell", "1", "-o", str(b)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["pool", str(a), str(b)]) == 2
    assert "the same centre twice" in capsys.readouterr().err
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "x.json").write_text("{}")
    assert main(["pool", str(tmp_path / "junk")]) == 2
    assert "not a remission count file" in capsys.readouterr().err
