"""The build as named stages: load, validate, anchor, review, render, site and PDF.

Each stage is a plain function of data (see the modules it calls); this
module only runs them in order and gathers their problems.  A stage that
finds errors does not stop the stages that can still run on the good
files, so one run reports everything.
"""

from __future__ import annotations

import functools
import json
import pickle
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import schema
from .cache import FileHashes, GroupedResultCache, ResultCache, code_version, digest, entry_key
from .collector import one_item
from .coverage import coverage_problems
from .folders import article_group
from .load import annotation_files, load_annotation, load_article, load_articles
from .model import Anchor, Annotation, Article, Dossier
from .parallel import parallel_map, workers
from .problems import DossierError, Problem, has_errors, sort_problems
from .project import Project
from .review import review
from .shards import Shard, dossier_of, selector
from .sourcing import Cited, cited_sources, duplicate_sources, source_problems
from .versions import anchor_versions
from .yamlsafe import load_mapping

if TYPE_CHECKING:
    from .render import Context

# What only building needs (rendering, MkDocs, the feed, git history) is imported
# where it is used: `dossier check` never needs it, and it was half of check's start-up.


def check(project: Project, *, strict: bool = False, cache: bool = True,
          reads: list[tuple[str, Path]] | None = None, hashes: FileHashes | None = None,
          only: Collection[str] | None = None, cited: dict[str, list[Cited]] | None = None,
          store: ResultCache | None = None) -> tuple[Dossier, list[Problem]]:
    """Load, validate and anchor; the dossier holds only what passed.

    Each stage's result for each file or article is kept in ``build/.cache/check/``
    (a file per article: ``GroupedResultCache``)
    under a key of everything it read; the articles with files not checked
    before go through the stages on every core first (``_prefetch``), and the
    checks that span articles run after, on the results.  ``cache=False``
    computes everything afresh (and the tests show both give the same
    problems).  ``reads`` gets the received
    source files the provenance names (read besides seeds/ and annotations/),
    each with the provenance's path.
    The keys hold each file's content hash, from ``hashes`` (``FileHashes``: a
    file whose stat is unchanged is not read again).

    For ``checkrun.py``, which keeps each article's result: ``only`` checks just
    those articles (``folders.article_group``: their files in seeds/ and their
    folders under annotations/), and leaves out the checks that span articles
    (``folders.py``, and the duplicate sources: ``cited`` gets each annotation's
    citations instead, by its path).  ``store``: the per-file cache to use, which
    the caller then saves (else this run's, saved here).
    """
    problems = project.missing_parts()
    if problems:
        return Dossier([], [], {}), problems
    hashes = hashes or FileHashes(project.build / ".cache" / "files.pickle" if cache else None)
    schema.keep_compiled(project.build / ".cache" if cache else None)
    own = store is None
    if store is None:
        store = GroupedResultCache(project.build / ".cache" / "check" if cache else None,
                                   _check_salt(project, strict, hashes))
    reads = [] if reads is None else reads
    parts = _prefetch(project, store, hashes, strict, only)
    dossier, problems = _stages(project, store, hashes, reads, strict, only, cited)
    store.put_all((key, True) for key in parts)
    if own:
        if cache and hashes.unchanged():  # else a result may come from bytes other than its key's
            store.save()
        hashes.save()
    return dossier, sort_problems(problems)


def _stages(project: Project, store: ResultCache, hashes: FileHashes,
            reads: list[tuple[str, Path]], strict: bool, only: Collection[str] | None = None,
            cited: dict[str, list[Cited]] | None = None) -> tuple[Dossier, list[Problem]]:
    """The stages in order over the whole dossier (or the articles ``only``), each result
    from ``store`` when there."""
    problems: list[Problem] = []
    versions: dict[str, str] = {}  # each article file's key, by its path
    articles, found = load_articles(project, functools.partial(_load_article, store, hashes,
                                                               reads, versions), only=only)
    problems += found
    files, found = annotation_files(project, articles, only=only)
    problems += found
    annotations, found, keys = _load_annotations(project, store, hashes, files)
    problems += found
    for annotation in annotations:
        problems += _sources(store, annotation, keys[annotation.path])
    if only is None:
        problems += _duplicates(store, annotations, keys)
    elif cited is not None:
        cited.update((a.path, cited_sources(a)) for a in annotations)
    anchors, version_anchors, found = _anchor(store, articles, annotations, keys, versions)
    problems += found
    for article in articles:
        problems += _reviewed(store, article, anchors, version_anchors, keys, versions, strict)
    return Dossier(articles, annotations, anchors, version_anchors), problems


