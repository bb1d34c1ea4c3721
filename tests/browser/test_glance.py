"""The reader's verdict at a glance, in Chromium: ratings on markers, the summary,
notes in the margin, filters (issue 15).

Every test runs over HTTP and from file://, against the real built site; the
expected numbers come from the annotation files in the project's tree, not
from the code that renders them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from browser.conftest import screenshot
from browser.test_accessibility import summary as axe_summary
from browser.test_accessibility import violations
from conftest import FAKE_SLUG, REAL_SLUG, Built
from dossier.dates import human
from dossier.kinds import KIND_LOOKS, RATING_LOOKS

ARTICLE = f"articles/{REAL_SLUG}.html"
WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 740}
# Two notes in the first paragraph, one further down (in the real article).
FIRST, SECOND, LATER = "kim-jong-un-spelling", "troop-number", "treaty-article-4"


def files(built: Built, slug: str) -> list[dict[str, object]]:
    """The annotation files as written, read without the dossier's own loader."""
    folder = built.project.annotations / slug
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yml"))]


def label_of(page: object, selector: str) -> str:
    """The word a marker shows (drawn by CSS from data-dz-label)."""
    content: str = page.evaluate(  # type: ignore[attr-defined]
        "s => getComputedStyle(document.querySelector(s), '::after').content", selector)
    return content.strip('"')


def box(page: object, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()  # type: ignore[attr-defined]
    assert found is not None, f"{selector} has no box"
    return found  # type: ignore[no-any-return]


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def shown(page: object) -> dict[str, bool]:
    """Marker id -> highlighted (not dimmed by a filter)."""
    return dict(page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".dz-article a.dz-marker",
        "els => els.map(e => [e.id.slice(4), !e.classList.contains('dz-off')])"))


@pytest.mark.parametrize("slug", [REAL_SLUG, FAKE_SLUG])
def test_every_claim_marker_shows_its_rating_word(base: str, new_page: Callable[..., object],
                                                 built: Built, slug: str) -> None:
    page = new_page()
    page.goto(base + f"articles/{slug}.html")
    claims = 0
    for data in files(built, slug):
        a = next(x.annotation for x in built.dossier.anchors_for(slug)
                 if x.annotation.title == data["title"])
        marker = f"#ref-{a.id}"
        name = page.get_attribute(marker, "aria-label")
        if data["kind"] == "claim":
            claims += 1
            word = RATING_LOOKS[str(data["rating"])].label
            assert label_of(page, marker) == word, a.id
            assert name == f"Claim check, {word}: {data['title']}"
            rating_class = f"dz-marker--{data['rating']}"
            assert rating_class in (page.get_attribute(marker, "class") or "")
        else:
            word = KIND_LOOKS[str(data["kind"])].label
            assert label_of(page, marker) == word, a.id
            assert name == f"{word}: {data['title']}"
    assert claims


def summary_numbers(page: object) -> dict[str, str]:
    return dict(page.evaluate("""() => {
        const s = document.querySelector('.dz-summary');
        const t = sel => (s.querySelector(sel) || {innerText: ''}).innerText;
        const out = {corrections: t('.dz-summary__corrections'),
                     claims: t('.dz-summary__claims > a, .dz-summary__claims'),
                     updates: t('.dz-summary__updates'), more: t('.dz-summary__more')};
        s.querySelectorAll('[data-dz-rating]').forEach(
            li => { out[li.dataset.dzRating] = li.innerText; });
        return out;
    }"""))  # type: ignore[attr-defined]


def first_number(text: str) -> int:
    found = re.search(r"\d+", text)
    assert found, text
    return int(found.group())


@pytest.mark.parametrize("slug", [REAL_SLUG, FAKE_SLUG])
def test_summary_numbers_equal_the_annotations_in_the_tree(
        base: str, new_page: Callable[..., object], built: Built, slug: str) -> None:
    data = files(built, slug)
    kinds = Counter(str(d["kind"]) for d in data)
    ratings = Counter(str(d["rating"]) for d in data if d["kind"] == "claim")
    latest = max(str(d["date"]) for d in data if d["kind"] == "update")
    page = new_page()
    page.goto(base + f"articles/{slug}.html")
    numbers = summary_numbers(page)
    assert first_number(numbers["corrections"]) == kinds["correction"]
    assert first_number(numbers["claims"]) == kinds["claim"]
    assert first_number(numbers["updates"]) == kinds["update"]
    context, sources = (int(n) for n in re.findall(r"\d+", numbers["more"]))
    assert (context, sources) == (kinds["context"], kinds["source"])
    assert {r: first_number(numbers[r]) for r in ratings} == dict(ratings)
    assert sum(first_number(numbers[r]) for r in RATING_LOOKS if r in numbers) == kinds["claim"]
    assert human(latest) in numbers["updates"]
    # The bar's segments: one per rating, widths in proportion to the counts.
    widths = dict(page.eval_on_selector_all(
        ".dz-summary .dz-bar__segment",
        "els => els.map(e => [e.getAttribute('class').match(/dz-fill--([a-z-]+)/)[1],"
        " e.getBoundingClientRect().width])"))
    assert set(widths) == set(ratings)
    total = sum(widths.values())
    for rating, count in ratings.items():
        assert abs(widths[rating] / total - count / kinds["claim"]) < 0.03
    # The provenance is folded, and complete in the page (closed, not missing).
    assert page.locator("details.dz-provenance").get_attribute("open") is None
    assert page.locator("details.dz-provenance dl dt").count() >= 6


