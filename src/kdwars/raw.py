"""Reading the raw YAML files safely, with line numbers and clear errors."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .names import name_key

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


#: Limits on a raw file: its size and how deeply its collections nest.
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 12
#: Keys whose values may be decimal numbers; everywhere else a decimal is an error.
FLOAT_KEYS = ("lat", "lon")
#: Key -> {key: line} of a mapping: the line of each field, for messages.
KEY_LINES = "__key_lines__"


_REFUSED = "while reading a record"


class _LineList(list):
    """A YAML sequence that remembers the line of each item."""

    lines: list[int]


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, made strict for hand-edited records.

    * implicit types: only ``null``, ``true``/``false``, plain decimal integers and
      plain decimals (``43.297``); no timestamps, octal, hex, sexagesimal or
      ``.inf`` — such a value stays a string for the schema to judge;
    * no tags (``!!int``, ``!!python/...``), no anchors or aliases, no merge keys
      (``<<``), keys are plain strings and never repeated in one mapping;
    * collections nest at most :data:`MAX_DEPTH` deep;
    * every mapping records its line and each of its keys' lines, every
      sequence its items' lines.
    """

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(_REFUSED, None, "aliases (*name) are not allowed",
                                       event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise yaml.MarkedYAMLError(_REFUSED, None,
                                       f"anchors (&{event.anchor}) are not allowed", event.start_mark)
        if getattr(event, "tag", None) not in (None, "!"):
            raise yaml.MarkedYAMLError(_REFUSED, None,
                                       f"tags ({event.tag}) are not allowed: write the plain value",
                                       event.start_mark)
        depth = getattr(self, "_depth", 0)
        if depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(_REFUSED, None,
                                       f"collections nest more than {MAX_DEPTH} levels deep", event.start_mark)
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    keys: dict[str, int] = {}
    mapping: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain name (not a list, mapping, number or empty)",
                key_node.start_mark)
        key = key_node.value
        if key == "<<":
            raise yaml.constructor.ConstructorError(None, None, "merge keys (<<) are not allowed",
                                                    key_node.start_mark)
        if key in keys:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} in one record", key_node.start_mark)
        keys[key] = key_node.start_mark.line + 1
        mapping[key] = loader.construct_object(value_node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    mapping[KEY_LINES] = keys
    return mapping


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode, deep: bool = False):
    out = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader = _StrictLoader
_LineLoader.yaml_implicit_resolvers = {}
for _tag, _rx, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    # at most 15 digits: a longer "number" stays text for the schema to refuse, with its line
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]{0,14})$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^[-+]?[0-9]{1,6}\.[0-9]{1,9}$", list("-+0123456789")),
):
    _LineLoader.add_implicit_resolver(_tag, re.compile(_rx), _first)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml_records(path: Path, display: str | None = None) -> list[dict]:
    """Read a raw YAML file that must hold a list of mappings, strictly.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    display : str, optional
        The name shown in messages (default: ``path``).

    Returns
    -------
    list of dict
        The records, each with its line numbers (see :func:`line_of`).

    Raises
    ------
    RawDataError
        On a file too large, unreadable bytes (not UTF-8), a missing end marker,
        YAML syntax errors, anything :class:`_StrictLoader` refuses, a top level
        that is not a list of mappings, or text values that are not NFC or hold
        control characters. The message names the file and line.
    """
    name = display or str(path)
    text = _read_text(path, name)
    try:
        doc = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - strict SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        if isinstance(exc, yaml.constructor.ConstructorError) or context == _REFUSED:
            msg = f"not allowed in a raw file: {problem}"
        else:
            msg = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
        raise RawDataError([Problem(name, line, None, None, None, msg)]) from None
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
        raise RawDataError([Problem(name, None, None, None, None, f"cannot read YAML: {type(exc).__name__}")]) from None
    if doc is None:
        raise RawDataError([Problem(name, None, None, None, None, "file is empty: expected a list of records")])
    if not isinstance(doc, list):
        raise RawDataError(
            [Problem(name, 1, None, None, type(doc).__name__, "expected a list of records at the top level")]
        )
    problems = []
    for i, rec in enumerate(doc):
        if not isinstance(rec, dict):
            problems.append(Problem(name, doc.lines[i], f"#{i + 1}", None, rec if not isinstance(rec, list) else None,
                                    "each record must be a mapping"))
        else:
            problems.extend(check_values(rec, name, i))
    if problems:
        raise RawDataError(problems)
    return doc


def _not_utf8(name: str, data: bytes, exc: UnicodeDecodeError) -> RawDataError:
    line = data[: exc.start].count(b"\n") + 1
    return RawDataError([Problem(name, line, None, None, data[exc.start : exc.start + 4].hex(" "),
                                 f"file is not valid UTF-8 (byte offset {exc.start}); save it as UTF-8")])


