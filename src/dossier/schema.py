"""JSON Schema validation that speaks the contributor's language.

The schemas under ``schemas/`` are the single definition of the YAML
formats: editors read them through the ``# yaml-language-server`` line,
and this module validates against the same files.  jsonschema's messages
("'x' is not valid under any of the given schemas") are rewritten into
what to do, at the line and column of the offending key or value.

Most files are valid, and jsonschema's interpreter is slow at saying so
(about half a millisecond a file, most of ``dossier check`` at scale).  So a
validator compiled to Python by fastjsonschema gives the verdict first; only a
file it refuses goes through jsonschema, whose errors carry the paths and
keywords the messages below are made from.  For that to report exactly what
jsonschema alone would, fastjsonschema must never accept a file jsonschema
refuses: tests/test_schema_fast.py checks every keyword our schemas use and
runs the example files, the hostile payloads and generated documents through
both.  (It may refuse more: its ``$`` is end of text, Python's also matches
before a final newline; such a file just takes the slow path.)
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import importlib.util
import json
import marshal
import os
import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .cache import digest
from .problems import Problem, Severity
from .yamlsafe import Document, JsonPath

if TYPE_CHECKING:  # imported when first needed: a warm `dossier check` never needs it
    import jsonschema

ANNOTATION_SCHEMA = "annotation.schema.json"
ARTICLE_SCHEMA = "article.schema.json"

# Fields that belong to one kind only, and that kind.
_KIND_FIELDS = {"correction": "correction", "rating": "claim", "rating_reason": "claim",
                "date": "update"}


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("dossier").joinpath("schemas", name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    import jsonschema

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


_kept_in: Path | None = None  # keep_compiled's folder


def keep_compiled(folder: Path | None) -> None:
    """Keep each schema's compiled validator in ``folder`` (the project's build/.cache/,
    as ``pipeline.check`` says), as Python keeps bytecode: generating and compiling it
    took 30 ms, a tenth of a check after one changed file.  ``None``: compile in each
    process."""
    global _kept_in
    _kept_in = folder


@cache
def _compiled(name: str) -> Callable[[Any], Any]:
    """The schema as a compiled Python function that raises on the first error.

    fastjsonschema's module for the schema (``compile_to_code``: what ``compile``
    runs), its code object kept (``keep_compiled``) under a key of the schema, the
    options, fastjsonschema's version and Python's bytecode's.
    """
    import fastjsonschema

    # A copy: fastjsonschema rewrites the $refs of the schema it is given in place
    # (load_schema's dict is also jsonschema's schema and part of the cache key).
    # use_default=False: never fill in defaults (the data must stay as written);
    # use_formats=False: jsonschema treats `format` as an annotation, and so must this.
    # (detailed_exceptions=False would save little, and 2.22.3 cannot compile `const` so.)
    key = digest(name, json.dumps(load_schema(name), sort_keys=True),
                 "use_default=False use_formats=False",
                 fastjsonschema.VERSION, importlib.util.MAGIC_NUMBER)
    kept = _kept_in / f"schema-{name.partition('.')[0]}.marshal" if _kept_in else None
    module = _read_kept(kept, key) if kept else None
    if module is None:
        source = fastjsonschema.compile_to_code(copy.deepcopy(load_schema(name)),
                                                use_default=False, use_formats=False)
        found = re.search(r"^def (\w+)\(", source, re.M)  # the schema's own: the first
        assert found, "fastjsonschema's module defines the validator"
        module = (found.group(1), compile(source, f"<{name}>", "exec"))
        if kept:
            _write_kept(kept, key, module)
    scope: dict[str, Any] = {}
    exec(module[1], scope)  # (our own schema's validator, generated above)
    validate: Callable[[Any], Any] = scope[module[0]]
    return validate


def _read_kept(path: Path, key: str) -> tuple[str, CodeType] | None:
    try:
        kept_key, scope, code = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if kept_key != key or not isinstance(scope, str) or not isinstance(code, CodeType):
        return None
    return scope, code


def _write_kept(path: Path, key: str, module: tuple[str, CodeType]) -> None:
    """In one step, as the caches are (a reader sees the old file or the new); a folder
    that cannot be written only costs the compiling again."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps((key, *module)))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def conforms(data: Any, schema_name: str) -> bool:
    """Whether ``data`` is valid, by the compiled validator (no messages, fast)."""
    from fastjsonschema import JsonSchemaException

    compiled = _compiled(schema_name)  # a schema it cannot compile raises here, loudly
    try:
        compiled(data)
    except JsonSchemaException:
        return False
    return True


def _field(path: Iterable[str | int]) -> str:
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts) or "(top level)"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return "nothing" if value is None else type(value).__name__


_TYPE_WORDS = {"string": "text", "object": "a set of fields (key: value)", "array": "a list",
               "integer": "a whole number", "number": "a number", "boolean": "true or false"}


def _pattern_hint(pattern: str) -> tuple[str, str]:
    if pattern.startswith("^https?://"):
        return "is not a web address", "write the full address, starting with https://"
    if pattern == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$":
        return "is not a date", "write the date as YYYY-MM-DD, e.g. 2024-10-23"
    if pattern.startswith("^[0-9]{4}(-"):
        return "is not a date", "write the date as YYYY-MM-DD, YYYY-MM or YYYY"
    if pattern == "^[^\\n]*$":
        return "must be a single line", "put the detail in 'body' and keep this to one line"
    return f"does not match the pattern {pattern}", ""


