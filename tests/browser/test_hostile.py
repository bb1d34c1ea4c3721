"""Forced through the renderer and the real site build, no hostile payload runs in Chromium."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import new_project
from dossier.model import Dossier
from dossier.render import nav, render
from dossier.site import build_site
from hostile_corpus import PAYLOADS, forced_dossier, forced_provenance_dossier
from tools import served

PAGES = ["articles/hostile.html", "annotations.html", "corrections.html", "sources.html",
         "articles/index.html", "articles/hostile/annotations.html",
         "articles/hostile/corrections.html"]


def _forced_site(tmp_path_factory: pytest.TempPathFactory, name: str,
                 dossier: Dossier) -> Iterator[str]:
    """A dossier rendered without checking, built into a site and served over HTTP."""
    project = new_project(tmp_path_factory.mktemp(name) / "p", real=False, fake=False)
    site = build_site(project, render(dossier), nav(dossier, pdf=False))
    with served(site) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _forced_site(tmp_path_factory, "hostile", forced_dossier())


def watched(new_page: Callable[..., object]) -> tuple[Any, list[str]]:
    """A page that records every dialog, and every call of alert, confirm, prompt, print
    and open in ``window.__ran`` (not eval: Playwright's own evaluate() calls it)."""
    page: Any = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script("window.__ran = []; for (const f of ['alert', 'confirm', 'prompt', "
                         "'print', 'open']) { const o = window[f]; window[f] = function (...a) "
                         "{ window.__ran.push(f); return o.apply(this, a); }; }")
    return page, dialogs


def test_no_payload_executes(hostile_site: str, new_page: Callable[..., object]) -> None:
    assert len(PAYLOADS) >= 100
    page, dialogs = watched(new_page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    host = urlsplit(hostile_site).netloc
    for name in PAGES:
        page.goto(hostile_site + name)
        page.wait_for_load_state("networkidle")
        # Open every note and hover, focus and click what can be, as a curious reader would.
        page.evaluate("document.querySelectorAll('[data-dz-note]').forEach(n => n.hidden = false)")
        for marker in page.locator("a.dz-marker").all()[:40]:
            marker.hover()
            marker.focus()
        assert urlsplit(page.url).netloc == host, f"{name} navigated to {page.url}"
        assert page.evaluate("window.__ran") == [], name
    assert dialogs == []
    foreign = [u for u in requests if urlsplit(u).scheme not in ("data", "blob")
               and urlsplit(u).netloc != host]
    assert foreign == []


def test_payloads_are_shown_as_text(hostile_site: str, new_page: Callable[..., object]) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(hostile_site + "articles/hostile.html")
    shown = page.locator(".dz-article").inner_text()
    assert "<script>alert(1)</script>" in shown
    assert "<img src=x onerror=alert(1)>" in shown


@pytest.fixture(scope="module")
def provenance_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One article per payload, with it in the title, publisher, author, address and dating."""
    yield from _forced_site(tmp_path_factory, "provenance", forced_provenance_dossier())


def test_no_provenance_payload_executes(provenance_site: str,
                                        new_page: Callable[..., object]) -> None:
    """The indexes list every article title (past PAGE_SIZE articles, on later pages and
    no longer in the navigation): their pages see them all."""
    page, dialogs = watched(new_page)
    for name in ["index.html", "articles/index.html", "articles/index/page-2.html",
                 "articles/index/page-3.html", "annotations.html", "annotations/page-2.html",
                 "articles/hostile-000.html", "articles/hostile-001.html",
                 "articles/hostile-050.html", "articles/hostile-050/annotations.html",
                 "sources.html"]:
        page.goto(provenance_site + name)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__ran") == [], name
    assert dialogs == []


def test_provenance_payloads_are_shown_as_text(provenance_site: str,
                                               new_page: Callable[..., object]) -> None:
    page = new_page(java_script_enabled=False)
    index = PAYLOADS.index("<script>alert(1)</script>")
    page.goto(provenance_site + f"articles/hostile-{index:03d}.html")
    assert page.title() == "<script>alert(1)</script> - Annotated dossier"
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description == "<script>alert(1)</script> (<script>alert(1)</script>), annotated"
    box = page.locator(".dz-provenance").text_content() or ""  # folded: <details>, closed
    assert box.count("<script>alert(1)</script>") >= 3  # publisher, author, dating evidence
    # Past PAGE_SIZE articles the navigation lists the index alone (test_hostile_provenance
    # checks its titles are escaped): the index's pages list every title, as text.
    shown = ""
    for name in ["articles/index.html", "articles/index/page-2.html",
                 "articles/index/page-3.html"]:
        page.goto(provenance_site + name)
        shown += page.locator("table.dz-articles-table").inner_text()
    assert '"><img src=x onerror=alert(1)>' in shown


def test_search_results_show_payloads_as_text(hostile_site: str,
                                              new_page: Callable[..., object]) -> None:
    """The search worker builds each result's HTML (Material inserts it as HTML): escaped."""
    page, dialogs = watched(new_page)
    page.goto(hostile_site + "index.html")
    page.click(".md-search__input")
    for words in ("script alert", "onerror", "img src"):
        page.fill(".md-search__input", "")
        page.locator(".md-search__input").press_sequentially(words, delay=10)
        page.wait_for_selector(".md-search-result__item mark", timeout=15_000)
        for details in page.locator(".md-search-result details").all()[:20]:
            details.evaluate("d => { d.open = true; }")
        shown = page.locator(".md-search-result__list").inner_text()
        assert "alert(1)" in shown, words
        assert page.locator(".md-search-result__list img, .md-search-result__list script, "
                            ".md-search-result__list iframe, .md-search-result__list svg"
                            ).count() == 0, words
        assert page.evaluate("window.__ran") == [], words
    assert dialogs == []