def _read_text(path: Path, name: str) -> str:
    """The file's text, after the checks that need no YAML: size, encoding, end marker."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RawDataError([Problem(name, None, None, None, size,
                                        f"file is larger than {MAX_FILE_BYTES:,} bytes: split it")])
        data = path.read_bytes()
    except OSError as exc:
        raise RawDataError([Problem(name, None, None, None, None, f"cannot read file: {exc}")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data.rstrip()) - 4 and not data.rstrip().endswith(END_MARKER.encode()):
            data = data[: exc.start]  # a cut inside a character: report the truncation below
            text = data.decode("utf-8")
        else:
            raise _not_utf8(name, data, exc) from None
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
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def check_values(record: dict, file: str, index: int) -> list[Problem]:
    """Values a CSV round trip or a reader would alter: non-NFC text, control characters, stray decimals.

    Parameters
    ----------
    record : dict
        One record as read by :func:`read_yaml_records`.
    file : str
        The file's display name.
    index : int
        The record's position in its file (for a record without an id).

    Returns
    -------
    list of Problem
        One per offending value, located at its field's line.
    """
    rid = next((v for k, v in record.items() if k.endswith("_id") and isinstance(v, str)), f"#{index + 1}")
    out = []
    for loc, value in _leaves(record, ()):
        msg = None
        if isinstance(value, str):
            if _CONTROL.search(value):
                msg = "holds a control character (a carriage return, tab-like or invisible byte): remove it"
            elif not unicodedata.is_normalized("NFC", value):
                msg = "text is not in Unicode normal form NFC (a letter written as base + combining mark)"
        elif isinstance(value, float) and (not loc or loc[-1] not in FLOAT_KEYS):
            msg = "a decimal number here: quote it if it is text, or write a whole number"
        if msg:
            out.append(Problem(file, line_of(record, loc), rid, format_loc(loc), value, msg))
    return out


def _leaves(node: Any, loc: tuple):
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in (LINE, KEY_LINES):
                yield from _leaves(v, loc + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, loc + (i,))
    else:
        yield loc, node


def strip_lines(obj: Any) -> Any:
    """A copy of ``obj`` without the line-number bookkeeping keys.

    Parameters
    ----------
    obj : object
        A record, or any value inside one.

    Returns
    -------
    object
        The same data as plain dicts and lists, without line numbers.
    """
    if isinstance(obj, dict):
        return {k: strip_lines(v) for k, v in obj.items() if k not in (LINE, KEY_LINES)}
    if isinstance(obj, list):
        return [strip_lines(v) for v in obj]
    return obj


def line_of(record: dict, loc: tuple) -> int | None:
    """Line of the field at path ``loc`` inside ``record`` (or of the deepest part of it that exists).

    Parameters
    ----------
    record : dict
        A record as read by :func:`read_yaml_records`.
    loc : tuple
        Field path: keys and list indices, e.g. ``("figures", 2, "as_written")``.

    Returns
    -------
    int or None
        The 1-based line, or None for a record without line numbers.
    """
    line = record.get(LINE) if isinstance(record, dict) else None
    node: Any = record
    for key in loc:
        if isinstance(node, dict) and key in node.get(KEY_LINES, {}):
            line = node[KEY_LINES][key]
        elif isinstance(node, _LineList) and isinstance(key, int) and 0 <= key < len(node.lines):
            line = node.lines[key]
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and LINE in node and not isinstance(key, str):
            line = node[LINE]
    return line


def value_at(record: dict, loc: tuple) -> Any:
    """The scalar at ``loc`` inside ``record`` (``None`` for a missing key or a mapping)."""
    node: Any = record
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return strip_lines(node) if not isinstance(node, (dict, list)) else None


def format_loc(loc: tuple) -> str:
    """A location as a field path: ``("figures", 0, "as_written")`` -> ``figures[0].as_written``."""
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
        """The id of a spelling; ``KeyError`` with close matches when unknown."""
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


#: File names allowed directly under the raw directory (besides ``events/*.yaml``).
#: ``mentions.yaml`` is not a record file: it is read and checked by ``kdwars mentions``
#: (:func:`kdwars.mentions.load_exclusions`) and tests/test_mentions.py, not by the build.
RAW_TOP_FILES = ("README.md", "sources.yaml", "phases.yaml", "people.yaml", "places.yaml", "mentions.yaml")


def account_for_files(raw_dir: Path, display=str) -> list[Problem]:
    """Every file under ``raw_dir`` is one the build reads (or the README), inside ``raw_dir``.

    A ``*.yml`` file, a file in a subfolder of ``events/``, any other stray file,
    or a symlink that leads outside ``raw_dir`` would be skipped silently or read
    from elsewhere: each is a problem.

    Parameters
    ----------
    raw_dir : pathlib.Path
        The raw records directory.
    display : callable, optional
        Turns a path into the name shown in messages.

    Returns
    -------
    list of Problem
        One per stray file or escaping link (empty when all is well).
    """
    raw_dir = Path(raw_dir)
    root = raw_dir.resolve()
    problems = []
    for path in sorted(raw_dir.rglob("*")):
        rel = path.relative_to(raw_dir)
        if path.is_symlink():
            target = path.resolve()
            if target != root and root not in target.parents:
                problems.append(Problem(display(path), None, None, None, str(target),
                                        "symlink leads outside the raw directory"))
                continue
        if path.is_dir():
            if rel.parts != ("events",):
                problems.append(Problem(display(path), None, None, None, None,
                                        "unexpected folder: raw records are the top-level files and events/*.yaml"))
            continue
        if len(rel.parts) == 1 and rel.name in RAW_TOP_FILES:
            continue
        if len(rel.parts) == 2 and rel.parts[0] == "events" and rel.suffix == ".yaml" and not rel.name.startswith("."):
            continue
        hint = " (rename it to .yaml)" if rel.suffix == ".yml" else ""
        problems.append(Problem(display(path), None, None, None, None,
                                f"file is not read by the build{hint}: raw records are sources.yaml, phases.yaml, "
                                "people.yaml, places.yaml and events/*.yaml (plus mentions.yaml, the mention "
                                "index's exclusions)"))
    return problems
