"""Strict YAML: what PyYAML accepts silently, a contributor gets told about.

PyYAML keeps the last of two duplicate keys (losing the first), expands
aliases (a billion-laughs bomb among them) and guesses types the YAML 1.1
way: ``2024-10-23`` becomes a ``date``, ``no`` a boolean, ``1:0:0`` the number
3,600, and a 5,000-digit number an error that ends the whole run.  This loader
composes the values itself from the parser's events: it reads every scalar as
the text written (the schemas want only text), refuses the rest, and records
the line and column of every key and value, so that later stages (the JSON
Schema check, anchoring) can point at the exact place in the file.

Each file is parsed once, by libyaml's C parser where PyYAML has it: with
hundreds of articles, parsing was most of the time ``dossier check`` took.
"""

from __future__ import annotations

import contextlib
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


# libyaml's C parser where PyYAML was built with it (the wheels are); the
# pure-Python one otherwise.  Either way each file is parsed once: the events
# are read a single time, checked and turned into values as they come.
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LIBYAML: bool = _Parser is not yaml.SafeLoader


class _StrictLoader(_Parser):  # type: ignore[misc]
    """libyaml's parser where installed: only its events are used."""


class _PyStrictLoader(yaml.SafeLoader):
    """The pure-Python twin, for files libyaml finds broken: its messages say more
    ("found character '@' that cannot start any token") and match earlier releases."""


# Values are typed by the schema, not guessed by YAML 1.1.  Every field of both
# schemas is text, so a scalar is always the text as written: `published: 2024`
# is "2024", `title: no` is "no", `1:0:0` is not 3,600, and a 5,000-digit number
# is text (which Python's int() would refuse to hold).  A schema field that wanted
# a number or a boolean would be converted from that text; none does
# (tests/test_hostile_yaml.py checks it), so nothing is converted.
_STR = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = {yaml.MappingStartEvent: "tag:yaml.org,2002:map",
                    yaml.SequenceStartEvent: "tag:yaml.org,2002:seq"}
MAX_KEYS = 200  # an annotation has about 20 keys, a provenance file about 40


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
    source: str = field(default="", repr=False, compare=False)
    # Every text value with its path, in the order written: recorded while composing,
    # since half a dozen checks ask for them (strings()).
    texts: list[tuple[JsonPath, str]] | None = field(default=None, repr=False, compare=False)

    def __reduce__(self) -> tuple[Any, ...]:
        # Kept (in the check cache) as its text, parsed again only if a later stage
        # asks where something is: a thousand position tables are slow to unpickle.
        if not self.source:
            return (Document, (self.data, self.positions, self.key_positions))
        return (_LazyDocument, (self.source,))

    def strings(self) -> Iterator[tuple[JsonPath, str]]:
        """Every text value with its path, in the order written."""
        if self.texts is None:  # (a Document not made by load_mapping)
            texts: list[tuple[JsonPath, str]] = []

            def walk(value: Any, path: JsonPath) -> None:
                if isinstance(value, str):
                    texts.append((path, value))
                elif isinstance(value, dict):
                    for key, item in value.items():
                        walk(item, (*path, key))
                elif isinstance(value, list):
                    for i, item in enumerate(value):
                        walk(item, (*path, i))

            walk(self.data, ())
            self.texts = texts
        return iter(self.texts)

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


class _LazyDocument(Document):
    """A Document read back from its text on first use."""

    def __init__(self, source: str):  # the other fields come from __getattr__
        object.__setattr__(self, "source", source)

    def __getattr__(self, name: str) -> Any:
        if name not in ("data", "positions", "key_positions"):
            raise AttributeError(name)
        doc, _problems = load_mapping(self.source.encode("utf-8"), "")
        assert doc is not None, "a cached document parsed once already"
        self.data, self.positions, self.key_positions = doc.data, doc.positions, doc.key_positions
        self.texts = doc.texts
        return getattr(self, name)


def _pos(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


def _refuse_marks(event: Any, depth: int) -> None:
    """Aliases, anchors, tags and deep nesting, refused as soon as the parser meets them."""
    if depth > MAX_DEPTH:
        raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep",
                       "an annotation needs three levels at most; flatten it")
    tag = getattr(event, "tag", None)
    if tag not in (None, "!", _STR, _COLLECTION_TAGS.get(type(event))):
        shown = str(tag).replace("tag:yaml.org,2002:", "!!")
        raise _Refused(event.start_mark, f"YAML tag '{shown}' is not allowed",
                       "remove the tag: every value is read as the schema says "
                       "(text, a list or fields)")
    if isinstance(event, yaml.AliasEvent):
        raise _Refused(
            event.start_mark,
            f"YAML alias '*{event.anchor}' is not allowed",
            "write the value out in full; aliases hide what a field contains",
        )
    if getattr(event, "anchor", None):
        raise _Refused(
            event.start_mark,
            f"YAML anchor '&{event.anchor}' is not allowed",
            "remove the anchor and write each value out in full",
        )


_Scalar = yaml.ScalarEvent
_MappingEnd = yaml.MappingEndEvent


