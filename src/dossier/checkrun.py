"""The whole of ``dossier check``'s answer, kept under a fingerprint of every file it reads,
and each article's part of it under a fingerprint of that article's files.

``pipeline.check`` keeps each file's results (``build/.cache/check/``, a file an article);
reading all of them back, and importing every stage, was most of a warm
run.  This cache sits at the edges of the whole check stage, at two levels:

- the run: its key is the hash of every file and folder under ``seeds/`` and
  ``annotations/`` (each path with its content hash); its entry is the sorted
  problems and the counts.  A dossier with nothing changed reads one entry
  (``build/.cache/check-run.pickle``).
- each article (``build/.cache/check-articles/``, a file each): its key is the hash of
  its files (``seeds/<slug>.*``, versions and received source included, and
  everything under ``annotations/<slug>/``); its entry is that article's
  problems and counts, and what the checks that span articles need from it
  (its annotations' citations, for ``sourcing.duplicates``), with the received
  source files its provenance named and their hashes (checked again on a hit).

When the run's entry misses, only the articles whose entries missed are
checked (``pipeline.check`` with ``only``, which still reuses every unchanged
file's entries), and the checks that span articles (``folders.py``, and the
duplicate sources) run on the listing and the articles' entries: the same
functions as in a whole run.  Every key also holds a salt: the code, the
settings, the project's folder and the flags.

The files' content hashes come from ``FileHashes`` (a file whose stat is
unchanged is not read again).  A symbolic link or a special file in those
folders turns this cache off (the full check reports them), and so does a
received source file outside ``seeds/``: the key could not be sure to
cover them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import FileHashes, GroupedResultCache, ResultCache, code_version, digest
from .folders import article_group
from .problems import Problem
from .project import Project

if TYPE_CHECKING:
    from .model import Dossier
    from .pipeline import Apart
    from .sourcing import Cited
    from .yamlsafe import Document


@dataclass(frozen=True)
class Report:
    """What ``dossier check`` prints: every problem, sorted, and what was checked."""

    problems: list[Problem]
    articles: int
    annotations: int


@dataclass
class ArticleResult:
    """One article's part of the check (``pipeline.check`` with ``only``)."""

    problems: list[Problem] = field(default_factory=list)
    articles: int = 0  # 1 when it loaded
    annotations: int = 0  # loaded
    # its annotations' citations, in order: each ``sourcing.Cited``'s fields as a plain
    # tuple (a hundred articles' unpickle in half the time)
    cited: list[tuple[str, str, str, str, str, int]] = field(default_factory=list)
    reads: list[tuple[str, str]] = field(default_factory=list)  # received files, with hashes


def check_report(project: Project, *, strict: bool = False, cache: bool = True) -> Report:
    """``pipeline.check``'s problems and counts, from the run-level cache when no input
    changed, else from each unchanged article's entry; ``cache=False`` computes
    everything afresh (tests show all agree)."""
    if not cache:
        return _checked(project, strict, cache=False, reads=[])
    problems = project.missing_parts()
    if problems:
        return Report(problems, 0, 0)
    hashes = FileHashes(project.build / ".cache" / "files.pickle")
    salt = digest(code_version(hashes), _read_bytes(project.config), f"strict={strict}",
                  str(project.root))
    store = ResultCache(project.build / ".cache" / "check-run.pickle", salt)
    tree = Tree.of(project, hashes)
    key = digest(*tree.parts) if tree else None
    hit: Report | None = store.get(key) if key else None
    if hit is None:
        saves: list[Callable[[], None]] = []  # the articles' caches, kept if nothing changed
        read: list[str] | None = None  # the files read, when not all of them
        if tree is not None and tree.by_article:
            read = []
            hit = _by_article(project, strict, salt, tree, hashes, saves, read)
            kept = hit is not None
        if hit is None:
            reads: list[tuple[str, Path]] = []
            hit = _checked(project, strict, cache=True, reads=reads, hashes=hashes)
            kept, read = all(_inside(project.seeds, p) for _meta, p in reads), None
        # Kept only when every file read is in the key, and no file changed during the run
        # (of those whose bytes were read: the others' results come from entries keyed by
        # the hashes taken before, which the run's key holds too).
        if key and tree and kept and hashes.unchanged(read) and tree.same_names(project):
            store.put(key, hit)
            for save in saves:
                save()
    store.save()
    hashes.save()
    return hit


def _checked(project: Project, strict: bool, *, cache: bool, reads: list[tuple[str, Path]],
             hashes: FileHashes | None = None) -> Report:
    from .pipeline import check  # every stage: imported only when something changed

    dossier, problems = check(project, strict=strict, cache=cache, reads=reads, hashes=hashes)
    return Report(problems, len(dossier.articles), len(dossier.annotations))


