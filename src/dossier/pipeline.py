"""The build as named stages: load, validate, anchor, review, render, site and PDF.

Each stage is a plain function of data (see the modules it calls); this
module only runs them in order and gathers their problems.  A stage that
finds errors does not stop the stages that can still run on the good
files, so one run reports everything.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from . import schema
from .buildinfo import BuildInfo
from .cache import ResultCache, code_version, digest
from .config import load_settings
from .coverage import coverage_problems
from .formats.feed import FEED_PATH, atom
from .formats.webannotation import article_collection, collection_path
from .history import authorship
from .load import annotation_files, load_annotation, load_article, load_articles
from .model import Anchor, Annotation, Article, Dossier
from .parallel import parallel_map
from .problems import DossierError, Problem, has_errors, sort_problems
from .project import Project
from .render import Context, article_inputs, article_pages, dossier_pages, nav
from .review import review
from .shards import Shard, dossier_of, selector
from .site import build_site, write_file
from .sourcing import duplicate_sources, source_problems
from .versions import anchor_versions
from .yamlsafe import load_mapping


def check(project: Project, *, strict: bool = False, cache: bool = True
          ) -> tuple[Dossier, list[Problem]]:
    """Load, validate and anchor; the dossier holds only what passed.

    Reading and validating each file (the slow part) is kept in
    ``build/.cache/`` under a key of everything it read, and done on every
    core for the files that changed; anchoring, coverage and review run
    after, on the results.  ``cache=False`` computes everything afresh (and
    the tests show both give the same problems).
    """
    problems = project.missing_parts()
    if problems:
        return Dossier([], [], {}), problems
    store = ResultCache(project.build / ".cache" / "check.pickle" if cache else None,
                        _check_salt(project, strict))
    articles, found = load_articles(project, functools.partial(_load_article, store))
    problems += found
    files, found = annotation_files(project, articles)
    problems += found
    annotations, found = _load_annotations(project, store, files)
    problems += found
    for annotation in annotations:
        problems += source_problems(annotation)
    problems += duplicate_sources(annotations)
    anchors, version_anchors, found = anchor_versions(articles, annotations)
    problems += found
    for article in articles:
        problems += _coverage(store, article, anchors.get(article.slug, []))
        for anchor in anchors.get(article.slug, []):
            problems += review(article, anchor, strict=strict)
        for version in article.earlier:
            for anchor in version_anchors.get(article.slug, {}).get(version.number, []):
                problems += review(version, anchor, strict=strict)
    store.save()
    return (Dossier(articles, annotations, anchors, version_anchors),
            sort_problems(problems))


def _load_article(store: ResultCache, project: Project, txt: Path
                  ) -> tuple[Article | None, list[Problem]]:
    """``load_article``, from the cache when the text and its provenance are unchanged."""
    meta = txt.with_suffix(".yml")
    meta_bytes = _read_bytes(meta)
    key = store.key("article", project.display(txt), _read_bytes(txt), str(txt.is_symlink()),
                    str(meta.exists()), meta_bytes, str(meta.is_symlink()),
                    *_received(project, meta_bytes))
    hit = store.get(key)
    if hit is None:
        hit = load_article(project, txt)
        store.put(key, hit)
    return hit


def _received(project: Project, meta: bytes) -> tuple[str, bytes]:
    """The received source file the provenance names (its bytes are checked too)."""
    doc, _problems = load_mapping(meta, "")
    source = doc.data.get("source") if doc else None
    name = source.get("file") if isinstance(source, dict) else None
    if not isinstance(name, str):
        return "", b""
    path = project.seeds / name
    return f"{name}:{path.is_file()}:{path.is_symlink()}", _read_bytes(path)


def _load_annotations(project: Project, store: ResultCache, files: list[tuple[Path, str]]
                      ) -> tuple[list[Annotation], list[Problem]]:
    """``load_annotation`` for each file: from the cache, else computed (on every core)."""
    keys = [store.key("annotation", project.display(path), _read_bytes(path),
                      str(path.is_symlink()), slug) for path, slug in files]
    results: dict[str, tuple[Annotation | None, list[Problem]]] = {}
    for key in keys:
        hit = store.get(key)
        if hit is not None:
            results[key] = hit
    missing = [(key, path, slug) for key, (path, slug) in zip(keys, files, strict=True)
               if key not in results]
    computed = parallel_map(_load_one, [(path, slug) for _key, path, slug in missing],
                            shared=project)
    for (key, _path, _slug), result in zip(missing, computed, strict=True):
        results[key] = result
        store.put(key, result)
    annotations: list[Annotation] = []
    problems: list[Problem] = []
    for key in keys:
        annotation, found = results[key]
        problems += found
        if annotation is not None:
            annotations.append(annotation)
    return annotations, problems


def _load_one(project: Project, item: tuple[Path, str]) -> tuple[Annotation | None, list[Problem]]:
    path, slug = item
    return load_annotation(project, path, slug)


def _coverage(store: ResultCache, article: Article, anchors: list[Anchor]) -> list[Problem]:
    """``coverage_problems``, from the cache when the article and the spans are unchanged."""
    key = store.key("coverage", article.path, article.text, article.format,
                    repr(article.coverage), repr([(a.start, a.end) for a in anchors]))
    hit = store.get(key)
    if hit is None:
        hit = coverage_problems(article, anchors)
        store.put(key, hit)
    return hit


def _check_salt(project: Project, strict: bool) -> str:
    return digest(code_version(), _read_bytes(project.config), f"strict={strict}",
                  *(json.dumps(schema.load_schema(name), sort_keys=True)
                    for name in (schema.ANNOTATION_SCHEMA, schema.ARTICLE_SCHEMA)))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _render(project: Project, dossier: Dossier, context: Context) -> dict[str, str]:
    """``render``, with each article's own pages kept in ``build/.cache/render.pickle``
    under a hash of all they read (``article_inputs``) and the code: after one saved
    annotation, only its article's pages and the indexes are rendered again."""
    store = ResultCache(project.build / ".cache" / "render.pickle", code_version())
    pages = dossier_pages(dossier)
    for article in dossier.articles:
        key = store.key("article-pages", *article_inputs(dossier, article, context))
        hit = store.get(key)
        if hit is None:
            hit = article_pages(dossier, article, context)
            store.put(key, hit)
        pages.update(hit)
    store.save()
    return pages


