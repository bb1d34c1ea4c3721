"""Search, as readers see it in Chromium, over HTTP and from file://.

The search box is Material's; what answers it is the dossier's prebuilt index
(searchindex.py) and its worker (theme/assets/dossier-search.js). These tests
read what the results list shows: the titles, the words each result was found
by (marked), and where a result leads.
"""

from __future__ import annotations

from collections.abc import Callable

from browser.conftest import screenshot
from browser.test_accessibility import summary, violations
from conftest import REAL_SLUG, Built

ARTICLE = f"articles/{REAL_SLUG}.html"


def results(page: object, words: str) -> object:
    """Type ``words`` into the search box; the results list once it shows them."""
    page.click("label.md-search__icon, .md-search__input")  # type: ignore[attr-defined]
    page.locator(".md-search__input").press_sequentially(words, delay=20)  # type: ignore
    page.wait_for_selector(".md-search-result__item mark", timeout=15_000)  # type: ignore
    return page.locator(".md-search-result__list")  # type: ignore[attr-defined]


def test_search_shows_the_annotation_text_it_found(base: str, built: Built,
                                                   new_page: Callable[..., object]) -> None:
    page = new_page()
    page.goto(base + "index.html")
    found = results(page, "Gerasimov")
    note = next(a.annotation for a in built.dossier.anchors_for(REAL_SLUG)
                if a.annotation.id == "north-korea-acknowledges")
    section = found.locator(  # type: ignore[attr-defined]
        'a[href*="#north-korea-acknowledges"] article')
    assert section.locator("h2").inner_text() == note.title
    assert "Valery Gerasimov, told" in section.inner_text()
    assert section.locator("mark").first.inner_text() == "Gerasimov"
    meta = page.locator(".md-search-result__meta").inner_text()  # type: ignore[attr-defined]
    assert "matching document" in meta, meta
    screenshot(page, f"search-annotation-{base.split(':')[0]}")


def test_search_shows_the_article_text_it_found(base: str, built: Built,
                                                new_page: Callable[..., object]) -> None:
    page = new_page()
    page.goto(base + "index.html")
    found = results(page, "insuperable")
    first = found.locator(".md-search-result__item").first  # type: ignore[attr-defined]
    title = next(a.title for a in built.dossier.articles if a.slug == REAL_SLUG)
    assert first.locator("h1").inner_text() == title
    assert "insuperable wound" in first.inner_text()
    assert first.locator("mark").first.inner_text().lower() == "insuperable"
    assert first.locator("a").first.get_attribute("href").split("?")[0].endswith(ARTICLE)


def test_each_key_narrows_the_results(base: str, new_page: Callable[..., object]) -> None:
    page = new_page()
    page.goto(base + "index.html")
    results(page, "Kim")
    meta = page.locator(".md-search-result__meta")  # type: ignore[attr-defined]
    broad = int(meta.inner_text().split()[0])
    page.locator(".md-search__input").press_sequentially(" Jong Un", delay=20)  # type: ignore
    page.wait_for_function("""() => [...document.querySelectorAll(
        '.md-search-result__item mark')].some(m => m.textContent.toLowerCase() === 'jong')""")
    titles = page.locator(".md-search-result__item h1").all_inner_texts()  # type: ignore
    assert titles and broad >= 1
    page.locator(".md-search__input").fill("")  # type: ignore[attr-defined]
    page.locator(".md-search__input").press_sequentially("zzzqx", delay=20)  # type: ignore
    page.wait_for_function("""() => document.querySelector('.md-search-result__meta')
        .textContent.startsWith('No matching')""")
    assert page.locator(".md-search-result__item").count() == 0  # type: ignore


def test_search_results_pass_axe(base: str, new_page: Callable[..., object]) -> None:
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme)
        page.goto(base + "index.html")
        results(page, "Kirby")
        found = violations(page)
        assert found == [], f"search results ({scheme}):\n{summary(found)}"
