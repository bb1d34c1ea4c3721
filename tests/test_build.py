"""A real build of the site: the HTML and search index readers actually get."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FAKE_SLUG, REAL_SLUG, Built
from dossier.pipeline import build, check
from dossier.problems import DossierError
from dossier.project import Project
from htmltext import between
from test_searchindex import indexed_docs


def search_docs(built: Built) -> list[dict[str, str]]:
    """Every page and section the search index holds, with its location and whole text."""
    return indexed_docs(built.site)


def test_correction_shows_original_struck_and_correction_inserted(built: Built) -> None:
    page = built.page(f"articles/{REAL_SLUG}.html")
    assert "<del>Kim Jung Un</del><ins>Kim Jong Un</ins>" in page
    # The article's own later, correct spelling is left alone.
    assert "signed by Putin and Kim Jong Un last June" in page


def test_every_annotation_has_a_marker_and_a_note_in_place(built: Built) -> None:
    for article in built.dossier.articles:
        page = built.page(f"articles/{article.slug}.html")
        for anchor in built.dossier.anchors_for(article.slug):
            a = anchor.annotation
            marker = f'href="#{a.id}" id="ref-{a.id}"'
            assert page.count(marker) == 1, a.id
            note = between(page, f'data-dz-note="{a.id}"', "</aside>")
            assert f'<h2 class="dz-note__title" id="{a.id}">' in note
            for source in a.sources:
                assert source.url.replace("&", "&amp;") in note
            # The note follows the paragraph that holds its marker.
            paragraph_end = page.index("</p>", page.index(marker))
            assert page.index(f'data-dz-note="{a.id}"') > paragraph_end


def test_kinds_are_labelled_in_words(built: Built) -> None:
    page = built.page(f"articles/{FAKE_SLUG}.html")
    for label in ("Correction", "Context", "Update", "Source"):
        assert f'data-dz-label="{label}" aria-label="{label}: ' in page
    # A claim's marker shows its rating; its name says the kind and the rating.
    assert 'data-dz-label="Accurate" aria-label="Claim check, Accurate: ' in page


@pytest.mark.parametrize(("word", "slug", "note_id"), [
    ("Gerasimov", REAL_SLUG, "north-korea-acknowledges"),
    ("zanzibarquux", FAKE_SLUG, "budget-figure"),
])
def test_search_finds_annotation_text_and_lands_on_it(built: Built, word: str, slug: str,
                                                      note_id: str) -> None:
    article = (built.project.seeds / f"{slug}.txt").read_text("utf-8")
    assert word not in article
    hits = [d["location"] for d in search_docs(built) if word in d["text"]]
    assert hits == [f"articles/{slug}.html#{note_id}"]


def test_search_finds_article_text_on_the_article(built: Built) -> None:
    hits = [d for d in search_docs(built) if "insuperable wound" in d["text"]]
    assert [d["location"] for d in hits] == [f"articles/{REAL_SLUG}.html"]


def test_offline_search_index_is_a_script(built: Built) -> None:
    script = (built.site / "search" / "search_index.js").read_text("utf-8")
    assert script.startswith("var __index = ")
    assert all(p.read_text("utf-8").startswith("__dzSearch.")
               for p in (built.site / "search" / "dz").rglob("*.js"))


class _Resources(HTMLParser):
    """Everything a page would load: scripts, styles, fonts, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in {"script", "img", "iframe", "source", "audio", "video", "embed", "track"}:
            self.urls += [v for k, v in a.items() if k in {"src", "srcset"} and v]
        if tag == "link" and a.get("rel") not in {"canonical", "alternate"}:
            self.urls += [a["href"]] if a.get("href") else []
        if tag == "object" and a.get("data"):
            self.urls.append(a["data"] or "")
        style = a.get("style") or ""
        self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", style)


