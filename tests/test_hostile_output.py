"""Forced through the renderer (no check), hostile payloads stay inert text in HTML and PDF."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pypdf
import pytest

from dossier.buildinfo import BuildInfo
from dossier.pdf import render_pdf
from dossier.render import render
from hostile_corpus import PAYLOADS, forced_dossier


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render(forced_dossier())


TAGS = {"div", "p", "h1", "h2", "h3", "mark", "a", "del", "ins", "aside", "span", "ol", "ul",
        "li", "strong", "em", "code", "blockquote", "br", "q", "cite", "dl", "dt", "dd", "svg",
        "path", "use", "symbol", "rect", "section", "details", "summary", "fieldset", "legend",
        "label", "input", "button", "table", "caption", "thead", "tbody", "tr", "th", "td",
        "title"}
ATTRIBUTES = {"class", "id", "href", "rel", "lang", "title", "cite", "aria-label",
              "aria-labelledby", "aria-hidden", "focusable", "xmlns", "viewbox", "d",
              "data-dz-label", "data-dz-note", "data-dz-for", "data-dz-correction", "width",
              "height", "x", "y", "fill", "preserveaspectratio", "data-dz-show", "data-dz-filter",
              "data-dz-count", "data-dz-rating", "data-label", "scope", "type", "name", "value",
              "checked", "hidden", "role"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))


def test_no_dangerous_markup_survives_in_the_generated_pages(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        parser = _Tags()
        parser.feed(page.split("---\n\n", 1)[1])
        for tag, attrs in parser.seen:
            if tag == "script":  # only the page's JSON-LD, which test_claimreview checks
                assert attrs == [("type", "application/ld+json")], (name, attrs)
                continue
            assert tag in TAGS, (name, tag)
            for key, value in attrs:
                assert key in ATTRIBUTES, (name, tag, key)
                if key == "href":
                    assert value and (value.startswith(("https://", "http://", "mailto:", "#",
                                                        "../"))
                                      or value == "feed.xml"
                                      or re.match(r"^[a-z0-9/-]+\.(html|annotations\.jsonld)(#|$)",
                                                  value)
                                      or re.match(r"^([a-z0-9/-]+\.html)?\?show=[a-z,-]+$",
                                                  value)), value


def test_external_links_cannot_reach_back(pages: dict[str, str]) -> None:
    page = pages["articles/hostile.md"]
    for anchor in re.findall(r'<a\s[^>]*href="https?://[^"]*"[^>]*>', page):
        assert 'rel="noopener noreferrer"' in anchor, anchor


@pytest.fixture(scope="module")
def pdf_text() -> tuple[str, bytes]:
    editions = render_pdf(forced_dossier(), BuildInfo("test", 1_700_000_000))
    reader = pypdf.PdfReader(__import__("io").BytesIO(editions.reader))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages), editions.reader


def test_the_pdf_shows_payloads_as_text_and_runs_nothing(pdf_text: tuple[str, bytes]) -> None:
    text, raw = pdf_text
    assert "<script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(1)>' in text
    for marker in (b"/JavaScript", b"/JS ", b"/Launch", b"/SubmitForm", b"/ImportData"):
        assert marker not in raw
    for uri in re.findall(rb"/URI \(([^)]*)\)", raw):
        assert uri.startswith((b"https://", b"http://", b"mailto:")), uri


def test_every_payload_title_is_in_the_pdf(pdf_text: tuple[str, bytes]) -> None:
    text, _ = pdf_text
    missing = [p for p in PAYLOADS if "\n" not in p and " ".join(p.split()) not in text]
    # Invisible and direction-changing characters do not survive text extraction.
    assert all(re.search("[\u200b-\u200f\u202a-\u202e\u2060]", p) for p in missing), missing
