"""The check as the preview keeps it between rebuilds: each article's part, by its files.

The preview (``serve.py``) is one long-lived process that checks the whole dossier
after every saved file.  ``pipeline.check`` takes each file's results from its cache
(``build/.cache/check/``), but still reads every article's entries back, unpickles
them and makes every key again: at 1,000 articles most of a rebuild, for one saved
annotation.  This cache sits at the edge of the check stage, in the process:

- each article's part (its versions, annotations and anchors, and its part of
  ``dossier check``'s answer: ``checkrun.ArticleResult``) is kept under the hash of the
  article's files (``checkrun.Tree``'s group: its ``seeds/<slug>.*`` and everything
  under ``annotations/<slug>/``) and of the received source files its provenance
  named, with the code, settings and project (the salt);
- only the articles whose key changed go through ``pipeline.check`` again (``only=``),
  exactly as ``dossier check`` checks them (``checkrun._check_articles``); an article's
  part of the whole run is the run of that article alone (its annotations anchor in it
  alone), put together in the order of the slugs;
- the checks that span articles run again on the parts, with ``dossier check``'s own
  function (``checkrun._joined``).

When the tree cannot be told apart by article (a link or a special file in it, or a
received source outside ``seeds/``), the whole ``pipeline.check`` runs, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .cache import FileHashes, code_version, digest
from .checkrun import ArticleResult, Tree, _check_articles, _joined
from .model import Anchor, Annotation, Article, Dossier
from .problems import Problem
from .project import Project


@dataclass(frozen=True)
class Part:
    """One article's part of the checked dossier, and of ``dossier check``'s answer."""

    key: str
    articles: tuple[Article, ...]
    annotations: tuple[Annotation, ...]
    anchors: tuple[tuple[str, list[Anchor]], ...]
    version_anchors: tuple[tuple[str, dict[int, list[Anchor]]], ...]
    result: ArticleResult  # its problems, counts, citations and received files


class KeptCheck:
    """``pipeline.check`` for one project, keeping each article's part between calls."""

    def __init__(self) -> None:
        self.parts: dict[str, Part] = {}
        self.checked: list[str] = []  # the articles the last call checked again (for tests)

    def __call__(self, project: Project) -> tuple[Dossier, list[Problem]]:
        problems = project.missing_parts()
        if problems:
            return Dossier([], [], {}), problems
        hashes = FileHashes(project.build / ".cache" / "files.pickle")
        tree = Tree.of(project, hashes)
        if tree is None or not tree.by_article:
            return self._whole(project)
        salt = digest(code_version(hashes), _read_bytes(project.config), str(project.root))
        keys = {slug: digest(salt, *tree.groups.get(slug, [])) for slug in tree.articles}
        missed = [slug for slug in tree.articles if not self._fresh(slug, keys[slug], hashes)]
        self.checked = missed
        read: list[str] = []
        if missed:
            saves: list[Callable[[], None]] = []
            checked: list[Dossier] = []
            results = _check_articles(project, False, missed, hashes, saves, checked)
            if results is None or not checked:
                return self._whole(project)
            dossier = checked[0]
            for slug in missed:
                self.parts[slug] = Part(
                    keys[slug],
                    tuple(a for a in dossier.articles if a.slug == slug),
                    tuple(a for a in dossier.annotations if a.article == slug),
                    tuple((s, v) for s, v in dossier.anchors.items() if s == slug),
                    tuple((s, v) for s, v in dossier.version_anchors.items() if s == slug),
                    results[slug])
                read += tree.files.get(slug, [])
                read += (path for path, _sha in results[slug].reads)
            if hashes.unchanged(read):  # (the per-file results, as check_report keeps them)
                for save in saves:
                    save()
            hashes.save()
        for slug in [s for s in self.parts if s not in keys]:
            del self.parts[slug]
        parts = [self.parts[slug] for slug in tree.articles]
        report = _joined(project, {slug: self.parts[slug].result for slug in tree.articles},
                         [])
        dossier = Dossier([a for p in parts for a in p.articles],
                          [a for p in parts for a in p.annotations],
                          {slug: anchors for p in parts for slug, anchors in p.anchors},
                          {slug: on for p in parts for slug, on in p.version_anchors})
        return dossier, report.problems

    def _whole(self, project: Project) -> tuple[Dossier, list[Problem]]:
        from .pipeline import check

        self.parts.clear()
        self.checked = ["*"]
        return check(project)

    def _fresh(self, slug: str, key: str, hashes: FileHashes) -> bool:
        part = self.parts.get(slug)
        return part is not None and part.key == key and all(
            hashes.of(path) == sha for path, sha in part.result.reads)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
