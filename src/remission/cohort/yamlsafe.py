"""The one YAML reader: every study, claims or other YAML file goes through :func:`load_yaml`.

A YAML file is input like any other, so it gets limits that make a hostile or broken file
an :class:`InputError` in well under a second instead of a hang or a traceback:

- size: at most :data:`MAX_BYTES` bytes (a study or claims file is a few kilobytes; the
  parser reads some 100-500 kB a second);
- nesting: at most :data:`MAX_DEPTH` levels of lists and mappings (deeper nesting would
  exhaust Python's recursion limit);
- aliases: ``*name`` may reuse an anchored node, but all aliases of a document together
  may stand for at most :data:`MAX_ALIAS_NODES` nodes once expanded (the "billion laughs"
  alias bomb expands to ~10^9 nodes from a few hundred bytes); an alias inside its own
  anchor (a recursive structure) is rejected;
- duplicate keys in one mapping are an error (YAML 1.2 forbids them; PyYAML keeps the
  last silently), keys brought in by a merge key ``<<`` may be overridden as YAML says;
- tags: only the core types (null, bool, int, float, str, timestamp, sequence, mapping,
  merge); ``!!binary``, ``!!set``, ``!!python/...`` and local ``!tags`` are rejected;
- an impossible date such as ``2019-02-30`` is an error naming its line.

The parser is PyYAML's ``SafeLoader`` (never constructs arbitrary objects).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from remission.cohort.problems import InputError, Problem

__all__ = ["load_yaml", "parse_yaml", "MAX_BYTES", "MAX_DEPTH", "MAX_ALIAS_NODES"]

MAX_BYTES = 256_000
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _CORE + t for t in ("null", "bool", "int", "float", "str", "timestamp", "seq", "map",
                        "merge", "value")
)  # fmt: skip


class _LimitError(yaml.MarkedYAMLError):
    """A limit of this module was exceeded (carries the position like PyYAML's errors)."""


class _Limits(Composer, SafeConstructor):
    """PyYAML's composer and safe constructor with the limits of this module."""

    def _start_limits(self) -> None:
        self._depth = 0
        self._sizes: dict[int, int] = {}
        self._alias_nodes = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            return self._alias(node, event)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _LimitError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                              self.peek_event().start_mark)  # fmt: skip
        node = super().compose_node(parent, index)
        self._depth -= 1
        if node.tag not in _ALLOWED_TAGS:
            raise _LimitError(None, None, f"tag {node.tag!r} is not allowed (only plain "
                              "values, lists and mappings)", node.start_mark)  # fmt: skip
        self._sizes[id(node)] = 1 + sum(self._sizes[id(c)] for c in _children(node))
        return node

    def _alias(self, node: Node, event: yaml.AliasEvent) -> Node:
        size = self._sizes.get(id(node))
        if size is None:
            raise _LimitError(None, None, f"alias *{event.anchor} is used inside its own "
                              "anchor (a recursive structure)", event.start_mark)  # fmt: skip
        self._alias_nodes += size
        if self._alias_nodes > MAX_ALIAS_NODES:
            raise _LimitError(None, None, f"aliases expand to more than {MAX_ALIAS_NODES} "
                              "values (an alias bomb?)", event.start_mark)  # fmt: skip
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        first: dict[object, Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _CORE + "merge":
                continue
            key = self.construct_object(key_node, deep=False)
            try:
                earlier = first.setdefault(key, key_node)
            except TypeError:
                continue  # unhashable: PyYAML's own error follows
            if earlier is not key_node:
                raise _LimitError(None, None, f"duplicate key {key!r} (first at line "
                                  f"{earlier.start_mark.line + 1})", key_node.start_mark)  # fmt: skip
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: ScalarNode) -> dt.date | dt.datetime:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise _LimitError(None, None, f"{node.value!r} is not a valid date ({exc})",
                              node.start_mark) from None  # fmt: skip

    def construct_yaml_value(self, node: ScalarNode) -> str:
        return self.construct_scalar(node)  # a lone "=" is text


_Limits.add_constructor(_CORE + "timestamp", _Limits.construct_yaml_timestamp)
_Limits.add_constructor(_CORE + "value", _Limits.construct_yaml_value)


class _PyLoader(Reader, Scanner, Parser, _Limits, Resolver):
    """Pure-Python parser (when PyYAML was built without libyaml)."""

    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._start_limits()

    def fetch_flow_collection_start(self, token_class: type) -> None:
        # the scanner looks ahead over a whole line of "[[[[": stop it at the limit
        if self.flow_level >= MAX_DEPTH:
            raise _LimitError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                              self.get_mark())  # fmt: skip
        super().fetch_flow_collection_start(token_class)


def _loader(text: str) -> _Limits:
    """libyaml's parser (3-4 times faster) with the Python composer, or pure Python."""
    try:
        from yaml._yaml import CParser
    except ImportError:
        return _PyLoader(text)

    class _CLoader(_Limits, CParser, Resolver):
        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start_limits()

    return _CLoader(text)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def parse_yaml(text: str, name: str = "<text>") -> object:
    """Parse YAML text with the limits of this module; :class:`InputError` if it breaks one."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError([_too_large(name)])
    loader = _loader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise InputError([_problem(name, exc)]) from None
    except RecursionError:  # not reachable within MAX_DEPTH; kept as the last guard
        raise InputError([Problem(name, "is nested too deeply to read")]) from None
    finally:
        loader.dispose()


def load_yaml(path: str | Path, what: str = "YAML file") -> object:
    """Read and parse a YAML file (see the module docstring for the limits).

    ``what`` names the file in messages (``"study file"``, ``"claims file"``).
    """
    p = Path(path)
    name = str(path)
    if not p.is_file():
        reason = "file not found" if not p.exists() else "it is not a file"
        return _fail(name, f"cannot read the {what}: {reason}")
    try:
        if p.stat().st_size > MAX_BYTES:
            raise InputError([_too_large(name)])
        data = p.read_bytes()
    except OSError as exc:
        return _fail(name, f"cannot read the {what}: {exc.strerror}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _fail(name, f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                     f"{exc.start})")  # fmt: skip
    return parse_yaml(text, name)


def _fail(name: str, message: str) -> object:
    raise InputError([Problem(name, message)])


def _too_large(name: str) -> Problem:
    return Problem(name, f"is larger than {MAX_BYTES // 1000} kB",
                   expected="a YAML file written by a person (a few kB)")  # fmt: skip


def _problem(name: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, _LimitError):
        return Problem(name, f"{what}{where}")
    return Problem(name, f"is not valid YAML{where}: {what}")