def _reviewed(store: ResultCache, article: Article, anchors: dict[str, list[Anchor]],
              version_anchors: dict[str, dict[int, list[Anchor]]], keys: dict[str, str],
              versions: dict[str, str], strict: bool) -> list[Problem]:
    """One article's coverage, and the review of each of its anchors in each version."""
    problems = list(_coverage(store, article, anchors.get(article.slug, []),
                              versions[article.path]))  # (a copy: the entry stays as kept)
    about = _text_key(article)
    for anchor in anchors.get(article.slug, []):
        problems += _review(store, article, anchor, keys[anchor.annotation.path], strict,
                            about)
    for version in article.earlier:
        about = _text_key(version)
        for anchor in version_anchors.get(article.slug, {}).get(version.number, []):
            problems += _review(store, version, anchor, keys[anchor.annotation.path], strict,
                                about)
    return problems


MIN_PARALLEL_ARTICLES = 4  # fewer articles to check than this: one process is quicker


@dataclass
class Apart:
    """One article's part of a check, as ``_stages`` with ``only`` gives it for the article:
    its problems (sorted, as ``check`` returns them), whether it loaded, each loaded annotation's
    citations (``cited``: a list an annotation, in order), and the received source files
    its provenance named."""

    problems: list[Problem] = field(default_factory=list)
    loaded: bool = False
    cited: list[list[Cited]] = field(default_factory=list)
    reads: list[tuple[str, Path]] = field(default_factory=list)


def _article_names(project: Project, only: Collection[str] | None = None
                   ) -> dict[str, list[str]] | None:
    """Each article's text files in ``seeds/`` (a version each), by article, in the order
    ``load_articles`` reads them; listed once for all the articles (a listing per article
    would grow as the square of their number).  None when the folder cannot be read."""
    groups: dict[str, list[str]] = {}
    try:
        for txt in sorted(project.seeds.glob("*.txt")):
            group = article_group(txt.name)
            if not txt.name.endswith(".source.txt") and (  # as load_articles reads them
                    only is None or group in only):
                groups.setdefault(group, []).append(txt.name)
    except OSError:
        return None
    return groups


def _marker(project: Project, store: ResultCache, hashes: FileHashes, slug: str,
            names: list[str]) -> str:
    """The key put once an article's files (``names``, and its annotations) were checked."""
    parts = [part for name in names
             for part in (name, hashes.of(project.seeds / name),
                          hashes.of(project.seeds / f"{name[:-4]}.yml"))]
    parts += [part for path in _listed(project.annotations / slug)
              for part in (path.name, hashes.of(path))]
    return store.key("article-checked", slug, *parts, group=article_group(slug))


def _prefetch(project: Project, store: ResultCache, hashes: FileHashes, strict: bool,
              only: Collection[str] | None = None) -> list[str]:
    """Fill ``store`` with the results of the articles not checked before, on every core.

    An article's files (its versions, its annotations) are checked independently of
    the other articles', so the stages run for each such article in a worker process
    (``_check_article``), which sends back the entries it made; the run over the whole
    dossier that follows (``_stages``) then finds them in the store, and adds what
    spans articles.  Which articles to send, a marker per article says: a key of the
    names and hashes of its files, put when a run has checked them.  The marker only
    decides what runs in parallel: every result still comes from its own key, so a
    wrong guess costs time, never a different answer.  Returns the markers, to put
    once the run is done.
    """
    groups = _article_names(project, only)
    if groups is None:
        return []
    markers: list[str] = []
    todo: list[tuple[str, list[str]]] = []
    for slug, names in groups.items():
        marker = _marker(project, store, hashes, slug, names)
        markers.append(marker)
        if store.get(marker) is None:
            todo.append((slug, names))
    if len(todo) >= MIN_PARALLEL_ARTICLES and workers() >= 2:  # (one core: the run does it)
        for _apart, made in parallel_map(_check_article, todo,
                                         shared=(project, store, hashes, strict),
                                         min_items=MIN_PARALLEL_ARTICLES, chunk=1):
            store.add_made(made)
    return markers


