"""A site built in shards and joined: an archive past one machine, simulated on one.

Every article's pages and files (its page, its earlier versions, its
annotations and corrections pages, its W3C collection, its PDFs) depend
only on that article and on what every page shares (the settings, the
navigation, the code).  A shard builds the articles a stable hash of their
slug gives it, into a folder of its own with the record of what it built
(``incremental.py``'s manifest); the join puts the shards' folders together
and builds what spans articles (the indexes, the feed, the search index,
the sitemap) with the per-article outputs taken from the shards, so that
the joined site is byte for byte a single build's.  On a CI engine each
shard is a job of a matrix and the join a final job (docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import Dossier
from .problems import DossierError, Problem


@dataclass(frozen=True)
class Shard:
    """Shard ``number`` of ``count`` (``1/2``, ``2/2``)."""

    number: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = re.fullmatch(r"(\d+)/(\d+)", text.strip())
        if not match or not 1 <= int(match[1]) <= int(match[2]):
            raise DossierError([Problem("--shard", 1, 1, f"not a shard: {text!r}",
                                        "write it as K/N, e.g. 1/2: the first of two shards")])
        return cls(int(match[1]), int(match[2]))

    def holds(self, slug: str) -> bool:
        """Whether this shard builds ``slug``: by a hash of the slug, so an article stays in
        its shard however many articles are added."""
        return int(hashlib.sha256(slug.encode("utf-8")).hexdigest()[:8], 16) % self.count \
            == self.number - 1


def article_of(source: str, slugs: set[str]) -> str | None:
    """The article a staged page or file belongs to, if any: ``articles/<slug>.md`` and
    ``articles/<slug>/...`` (its versions, annotations, corrections), its W3C collection
    ``articles/<slug>.annotations.jsonld``, and its PDFs ``pdf/<slug>[-archival].pdf``."""
    parts = source.split("/")
    if parts[0] == "articles" and len(parts) >= 2:
        if len(parts) > 2 and parts[1] in slugs:
            return parts[1]
        for suffix in (".md", ".annotations.jsonld"):
            if parts[1].endswith(suffix) and parts[1][:-len(suffix)] in slugs:
                return parts[1][:-len(suffix)]
    if parts[0] == "pdf" and len(parts) == 2:
        for suffix in ("-archival.pdf", ".pdf"):
            if parts[1].endswith(suffix) and parts[1][:-len(suffix)] in slugs:
                return parts[1][:-len(suffix)]
    return None


def dossier_of(shard: Shard, dossier: Dossier) -> Dossier:
    """The shard's articles alone (for their PDFs)."""
    slugs = {a.slug for a in dossier.articles if shard.holds(a.slug)}
    return Dossier([a for a in dossier.articles if a.slug in slugs],
                   [a for a in dossier.annotations if a.article in slugs],
                   {s: x for s, x in dossier.anchors.items() if s in slugs},
                   {s: x for s, x in dossier.version_anchors.items() if s in slugs})


def selector(shard: Shard, slugs: set[str]) -> Callable[[str], bool]:
    """Which staged sources a shard builds: its own articles' pages and files."""
    def chosen(source: str) -> bool:
        slug = article_of(source, slugs)
        return slug is not None and shard.holds(slug)

    return chosen
