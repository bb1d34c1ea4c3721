"""YAML values typed by the schema, and no input that can end the whole check.

Every field of both schemas is text, so every plain scalar is read as text:
no YAML 1.1 integers, sexagesimals, booleans or dates.  A value that cannot
be held is a located error, and one bad file never hides the others'
problems behind an ``internal error``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import dossier.load
from conftest import FAKE_SLUG
from dossier.cli import main
from dossier.pipeline import check
from dossier.project import Project
from dossier.schema import ANNOTATION_SCHEMA, ARTICLE_SCHEMA, load_schema
from dossier.yamlsafe import load_mapping

BASE = ("kind: context\ntitle: {title}\ntarget:\n  exact: approved a budget\n"
        "body: A plain body of ten or more characters.\nsources:\n"
        "  - url: https://example.org/page\n    title: A page\n    publisher: Example\n"
        "    type: news\n    published: {published}\n    accessed: 2024-01-02\n"
        "    archive_url: https://web.archive.org/web/2024/https://example.org/page\n")


def _write(project: Project, name: str, text: str) -> str:
    (project.annotations / FAKE_SLUG / name).write_text(text, encoding="utf-8")
    return f"annotations/{FAKE_SLUG}/{name}"


@pytest.mark.parametrize("raw, value", [
    ("2024", "2024"), ("no", "no"), ("on", "on"), ("1:0:0:0", "1:0:0:0"), ("0x1F", "0x1F"),
    ("1e3", "1e3"), ("null", "null"), ("~", "~"), ("2024-10-23", "2024-10-23"),
    ("9" * 5000, "9" * 5000), ("-.inf", "-.inf"), ("0o17", "0o17"), ("1_000", "1_000"),
])
def test_plain_scalars_are_text(raw: str, value: str) -> None:
    doc, problems = load_mapping(f"title: {raw}\n".encode(), "x.yml")
    assert problems == [] and doc is not None
    assert doc.data == {"title": value}


def test_published_2024_is_the_text_2024(make_project: Callable[..., Project]) -> None:
    project = make_project(real=False, fake_annotations=False)
    _write(project, "year.yml", BASE.format(title="A plain title", published="2024"))
    dossier, problems = check(project)
    assert [p for p in problems if p.severity.value == "error"] == []
    assert dossier.annotations[0].sources[0].published == "2024"


@pytest.mark.parametrize("published, message", [
    ("9" * 5000, "'sources[0].published' is not a date: '" + "9" * 5000 + "'"),
    ("1:0:0:0", "'sources[0].published' is not a date: '1:0:0:0'"),
    ("yes", "'sources[0].published' is not a date: 'yes'"),
])
def test_values_that_cannot_be_held_are_located_errors(
        published: str, message: str, make_project: Callable[..., Project],
        capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(real=False, fake_annotations=False)
    shown = _write(project, "bad.yml", BASE.format(title="A plain title", published=published))
    assert main(["-C", str(project.root), "check"]) == 1
    out = capsys.readouterr().out
    assert f"{shown}:11:16: error: {message}" in out.splitlines()


@pytest.mark.parametrize("tagged, tag", [("!!int 12", "!!int"), ("!!float 1.5", "!!float"),
                                         ("!!binary aGVsbG8=", "!!binary"),
                                         ("!!timestamp 2024-13-45", "!!timestamp"),
                                         ("!custom x", "!custom")])
def test_tags_are_refused_at_their_place(tagged: str, tag: str,
                                         make_project: Callable[..., Project]) -> None:
    project = make_project(real=False, fake_annotations=False)
    shown = _write(project, "tag.yml", BASE.format(title=tagged, published="2024"))
    _, problems = check(project)
    assert [p.format().split("\n")[0] for p in problems] == [
        f"{shown}:2:8: error: YAML tag '{tag}' is not allowed"]


def test_more_than_200_keys_is_refused_at_the_first_key_too_many(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False, fake_annotations=False)
    extra = "".join(f"k{i}: v\n" for i in range(99_000))
    shown = _write(project, "keys.yml", BASE.format(title="A plain title", published="2024")
                   + extra)
    _, problems = check(project)
    # 13 keys in BASE (sources[0] has 7) on 13 lines, so the 201st key is on line 201.
    assert [p.format().split("\n")[0] for p in problems] == [
        f"{shown}:201:1: error: more than 200 keys in one file"]


def test_one_bad_file_does_not_hide_the_others(make_project: Callable[..., Project],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(real=False, fake_annotations=False)
    first = _write(project, "a-huge.yml", BASE.format(title="9" * 5000, published="1:0:0"))
    second = _write(project, "b-plain.yml", BASE.format(title="A plain title",
                                                        published="2024-02-30"))
    status = main(["-C", str(project.root), "check"])
    out = capsys.readouterr().out
    assert status == 1
    assert "internal error" not in out
    assert f"{first}:11:16: error: 'sources[0].published' is not a date: '1:0:0'" in out
    assert (f"{second}:11:16: error: 'sources[0].published' is not a real date: "
            "'2024-02-30'") in out


def test_a_file_that_fails_unforeseeably_is_reported_and_the_others_still_checked(
        make_project: Callable[..., Project], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The net under the loaders: a bug met by one file is that file's problem."""
    project = make_project(real=False, fake_annotations=False)
    first = _write(project, "a-trips.yml", BASE.format(title="A plain title", published="2024"))
    second = _write(project, "b-plain.yml", BASE.format(title="A plain title",
                                                        published="2024-02-30"))
    real_validate = dossier.load.schema.validate

    def validate(doc: Any, name: str, display: str) -> Any:
        if display == first:
            raise RecursionError("maximum recursion depth exceeded")
        return real_validate(doc, name, display)

    monkeypatch.setattr(dossier.load.schema, "validate", validate)
    status = main(["-C", str(project.root), "check", "--no-cache"])
    out = capsys.readouterr().out
    assert status == 1
    assert "internal error" not in out
    assert (f"{first}:1:1: error: this file could not be checked (RecursionError: maximum "
            "recursion depth exceeded)") in out.splitlines()
    assert (f"{second}:11:16: error: 'sources[0].published' is not a real date: "
            "'2024-02-30'") in out.splitlines()


def _scalar_types(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        kind = schema.get("type")
        if kind in ("integer", "number", "boolean", "null"):
            yield kind
        for value in schema.values():
            yield from _scalar_types(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _scalar_types(value)


@pytest.mark.parametrize("name", [ANNOTATION_SCHEMA, ARTICLE_SCHEMA])
def test_the_schemas_want_only_text(name: str) -> None:
    """The loader reads every plain scalar as text: a number field would need converting."""
    assert list(_scalar_types(load_schema(name))) == []
