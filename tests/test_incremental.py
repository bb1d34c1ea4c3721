"""Incremental site builds: only what changed is written, and the result is a clean build's.

An edited annotation changes its article's page and the files that show it;
every other page keeps its bytes and its file on disk (the same inode: it was
not rewritten), and the whole site, search index and sitemap included, is
byte for byte what a build from nothing gives.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from conftest import FAKE_SLUG, REAL_SLUG
from dossier.pipeline import build
from dossier.project import Project
from dossier.serve import rebuild

ARTICLE = f"articles/{FAKE_SLUG}.html"


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino
            for p in sorted(site.rglob("*")) if p.is_file()}


def edit(project: Project, name: str, old: str, new: str) -> None:
    path = project.annotations / FAKE_SLUG / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def clean_build(project: Project, folder: str, *, pdf: bool = True) -> dict[str, bytes]:
    """The same inputs built from nothing (a new output folder has no last build)."""
    _dossier, _problems, site = build(project, project.build / folder, pdf=pdf)
    return snapshot(site)


def test_an_edited_annotation_rebuilds_its_dependents_only(
        make_project: Callable[..., Project]) -> None:
    project = make_project()
    first: list[str] = []
    _d, _p, site = build(project, written=first)
    assert ARTICLE in first and "index.html" in first  # a first build writes everything
    before, ids = snapshot(site), inodes(site)
    # The context note's title and body: shown on its article's page, its annotations
    # page and the sources pages, and in its W3C collection.
    edit(project, "mayor-role.yml", "The mayor chairs the council",
         "The mayor presides over the council")
    written: list[str] = []
    build(project, written=written)
    after = snapshot(site)
    assert "presides over" in after[ARTICLE].decode()
    changed = {name for name in after if after[name] != before.get(name)}
    pages = {name for name in written if name.endswith(".html")}
    assert ARTICLE in pages and f"articles/{FAKE_SLUG}/annotations.html" in pages
    assert f"articles/{FAKE_SLUG}.annotations.jsonld" in written
    # Nothing of the other article, and no hand-written page, was written.
    assert not any(REAL_SLUG in name for name in written)
    assert not {"index.html", "method.html", "contributing.html"} & pages
    # What was not written is the same file as before; what was, a new one.
    now = inodes(site)
    for name in after:
        if name in written:
            assert now[name] != ids.get(name), name
        elif not name.startswith(("search/", "assets/", "sitemap")) and name != "404.html":
            assert now[name] == ids[name], f"{name} was rewritten"
    # Every written page changed (or is a whole-site file); every changed page was written.
    assert {n for n in changed if n.endswith(".html") and n != "404.html"} <= pages
    # The whole tree is a clean build's, byte for byte, search index and sitemap included.
    assert after == clean_build(project, "clean")
    assert any(b"presides over" in data for name, data in after.items()
               if name.startswith("search/"))  # the new words are found


def test_nothing_changed_nothing_written(make_project: Callable[..., Project]) -> None:
    project = make_project(real=False)
    build(project)
    written: list[str] = []
    _d, _p, site = build(project, written=written)
    assert written == []
    assert snapshot(site) == clean_build(project, "clean")


def test_a_change_every_page_sees_rebuilds_every_page(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False)
    build(project)
    project.config.write_text(project.config.read_text().replace(
        "site_name: Annotated dossier", "site_name: Riverton checks"))
    written: list[str] = []
    _d, _p, site = build(project, written=written)
    assert {"index.html", ARTICLE, "sources.html"} <= set(written)
    assert "Riverton checks" in (site / "method.html").read_text("utf-8")
    assert snapshot(site) == clean_build(project, "clean")


def test_the_preview_rebuilds_the_saved_annotations_dependents(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False)
    assert "index.html" in rebuild(project)  # the first preview: everything
    preview = project.build / "preview"
    ids = inodes(preview)
    edit(project, "budget-figure.yml", "up from $11.2 million", "up from $11.3 million")
    written = rebuild(project)
    assert ARTICLE in written and "index.html" not in written
    assert "up from $11.3 million" in (preview / ARTICLE).read_text("utf-8")
    assert inodes(preview)["method.html"] == ids["method.html"]
    assert snapshot(preview) == clean_build(project, "clean", pdf=False)
    assert not (preview / "pdf").exists()  # the preview never lays out PDFs
    assert os.listdir(project.build / ".cache" / "site")  # one record per output folder


def test_kept_article_pages_are_the_rendered_ones(make_project: Callable[..., Project]) -> None:
    """Each article's own pages, its W3C collection and the feed come from
    build/.cache/render.pickle while all they read is unchanged: they are then those
    render() and machine_files() give, and a change makes them again."""
    from dossier.formats.feed import FEED_PATH
    from dossier.formats.webannotation import collection_path
    from dossier.pipeline import _render, check, machine_files
    from dossier.render import Context, render

    def fresh(context: Context) -> tuple[dict[str, str], dict[str, bytes]]:
        return render(dossier, context), machine_files(dossier, context)

    project = make_project()
    dossier, _ = check(project)
    context = Context(built="2024-03-09")
    assert _render(project, dossier, context) == fresh(context)
    assert (project.build / ".cache" / "render.pickle").is_file()
    assert _render(project, dossier, context) == fresh(context)  # from the cache
    before = _render(project, dossier, context)[1]
    edit(project, "budget-figure.yml", "up from $11.2 million", "up from $11.3 million")
    dossier, _ = check(project)
    pages, files = _render(project, dossier, context)
    assert (pages, files) == fresh(context)
    assert "up from $11.3 million" in pages[f"articles/{FAKE_SLUG}.md"]
    assert b"up from $11.3 million" in files[collection_path(FAKE_SLUG)]
    assert files[collection_path(FAKE_SLUG)] != before[collection_path(FAKE_SLUG)]
    edit(project, "mayor-name.yml", "council minutes give", "the council's minutes give")
    dossier, _ = check(project)
    pages, files = _render(project, dossier, context)
    assert (pages, files) == fresh(context)
    assert b"the council&#8217;s minutes give" in files[FEED_PATH] \
        or b"the council's minutes give" in files[FEED_PATH]  # a correction's body
    assert files[FEED_PATH] != before[FEED_PATH]
    other = Context(built="2025-01-01")  # a date every article's JSON-LD shows
    assert _render(project, dossier, other) == fresh(other)
