"""Bombs: what passes ``check`` must build, within limits counted in work, not time.

A body is rendered by ``check`` with the code ``build`` uses, after the
limits that keep Python-Markdown within bounds: nesting of lists and
quotations, and square brackets.  An article's size and its paragraphs are
limited too.  No input ends in ``internal error``: property tests feed random
bodies and random YAML documents to ``check``, and what passes to the
build's renderer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FAKE_SLUG, ROOT, new_project
from dossier.cli import main
from dossier.load import sha256_text
from dossier.pipeline import build, check
from dossier.policy import MAX_BRACKETS, MAX_LINK_SPAN, MAX_NESTING, nesting, open_span
from dossier.project import Project
from dossier.render import render

BASE = {"kind": "context", "title": "A plain title", "target": {"exact": "approved a budget"},
        "body": "A plain body of ten or more characters.",
        "sources": [{"url": "https://example.org/page", "title": "A page",
                     "publisher": "Example", "type": "news", "published": "2024-01-01",
                     "accessed": "2024-01-02",
                     "archive_url": "https://web.archive.org/web/2024/https://example.org/p"}]}


def _run(project: Project, capsys: pytest.CaptureFixture[str], command: str = "check"
         ) -> tuple[int, str]:
    status = main(["-C", str(project.root), command, "--no-cache"] if command == "check"
                  else ["-C", str(project.root), command])
    out, err = capsys.readouterr()
    return status, out + err


def _body(project: Project, body: str, name: str = "b") -> str:
    (project.annotations / FAKE_SLUG / f"{name}.yml").write_text(
        yaml.safe_dump({**BASE, "body": body}, sort_keys=False, width=10**9),
        encoding="utf-8")
    return f"annotations/{FAKE_SLUG}/{name}.yml"


BOMBS = {  # the build-time bombs, and their neighbours
    "brackets": ("[" * 20_000, "5:7: error: 'body' contains 20,000 square brackets (at most 200)"),
    "links": ("[a](" * 4000, "5:7: error: 'body' contains 4,000 square brackets (at most 200)"),
    "links-long": ("[a](" * 8000, "5:7: error: 'body' is too long (at most 20000 characters)"),
    "list": ("- " * 1000 + "x",
             "5:7: error: 'body' contains lists or quotations nested 1,000 deep on its line 1 "
             "(at most 6)"),
    "quote": ("> " * 1000 + "x",
              "5:7: error: 'body' contains lists or quotations nested 1,000 deep on its line 1 "
              "(at most 6)"),
    "indented": ("".join("    " * i + "- x\n" for i in range(8)),
                 "5:7: error: 'body' contains lists or quotations nested 8 deep on its line 8 "
                 "(at most 6)"),
    "long": ("x" * 20_001, "5:7: error: 'body' is too long (at most 20000 characters)"),
    "open": ("Plain words, then [" + "x" * 2500,
             "5:7: error: 'body' contains a [ on its line 1 left open for 2,501 characters "
             "(at most 2,000)"),
    "open-link": ("[a](" + "x" * 2500,
                  "5:7: error: 'body' contains a link's ( on its line 1 left open for 2,501 "
                  "characters (at most 2,000)"),
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_body_bombs_are_refused_by_check_at_the_body(name: str,
                                                     make_project: Callable[..., Project],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    body, message = BOMBS[name]
    project = make_project(real=False, fake_annotations=False)
    shown = _body(project, body)
    status, out = _run(project, capsys)
    assert status == 1
    assert f"{shown}:{message}" in out.splitlines()
    assert "internal error" not in out


def test_build_refuses_every_bomb_with_its_place_never_an_internal_error(
        make_project: Callable[..., Project], capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(real=False, fake_annotations=False)
    shown = {name: _body(project, body, name) for name, (body, _message) in BOMBS.items()}
    status, out = _run(project, capsys, "build")
    assert status == 1
    assert "internal error" not in out and "Traceback" not in out
    for name, (_body_text, message) in BOMBS.items():
        assert f"{shown[name]}:{message}" in out.splitlines()
    assert not (project.build / "site").exists()


def test_bodies_at_the_limits_check_and_build(make_project: Callable[..., Project]) -> None:
    """The limits refuse bombs, not notes: what is just within them builds."""
    project = make_project(real=False, fake_annotations=False)
    _body(project, "[a](https://example.org/a) " * (MAX_BRACKETS // 2)
          + "x" * 9000 + "[" * (MAX_BRACKETS // 2) + "y" * (MAX_LINK_SPAN - 200), "brackets")
    _body(project, "- " * MAX_NESTING + "deep enough", "nested")
    _body(project, "> quoted\n" + ("word " * 4000)[:19_990], "long")
    dossier, problems, site = build(project, pdf=False)
    assert [p for p in problems if p.severity.value == "error"] == []
    page = (site / "articles" / f"{FAKE_SLUG}.html").read_text(encoding="utf-8")
    assert page.count('href="https://example.org/a"') == MAX_BRACKETS // 2
    assert page.count("<ul>") >= MAX_NESTING
    assert len(dossier.annotations) == 3


def test_nesting_is_counted_from_the_source() -> None:
    assert nesting("- a\n    - b\n        - c\n") == (3, 3)
    assert nesting("> > - 1. x") == (4, 1)
    assert nesting(">>>>>x") == (5, 1)
    assert nesting("plain\n\ntext") == (0, 1)
    assert nesting("- " * MAX_NESTING + "x")[0] == MAX_NESTING


def test_open_brackets_are_measured_to_their_close() -> None:
    assert open_span("[a](https://example.org) and [b]") is None
    assert open_span("[" * 3 + "x" * MAX_LINK_SPAN + "]" * 3) == ("[", 0, MAX_LINK_SPAN + 5)
    assert open_span("\\[" + "x" * 3000) is None  # an escaped bracket opens no link
    assert open_span("(" + "x" * 3000) is None  # a parenthesis outside a link is prose
    assert open_span("[a](b(c)" + "x" * 3000) == ("(", 3, 3005)


def _article(project: Project, text: str) -> str:
    (project.seeds / f"{FAKE_SLUG}.txt").write_text(text, encoding="utf-8")
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    meta.write_text(re.sub(r"sha256: \w+", f"sha256: {sha256_text(text)}",
                           meta.read_text(encoding="utf-8")), encoding="utf-8")
    return f"seeds/{FAKE_SLUG}.txt"


def test_an_article_over_one_megabyte_is_refused(make_project: Callable[..., Project],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(real=False, fake_annotations=False)
    shown = _article(project, "Headline\n" + ("word " * 1000 + "\n") * 210)
    status, out = _run(project, capsys)
    assert status == 1
    assert (f"{shown}:1:1: error: article text is 1,050,219 bytes; at most 1,000,000"
            in out.splitlines())


def test_a_paragraph_over_20000_characters_is_refused(
        make_project: Callable[..., Project], capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(real=False, fake_annotations=False)
    shown = _article(project, "Headline\nShort.\n" + "x" * 20_001 + "\n")
    status, out = _run(project, capsys)
    assert status == 1
    assert (f"{shown}:3:1: error: a paragraph of 20,001 characters; a paragraph may be at "
            "most 20,000") in out.splitlines()


def test_a_hard_wrapped_paragraph_is_measured_whole(
        make_project: Callable[..., Project], capsys: pytest.CaptureFixture[str]) -> None:
    """In the ``paragraphs`` format a paragraph runs over lines: each short, together not."""
    project = make_project(real=False, fake_annotations=False)
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + "format: paragraphs\n", encoding="utf-8")
    shown = _article(project, "# Headline\n\nShort one.\n\n" + "words in a line\n" * 1300)
    status, out = _run(project, capsys)
    assert status == 1
    assert (f"{shown}:5:1: error: a paragraph of 20,799 characters; a paragraph may be at "
            "most 20,000") in out.splitlines()


def test_the_real_articles_are_within_every_limit() -> None:
    project = Project(ROOT)
    dossier, problems = check(project, cache=False)
    assert [p.format() for p in problems if p.severity.value == "error"] == []
    assert {a.slug for a in dossier.articles} == {"north-korean-troops-quid-pro-quo",
                                                  "white-house-briefing-2024-10-23"}


@pytest.fixture(scope="module")
def one_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One project for every generated example (each rewrites its one file)."""
    return new_project(tmp_path_factory.mktemp("random") / "p", real=False,
                       fake_annotations=False)


