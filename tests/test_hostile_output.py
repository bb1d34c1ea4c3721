"""Forced through the renderer (no check), hostile payloads stay inert text in HTML and PDF."""

from __future__ import annotations

import re

import pypdf
import pytest

from dossier.buildinfo import BuildInfo
from dossier.pdf import render_pdf
from dossier.render import render
from hostile_corpus import PAYLOADS, forced_dossier
from markup_allowlist import ATTRIBUTES, TAGS, safe_href, start_tags


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render(forced_dossier())


def test_no_dangerous_markup_survives_in_the_generated_pages(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        for tag, attrs in start_tags(page.split("---\n\n", 1)[1]):
            if tag == "script":  # only the page's JSON-LD, which test_claimreview checks
                assert attrs == [("type", "application/ld+json")], (name, attrs)
                continue
            assert tag in TAGS, (name, tag)
            for key, value in attrs:
                assert key in ATTRIBUTES, (name, tag, key)
                if key == "href":
                    assert safe_href(value), value


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


@pytest.mark.parametrize(("href", "safe"), [
    ("javascript:alert(1)", False), ("data:text/html,<script>x</script>", False),
    ("//evil.example/x", False), ("", False), ("https://example.org/a", True),
    ("articles/a.html#note", True), ("../pdf/a.pdf", True), ("?show=corrections", True),
])
def test_the_link_rule_refuses_script_and_data_addresses(href: str, safe: bool) -> None:
    assert safe_href(href) is safe
