"""Reading the raw YAML files safely, with line numbers and clear errors."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .names import _QUOTES, name_key  # noqa: F401 - re-exported (moved to names.py)

LINE = "__line__"
#: Every raw file ends with YAML's document end marker, so that a truncated file is caught.
END_MARKER = "..."


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the raw data, located precisely."""

    file: str
    line: int | None
    record: str | None
    field: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.record is not None:
            parts.append(f"record {self.record!r}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        if self.value is not None:
            val = self.value if not isinstance(self.value, str) or len(self.value) < 80 else self.value[:77] + "..."
            parts.append(f"value {val!r}")
        return ", ".join(parts) + f": {self.message}"


class RawDataError(ValueError):
    """Raised when the raw records are invalid; lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the raw data:"
        super().__init__("\n".join([head] + [f"  - {p}" for p in self.problems]))


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records each mapping's line and rejects duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False):
    keys = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} in one record", key_node.start_mark
            )
        keys.add(key)
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


# YAML 1.1 reads on/off/yes/no as booleans ("role: on" would become True): only
# true/false are booleans here, as in YAML 1.2.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml_records(path: Path, display: str | None = None) -> list[dict]:
    """Read a YAML file that must hold a list of mappings.

    Raises
    ------
    RawDataError
        On unreadable bytes (not UTF-8), YAML syntax errors, or a top level that
        is not a list of mappings. The message names the file and line.
    """
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RawDataError([Problem(name, None, None, None, None, f"cannot read file: {exc}")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RawDataError(
            [Problem(name, line, None, None, data[exc.start : exc.start + 4].hex(" "),
                     f"file is not valid UTF-8 (byte offset {exc.start}); save it as UTF-8")]
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise RawDataError([Problem(name, None, None, None, None, "file is empty: expected a list of records")])
    lines = text.rstrip().splitlines()
    if not lines or lines[-1].strip() != END_MARKER:
        raise RawDataError([Problem(
            name, len(lines) or None, None, None, lines[-1][-60:] if lines else None,
            f"file does not end with the YAML end marker {END_MARKER!r}: it may be truncated "
            "(every raw file ends with a line holding only '...')")])
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        msg = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
        raise RawDataError([Problem(name, line, None, None, None, msg)]) from None
    if doc is None:
        raise RawDataError([Problem(name, None, None, None, None, "file is empty: expected a list of records")])
    if not isinstance(doc, list):
        raise RawDataError(
            [Problem(name, 1, None, None, type(doc).__name__, "expected a list of records at the top level")]
        )
    problems = []
    for i, rec in enumerate(doc):
        if not isinstance(rec, dict):
            problems.append(Problem(name, None, f"#{i + 1}", None, rec, "each record must be a mapping"))
    if problems:
        raise RawDataError(problems)
    return doc


def strip_lines(obj: Any) -> Any:
    """A copy of ``obj`` without the line-number bookkeeping keys."""
    if isinstance(obj, dict):
        return {k: strip_lines(v) for k, v in obj.items() if k != LINE}
    if isinstance(obj, list):
        return [strip_lines(v) for v in obj]
    return obj


def line_of(record: dict, loc: tuple) -> int | None:
    """Line of the deepest mapping along ``loc`` inside ``record``."""
    line = record.get(LINE)
    node: Any = record
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and LINE in node:
            line = node[LINE]
    return line


def value_at(record: dict, loc: tuple) -> Any:
    node: Any = record
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return strip_lines(node) if not isinstance(node, (dict, list)) else None


def format_loc(loc: tuple) -> str:
    out = ""
    for key in loc:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += ("." if out else "") + str(key)
    return out


# --------------------------------------------------------------------------- names


@dataclass
class AliasTable:
    """Maps every spelling to one id; reports unknown spellings with suggestions."""

    kind: str
    keys: dict[str, str] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)

    def add(self, ident: str, name: str) -> str | None:
        """Register ``name`` for ``ident``; return the clashing id if already taken."""
        key = name_key(name)
        if not key:
            return None
        owner = self.keys.get(key)
        if owner is not None and owner != ident:
            return owner
        self.keys[key] = ident
        self.origin.setdefault(key, name)
        return None

    def resolve(self, name: str) -> str:
        key = name_key(name)
        if key in self.keys:
            return self.keys[key]
        close = difflib.get_close_matches(key, list(self.keys), n=8, cutoff=0.6)
        best: dict[str, str] = {}
        for c in close:  # one suggestion per id, its closest spelling first
            best.setdefault(self.keys[c], self.origin[c])
        hint = ""
        if best:
            hint = "; did you mean " + " or ".join(
                f"{name!r} ({ident})" for ident, name in list(best.items())[:3]
            ) + "?"
        raise KeyError(f"unknown {self.kind} {name!r}{hint}")
