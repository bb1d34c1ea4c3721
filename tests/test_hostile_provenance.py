"""Hostile provenance (seeds/<slug>.yml): reported by check, escaped wherever it lands.

The provenance file's values reach every page: the navigation, the page's
``<head>`` (title, description), the search index, the provenance box and
the PDF's cover, contents and metadata.  Titles of imported web pages land
in it, so it is hostile input like an annotation.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
import yaml

from conftest import FAKE_SLUG
from dossier.buildinfo import BuildInfo
from dossier.model import Dossier
from dossier.paging import PAGE_SIZE
from dossier.pdf import print_html, render_pdf
from dossier.pipeline import check
from dossier.problems import Severity
from dossier.project import Project
from dossier.render import nav, render
from hostile_corpus import PAYLOADS, PROVENANCE_FIELDS, forced_provenance_dossier, provenance_with
from markup_allowlist import TAGS, safe_href, start_tags


@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=lambda i: f"payload-{i:03d}")
def test_check_reports_the_payload_in_every_provenance_field(
        index: int, make_project: Callable[..., Project]) -> None:
    payload = PAYLOADS[index]
    project = make_project(real=False, fake_annotations=False)
    seeds = project.seeds
    original = yaml.safe_load((seeds / f"{FAKE_SLUG}.yml").read_text(encoding="utf-8"))
    text = (seeds / f"{FAKE_SLUG}.txt").read_bytes()
    for i, field in enumerate(PROVENANCE_FIELDS):
        (seeds / f"f{i}.txt").write_bytes(text)
        (seeds / f"f{i}.yml").write_text(
            yaml.safe_dump(provenance_with(field, payload, original), allow_unicode=True,
                           sort_keys=False), encoding="utf-8")
    dossier, problems = check(project)
    flagged = {p.path for p in problems if p.severity is Severity.ERROR}
    missed = [PROVENANCE_FIELDS[i] for i in range(len(PROVENANCE_FIELDS))
              if f"seeds/f{i}.yml" not in flagged]
    assert missed == [], f"not reported in {missed}: {payload!r}"
    assert [a.slug for a in dossier.articles] == [FAKE_SLUG]


def test_the_issue_title_and_publisher_are_reported_at_their_lines(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False, fake_annotations=False)
    path = project.seeds / f"{FAKE_SLUG}.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [("title: \"Evil <img src=x onerror=alert('title-xss')>\"" if x.startswith("title:")
              else "publisher: \"Pub\\\"><img src=x onerror=alert('pub-xss')>\""
              if x.startswith("publisher:") else x) for x in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = check(project)
    title = next(i for i, x in enumerate(lines, 1) if x.startswith("title:"))
    publisher = next(i for i, x in enumerate(lines, 1) if x.startswith("publisher:"))
    found = [p.format().splitlines()[0] for p in problems]
    assert (f"seeds/{FAKE_SLUG}.yml:{title}:8: error: 'title' contains raw HTML (a tag) and "
            "an event-handler attribute (on…=)") in found
    assert (f"seeds/{FAKE_SLUG}.yml:{publisher}:12: error: 'publisher' contains raw HTML "
            "(a tag) and an event-handler attribute (on…=)") in found


def _no_dangerous_markup(html: str, where: str) -> None:
    for tag, attrs in start_tags(html):
        if tag == "script":  # only the page's JSON-LD, which test_claimreview checks
            assert attrs == [("type", "application/ld+json")], (where, attrs)
            continue
        assert tag in TAGS, (where, tag)
        for key, value in attrs:
            assert not key.startswith("on"), (where, tag, key)
            if key == "href":
                assert safe_href(value), value


@pytest.fixture(scope="module")
def dossier() -> object:
    return forced_provenance_dossier()


def test_generated_pages_hold_no_markup_from_provenance(dossier: object) -> None:
    pages = render(dossier)  # type: ignore[arg-type]
    for name, page in pages.items():
        front, body = page.split("---\n\n", 1)
        _no_dangerous_markup(body, name)
        meta = yaml.safe_load(front.removeprefix("---\n").removesuffix("---\n"))
        for key, value in meta.items():
            if isinstance(value, str):  # MkDocs writes these into the <head> as HTML
                assert "<" not in value and ">" not in value, (name, key, value)
        if "description" in meta:
            assert '"' not in meta["description"], (name, meta["description"])


def test_navigation_titles_are_escaped_text(dossier: Dossier) -> None:
    # Past PAGE_SIZE articles the navigation lists only the index; up to it, every title.
    assert nav(dossier)[0] == {"Articles": [{"All articles": "articles/index.md"}]}
    few = dataclasses.replace(dossier, articles=dossier.articles[:PAGE_SIZE])
    entries = nav(few)
    titles = [next(iter(x)) for x in entries[0]["Articles"]]  # type: ignore[index]
    assert len(titles) == PAGE_SIZE + 1
    for title in titles:
        assert "<" not in title and ">" not in title, title
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in json.dumps(titles)


def test_the_print_html_holds_no_markup_from_provenance(dossier: object) -> None:
    html = print_html(dossier, BuildInfo("test", 1_700_000_000))  # type: ignore[arg-type]
    _no_dangerous_markup(html, "print.html")
    head = html.split("</head>", 1)[0]
    assert head.count("<meta ") == 7, head[:2000]  # nothing broke out of a content="…"


def test_the_pdf_shows_provenance_payloads_as_text(tmp_path: Path) -> None:
    few = forced_provenance_dossier()
    keep = [a for a in few.articles if a.title in ("<script>alert(1)</script>",
                                                   '"><img src=x onerror=alert(1)>')]
    assert len(keep) == 2
    few.articles = keep
    editions = render_pdf(few, BuildInfo("test", 1_700_000_000))
    reader = pypdf.PdfReader(io.BytesIO(editions.reader))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "<script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(1)>' in text
    meta = reader.metadata or {}
    assert "<script>alert(1)</script>" in str(meta.get("/Title", ""))
    for marker in (b"/JavaScript", b"/JS ", b"/Launch"):
        assert marker not in editions.reader
