"""The layers import only from the layers below them (README: Layout)."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "remission"

# layer -> rank; a module may import a remission subpackage of lower rank, or its own
RANK = {
    "cohort": 0,
    "datasets": 1,
    "endpoints": 2,
    "stats": 3,
    "engines": 4,
    "mrd": 4,
    "toxicity": 4,
    "report": 5,
    "cli": 6,
    "app": 7,
}

# deliberate exceptions, each with its reason
ALLOWED = {
    # Cohort.endpoint() is a convenience that delegates, at call time, to the endpoints
    # layer (the issue asks for cohort.endpoint("EFS", origin="hsct")).
    ("cohort", "endpoints"),
    # `remission app` only starts the app; the app itself runs the command line's commands.
    ("cli", "app"),
}


def imports_of(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name


def test_every_subpackage_has_a_rank():
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert packages <= set(RANK), f"unranked subpackages: {packages - set(RANK)}"


def test_layers_import_only_downwards():
    bad = []
    for layer, rank in RANK.items():
        for path in sorted((SRC / layer).rglob("*.py")):
            for mod in imports_of(path):
                parts = mod.split(".")
                if parts[0] != "remission":
                    continue
                if len(parts) == 1:
                    if layer == "cli":  # the top of the stack may use the facade
                        continue
                    bad.append(f"{path.relative_to(SRC)} imports the top-level package")
                    continue
                target = parts[1]
                if target not in RANK or target == layer or (layer, target) in ALLOWED:
                    continue
                if RANK[target] >= rank:
                    bad.append(f"{path.relative_to(SRC)} imports {mod}")
    assert not bad, "layering violations:\n" + "\n".join(bad)
