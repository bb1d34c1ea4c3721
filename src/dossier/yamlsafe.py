"""Strict YAML: what PyYAML accepts silently, a contributor gets told about.

PyYAML keeps the last of two duplicate keys (losing the first), expands
aliases (a billion-laughs bomb among them) and turns ``2024-10-23`` into a
``date`` that JSON Schema then rejects as "not a string".  This loader
composes the node tree itself so it can refuse those, and it records the
line and column of every key and value, so that later stages (the JSON
Schema check, anchoring) can point at the exact place in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

JsonPath = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column

MAX_BYTES = 1_000_000  # an annotation is a few kilobytes; 1 MB is already absurd
MAX_DEPTH = 20  # an annotation nests three levels deep; the YAML composer recurses


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without dates and without anchors or aliases."""


# Dates stay strings: the schema checks their form, and JSON has no date type.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Refused(Exception):
    def __init__(self, mark: Any, message: str, help: str = ""):
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.help = help


@dataclass
class Document:
    """A parsed YAML mapping and where each of its parts was written."""

    data: dict[str, Any]
    positions: dict[JsonPath, Position] = field(default_factory=dict)
    key_positions: dict[JsonPath, Position] = field(default_factory=dict)

    def strings(self) -> Iterator[tuple[JsonPath, str]]:
        """Every text value with its path, in the order written."""

        def walk(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
            if isinstance(value, str):
                yield path, value
            elif isinstance(value, dict):
                for key, item in value.items():
                    yield from walk(item, (*path, key))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    yield from walk(item, (*path, i))

        return walk(self.data, ())

    def where(self, path: JsonPath, *, key: bool = False) -> Position:
        """Where ``path`` was written (key or value); for a missing path, its parent's key."""
        path = tuple(path)
        first, second = ((self.key_positions, self.positions) if key
                         else (self.positions, self.key_positions))
        for table in (first, second):
            if path in table:
                return table[path]
        while path:
            path = path[:-1]
            if path in self.key_positions:
                return self.key_positions[path]
        return self.positions.get((), (1, 1))


def _pos(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


def _check_events(loader: _StrictLoader) -> None:
    depth = 0
    while loader.check_event():
        event = loader.get_event()  # type: ignore[no-untyped-call]
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(event.start_mark,
                               f"nested more than {MAX_DEPTH} levels deep",
                               "an annotation needs three levels at most; flatten it")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark,
                f"YAML alias '*{event.anchor}' is not allowed",
                "write the value out in full; aliases hide what a field contains",
            )
        if anchor:
            raise _Refused(
                event.start_mark,
                f"YAML anchor '&{anchor}' is not allowed",
                "remove the anchor and write each value out in full",
            )


def _construct(loader: _StrictLoader, node: yaml.Node, path: JsonPath, doc: Document) -> Any:
    doc.positions[path] = _pos(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Mark] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node.start_mark, "a key must be a plain word", "")
            key = str(loader.construct_object(key_node))
            if key == "<<":
                raise _Refused(
                    key_node.start_mark,
                    "YAML merge key '<<' is not allowed",
                    "write the merged fields out in full",
                )
            if key in seen:
                first = seen[key]
                raise _Refused(
                    key_node.start_mark,
                    f"duplicate key '{key}' (first written at line {first.line + 1}); "
                    "YAML would silently keep only this one",
                    f"keep one '{key}' and merge the two values",
                )
            seen[key] = key_node.start_mark
            doc.key_positions[(*path, key)] = _pos(key_node.start_mark)
            result[key] = _construct(loader, value_node, (*path, key), doc)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*path, i), doc) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


def _decode(raw: bytes, display: str) -> tuple[str | None, list[Problem]]:
    if len(raw) > MAX_BYTES:
        return None, [
            Problem(
                display, 1, 1,
                f"file is {len(raw):,} bytes; an annotation file may be at most {MAX_BYTES:,}",
                "split the text or link to a source instead of pasting it",
            )
        ]
    if b"\0" in raw:
        return None, [
            Problem(display, 1, 1, "file is binary, not YAML text",
                    "save it as UTF-8 text, or remove it")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        return None, [
            Problem(display, line, col,
                    f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                    "save the file as UTF-8 (most editors: 'Save with encoding')")
        ]
    return text.removeprefix("\ufeff"), []


def _yaml_error(exc: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = _pos(mark) if mark else (1, 1)
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source_line[: max(col, 1)] or "'\\t'" in str(exc.problem):
        return Problem(display, line, col, "tab character in indentation",
                       "indent with spaces; YAML does not allow tabs")
    plain = _plain_words(exc, source_line)
    if plain:
        return Problem(display, line, col, plain[0], plain[1])
    message = (exc.problem or str(exc)).strip()
    if exc.context:
        message = f"{exc.context.strip()}: {message}"
    return Problem(display, line, col, f"YAML syntax: {message}",
                   "check the indentation and quoting on this line and the one before")


_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+(.*)$")


def _plain_words(exc: yaml.MarkedYAMLError, source_line: str) -> tuple[str, str] | None:
    """The common mistakes, said as what to do (the parser's wording means little to most)."""
    problem = exc.problem or ""
    match = _KEY_VALUE.match(source_line)
    if not match:
        return None
    key, value = match.group(1), match.group(2).strip()
    if "expected <block end>, but found" in problem and value[:1] in ("'", '"'):
        mark = value[0]
        return (f"YAML syntax: the value of '{key}' starts with a quotation mark, so YAML "
                "reads only up to the closing one and stops at the words after it",
                "a value that starts with a quotation mark must be quoted as a whole: "
                f"{key}: " + '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
                + (" (inside double quotes, write \\\" for a quotation mark)"
                   if mark == '"' else ""))
    if "mapping values are not allowed here" in problem and ": " in value:
        return (f"YAML syntax: the value of '{key}' contains a colon followed by a space, "
                "which YAML reads as the start of another field",
                f"put the whole value in double quotes: {key}: "
                + '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return None


def load_mapping(raw: bytes, display: str) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document that must be a mapping; never raises on bad input."""
    text, problems = _decode(raw, display)
    if text is None:
        return None, problems
    try:
        events = _StrictLoader(text)
        try:
            _check_events(events)
        finally:
            events.dispose()
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except _Refused as exc:
        line, col = _pos(exc.mark)
        return None, [Problem(display, line, col, exc.message, exc.help)]
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_error(exc, text, display)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, 1, f"YAML syntax: {exc}", "")]
    if node is None:
        return None, [Problem(display, 1, 1, "file is empty",
                              "fill in the fields (see CONTRIBUTING.md), or delete the file")]
    if not isinstance(node, yaml.MappingNode):
        what = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        line, col = _pos(node.start_mark)
        return None, [Problem(display, line, col,
                              f"the file holds {what}; it must hold fields (key: value)",
                              "start each top-level line with a field name, e.g. 'kind: context'")]
    doc = Document(data={})
    try:
        doc.data = _construct(_StrictLoader(text), node, (), doc)
    except _Refused as exc:
        line, col = _pos(exc.mark)
        return None, [Problem(display, line, col, exc.message, exc.help)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, 1, f"YAML: {exc}", "")]
    return doc, []
