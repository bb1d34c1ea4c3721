"""Each article's own PDF editions: laid out on every core, reused when unchanged.

One PDF for a whole archive took minutes and gigabytes, and one changed
annotation cost all of it again.  Each article's editions (the reader's,
tagged, and the archival PDF/A-3) depend only on that article, its
annotations and the layout code, so they are laid out independently, in
worker processes, and kept in ``build/.cache/pdf/`` under a hash of those
inputs: a build after one saved annotation lays out one article.

For the same reason an article's edition is dated and versioned by its own
content (its newest date, and the hash), not by the commit, so a cached
PDF and a fresh one are the same bytes.  The whole-dossier edition is
``dossier pdf --all``.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib import metadata
from pathlib import Path

from .buildinfo import BuildInfo
from .cache import code_version, digest
from .collector import collector_paused
from .model import Dossier
from .parallel import parallel_map
from .pdf import Editions, print_style, render_pdf
from .project import Project
from .site import write_file

FOLDER = "pdf"  # inside the site
LAYOUT_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2")


def reader_name(slug: str) -> str:
    return f"{FOLDER}/{slug}.pdf"


def archival_name(slug: str) -> str:
    return f"{FOLDER}/{slug}-archival.pdf"


def one_article(dossier: Dossier, slug: str) -> Dossier:
    article = dossier.article(slug)
    return Dossier([article], dossier.annotations_for(slug), {slug: dossier.anchors_for(slug)},
                   {slug: dossier.version_anchors.get(slug, {})})


def edition_key(single: Dossier) -> str:
    """A hash of all an article's edition reads: the article, its anchored notes, the code."""
    article = single.articles[0]
    anchors = [(article.number, a.annotation, a.start, a.end)
               for a in single.anchors_for(article.slug)]
    anchors += [(number, a.annotation, a.start, a.end)  # notes left on an earlier version
                for number, on in sorted(single.version_anchors.get(article.slug, {}).items())
                for a in on]
    # The dataclasses' repr holds every field (and nothing computed on the side).
    return digest("pdf", code_version(), _layout_versions(), repr(article), repr(anchors))


@functools.cache
def _layout_versions() -> str:
    """The versions of the libraries that lay out and write the PDFs: an upgraded
    WeasyPrint may lay out the same article differently, so its cached PDFs are stale."""
    return " ".join(f"{name}={metadata.version(name)}" for name in LAYOUT_LIBRARIES)


def edition_info(single: Dossier, key: str) -> BuildInfo:
    """The edition's own version (its content hash) and date (the newest date in it)."""
    article = single.articles[0]
    found = [article.retrieved]
    for a in single.annotations:
        found += [a.updated or "", a.date or "", *(s.accessed for s in a.sources)]
    days = sorted(d for d in found if len(d) == 10 and d[4] == "-" and d[7] == "-")
    epoch = None
    if days:
        newest = dt.datetime.fromisoformat(days[-1]).replace(tzinfo=dt.UTC)
        epoch = int(newest.timestamp())
    return BuildInfo(f"content {key[:12]}", epoch)


def _size(dossier: Dossier, slug: str) -> int:
    """Roughly how long an article's editions take to lay out: how much text they hold."""
    return len(dossier.article(slug).text) + sum(
        len(a.body) + 300 * len(a.sources) for a in dossier.annotations_for(slug))


def _render(dossier: Dossier, item: tuple[str, str]) -> Editions:
    slug, key = item
    single = one_article(dossier, slug)
    with collector_paused():  # one article's layout: its few cycles collected once, after
        return render_pdf(single, edition_info(single, key))


def article_editions(project: Project, dossier: Dossier, *, cache: bool = True,
                     keep_others: bool = False) -> dict[str, bytes]:
    """Both editions of every article, by their path in the site.

    The cache keeps only what this dossier uses, unless ``keep_others`` (a shard's
    build, given some of the articles, leaves the other shards' editions alone).
    """
    folder = project.build / ".cache" / "pdf"
    keys = {a.slug: edition_key(one_article(dossier, a.slug)) for a in dossier.articles}
    files: dict[str, bytes] = {}
    todo: list[tuple[str, str]] = []
    for slug, key in keys.items():
        kept = _cached(folder, key) if cache else None
        if kept is None:
            todo.append((slug, key))
        else:
            files[reader_name(slug)], files[archival_name(slug)] = kept
    # The largest first, one at a time: both cores stay busy to the end.
    todo.sort(key=lambda item: _size(dossier, item[0]), reverse=True)
    laid_out: list[Editions] = []
    if todo:
        with print_style():  # loaded once, before the workers are forked
            laid_out = parallel_map(_render, todo, dossier, min_items=2, chunk=1)
    for (slug, key), editions in zip(todo, laid_out, strict=True):
        files[reader_name(slug)], files[archival_name(slug)] = editions.reader, editions.archival
        if cache:
            write_file(folder / f"{key}.pdf", editions.reader)
            write_file(folder / f"{key}-archival.pdf", editions.archival)
    if cache and not keep_others and folder.is_dir():  # keep only what this dossier uses
        used = {f"{key}{end}" for key in keys.values() for end in (".pdf", "-archival.pdf")}
        for path in folder.iterdir():
            if path.name not in used:
                path.unlink(missing_ok=True)
    return dict(sorted(files.items()))


def _cached(folder: Path, key: str) -> tuple[bytes, bytes] | None:
    try:
        return ((folder / f"{key}.pdf").read_bytes(),
                (folder / f"{key}-archival.pdf").read_bytes())
    except OSError:
        return None