def _listed(value: object) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _closest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'? " if match else ""


def _problems_for(error: jsonschema.ValidationError, doc: Document, display: str) -> list[Problem]:
    path: JsonPath = tuple(error.absolute_path)
    name = _field(path)
    validator = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.instance

    def at(p: JsonPath, message: str, help: str = "", *, key: bool = False) -> Problem:
        line, col = doc.where(p, key=key)
        return Problem(display, line, col, message, help)

    if validator == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(schema.get("properties", {}))
        out = []
        for extra in sorted(set(value) - set(allowed)):
            out.append(at((*path, extra), f"unknown field '{_field((*path, extra))}'",
                          f"{_closest(extra, allowed)}allowed here: {', '.join(allowed)}",
                          key=True))
        return out
    if validator == "required" and isinstance(value, dict):
        out = []
        for missing in _listed(error.validator_value):
            if missing in value:
                continue
            what = schema.get("properties", {}).get(missing, {}).get("description", "")
            kind = value.get("kind")
            reason = (f" (required for kind: {kind})" if missing in _KIND_FIELDS and kind
                      else "")
            out.append(at(path, f"missing field '{_field((*path, missing))}'{reason}",
                          f"add '{missing}: …'" + (f" ({what})" if what else ""), key=True))
        return out
    if validator == "not" and not error.validator_value:
        field = path[-1] if path else ""
        kind = _KIND_FIELDS.get(str(field), "")
        return [at(path, f"field '{name}' only applies to kind: {kind}" if kind
                   else f"field '{name}' is not allowed here",
                   f"remove '{field}', or change 'kind' to {kind}" if kind else "", key=True)]
    if validator == "enum":
        options = [str(o) for o in _listed(error.validator_value)]
        return [at(path, f"'{name}' is {value!r}; it must be one of: {', '.join(options)}",
                   _closest(str(value), options).strip())]
    if validator == "const":
        return [at(path, f"'{name}' must be {error.validator_value!r}")]
    if validator == "type":
        expected = _TYPE_WORDS.get(str(error.validator_value), str(error.validator_value))
        hint = ("write it as plain text; put it in quotes if it starts with [ or {"
                if error.validator_value == "string" else "")
        return [at(path, f"'{name}' must be {expected}, not {_describe(value)}", hint)]
    if validator == "pattern":
        what, hint = _pattern_hint(str(error.validator_value))
        return [at(path, f"'{name}' {what}: {value!r}", hint)]
    if validator in ("minLength", "maxLength", "minItems"):
        limit = error.validator_value
        if validator == "minItems":
            return [at(path, f"'{name}' needs at least {limit} item(s)",
                       "add a source with url, title, publisher, type, published and "
                       "accessed")]
        if validator == "minLength" and value == "":
            what = schema.get("description", "")
            return [at(path, f"'{name}' is empty", f"write it{': ' + what if what else ''}")]
        if validator == "minLength":
            return [at(path, f"'{name}' is too short (at least {limit} characters)")]
        return [at(path, f"'{name}' is too long (at most {limit} characters)")]
    if validator in ("anyOf", "oneOf"):
        if name.endswith("published"):
            return [at(path, f"'{name}' {_pattern_hint('^[0-9]{4}(-')[0]}: {value!r}",
                       "write YYYY-MM-DD, YYYY-MM or YYYY, or 'unknown' if the page shows "
                       "no date")]
        from jsonschema.exceptions import best_match

        best = best_match(error.context or [])
        if best is not None:
            return _problems_for(best, doc, display)
    return [at(path, f"'{name}': {error.message}")]


def _date_problems(doc: Document, display: str) -> list[Problem]:
    """Dates that have the right shape but do not exist (2024-02-30)."""
    out: list[Problem] = []
    for path, value in doc.strings():
        field = path[-1] if path else None
        if field not in ("published", "accessed", "date", "updated", "retrieved"):
            continue
        if len(value) != 10 or value.count("-") != 2:
            continue
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            line, col = doc.where(path)
            out.append(Problem(display, line, col,
                               f"'{_field(path)}' is not a real date: {value!r}",
                               "check the month (01-12) and the day of the month"))
    return out


def _url_problems(doc: Document, display: str) -> list[Problem]:
    out: list[Problem] = []
    for path, value in doc.strings():
        if not path or path[-1] not in ("url", "archive_url", "original_url"):
            continue
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and "." not in (parts.hostname or ""):
            line, col = doc.where(path)
            out.append(Problem(display, line, col,
                               f"'{_field(path)}' has no valid host: {value!r}",
                               "write the full address, e.g. https://www.example.org/page"))
        elif parts.scheme == "http":
            line, col = doc.where(path)
            out.append(Problem(display, line, col,
                               f"'{_field(path)}' uses http://, not https://",
                               "use the https:// address if the site has one",
                               Severity.WARNING))
    return out


def validate(doc: Document, schema_name: str, display: str) -> list[Problem]:
    """Every schema problem in ``doc``, each at its own line and column."""
    problems: list[Problem] = []
    if not conforms(doc.data, schema_name):
        for error in _validator(schema_name).iter_errors(doc.data):
            problems.extend(_problems_for(error, doc, display))
    problems.extend(_date_problems(doc, display))
    problems.extend(_url_problems(doc, display))
    # A value can fail several keywords; one message per place is enough.
    unique: dict[tuple[int, int, str], Problem] = {}
    for p in problems:
        unique.setdefault((p.line, p.col, p.message), p)
    return list(unique.values())