def test_no_page_loads_anything_from_another_host(built: Built) -> None:
    pages = sorted(built.site.rglob("*.html"))
    assert len(pages) >= 8
    remote = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
    for page in pages:
        parser = _Resources()
        parser.feed(page.read_text("utf-8"))
        assert parser.urls, page
        offenders = [u for u in parser.urls if remote.match(u)]
        assert offenders == [], f"{page.relative_to(built.site)} loads {offenders}"
    for css in built.site.rglob("*.css"):
        text = css.read_text("utf-8")
        assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text), css
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css


def test_iframe_worker_shim_is_local(built: Built) -> None:
    page = built.page("index.html")
    assert 'src="assets/vendor/iframe-worker/shim.js"' in page
    assert (built.site / "assets/vendor/iframe-worker/shim.js").is_file()
    assert "unpkg.com" not in page


def test_literal_parenthesised_numbers_never_become_markers(built: Built) -> None:
    page = built.page(f"articles/{FAKE_SLUG}.html")
    assert "Council Approves Budget (1) After Long Debate" in page
    assert '"clear mandate"' not in page  # straight quotes are escaped, not lost
    assert "&#34;clear mandate&#34;</mark>" in page and "(2)." in page
    assert "md-annotation" not in page and 'class="annotate' not in page


def test_provenance_box(built: Built) -> None:
    article = built.dossier.article(REAL_SLUG)
    box = between(built.page(f"articles/{REAL_SLUG}.html"), "dz-provenance", "</dl>")
    for expected in ("CBN News", article.url, article.sha256, "Not shown on the page",
                     "24-28 October 2024"):
        assert expected in box


def test_index_pages(built: Built) -> None:
    index = built.page("annotations.html")
    for article in built.dossier.articles:
        count = len(built.dossier.anchors_for(article.slug))
        assert f'<a href="articles/{article.slug}/annotations.html">' in index
        own = built.page(f"articles/{article.slug}/annotations.html")
        kinds = {x.annotation.kind for x in built.dossier.anchors_for(article.slug)}
        for kind in kinds:
            assert f'<h2 id="{kind}">' in own
        assert own.count('class="dz-index__item"') == count
        for x in built.dossier.anchors_for(article.slug):
            assert f'href="../{article.slug}.html#{x.annotation.id}"' in own
        log = built.page(f"articles/{article.slug}/corrections.html")
        fixes = [x for x in built.dossier.anchors_for(article.slug)
                 if x.annotation.kind == "correction"]
        assert log.count('class="dz-correction-entry"') == len(fixes)
        if fixes:
            assert f'href="articles/{article.slug}/corrections.html"' in built.page(
                "corrections.html")
    fixes = [a for a in built.dossier.annotations if a.kind == "correction"]
    assert len(fixes) >= 2
    sources = "".join(built.paged("sources"))
    urls = {s.url for a in built.dossier.annotations for s in a.sources}
    assert sources.count('class="dz-bibliography__item"') == len(urls)
    for url in urls:
        assert sources.count(f'<span class="dz-url">{url.replace("&", "&amp;")}</span>') == 1


def test_every_page_is_in_the_navigation(built: Built) -> None:
    page = built.page("index.html")
    for target in ("articles/index.html", f"articles/{REAL_SLUG}.html",
                   f"articles/{FAKE_SLUG}.html", "annotations.html", "corrections.html",
                   "sources.html", "method.html"):
        assert f'href="{target}"' in page, target


def site_snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_failed_build_leaves_the_previous_site_alone(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False)
    build(project)
    before = site_snapshot(project.build / "site")
    broken = project.annotations / FAKE_SLUG / "mayor-role.yml"
    broken.write_text(broken.read_text().replace("said Mayor Jon Smyth", "said Mayor Bob"))
    (project.annotations / FAKE_SLUG / "zz-bad.yml").write_text("kind: [\n")
    with pytest.raises(DossierError) as failure:
        build(project)
    assert {p.path for p in failure.value.problems} == {
        f"annotations/{FAKE_SLUG}/mayor-role.yml", f"annotations/{FAKE_SLUG}/zz-bad.yml"}
    assert site_snapshot(project.build / "site") == before
    assert sorted(p.name for p in project.build.iterdir() if p.name.startswith(".")) == [
        ".cache", ".lock"]  # the caches of check results and PDFs, and the build lock