def machine_files(dossier: Dossier, context: Context) -> dict[str, bytes]:
    """What the site publishes for other tools beside its pages: a W3C collection an article,
    and the Atom feed of corrections and updates."""
    def last_commit(a: Annotation) -> str | None:
        who = context.authorship.get(a.path)
        return who.changed if who else None

    files = {FEED_PATH: atom(dossier, context.settings, last_commit, context.built)}
    for article in dossier.articles:
        data = article_collection(article, dossier.anchors_for(article.slug), context.settings)
        files[collection_path(article.slug)] = (
            json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def build(project: Project, out: Path | None = None, *, pdf: bool = True,
          written: list[str] | None = None, shard: Shard | None = None,
          join: list[Path] | None = None) -> tuple[Dossier, list[Problem], Path]:
    """Check, render, and build the site (with its PDF editions); nothing is built on errors.

    Only the pages and files whose inputs changed since the last good build are
    written (``site.py``); their paths in the site are added to ``written``.
    With ``shard``, only that shard's articles' pages and PDFs, into
    ``build/shards/<K>`` by default; with ``join``, the whole site, its
    articles' pages taken from those shards' folders (``shards.py``).

    Each article's PDFs go inside the site (``pdf/<slug>.pdf`` and
    ``pdf/<slug>-archival.pdf``), so its links to them work from any copy of
    the folder; unchanged articles' PDFs come from the cache (``editions.py``).
    """
    dossier, problems = check(project)
    if has_errors(problems):
        raise DossierError(problems)
    info = BuildInfo.of(project.root)
    files: dict[str, bytes] = {}
    if pdf:
        from .editions import article_editions  # WeasyPrint: slow to import

        files = article_editions(project, dossier if shard is None else dossier_of(shard, dossier),
                                 keep_others=shard is not None)
    context = Context(load_settings(project), authorship(project, dossier.annotations),
                      built=info.date.strftime("%Y-%m-%d") if info.date else None)
    only = None
    if shard is not None:
        only = selector(shard, {a.slug for a in dossier.articles})
        out = out or project.build / "shards" / str(shard.number)
    site = build_site(project, _render(project, dossier, context), nav(dossier), out,
                      {**files, **machine_files(dossier, context)}, info.epoch, written,
                      only=only, join=join)
    return dossier, problems, site


def build_pdf(project: Project, out: Path | None = None
              ) -> tuple[Dossier, list[Problem], list[Path]]:
    """Check, then write PDFs alone: with ``out``, the whole dossier's edition (reader's
    at ``out``, archival beside it); without, each article's into ``build/pdf/``."""
    dossier, problems = check(project)
    if has_errors(problems):
        raise DossierError(problems)
    written: list[Path] = []
    if out is not None:
        from .pdf import render_pdf

        editions = render_pdf(dossier, BuildInfo.of(project.root))
        archival = out.with_name(f"{out.stem}-archival{out.suffix}")
        write_file(out, editions.reader)
        write_file(archival, editions.archival)
        return dossier, problems, [out, archival]
    from .editions import article_editions

    for name, data in article_editions(project, dossier).items():
        path = project.build / name
        write_file(path, data)
        written.append(path)
    return dossier, problems, written