def _by_article(project: Project, strict: bool, salt: str, tree: Tree, hashes: FileHashes,
                saves: list[Callable[[], None]], read: list[str]) -> Report | None:
    """The report from each article's entry, checking only the articles whose entries
    missed; None when an article's result cannot be told apart (then the whole check runs).
    What is to be kept goes into ``saves``: the caller saves it if none of the files whose
    bytes this run read (``read``) changed."""
    store = GroupedResultCache(project.build / ".cache" / "check-articles", salt)
    keys = {slug: store.key(slug, *tree.groups.get(slug, []), group=slug)
            for slug in tree.articles}
    results: dict[str, ArticleResult] = {}
    for slug, key in keys.items():
        hit: ArticleResult | None = store.get(key)
        if hit is not None and all(hashes.of(path) == sha for path, sha in hit.reads):
            results[slug] = hit
    missed = [slug for slug in tree.articles if slug not in results]
    if missed:
        computed = _check_articles(project, strict, missed, hashes, saves)
        if computed is None:
            return None
        for slug, result in computed.items():
            results[slug] = result
            store.put(keys[slug], result)
            read += tree.files.get(slug, [])
            read += (path for path, _sha in result.reads)
    saves.append(store.save)
    return _joined(project, {slug: results[slug] for slug in tree.articles}, read)


def _check_articles(project: Project, strict: bool, slugs: list[str], hashes: FileHashes,
                    saves: list[Callable[[], None]], checked: list[Dossier] | None = None
                    ) -> dict[str, ArticleResult] | None:
    """``pipeline.check`` of these articles alone, each one's part told apart by the paths
    of its problems (each is about one of its own files); ``checked`` gets the dossier of
    those articles (the preview keeps it: ``livecheck.py``).

    Without ``checked``, each article's part comes straight from the run of its own
    stages (``pipeline.check_apart``), which is its part of that run: without the run
    over all of them that only put the dossier together (a tenth of a cold check)."""
    from .pipeline import Apart, _check_salt, check, check_apart

    store = GroupedResultCache(project.build / ".cache" / "check",
                               _check_salt(project, strict, hashes))
    parts = check_apart(project, slugs, store, hashes, strict=strict) if checked is None \
        else None
    if parts is None:
        reads: list[tuple[str, Path]] = []
        cited: dict[str, list[Cited]] = {}
        dossier, problems = check(project, strict=strict, reads=reads, hashes=hashes,
                                  only=slugs, cited=cited, store=store)
        if checked is not None:
            checked.append(dossier)
        parts = {slug: Apart() for slug in slugs}
        for problem in problems:
            owner = parts.get(_owner(problem.path))
            if owner is None:
                return None
            owner.problems.append(problem)
        for article in dossier.articles:
            parts[article.slug].loaded = True
        for annotation in dossier.annotations:
            parts[annotation.article].cited.append(cited[annotation.path])
        for meta, path in reads:
            owner = parts.get(_owner(meta))
            if owner is None:
                return None
            owner.reads.append((meta, path))
    results: dict[str, ArticleResult] = {}
    for slug, part in parts.items():
        result = _result(project, hashes, slug, part)
        if result is None:
            return None
        results[slug] = result
    saves.append(lambda: store.save(only=slugs))  # (kept only when the parts could be told apart)
    return results


def _result(project: Project, hashes: FileHashes, slug: str, part: Apart
            ) -> ArticleResult | None:
    """An article's part of the check as kept (``ArticleResult``); None when a problem
    or a received file belongs to another article, or a received file is outside
    ``seeds/`` (the cache's key could not cover it)."""
    result = ArticleResult(articles=int(part.loaded), annotations=len(part.cited))
    for problem in part.problems:
        if _owner(problem.path) != slug:
            return None
        result.problems.append(problem)
    for citations in part.cited:
        result.cited += [(c.title, c.publisher, c.key, c.url, c.path, c.number)
                         for c in citations]
    for meta, path in part.reads:
        if _owner(meta) != slug or not _inside(project.seeds, path):
            return None
        result.reads.append((os.fspath(path), hashes.of(path)))
    return result


def _owner(path: str) -> str:
    """The article a problem's file belongs to (``seeds/<slug>.*``, ``annotations/<slug>/``),
    or "" for any other path."""
    top, _, rest = path.partition("/")
    if top == "seeds" and "/" not in rest:
        return article_group(rest)
    if top == "annotations" and "/" in rest:
        return rest.partition("/")[0]
    return ""


def _joined(project: Project, results: dict[str, ArticleResult], read: list[str]) -> Report:
    """The articles' parts and the checks that span articles, as the whole check gives them
    (``results`` in the order of the slugs, as the whole check meets the articles)."""
    from .folders import annotation_folders, seeds_problems
    from .problems import sort_problems
    from .sourcing import duplicates

    problems = [p for r in results.values() for p in r.problems]
    loaded = {slug for slug, r in results.items() if r.articles}
    problems += seeds_problems(project, bool(loaded), bool(problems))
    problems += annotation_folders(project, loaded)[1]
    problems += duplicates([c for r in results.values() for c in r.cited],
                           _Locator(project, read))
    return Report(sort_problems(problems), sum(r.articles for r in results.values()),
                  sum(r.annotations for r in results.values()))


