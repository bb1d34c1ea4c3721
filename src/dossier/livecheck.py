"""The check as the preview keeps it between rebuilds: each article's part, by its files.

The preview (``serve.py``) is one long-lived process that checks the whole dossier
after every saved file.  ``pipeline.check`` takes each file's results from its cache
(``build/.cache/check/``), but still reads every article's entries back, unpickles
them and makes every key again: at 1,000 articles most of a rebuild, for one saved
annotation.  This cache sits at the edge of the check stage, in the process:

- the problems are ``dossier check``'s (``checkrun.check_report``: each unchanged
  article's from its entry, the checks that span articles run again on them);
- the dossier is put together from each article's part (its versions, annotations and
  anchors), kept under the hash of the article's files (``checkrun.Tree``'s group: its
  ``seeds/<slug>.*`` and everything under ``annotations/<slug>/``) and of the received
  source files its provenance named, with the code, settings and project (the salt).
  Only the articles whose key changed go through ``pipeline.check`` again (``only=``),
  as ``dossier check`` checks them; an article's part of the whole run is the run of
  that article alone (its annotations anchor in it alone), in the order of the slugs.

When the tree cannot be told apart by article (a link or a special file in it, or a
received source outside ``seeds/``), the whole ``pipeline.check`` runs, as before.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .cache import FileHashes, GroupedResultCache, code_version, digest
from .checkrun import Tree, _owner, check_report
from .model import Anchor, Annotation, Article, Dossier
from .problems import Problem, has_errors
from .project import Project


@dataclass(frozen=True)
class Part:
    """One article's part of the checked dossier, and the received files it read."""

    key: str
    articles: tuple[Article, ...]
    annotations: tuple[Annotation, ...]
    anchors: tuple[tuple[str, list[Anchor]], ...]
    version_anchors: tuple[tuple[str, dict[int, list[Anchor]]], ...]
    reads: tuple[tuple[str, str], ...]  # received source files, with their content hashes


class KeptCheck:
    """``pipeline.check`` for one project, keeping each article's part between calls."""

    def __init__(self) -> None:
        self.parts: dict[str, Part] = {}
        self.checked: list[str] = []  # the articles the last call checked again (for tests)

    def __call__(self, project: Project) -> tuple[Dossier, list[Problem]]:
        from .pipeline import _check_salt, check

        report = check_report(project)
        if has_errors(report.problems):  # the build stops on them (the parts stay good)
            return Dossier([], [], {}), report.problems
        hashes = FileHashes(project.build / ".cache" / "files.pickle")
        tree = Tree.of(project, hashes)
        if tree is None or not tree.by_article:
            self.parts.clear()
            self.checked = ["*"]
            return check(project)
        salt = digest(code_version(hashes), _read_bytes(project.config), str(project.root))
        keys = {slug: digest(salt, *tree.groups.get(slug, [])) for slug in tree.articles}
        missed = [slug for slug in tree.articles if not self._fresh(slug, keys[slug], hashes)]
        self.checked = missed
        if missed:
            reads: list[tuple[str, Path]] = []
            store = GroupedResultCache(project.build / ".cache" / "check",
                                       _check_salt(project, False, hashes))
            dossier, _problems = check(project, reads=reads, hashes=hashes, only=missed,
                                       store=store)
            if hashes.unchanged():  # as pipeline.check saves its own
                store.save(only=missed)
            hashes.save()
            found = _split(dossier, missed, keys, reads, hashes, project)
            if found is None:
                self.parts.clear()
                self.checked = ["*"]
                return check(project)
            self.parts.update(found)
        for slug in [s for s in self.parts if s not in keys]:
            del self.parts[slug]
        parts = [self.parts[slug] for slug in tree.articles]
        dossier = Dossier([a for p in parts for a in p.articles],
                          [a for p in parts for a in p.annotations],
                          {slug: anchors for p in parts for slug, anchors in p.anchors},
                          {slug: on for p in parts for slug, on in p.version_anchors})
        return dossier, report.problems

    def _fresh(self, slug: str, key: str, hashes: FileHashes) -> bool:
        part = self.parts.get(slug)
        return part is not None and part.key == key and all(
            hashes.of(path) == sha for path, sha in part.reads)


def _split(dossier: Dossier, slugs: list[str], keys: dict[str, str],
           reads: list[tuple[str, Path]], hashes: FileHashes, project: Project
           ) -> dict[str, Part] | None:
    """Each article's part of a check of ``slugs``; None when a received file read is
    outside ``seeds/`` or cannot be told to one article."""
    received: dict[str, list[tuple[str, str]]] = {slug: [] for slug in slugs}
    seeds = os.path.realpath(project.seeds) + os.sep
    for meta, path in reads:
        owner = received.get(_owner(meta))
        if owner is None or not os.path.realpath(path).startswith(seeds):
            return None
        owner.append((os.fspath(path), hashes.of(path)))
    return {slug: Part(
        keys[slug],
        tuple(a for a in dossier.articles if a.slug == slug),
        tuple(a for a in dossier.annotations if a.article == slug),
        tuple((s, v) for s, v in dossier.anchors.items() if s == slug),
        tuple((s, v) for s, v in dossier.version_anchors.items() if s == slug),
        tuple(received[slug])) for slug in slugs}


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