def check_apart(project: Project, slugs: Collection[str], store: ResultCache,
                hashes: FileHashes, *, strict: bool = False) -> dict[str, Apart] | None:
    """Each of these articles' part of the check, each article's stages run on their own,
    on every core: what ``check(only=slugs, cited=...)`` gives, split by article, without
    running the stages over all of them again in this process (the whole run's
    ``_prefetch`` and ``_stages``) to put the parts together.  ``checkrun.py`` keeps
    each article's part, and adds the checks that span articles.

    None when an article's text loads under another article's name (then the parts
    could not be told apart; the caller runs ``check``).  The store gets every entry
    made, and the markers ``_prefetch`` looks for; the caller saves it.
    """
    schema.keep_compiled(project.build / ".cache")
    groups = _article_names(project, slugs)
    if groups is None:
        return None
    todo = [(slug, groups.get(slug, [])) for slug in slugs]
    shared = (project, store, hashes, strict)
    if len(todo) >= MIN_PARALLEL_ARTICLES and workers() >= 2:
        made = parallel_map(_check_article_apart, todo, shared=shared,
                            min_items=MIN_PARALLEL_ARTICLES, chunk=1)
    else:  # (in this process: the entries, its marker too, are put in the store itself)
        made = []
        for slug, names in todo:
            with one_item():
                apart = _article_part(shared, (slug, names))
            if apart is not None:
                store.put(_marker(project, store, hashes, slug, names), True)
            made.append((apart, []))
    parts: dict[str, Apart] = {}
    for (slug, _names), (apart, entries) in zip(todo, made, strict=True):
        if apart is None:
            return None
        store.keep_made(entries)  # (the next build's check reads them: nothing asks here)
        parts[slug] = apart
    return parts


def _check_article_apart(shared: tuple[Project, ResultCache, FileHashes, bool],
                         item: tuple[str, list[str]]
                         ) -> tuple[Apart | None, list[tuple[str, bytes]]]:
    """In a worker: ``_check_article``, with the article's marker (``_prefetch`` looks for
    it) among the entries: made here, on every core, rather than after them all in the
    parent, where it was a fiftieth of a cold check."""
    apart, entries = _check_article(shared, item)
    if apart is not None:
        project, store, hashes, _strict = shared
        entries.append((_marker(project, store, hashes, *item),
                        pickle.dumps(True, protocol=pickle.HIGHEST_PROTOCOL)))
    return apart, entries


def _listed(folder: Path) -> list[Path]:
    """An article's annotation files, as ``annotation_files`` lists them."""
    try:
        return [] if folder.is_symlink() else sorted(folder.iterdir())
    except OSError:
        return []


def _check_article(shared: tuple[Project, ResultCache, FileHashes, bool],
                   item: tuple[str, list[str]]) -> tuple[Apart | None, list[tuple[str, bytes]]]:
    """In a worker: ``_article_part``, and the store's entries it made (for the parent's
    store: a worker's own is a copy)."""
    store = shared[1]
    start = store.puts()
    with one_item():  # (the collector kept off what was there before: a tenth of the CPU)
        return _article_part(shared, item), store.made_since(start)


def _article_part(shared: tuple[Project, ResultCache, FileHashes, bool],
                  item: tuple[str, list[str]]) -> Apart | None:
    """The stages for one article (its text files named in ``item``), as ``_stages`` with
    ``only`` runs them for it, and its part of the result (None when a text loaded as
    another article); every result from the store when there, else put in it."""
    project, store, hashes, strict = shared
    slug, names = item
    apart = Apart()
    versions: dict[str, str] = {}
    loaded: list[Article] = []
    for name in names:  # load_articles
        article, found = _load_article(store, hashes, apart.reads, versions, project,
                                       project.seeds / name)
        apart.problems += found
        if article is not None:
            loaded.append(article)
    if any(article.slug != slug for article in loaded):
        return None
    seen = sorted(loaded, key=lambda v: v.number)
    if seen:
        apart.loaded = True
        article = replace(seen[-1], earlier=tuple(seen[:-1]))
        files = [(path, slug) for path in _listed(project.annotations / slug)]
        annotations, found, keys = _load_annotations(project, store, hashes, files)
        apart.problems += found
        for annotation in annotations:
            apart.problems += _sources(store, annotation, keys[annotation.path])
        apart.cited = [cited_sources(a) for a in annotations]
        anchors, version_anchors, found = _anchor(store, [article], annotations, keys,
                                                  versions)
        apart.problems += found
        apart.problems += _reviewed(store, article, anchors, version_anchors, keys, versions,
                                    strict)
    apart.problems = sort_problems(apart.problems)  # (as ``check`` returns them)
    return apart