class _Locator:
    """Where a source's address was written, for the duplicates found across articles: from
    its file, parsed again (as a cached annotation does when asked), once per file."""

    def __init__(self, project: Project, read: list[str]):
        self.project = project
        self.read = read  # gets each file read
        self.docs: dict[str, Document | None] = {}

    def __call__(self, path: str, number: int) -> tuple[int, int]:
        if path not in self.docs:
            from .yamlsafe import load_mapping

            file = self.project.root / path
            self.read.append(os.fspath(file))
            self.docs[path] = load_mapping(_read_bytes(file), path)[0]
        doc = self.docs[path]
        return doc.where(("sources", number, "url")) if doc else (1, 1)


@dataclass
class Tree:
    """What is under ``seeds/`` and ``annotations/``: every path with its content hash
    (``parts``), the same by article (``groups``: ``folders.article_group`` of each
    entry of seeds/, the folder's name under annotations/), and the articles (a
    ``seeds/<slug>*.txt`` that is not a received source)."""

    parts: list[str]
    groups: dict[str, list[str]]
    articles: list[str]
    names: list[str]  # every path, in the order walked (``same_names``)
    by_article: bool  # both folders are folders (else the whole check says why)
    files: dict[str, list[str]] = field(default_factory=dict)  # each group's files' paths

    @classmethod
    def of(cls, project: Project, hashes: FileHashes) -> Tree | None:
        """The tree, or None when a link or a special file is in it."""
        tree = cls([], {}, [], [], True)
        for top in (project.seeds, project.annotations):
            try:
                mode = os.lstat(top).st_mode
            except FileNotFoundError:
                tree.parts += ["missing", top.name]
                tree.by_article = tree.by_article and top == project.annotations
                continue
            except OSError:
                return None
            if stat.S_ISREG(mode):
                tree.parts += ["file", top.name, hashes.of(top)]
                tree.by_article = False
                continue
            if not stat.S_ISDIR(mode):
                return None
            tree.parts += ["folder", top.name]
            tree.names.append(top.name)
            for entry in _entries(top):
                name = entry.name
                group = article_group(name) if top == project.seeds else name
                parts = tree.groups.setdefault(group, [])
                start = len(tree.parts)
                if not _walk(entry, f"{top.name}/{name}", hashes, tree.parts, tree.names,
                             tree.files.setdefault(group, [])):
                    return None
                parts += tree.parts[start:]
                if top == project.seeds and name.endswith(".txt") \
                        and not name.endswith(".source.txt"):
                    tree.articles.append(group)
        tree.articles = sorted(set(tree.articles))
        return tree

    def same_names(self, project: Project) -> bool:
        """Whether the folders still hold the same paths (no file added or removed during
        the run; ``FileHashes.unchanged`` says whether the files themselves changed)."""
        names: list[str] = []
        for top in (project.seeds, project.annotations):
            if top.is_dir() and not top.is_symlink():
                names.append(top.name)
                for entry in _entries(top):
                    _names(entry, f"{top.name}/{entry.name}", names)
        return names == self.names


def _entries(path: Path | str) -> list[os.DirEntry[str]]:
    with os.scandir(path) as found:
        return sorted(found, key=lambda e: e.name)


def _walk(entry: os.DirEntry[str], name: str, hashes: FileHashes, parts: list[str],
          names: list[str], files: list[str]) -> bool:
    """``entry``'s path and content hash into ``parts`` (a folder's, each of its entries'),
    its name into ``names`` and its files' paths into ``files``; False for a link or a
    special file."""
    try:
        if entry.is_symlink():
            return False
        if entry.is_file(follow_symlinks=False):
            names.append(name)
            files.append(entry.path)
            parts += ["file", name, hashes.of(entry.path)]
            return True
        if not entry.is_dir(follow_symlinks=False):
            return False
        names.append(f"{name}/")
        parts += ["folder", name]
        return all(_walk(child, f"{name}/{child.name}", hashes, parts, names, files)
                   for child in _entries(entry.path))
    except FileNotFoundError:
        parts += ["missing", name]
    except OSError:
        return False
    return True


def _names(entry: os.DirEntry[str], name: str, names: list[str]) -> None:
    """As ``_walk`` lists them (a folder's name with a slash), without hashing."""
    try:
        if entry.is_dir(follow_symlinks=False) and not entry.is_symlink():
            names.append(f"{name}/")
            for child in _entries(entry.path):
                _names(child, f"{name}/{child.name}", names)
        else:
            names.append(name)
    except OSError:
        names.append("?")


def _inside(folder: Path, path: Path) -> bool:
    return os.path.realpath(path).startswith(os.path.realpath(folder) + os.sep)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