MARKDOWN = st.text(alphabet=st.sampled_from(list("[]()<>!*_`#>-+.:1 \n\t\\&;xa\u202e")),
                   max_size=400)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=MARKDOWN)
def test_random_bodies_give_a_located_problem_or_success(
        body: str, one_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project = one_project
    _body(project, body)
    status, out = _run(project, capsys)
    assert status in (0, 1), out
    assert "internal error" not in out and "could not be" not in out, out
    for line in out.splitlines():
        assert (line.startswith(("annotations/", "seeds/", "  help: ", "dossier check: "))
                or not line), line
    if status == 0:  # what check passes, the build's renderer renders
        dossier, _problems = check(project, cache=False)
        pages = render(dossier)
        assert any(FAKE_SLUG in name for name in pages)


SCALARS = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(),
                    st.floats(allow_nan=False))
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=5)),
    max_leaves=20)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=DOCUMENTS)
def test_random_yaml_documents_give_a_located_problem_or_success(
        document: object, one_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project = one_project
    (project.annotations / FAKE_SLUG / "r.yml").write_text(
        yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    status, out = _run(project, capsys)
    assert status in (0, 1), out
    assert "internal error" not in out and "could not be checked" not in out, out
    (project.annotations / FAKE_SLUG / "r.yml").unlink()


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
WORDS = st.one_of(st.text(alphabet="abc XYZ.,'-\u043e\u0430", min_size=3, max_size=40), TEXT)
EXACT = st.one_of(st.sampled_from(["approved a budget", "Jon Smyth", "ity council of Riv",
                                   "5-2", "ll go"]), TEXT)
COMMON = {"title": WORDS,
          "body": st.one_of(MARKDOWN, TEXT, WORDS).map(lambda b: "Notes on it: " + b),
          "target": st.fixed_dictionaries({"exact": EXACT}),
          "sources": st.just(BASE["sources"])}
ANNOTATIONS = st.one_of(
    st.fixed_dictionaries({"kind": st.sampled_from(["context", "source"]), **COMMON}),
    st.fixed_dictionaries({"kind": st.just("correction"), **COMMON,
                           "correction": st.one_of(WORDS, st.sampled_from(
                               ["J\u043en Smyth", "Jon Smyth", "John Smith"]))}),
    st.fixed_dictionaries({"kind": st.just("claim"), **COMMON,
                           "rating": st.sampled_from(["accurate", "inaccurate", "no"]),
                           "rating_reason": WORDS}),
    st.fixed_dictionaries({"kind": st.just("update"), **COMMON,
                           "date": st.sampled_from(["2024-03-06", "2024-02-30", "1:0:0"])}),
)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(annotation=ANNOTATIONS)
def test_random_annotations_give_a_located_problem_or_render(
        annotation: dict[str, object], one_project: Project,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Annotation-shaped documents, close enough to valid that many pass to the renderer."""
    project = one_project
    for stale in (project.annotations / FAKE_SLUG).glob("*.yml"):
        stale.unlink()
    (project.annotations / FAKE_SLUG / "a.yml").write_text(
        yaml.safe_dump(annotation, allow_unicode=True, sort_keys=False), encoding="utf-8")
    status, out = _run(project, capsys)
    assert status in (0, 1), out
    assert "internal error" not in out and "could not be" not in out, out
    for line in out.splitlines():
        assert (line.startswith(("annotations/", "seeds/", "  help: ", "dossier check: "))
                or not line), line
    if status == 0:
        dossier, _problems = check(project, cache=False)
        assert any(FAKE_SLUG in name for name in render(dossier))

