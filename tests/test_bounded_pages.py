"""No page grows without bound: a generated archive of 104 articles, built for real.

The lists of a dossier's size (the articles index, the sources, the annotation
and correction indexes) are cut into pages: from 52 to 104 articles they get
more pages, not bigger ones; each article's annotations and corrections have a
page of their own; and every page of the built site stays under 300 KB gzipped
(the issue's bound), the navigation included.
"""

from __future__ import annotations

import dataclasses
import gzip
import re
from pathlib import Path

import pytest

from archive import generate
from dossier.model import Dossier
from dossier.paging import PAGE_SIZE
from dossier.pipeline import build
from dossier.problems import has_errors
from dossier.render import render

LISTS = ["articles/index", "annotations", "corrections", "sources"]
LIMIT = 300 * 1024  # bytes, gzipped
COUNT = 104  # articles: three pages of the articles index (PAGE_SIZE 50)


def first(dossier: Dossier, count: int) -> Dossier:
    """The dossier's first ``count`` articles, as if the archive had only those."""
    articles = dossier.articles[:count]
    slugs = {a.slug for a in articles}
    return dataclasses.replace(
        dossier, articles=articles,
        annotations=[a for a in dossier.annotations if a.article in slugs],
        anchors={s: x for s, x in dossier.anchors.items() if s in slugs},
        version_anchors={s: x for s, x in dossier.version_anchors.items() if s in slugs})


def list_pages(pages: dict[str, str], stem: str) -> dict[str, str]:
    return {name: text for name, text in pages.items()
            if name == f"{stem}.md" or re.fullmatch(rf"{re.escape(stem)}/page-\d+\.md", name)}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dossier, Path]:
    project = generate(tmp_path_factory.mktemp("archive") / "project", COUNT)
    dossier, problems, site = build(project, pdf=False)
    assert not has_errors(problems), problems
    return dossier, site


def test_lists_get_more_pages_not_bigger_ones(archive: tuple[Dossier, Path]) -> None:
    dossier, _site = archive
    small, large = render(first(dossier, COUNT // 2)), render(dossier)
    for stem in LISTS:
        before, after = list_pages(small, stem), list_pages(large, stem)
        if stem != "corrections":  # (only some articles have corrections)
            assert len(after) > len(before) >= 2, stem
        # (Later pages hold other articles, whose rows differ a little in length.)
        biggest = max(len(t) for t in before.values())
        assert max(len(t) for t in after.values()) <= biggest * 1.25, stem
    index = list_pages(large, "articles/index")
    assert sum(t.count('<tr><th scope="row"') for t in index.values()) == COUNT
    assert all(t.count('<tr><th scope="row"') <= PAGE_SIZE for t in index.values())


def test_each_article_has_its_own_annotation_and_correction_pages(
        archive: tuple[Dossier, Path]) -> None:
    dossier, site = archive
    hub = (site / "annotations.html").read_text("utf-8") + "".join(
        p.read_text("utf-8").replace('href="../', 'href="')  # (later pages are one deeper)
        for p in site.glob("annotations/page-*.html"))
    for article in dossier.articles:
        count = len(dossier.anchors_for(article.slug))
        assert hub.count(f'href="articles/{article.slug}/annotations.html">') == 1
        own = (site / "articles" / article.slug / "annotations.html").read_text("utf-8")
        assert own.count('class="dz-index__item"') == count
        assert (site / "articles" / article.slug / "corrections.html").is_file()


def test_every_page_is_under_the_bound(archive: tuple[Dossier, Path]) -> None:
    _dossier, site = archive
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 3 * COUNT
    sizes = {p.relative_to(site).as_posix(): len(gzip.compress(p.read_bytes()))
             for p in pages}
    over = {name: size for name, size in sizes.items() if size > LIMIT}
    assert over == {}
    # The navigation (on every page) no longer lists every article: only the index.
    home = (site / "index.html").read_text("utf-8")
    assert 'href="articles/index.html"' in home
    assert "archive copy 7)" not in home


def test_pager_links_lead_to_every_page(archive: tuple[Dossier, Path]) -> None:
    _dossier, site = archive
    for stem in LISTS:
        later = sorted(site.glob(f"{stem}/page-*.html"))
        first_page = (site / f"{stem}.html").read_text("utf-8")
        name = stem.rsplit("/", 1)[-1]
        assert 'aria-current="page"><span class="dz-visually-hidden">Page </span>1</a>' \
            in first_page, stem
        if later:
            assert f'href="{name}/page-2.html" rel="next"' in first_page, stem
            second = (site / f"{stem}/page-2.html").read_text("utf-8")
            assert f'href="../{name}.html" rel="prev"' in second, stem
            assert f"page 2 of {len(later) + 1}" in second.split("</title>")[0], stem