def test_a_site_generator_failure_also_leaves_the_site_alone(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False)
    build(project)
    before = site_snapshot(project.build / "site")
    project.config.write_text(project.config.read_text() + "\nnot_a_setting: 1\n")
    with pytest.raises(DossierError) as failure:
        build(project)
    assert "not_a_setting" in failure.value.problems[0].message
    assert site_snapshot(project.build / "site") == before


def test_an_edited_article_stops_the_build(make_project: Callable[..., Project]) -> None:
    project = make_project(real=False)
    text = project.seeds / f"{FAKE_SLUG}.txt"
    text.write_text(text.read_text().replace("$12 million", "$13 million"))
    _dossier, problems = check(project)
    assert [p.format() for p in problems] == [
        f"seeds/{FAKE_SLUG}.yml:9:9: error: seeds/{FAKE_SLUG}.txt does not match its "
        "recorded SHA-256: the article text has changed\n"
        "  help: the article must stay exactly as received: restore it with 'git checkout -- "
        f"seeds/{FAKE_SLUG}.txt'. If a new version was really published, record it as a new "
        "article, or set sha256: "
        "539e7850b93291d5de1764bf31f0c043e773782fe83bda7bf26a13458b2f8a79 and review every "
        "annotation"]


def test_edit_and_suggest_links_point_at_the_right_files(built: Built) -> None:
    from urllib.parse import parse_qs, urlsplit

    from dossier.config import load_settings

    settings = load_settings(built.project)
    assert settings.repository and settings.repository.startswith("https://github.com/")
    for article in built.dossier.articles:
        page = built.page(f"articles/{article.slug}.html")
        for a in built.dossier.annotations_for(article.slug):
            note = between(page, f'data-dz-note="{a.id}"', "</aside>")
            assert (f'href="{settings.repository}/edit/main/annotations/{article.slug}/'
                    f'{a.id}.yml"') in note
        link = re.search(r'href="([^"]*/new/main/annotations/[^"]*)"[^>]*>Suggest an '
                         r"annotation", page)
        assert link, article.slug
        url = urlsplit(link.group(1).replace("&amp;", "&"))
        assert url.path.endswith(f"/new/main/annotations/{article.slug}")
        query = parse_qs(url.query)
        assert query["filename"] == ["new-annotation.yml"]
        assert query["value"][0].startswith("# yaml-language-server: $schema=")
        assert "kind: context" in query["value"][0]


def test_byline_comes_from_git_history(make_project: Callable[..., Project]) -> None:
    import subprocess

    project = make_project(real=False)
    env = {"GIT_AUTHOR_NAME": "Ana Ruiz", "GIT_AUTHOR_EMAIL": "ana@example.org",
           "GIT_COMMITTER_NAME": "Ana Ruiz", "GIT_COMMITTER_EMAIL": "ana@example.org",
           "GIT_AUTHOR_DATE": "2024-03-07T12:00:00Z", "GIT_COMMITTER_DATE":
           "2024-03-07T12:00:00Z", "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", *args], cwd=project.root, env=env, check=True)
    build(project, pdf=False)
    page = (project.build / "site" / "articles" / f"{FAKE_SLUG}.html").read_text()
    assert "Written by Ana Ruiz · last changed 7 March 2024" in page


def test_article_page_stays_under_300_kb_gzipped(built: Built) -> None:
    """The reader's first visit: the page with the dossier's own CSS and script."""
    import gzip

    files = [built.site / "articles" / f"{a.slug}.html" for a in built.dossier.articles]
    assets = [built.site / "assets" / "dossier.css", built.site / "assets" / "dossier.js"]
    for page in files:
        wire = sum(len(gzip.compress(p.read_bytes())) for p in [page, *assets])
        assert wire < 300 * 1024, f"{page.name}: {wire / 1024:.0f} KB gzipped"
