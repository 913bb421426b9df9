"""The one YAML reader: limits on size, nesting, aliases, duplicate keys, tags and dates.

Each hostile file of issue 11 is read through the study and the claims loaders and must
give an :class:`InputError` naming the file (and the line where it can), never a hang or
another exception.
"""

import datetime as dt

import pytest

from remission.cohort import yamlsafe
from remission.cohort.problems import InputError
from remission.cohort.study import load_study
from remission.cohort.yamlsafe import MAX_ALIAS_NODES, MAX_BYTES, MAX_DEPTH, load_yaml, parse_yaml
from remission.report.claims import load_claims

_LOL = ", ".join(['"lol"'] * 9)
BOMB = f"a: &a [{_LOL}]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
) + "title: *i\n"  # fmt: skip

HOSTILE = {
    "alias bomb": (BOMB, "aliases expand to more than"),
    "deep flow": ("title: " + "[" * 5000 + "]" * 5000, "nest"),
    "deep block": ("".join("  " * i + f"k{i}:\n" for i in range(300)), "nested more than"),
    "deep sequence": ("- " * 5000 + "x\n", "nest"),
    "duplicate key": ("title: a\nnotes: b\ntitle: c\n", "duplicate key 'title' (first at line 1)"),
    "duplicate in flow": ("facts: {a: 1, a: 2}\n", "duplicate key 'a'"),
    "python tag": ("title: !!python/object/apply:os.system ['true']\n", "is not allowed"),
    "binary tag": ("title: !!binary aGVsbG8=\n", "is not allowed"),
    "set tag": ("facts: !!set {a, b}\n", "is not allowed"),
    "local tag": ("title: !mine x\n", "is not allowed"),
    "impossible date": ("data_cutoff_date: 2019-02-30\n", "'2019-02-30' is not a valid date"),
    "recursive alias": ("facts: &a {b: *a}\n", "inside its own anchor"),
    "broken": ("title: [1, 2\n", "is not valid YAML at line 2"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("loader", [load_study, load_claims])
def test_hostile_yaml_is_an_input_error(tmp_path, name, loader):
    text, message = HOSTILE[name]
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="hostile.yaml") as err:
        loader(path)
    assert message in err.value.render()


def test_the_pure_python_parser_has_the_same_limits(monkeypatch):
    monkeypatch.setattr(yamlsafe, "_loader", yamlsafe._PyLoader)
    for name, (text, message) in HOSTILE.items():
        with pytest.raises(InputError) as err:
            parse_yaml(text, name)
        assert name in err.value.render(), name
        if name not in ("deep flow", "deep sequence", "broken"):
            assert message in err.value.render(), name
    assert parse_yaml("a: [1, {b: 2020-01-31}]\n") == {"a": [1, {"b": dt.date(2020, 1, 31)}]}


def test_a_file_above_the_size_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("title: " + "x" * MAX_BYTES + "\n", encoding="utf-8")
    for loader in (load_study, load_claims):
        with pytest.raises(InputError, match=r"big.yaml: is larger than 256 kB"):
            loader(path)


def test_ordinary_yaml_still_reads():
    text = (
        "defaults: &d {unit: days, digits: 1}\n"
        "a:\n  <<: *d\n  digits: 2\n"  # a merge key may be overridden
        "b: [*d, *d]\n"
        "cutoff: 2020-06-30\n"
        "formula: =\n"
    )
    data = parse_yaml(text)
    assert data["a"] == {"unit": "days", "digits": 2}
    assert data["b"] == [{"unit": "days", "digits": 1}] * 2
    assert data["cutoff"] == dt.date(2020, 6, 30)
    assert data["formula"] == "="


def test_limits_are_at_the_stated_bounds():
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    parse_yaml(ok)
    with pytest.raises(InputError, match="nested more than"):
        parse_yaml("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    n = MAX_ALIAS_NODES // 10
    parse_yaml("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [" + ", ".join(["*a"] * n) + "]\n")
    with pytest.raises(InputError, match="alias bomb"):
        parse_yaml("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [" + ", ".join(["*a"] * (n + 1)) + "]\n")


def test_not_utf8_and_not_found(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8 text"):
        load_yaml(path)
    with pytest.raises(InputError, match="file not found"):
        load_yaml(tmp_path / "none.yaml", "study file")