def _load_article(store: ResultCache, hashes: FileHashes, reads: list[tuple[str, Path]],
                  versions: dict[str, str], project: Project, txt: Path
                  ) -> tuple[Article | None, list[Problem]]:
    """``load_article``, from the cache when the text and its provenance are unchanged
    (its key, all it was made from, goes into ``versions``)."""
    meta = txt.with_suffix(".yml")
    meta_hash = hashes.of(meta)
    key = store.key("article", project.display(txt), hashes.of(txt), str(txt.is_symlink()),
                    str(meta.exists()), meta_hash, str(meta.is_symlink()),
                    *_received(store, hashes, project, meta, meta_hash, reads),
                    group=article_group(txt.name))
    versions[project.display(txt)] = key
    hit = store.get(key)
    if hit is None:
        hit = load_article(project, txt)
        store.put(key, hit)
    return hit


def _received(store: ResultCache, hashes: FileHashes, project: Project, meta: Path,
              meta_hash: str, reads: list[tuple[str, Path]]) -> tuple[str, str]:
    """The received source file the provenance names (its bytes are checked too).

    Which file that is depends only on the provenance's bytes: kept under their
    hash, so that a warm run does not parse every provenance file again.
    """
    key = store.key("received", meta_hash, group=article_group(meta.name))
    name: str | None = store.get(key)
    if name is None:
        doc, _problems = load_mapping(_read_bytes(meta), "")
        source = doc.data.get("source") if doc else None
        found = source.get("file") if isinstance(source, dict) else None
        name = found if isinstance(found, str) else ""
        store.put(key, name)
    if not name:
        return "", ""
    path = project.seeds / name
    reads.append((project.display(meta), path))
    return f"{name}:{path.is_file()}:{path.is_symlink()}", hashes.of(path)


def _load_annotations(project: Project, store: ResultCache, hashes: FileHashes,
                      files: list[tuple[Path, str]]
                      ) -> tuple[list[Annotation], list[Problem], dict[str, str]]:
    """``load_annotation`` for each file: from the cache, else computed (on every core).

    Also returns each loaded annotation's key (by its path): everything it was
    made from, which the later per-file stages' keys start from.
    """
    keys = [store.key("annotation", project.display(path), hashes.of(path),
                      str(path.is_symlink()), slug, group=slug) for path, slug in files]
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
    made_from: dict[str, str] = {}
    for key in keys:
        annotation, found = results[key]
        problems += found
        if annotation is not None:
            annotations.append(annotation)
            made_from[annotation.path] = key
    return annotations, problems, made_from


def _load_one(project: Project, item: tuple[Path, str]) -> tuple[Annotation | None, list[Problem]]:
    path, slug = item
    return load_annotation(project, path, slug)


def _sources(store: ResultCache, annotation: Annotation, made_from: str) -> list[Problem]:
    """``source_problems`` of one file, from the cache when the file is unchanged.

    (Each problem's line and column come from the file's text, which a cached
    annotation parses again only when asked: so the answers are kept too.)
    """
    key = store.key("sources", made_from, group=annotation.article)
    hit = store.get(key)
    if hit is None:
        hit = source_problems(annotation)
        store.put(key, hit)
    return hit


def _duplicates(store: ResultCache, annotations: list[Annotation], keys: dict[str, str]
                ) -> list[Problem]:
    """``duplicate_sources`` across every file, from the cache when no file changed."""
    key = store.key("duplicates", *(keys[a.path] for a in annotations))
    hit = store.get(key)
    if hit is None:
        hit = duplicate_sources(annotations)
        store.put(key, hit)
    return hit


Spans = list[tuple[str, int, int]]  # (annotation file, start, end): anchors without the objects