def test_summary_is_under_the_headline_without_javascript(
        base: str, new_page: Callable[..., object]) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(base + ARTICLE)
    order = page.eval_on_selector_all(
        ".dz-article > *",
        "els => els.map(e => (e.getAttribute('class') || e.tagName).split(' ')[0])")
    assert order.index("dz-headline") < order.index("dz-summary") < order.index("admonition")
    assert page.locator(".dz-filters").is_hidden()  # the toggles need the script
    page.locator("details.dz-provenance > summary").click()
    assert page.locator("details.dz-provenance dl").is_visible()


def test_at_1440_an_open_note_sits_in_the_margin_level_with_its_marker(
        base: str, new_page: Callable[..., object], built: Built) -> None:
    # The last annotation in the text: far enough below the first paragraph's notes.
    last = built.dossier.anchors_for(REAL_SLUG)[-1].annotation.id
    page = new_page(viewport=WIDE)
    page.goto(base + ARTICLE)
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.dz-paragraph')).lineHeight)")
    column = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '.dz-article > p, .dz-article > h1, .dz-article > section, .dz-article > details')]
        .map(e => e.getBoundingClientRect().right))""")
    texts = page.eval_on_selector_all(
        ".dz-article > p, .dz-article > h1",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.x, y: r.y + scrollY, width: r.width, height: r.height}; })")
    for id in (FIRST, SECOND, last):
        page.click(f"#ref-{id}")
    boxes = {}
    for id in (FIRST, SECOND, last):
        note = f'[data-dz-note="{id}"]'
        assert page.locator(note).is_visible()
        b = page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
            return {x: r.x, y: r.y + scrollY, width: r.width, height: r.height}; }""", note)
        boxes[id] = b
        assert b["x"] >= column, f"{id} is not right of the text column"
        assert b["x"] + b["width"] <= WIDE["width"], f"{id} runs off the screen"
        assert b["width"] >= 200
        for t in texts:
            assert not overlap(b, t), f"{id} covers the text"
    markers = {id: page.evaluate(
        "s => document.querySelector(s).getBoundingClientRect().top + scrollY", f"#ref-{id}")
        for id in (FIRST, SECOND, last)}
    # The first in reading order, and the one further down, sit level with their markers;
    # the second of the first paragraph is stacked below the first, never over it.
    top_first = min((FIRST, SECOND), key=lambda i: markers[i])
    for id in (top_first, last):
        assert abs(boxes[id]["y"] - markers[id]) <= line, (id, boxes[id], markers[id])
    ids = list(boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            assert not overlap(boxes[a], boxes[b]), f"{a} and {b} overlap"
    # Escape closes the focused note and returns to its marker; the others stay.
    page.click(f"#ref-{last}")  # closes it
    assert page.locator(f'[data-dz-note="{last}"]').is_hidden()
    page.focus(f"#ref-{last}")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.dzNote") == last
    page.keyboard.press("Escape")
    assert page.locator(f'[data-dz-note="{last}"]').is_hidden()
    assert page.evaluate("document.activeElement.id") == f"ref-{last}"
    assert page.locator(f'[data-dz-note="{FIRST}"]').is_visible()
    page.click(f"#ref-{FIRST}")  # closes it: one claim note open for the picture
    page.evaluate("y => window.scrollTo(0, y - 330)", markers[SECOND])
    screenshot(page, "article-1440-margin-note")


def test_permalink_opens_a_margin_note_at_1440(base: str,
                                               new_page: Callable[..., object]) -> None:
    page = new_page(viewport=WIDE)
    page.goto(base + ARTICLE + f"#{LATER}")
    note = page.locator(f'[data-dz-note="{LATER}"]')
    assert note.is_visible() and "dz-note--margin" in (note.get_attribute("class") or "")
    b = note.bounding_box()
    assert b is not None and 0 <= b["y"] < WIDE["height"]


def test_at_375_notes_open_inline_without_sideways_scrolling(
        base: str, new_page: Callable[..., object]) -> None:
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(base + ARTICLE)
    page.tap(f"#ref-{SECOND}")
    note = f'[data-dz-note="{SECOND}"]'
    assert page.locator(note).is_visible()
    assert "dz-note--margin" not in (page.get_attribute(note, "class") or "")
    n, p = box(page, note), box(page, ".dz-article > p.dz-paragraph")
    assert abs(n["x"] - p["x"]) < 2 and n["width"] <= p["width"] + 1  # in the column
    assert n["y"] > box(page, f"#ref-{SECOND}")["y"]  # after its paragraph
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.evaluate("s => window.scrollTo(0, document.querySelector(s)"
                  ".getBoundingClientRect().top + scrollY - 240)", f"#ref-{SECOND}")
    screenshot(page, "article-375-note-open")
    page.goto(base + "articles/index.html")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert page.locator(".dz-articles-table").is_visible()


def test_filters_dim_the_right_markers_and_survive_reload_and_sharing(
        base: str, new_page: Callable[..., object], built: Built) -> None:
    key = {a.annotation.id: ("corrections" if a.annotation.kind == "correction" else
                             a.annotation.rating if a.annotation.kind == "claim" else
                             {"context": "context", "source": "sources",
                              "update": "updates"}[a.annotation.kind])
           for a in built.dossier.anchors_for(REAL_SLUG)}
    page = new_page()
    page.goto(base + ARTICLE)
    assert all(shown(page).values())
    assert page.locator(".dz-filters").is_visible()
    # A count in the summary: only the updates.
    page.locator(".dz-summary__updates a").click()
    assert parse_qs(urlsplit(page.url).query)["show"] == ["updates"]
    assert shown(page) == {id: k == "updates" for id, k in key.items()}
    highlighted = page.eval_on_selector_all(
        ".dz-article mark.dz-span:not(.dz-off)", "els => els.map(e => e.dataset.dzFor)")
    assert sorted(highlighted) == sorted(id for id, k in key.items() if k == "updates")
    # A toggle adds the corrections.
    page.locator(".dz-filters").evaluate("d => { d.open = true; }")
    page.check(".dz-filters input[value='corrections']")
    assert parse_qs(urlsplit(page.url).query)["show"] == ["corrections,updates"]
    expected = {id: k in ("corrections", "updates") for id, k in key.items()}
    assert shown(page) == expected
    page.reload()
    assert shown(page) == expected
    assert page.is_checked(".dz-filters input[value='corrections']")
    assert not page.is_checked(".dz-filters input[value='accurate']")
    # The shared link, with a permalink's fragment, in another browser.
    shared = page.url.split("#")[0] + f"#{FIRST}"
    other = new_page()
    other.goto(shared)
    assert shown(other) == expected
    assert other.locator(f'[data-dz-note="{FIRST}"]').is_visible()
    assert urlsplit(other.url).fragment == FIRST
    other.check(".dz-filters input[value='inaccurate']")
    assert urlsplit(other.url).fragment == FIRST  # the fragment stays for the permalink
    # "claims" stands for every rating; "Show all" drops the parameter.
    other.goto(base + ARTICLE + "?show=claims")
    assert shown(other) == {id: k in RATING_LOOKS for id, k in key.items()}
    claims = sum(1 for k in key.values() if k in RATING_LOOKS)
    assert other.locator(".dz-filters__status").inner_text() == (
        f"Highlighting {claims} of {len(key)} annotations.")
    other.click(".dz-filters__all")
    assert "show" not in parse_qs(urlsplit(other.url).query)
    assert all(shown(other).values())
    # The index's counts open the article filtered.
    other.goto(base + "articles/index.html")
    other.click(f'a[href="{REAL_SLUG}.html?show=corrections"]')
    other.wait_for_load_state()
    assert shown(other) == {id: k == "corrections" for id, k in key.items()}


def test_index_counts_match_the_tree(base: str, new_page: Callable[..., object],
                                     built: Built) -> None:
    page = new_page()
    page.goto(base + "articles/index.html")
    for slug in (REAL_SLUG, FAKE_SLUG):
        kinds = Counter(str(d["kind"]) for d in files(built, slug))
        row = page.locator(f'tr:has(a[href="{slug}.html"])')
        cells = dict(row.locator("td[data-label]").evaluate_all(
            "els => els.map(e => [e.dataset.label, e.innerText])"))
        assert first_number(cells["Corrections"]) == kinds["correction"]
        assert first_number(cells["Claims checked"]) == kinds["claim"]
        assert first_number(cells["Context"]) == kinds["context"]
        assert first_number(cells["Sources"]) == kinds["source"]
        assert first_number(cells["Updates"]) == kinds["update"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_filters_on_and_notes_open(base: str, new_page: Callable[..., object],
                                            scheme: str) -> None:
    for viewport in (WIDE, PHONE):
        page = new_page(color_scheme=scheme, viewport=viewport)
        page.goto(base + ARTICLE + "?show=corrections,inaccurate,updates")
        page.locator(".dz-filters").evaluate("d => { d.open = true; }")
        for id in (FIRST, SECOND, LATER):
            page.click(f"#ref-{id}")
        page.locator("details.dz-provenance").evaluate("d => { d.open = true; }")
        found = violations(page)
        assert found == [], f"{viewport['width']}px ({scheme}):\n{axe_summary(found)}"
