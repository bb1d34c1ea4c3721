"""What readers get, in Chromium: annotations, corrections, search, privacy, layout, no-JS.

Every test runs against the real site built from this repository's dossier
(plus the made-up Riverton article), over HTTP and from file://.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from browser.conftest import screenshot
from conftest import FAKE_SLUG, REAL_SLUG, Built

ARTICLE = f"articles/{REAL_SLUG}.html"
FIX = "kim-jong-un-spelling"


def note(page: object, id: str) -> object:
    return page.locator(f'[data-dz-note="{id}"]')  # type: ignore[attr-defined]


def test_click_opens_and_closes_an_annotation(base: str, new_page: Callable[..., object]
                                              ) -> None:
    page = new_page()
    page.goto(base + ARTICLE)
    marker = page.locator(f"#ref-{FIX}").bounding_box()
    assert marker is not None and marker["height"] < 40, "the marker is not a small pill"
    n = note(page, FIX)
    assert n.is_hidden()
    page.click(f"#ref-{FIX}")
    assert n.is_visible()
    assert n.locator("h2").inner_text() == "The North Korean leader's name is Kim Jong Un"
    assert "romanisation is Kim Jong Un" in n.inner_text()
    assert n.locator("ol.dz-note__sources a").first.is_visible()
    assert page.get_attribute(f"#ref-{FIX}", "aria-expanded") == "true"
    page.click(f"#ref-{FIX}")
    assert n.is_hidden()
    page.click(f"#ref-{FIX}")
    page.keyboard.press("Escape")
    assert n.is_hidden()
    assert page.evaluate("document.activeElement.id") == f"ref-{FIX}"


def test_keyboard_only(base: str, new_page: Callable[..., object], built: Built) -> None:
    page = new_page()
    page.goto(base + ARTICLE)
    expected = [f"ref-{a.annotation.id}" for a in built.dossier.anchors_for(REAL_SLUG)]
    dom_order = page.eval_on_selector_all(".dz-article a.dz-marker", "els => els.map(e => e.id)")
    reached = []
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || ''")
        if focused.startswith("ref-") and focused not in reached:
            reached.append(focused)
        if len(reached) == len(expected):
            break
    assert reached == dom_order
    assert sorted(reached) == sorted(expected)

    page.focus(f"#ref-{FIX}")
    page.keyboard.press("Enter")
    assert note(page, FIX).is_visible()
    assert page.evaluate("document.activeElement.dataset.dzNote") == FIX  # focus moved in
    page.keyboard.press("Escape")
    assert note(page, FIX).is_hidden()
    assert page.evaluate("document.activeElement.id") == f"ref-{FIX}"  # and back
    page.keyboard.press(" ")
    assert note(page, FIX).is_visible()
    assert page.evaluate("window.scrollY") >= 0


def test_permalink_opens_the_page_at_the_annotation(base: str,
                                                    new_page: Callable[..., object]) -> None:
    page = new_page()
    page.goto(base + ARTICLE + "#treaty-article-4")
    n = note(page, "treaty-article-4")
    assert n.is_visible()
    box = n.bounding_box()
    viewport = page.viewport_size
    assert box is not None and 0 <= box["y"] < viewport["height"]


def test_correction_is_visible_and_not_told_by_colour_alone(
        base: str, new_page: Callable[..., object]) -> None:
    page = new_page()
    page.goto(base + ARTICLE)
    mark = page.locator(f'mark[data-dz-for="{FIX}"]')
    assert mark.locator("del").inner_text() == "Kim Jung Un"
    assert mark.locator("ins").inner_text() == "Kim Jong Un"
    assert mark.locator("del").is_visible() and mark.locator("ins").is_visible()
    style = page.evaluate("""() => {
        const del = document.querySelector('mark[data-dz-for="kim-jong-un-spelling"] del');
        const ins = del.nextElementSibling;
        return [getComputedStyle(del).textDecorationLine,
                getComputedStyle(del, '::before').content,
                getComputedStyle(ins, '::before').content];
    }""")
    assert style[0] == "line-through"
    assert "original text" in style[1] and "corrected to" in style[2]
    assert page.get_attribute(f"#ref-{FIX}", "aria-label").startswith("Correction: ")


def search(page: object, words: str) -> list[str]:
    page.click("label.md-search__icon, .md-search__input")  # type: ignore[attr-defined]
    # Material listens for key presses, not for a filled-in value.
    page.locator(".md-search__input").press_sequentially(words, delay=20)  # type: ignore
    page.wait_for_selector(".md-search-result__item", timeout=10_000)  # type: ignore
    return page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")


def test_search_lands_on_an_annotation(base: str, new_page: Callable[..., object]) -> None:
    page = new_page()
    page.goto(base + "index.html")
    hrefs = search(page, "Gerasimov")
    assert any(urlsplit(h).path.endswith(ARTICLE)
               and urlsplit(h).fragment == "north-korea-acknowledges" for h in hrefs), hrefs
    page.click('.md-search-result__item > a[href$="#north-korea-acknowledges"]')
    page.wait_for_load_state()
    assert urlsplit(page.url).fragment == "north-korea-acknowledges"
    assert note(page, "north-korea-acknowledges").is_visible()


def test_search_lands_in_the_article(base: str, new_page: Callable[..., object]) -> None:
    page = new_page()
    page.goto(base + "index.html")
    hrefs = search(page, "insuperable")
    assert hrefs and urlsplit(hrefs[0]).path.endswith(ARTICLE), hrefs
    page.click(".md-search-result__item > a")
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith(ARTICLE)
    assert page.locator("text=insuperable wound").first.is_visible()


def all_pages(built: Built) -> list[str]:
    return sorted(p.relative_to(built.site).as_posix() for p in built.site.rglob("*.html")
                  if p.name != "404.html")


def test_no_request_leaves_the_machine(base: str, new_page: Callable[..., object],
                                       built: Built) -> None:
    page = new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for name in all_pages(built):
        page.goto(base + name)
        page.wait_for_load_state("networkidle")
    local = urlsplit(base)
    foreign = [u for u in requests
               if urlsplit(u).scheme not in ("data", "blob")
               and (urlsplit(u).scheme, urlsplit(u).netloc) != (local.scheme, local.netloc)]
    assert requests and foreign == []


def test_phone_width_has_no_sideways_scrolling(base: str, new_page: Callable[..., object],
                                               built: Built) -> None:
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    for name in all_pages(built):
        page.goto(base + name)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 375px"
    page.goto(base + ARTICLE)
    page.tap(f"#ref-{FIX}")
    assert note(page, FIX).is_visible()
    screenshot(page, "article-mobile-open")


def test_screenshots(server: str, new_page: Callable[..., object]) -> None:
    base = server
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + ARTICLE)
    assert screenshot(page, "article-desktop").stat().st_size > 20_000
    page.click(f"#ref-{FIX}")
    note(page, FIX).scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -260)")
    assert screenshot(page, "article-open-annotation").stat().st_size > 20_000
    dark = new_page(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    dark.goto(base + ARTICLE)
    assert dark.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert screenshot(dark, "article-dark").stat().st_size > 20_000
    mobile = new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    mobile.goto(base + ARTICLE)
    assert screenshot(mobile, "article-mobile").stat().st_size > 10_000


def test_every_article_page_links_to_its_pdfs_and_they_exist(
        base: str, new_page: Callable[..., object], built: Built) -> None:
    page = new_page()
    for article in built.dossier.articles:
        name = f"articles/{article.slug}.html"
        page.goto(base + name)
        hrefs = page.eval_on_selector_all('a[href$=".pdf"]', "els => els.map(e => e.href)")
        assert sorted(h.rsplit("/", 2)[-2:] for h in hrefs) == [
            ["pdf", f"{article.slug}-archival.pdf"], ["pdf", f"{article.slug}.pdf"]], name
        for href in set(hrefs):
            if href.startswith("file:"):
                assert Path(urlsplit(href).path).read_bytes().startswith(b"%PDF-")
            else:
                response = page.request.get(href)
                assert response.ok and response.body().startswith(b"%PDF-")


def test_without_javascript_nothing_is_lost(base: str, new_page: Callable[..., object],
                                            built: Built) -> None:
    page = new_page(java_script_enabled=False)
    for slug in (REAL_SLUG, FAKE_SLUG):
        page.goto(base + f"articles/{slug}.html")
        for anchor in built.dossier.anchors_for(slug):
            n = note(page, anchor.annotation.id)
            assert n.is_visible(), anchor.annotation.id
            assert anchor.annotation.title in n.inner_text()
        text = page.locator(".dz-article").inner_text()
        assert "insuperable wound" in text or slug == FAKE_SLUG