def _anchor(store: ResultCache, articles: list[Article], annotations: list[Annotation],
            keys: dict[str, str], versions: dict[str, str]
            ) -> tuple[dict[str, list[Anchor]], dict[str, dict[int, list[Anchor]]],
                       list[Problem]]:
    """``anchor_versions``, one article at a time, from the cache when the article (each of
    its versions' files, by their keys) and each of its annotation files are unchanged.

    An annotation anchors only in its own article, so the stage run on one
    article and its annotations gives that article's part of the whole run.
    """
    mine: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        mine.setdefault(annotation.article, []).append(annotation)
    by_path = {a.path: a for a in annotations}
    anchors: dict[str, list[Anchor]] = {}
    stay: dict[str, dict[int, list[Anchor]]] = {}
    problems: list[Problem] = []
    for article in articles:
        notes = mine.get(article.slug, [])
        key = store.key("anchor", *(versions[v.path] for v in (article, *article.earlier)),
                        *(keys[a.path] for a in notes), group=article.slug)
        hit: tuple[Spans, dict[int, Spans], list[Problem]] | None = store.get(key)
        if hit is None:
            placed, stayed, found = anchor_versions([article], notes)
            hit = (_spans(placed.get(article.slug, [])),
                   {n: _spans(v) for n, v in stayed.get(article.slug, {}).items()}, found)
            store.put(key, hit)
        current, earlier, found = hit
        anchors[article.slug] = [Anchor(by_path[p], start, end) for p, start, end in current]
        if earlier:
            stay[article.slug] = {n: [Anchor(by_path[p], start, end) for p, start, end in v]
                                  for n, v in earlier.items()}
        problems += found
    return anchors, stay, problems


def _spans(anchors: list[Anchor]) -> Spans:
    return [(a.annotation.path, a.start, a.end) for a in anchors]


def _review(store: ResultCache, article: Article, anchor: Anchor, made_from: str,
            strict: bool, about: tuple[str, ...]) -> list[Problem]:
    """``review`` of one anchored file, from the cache when the file, its span, the article's
    text and the hashes of the article's versions (``about``: ``_text_key(article)``) are
    unchanged (``strict`` is in the salt)."""
    key = store.key("review", made_from, *about, f"{anchor.start}:{anchor.end}",
                    group=article.slug)
    hit = store.get(key)
    if hit is None:
        hit = review(article, anchor, strict=strict)
        store.put(key, hit)
    return hit


def _text_key(article: Article) -> tuple[str, ...]:
    """What of the article its anchors' review reads: a hash of its text (the words around
    each span: whether a quote splits a word), and the hashes of its versions.  Made once
    per article by the caller: as an ``lru_cache`` on the article, it hashed the whole
    frozen dataclass (its coverage, its versions) for each of its annotations."""
    return (digest(article.text, article.format),
            *(v.sha256 for v in (article, *article.earlier)))


def _coverage(store: ResultCache, article: Article, anchors: list[Anchor], made_from: str
              ) -> list[Problem]:
    """``coverage_problems``, from the cache when the article (its file's key: its path,
    text, format and coverage come from it) and the spans are unchanged."""
    key = store.key("coverage", made_from, repr([(a.start, a.end) for a in anchors]),
                    group=article.slug)
    hit = store.get(key)
    if hit is None:
        hit = coverage_problems(article, anchors)
        store.put(key, hit)
    return hit


def _check_salt(project: Project, strict: bool, hashes: FileHashes) -> str:
    return digest(code_version(hashes), _read_bytes(project.config), f"strict={strict}",
                  *(json.dumps(schema.load_schema(name), sort_keys=True)
                    for name in (schema.ANNOTATION_SCHEMA, schema.ARTICLE_SCHEMA)))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


# What the preview's last render used, kept in its process (``_render``'s ``keep``): each
# article's key with the objects it was made from, and every entry by its key.
_KEPT_RENDER: dict[Path, tuple[dict[str, tuple[object, ...]], dict[str, object]]] = {}