class _Composer:
    """Values straight from the parser's events, with the position of each.

    Refusals the parser itself cannot see (duplicate keys, keys that are
    not plain words, merge keys) are kept until the whole file has parsed,
    so a syntax error further down is still the one reported, as when the
    file was parsed a first time for its events alone.

    This runs for every key and value of every file, so the common case (a
    plain scalar: no tag, no anchor) is tested first, by class and inline;
    anything else goes through _refuse_marks, in the same order as before.
    """

    def __init__(self, loader: _StrictLoader, doc: Document):
        self.loader = loader
        self.doc = doc
        self.pending: _Refused | None = None
        self.positions = doc.positions
        self.key_positions = doc.key_positions
        self.texts: list[tuple[JsonPath, str]] = []

    def _defer(self, refusal: _Refused) -> None:
        if self.pending is None:
            self.pending = refusal

    def _scalar(self, event: Any) -> str:
        """The text as written (tags other than ``!!str`` are refused before this)."""
        return str(event.value)

    def value(self, event: Any, path: JsonPath, depth: int) -> Any:
        if event.__class__ is _Scalar and event.anchor is None and event.tag is None:
            mark: Any = event.start_mark
            self.positions[path] = (mark.line + 1, mark.column + 1)
            text: str = event.value
            self.texts.append((path, text))
            return text
        loader = self.loader
        collection = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        _refuse_marks(event, depth + collection)
        self.doc.positions[path] = _pos(event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            text = self._scalar(event)
            self.texts.append((path, text))
            return text
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(item := loader.get_event(), yaml.SequenceEndEvent):
                items.append(self.value(item, (*path, len(items)), depth + 1))
            return items
        result: dict[str, Any] = {}
        seen: dict[str, Any] = {}
        get_event = loader.get_event
        positions, key_positions, texts = self.positions, self.key_positions, self.texts
        while (key_event := get_event()).__class__ is not _MappingEnd:
            if (key_event.__class__ is not _Scalar or key_event.anchor is not None
                    or key_event.tag is not None):
                _refuse_marks(key_event, depth + 1)
                if not isinstance(key_event, yaml.ScalarEvent):
                    self._defer(_Refused(key_event.start_mark, "a key must be a plain word", ""))
                    self.value(key_event, (*path, "<key>"), depth + 1)
                    self.value(get_event(), (*path, "<value>"), depth + 1)
                    continue
            key: str = self._scalar(key_event)  # a quoted '<<' is refused as well
            key_mark: Any = key_event.start_mark
            if key == "<<":
                self._defer(_Refused(key_mark, "YAML merge key '<<' is not allowed",
                                     "write the merged fields out in full"))
            elif key in seen:
                first = seen[key]
                self._defer(_Refused(
                    key_mark,
                    f"duplicate key '{key}' (first written at line {first.line + 1}); "
                    "YAML would silently keep only this one",
                    f"keep one '{key}' and merge the two values",
                ))
            seen[key] = key_mark
            if len(key_positions) >= MAX_KEYS:
                raise _Refused(key_mark, f"more than {MAX_KEYS} keys in one file",
                               "an annotation needs about 20; remove the extra ones")
            here = (*path, key)
            key_positions[here] = (key_mark.line + 1, key_mark.column + 1)
            event = get_event()
            if event.__class__ is _Scalar and event.anchor is None and event.tag is None:
                mark = event.start_mark  # (value()'s common case, without the call)
                positions[here] = (mark.line + 1, mark.column + 1)
                texts.append((here, event.value))
                result[key] = event.value
            else:
                result[key] = self.value(event, here, depth + 1)
        return result

    def document(self) -> tuple[Any, Any] | None:
        """The single document's first event and its value; None for an empty stream."""
        loader = self.loader
        loader.get_event()  # stream start
        if isinstance(loader.peek_event(), yaml.StreamEndEvent):
            loader.get_event()
            return None
        start = loader.get_event()  # document start
        first = loader.get_event()
        data = self.value(first, (), 0)
        loader.get_event()  # document end
        if not isinstance(extra := loader.get_event(), yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", start.start_mark,
                "but found another document", extra.start_mark)
        if self.pending is not None:
            raise self.pending
        self.doc.texts = self.texts
        return first, data


def _compose(loader_class: Any, text: str, doc: Document) -> tuple[Any, Any] | None:
    loader = loader_class(text)
    try:
        return _Composer(loader, doc).document()
    finally:
        loader.dispose()


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
    doc = Document(data={})
    try:
        try:
            composed = _compose(_StrictLoader, text, doc)
        except yaml.MarkedYAMLError as exc:
            if not LIBYAML:
                raise
            if "nesting depth" in str(exc.problem) and exc.problem_mark is not None:
                # libyaml stops at 1,000 levels, before its events reach ours; the
                # text up to there shows where the 21st level began.
                # (Cut short, the text may break elsewhere: then PyYAML says where.)
                with contextlib.suppress(yaml.YAMLError):
                    _compose(_StrictLoader, text[:exc.problem_mark.index], Document(data={}))
            doc = Document(data={})
            composed = _compose(_PyStrictLoader, text, doc)
    except _Refused as exc:
        line, col = _pos(exc.mark)
        return None, [Problem(display, line, col, exc.message, exc.help)]
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_error(exc, text, display)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, 1, f"YAML syntax: {exc}", "")]
    if composed is None:
        return None, [Problem(display, 1, 1, "file is empty",
                              "fill in the fields (see CONTRIBUTING.md), or delete the file")]
    first, data = composed
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "a single value"
        line, col = _pos(first.start_mark)
        return None, [Problem(display, line, col,
                              f"the file holds {what}; it must hold fields (key: value)",
                              "start each top-level line with a field name, e.g. 'kind: context'")]
    doc.data = data
    doc.source = text
    return doc, []