def _render(project: Project, dossier: Dossier, context: Context, keep: bool = False
            ) -> tuple[dict[str, str], dict[str, bytes]]:
    """``render`` and ``machine_files``, with each article's own pages and W3C collection,
    and the feed, kept in ``build/.cache/render.pickle`` under a hash of all they read
    (``article_inputs``: the article, its anchored annotations, their authorship, the
    settings, the build date) and the code.  After one saved annotation, only its
    article's pages and collection are made again, and the pages that span articles and
    the feed only when what they show of it changed (``dossier_inputs``,
    ``feed_inputs``).

    With ``keep`` (the preview, one long-lived process whose check keeps each unchanged
    article's objects: ``livecheck.py``), the entries the last render used are kept in the
    process, and an article's key is not made again while its article, anchors and
    earlier versions' anchors are the very objects it was made from and its authorship,
    the settings and the build date are equal; the cache file is read only for an entry
    not kept, and written only by a render that read it whole (an entry left out of it is
    made again by the next build, by content).
    """
    from .formats.feed import FEED_PATH
    from .formats.webannotation import collection_path
    from .render import article_inputs, dossier_pages
    from .templating import keep_compiled

    made_from, entries = _KEPT_RENDER.get(project.build, ({}, {})) if keep else ({}, {})
    opened: list[ResultCache] = []

    def cache() -> ResultCache:
        if not opened:
            opened.append(ResultCache(project.build / ".cache" / "render.pickle",
                                      code_version()))
        return opened[0]

    first = not entries
    salt = code_version()
    used: dict[str, object] = {}

    def get(key: str) -> Any:
        if key in entries:
            used[key] = entries[key]
            return entries[key]
        if keep and not first:
            return None  # (made again rather than reading the whole file for it)
        hit = cache().get(key)
        if hit is not None:
            used[key] = hit
        return hit

    def put(key: str, value: object) -> None:
        used[key] = value
        if first or not keep:
            cache().put(key, value)

    keep_compiled(project.build / ".cache" / "templates")  # (before the workers fork)
    own: dict[str, str] = {}
    files: dict[str, bytes] = {}
    keys = []
    shown = []  # what the dossier-wide pages read of each article, hashed
    fed = []  # what the feed reads of each article, hashed
    bodies: dict[str, str] = {}
    sources: dict[str, tuple[object, ...]] = {}
    for article in dossier.articles:
        objects = _made_from(dossier, article, context)
        last = made_from.get(article.slug)
        if last is not None and len(last) == len(objects) + 1 and all(
                a is b for a, b in zip(last[:3], objects[:3], strict=False)) \
                and last[3:-1] == objects[3:]:
            key = str(last[-1])
        else:
            key = entry_key(salt, "article", *article_inputs(dossier, article, context))
        keys.append(key)
        sources[article.slug] = (*objects, key)
    # The articles not kept are made on every core (each is a plain function of the
    # dossier and the context, which the forked workers have already).
    missing = [i for i, key in enumerate(keys) if get(key) is None]
    made = parallel_map(_article_outputs, missing, shared=(dossier, context),
                        min_items=MIN_PARALLEL_ARTICLES, chunk=1)
    for i, outputs in zip(missing, made, strict=True):
        put(keys[i], outputs)
    for article, key in zip(dossier.articles, keys, strict=True):
        hit = used[key]
        assert isinstance(hit, tuple)  # kept, or just put
        own.update(hit[0])
        files[collection_path(article.slug)] = hit[1]
        bodies.update(hit[2])
        shown.append(hit[3])
        fed.append(hit[4])
    # The indexes and the sources pages read less of each article than its key holds
    # (``dossier_inputs``: no body): kept under those parts, in the dossier's order.
    key = entry_key(salt, "dossier", *shown)
    pages = get(key)
    if pages is None:
        pages = dossier_pages(dossier)
        put(key, pages)
    pages = {**pages, **own}
    # The feed reads each article's corrections and updates, their authorship
    # (``feed_inputs``, taken in the dossier's order), the settings and the build date.
    # Made again when one changes, from the bodies' HTML kept with each article.
    key = entry_key(salt, "feed", repr(context.settings), repr(context.built), *fed)
    feed = get(key)
    if feed is None:
        feed = _feed(dossier, context, bodies)
        put(key, feed)
    if opened and (first or not keep):
        opened[0].save()
    if keep:
        _KEPT_RENDER.clear()
        _KEPT_RENDER[project.build] = (sources, used)
    return pages, {FEED_PATH: feed, **files}


def _made_from(dossier: Dossier, article: Article, context: Context) -> tuple[object, ...]:
    """What an article's render key is made from, for ``_render`` to tell it unchanged: the
    article, its anchors and its earlier versions' anchors (as objects: the preview's
    check keeps an unchanged article's), then, compared by value, the settings, the
    build date and the authorship of its annotations' files."""
    anchors = dossier.anchors_for(article.slug)
    stayed = dossier.version_anchors.get(article.slug)
    shown = anchors + [a for _number, on in sorted((stayed or {}).items()) for a in on]
    return (article, anchors, stayed, repr(context.settings), repr(context.built),
            tuple(context.authorship.get(a.annotation.path) for a in shown))


def _article_outputs(shared: tuple[Dossier, Context], index: int
                     ) -> tuple[dict[str, str], bytes, dict[str, str], str, str]:
    """One article's pages, W3C collection and feed bodies (``_render``'s entry for it),
    and hashes of what the pages that span articles and the feed read of it
    (``dossier_inputs``, ``feed_inputs``)."""
    from .formats.feed import feed_bodies, feed_inputs
    from .render import article_pages, dossier_inputs

    dossier, context = shared
    article = dossier.articles[index]
    anchors = dossier.anchors_for(article.slug)
    return (article_pages(dossier, article, context), _collection(dossier, article, context),
            feed_bodies(anchors), digest(*dossier_inputs(dossier, article)),
            digest(*feed_inputs(article, anchors, functools.partial(_last_commit, context))))


def _last_commit(context: Context, a: Annotation) -> str | None:
    """When the annotation's file last changed, as the feed dates it."""
    who = context.authorship.get(a.path)
    return who.changed if who else None


def _feed(dossier: Dossier, context: Context, bodies: dict[str, str] | None = None) -> bytes:
    from .formats.feed import atom

    return atom(dossier, context.settings, functools.partial(_last_commit, context),
                context.built, (lambda a: bodies[a.path]) if bodies is not None else None)


def _collection(dossier: Dossier, article: Article, context: Context) -> bytes:
    from .formats.webannotation import article_collection
    from .jsontext import indented

    data = article_collection(article, dossier.anchors_for(article.slug), context.settings)
    return (indented(data) + "\n").encode("utf-8")  # json.dumps(..., indent=2)'s bytes


def machine_files(dossier: Dossier, context: Context) -> dict[str, bytes]:
    """What the site publishes for other tools beside its pages: a W3C collection an article,
    and the Atom feed of corrections and updates (``_render`` keeps them between builds)."""
    from .formats.feed import FEED_PATH
    from .formats.webannotation import collection_path

    files = {FEED_PATH: _feed(dossier, context)}
    for article in dossier.articles:
        files[collection_path(article.slug)] = _collection(dossier, article, context)
    return files


def _reuse_renders(dossier: Dossier) -> None:
    """The bodies as check rendered them (each annotation keeps its HTML), for the pages,
    the feeds and the PDFs (forked after this, so they have them too)."""
    from .markup import remember

    remember((a.body, a.body_rendered) for a in dossier.annotations if a.body_rendered)


def build(project: Project, out: Path | None = None, *, pdf: bool = True,
          written: list[str] | None = None, shard: Shard | None = None,
          join: list[Path] | None = None, tidy_later: bool = False,
          checker: Callable[[Project], tuple[Dossier, list[Problem]]] | None = None
          ) -> tuple[Dossier, list[Problem], Path]:
    """Check, render, and build the site (with its PDF editions); nothing is built on errors.

    Only the pages and files whose inputs changed since the last good build are
    written (``site.py``); their paths in the site are added to ``written``.
    With ``shard``, only that shard's articles' pages and PDFs, into
    ``build/shards/<K>`` by default; with ``join``, the whole site, its
    articles' pages taken from those shards' folders (``shards.py``).

    Each article's PDFs go inside the site (``pdf/<slug>.pdf`` and
    ``pdf/<slug>-archival.pdf``), so its links to them work from any copy of
    the folder; unchanged articles' PDFs come from the cache (``editions.py``).
    ``tidy_later``: the replaced folders are deleted in a thread (``site.build_site``).
    ``checker``: the check to run in place of ``check`` (the preview's, which keeps each
    article's part in its process: ``livecheck.py``).
    """
    from .buildinfo import BuildInfo
    from .config import load_settings
    from .history import authorship
    from .render import Context, nav
    from .site import build_site

    dossier, problems = (checker or check)(project)
    if has_errors(problems):
        raise DossierError(problems)
    _reuse_renders(dossier)
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
    pages, machine = _render(project, dossier, context, keep=tidy_later)
    site = build_site(project, pages, nav(dossier), out, {**files, **machine}, info.epoch, written,
                      only=only, join=join, tidy_later=tidy_later)
    return dossier, problems, site


def build_pdf(project: Project, out: Path | None = None
              ) -> tuple[Dossier, list[Problem], list[Path]]:
    """Check, then write PDFs alone: with ``out``, the whole dossier's edition (reader's
    at ``out``, archival beside it); without, each article's into ``build/pdf/``."""
    from .buildinfo import BuildInfo
    from .site import write_file

    dossier, problems = check(project)
    if has_errors(problems):
        raise DossierError(problems)
    _reuse_renders(dossier)
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
