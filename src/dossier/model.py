"""The dossier's data: articles, annotations and where each annotation applies.

Plain frozen dataclasses: every pipeline stage takes these in and gives
these out, so a stage can be tested, reused or replaced (by a Zensical
build, say) without touching the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .dates import human
from .text import DEFAULT_FORMAT, Block, BlockIndex, blocks, shown
from .vocabulary import KINDS as KINDS  # (where the others import them from)
from .vocabulary import RATINGS as RATINGS
from .vocabulary import SOURCE_TYPES as SOURCE_TYPES

if TYPE_CHECKING:  # (PyYAML: not needed to hold the model)
    from .yamlsafe import Document


@dataclass(frozen=True)
class Source:
    """One cited page.  For a reprint, ``url`` is the copy, ``publisher`` the original
    outlet, ``via`` the site carrying the copy and ``original_url`` the original."""

    url: str
    title: str
    publisher: str
    published: str
    accessed: str
    type: str
    archive_url: str | None = None
    via: str | None = None
    original_url: str | None = None

    @property
    def key(self) -> str:
        """Two citations of one page are one source in a bibliography."""
        return self.url.strip().rstrip("/").lower()


@dataclass(frozen=True)
class Target:
    """A W3C TextQuoteSelector: the quoted words and, optionally, their context."""

    exact: str
    prefix: str | None = None
    suffix: str | None = None


@dataclass(frozen=True)
class Annotation:
    id: str
    article: str
    kind: str
    title: str
    body: str
    target: Target
    sources: tuple[Source, ...]
    path: str
    correction: str | None = None
    rating: str | None = None
    rating_reason: str | None = None
    date: str | None = None
    author: str | None = None
    updated: str | None = None
    article_sha256: str | None = None
    doc: Document | None = field(default=None, compare=False, repr=False)
    # The body as check rendered it (markup.body_html), kept with the annotation in the
    # check's cache, so that the build shows it without rendering it again.
    body_rendered: str = field(default="", compare=False, repr=False)

    def where(self, *path: str | int, key: bool = False) -> tuple[int, int]:
        """Line and column of a field in this annotation's YAML file."""
        return self.doc.where(path, key=key) if self.doc else (1, 1)


@dataclass(frozen=True)
class Published:
    """A publication date, or 'unknown' with what the evidence allows."""

    date: str | None
    estimate: str | None = None
    evidence: str | None = None

    def describe(self) -> str:
        """For readers: '24 October 2024', or 'Not shown on the page; about …'."""
        if self.date:
            return human(self.date)
        return "Not shown on the page" + (f"; about {self.estimate}" if self.estimate else "")

    @classmethod
    def from_yaml(cls, value: Any) -> Published:
        if isinstance(value, str):
            return cls(date=None if value == "unknown" else value)
        return cls(date=None, estimate=value.get("estimate"), evidence=value.get("evidence"))


@dataclass(frozen=True)
class Exemption:
    """A statement deliberately left without an annotation, and why."""

    statement: str
    reason: str
    line: int
    col: int


@dataclass(frozen=True)
class Coverage:
    people: tuple[str, ...]
    not_annotated: tuple[Exemption, ...]
    line: int
    col: int
    status: str = "complete"  # or "pending": gaps are warnings until a review completes it

    @property
    def pending(self) -> bool:
        return self.status == "pending"


@dataclass(frozen=True)
class Article:
    slug: str
    text: str
    title: str
    publisher: str
    url: str
    published: Published
    retrieved: str
    language: str
    sha256: str
    path: str
    author: str | None = None
    notes: str | None = None
    coverage: Coverage | None = None
    format: str = DEFAULT_FORMAT
    number: int = 1  # which version of the article this text is (seeds/<slug>.v<n>.txt)
    earlier: tuple[Article, ...] = ()  # the versions seen before this one, oldest first

    @property
    def versions(self) -> tuple[Article, ...]:
        """Every version seen, oldest first, this one last."""
        return (*self.earlier, self)

    def version_with(self, sha256: str | None) -> Article | None:
        """The version whose text has this hash, if the dossier has seen it."""
        return next((v for v in self.versions if v.sha256 == sha256), None)

    @property
    def headline(self) -> str:
        """The headline as the text gives it, or else the recorded title."""
        first = self.blocks[0] if self.blocks else None
        if first is not None and first.kind == "headline":
            return shown(self.text, first.start, first.end, first.hidden)
        return self.title

    @cached_property
    def blocks(self) -> list[Block]:
        return blocks(self.text, self.format)

    @cached_property
    def block_index(self) -> BlockIndex:
        return BlockIndex(self.blocks)


@dataclass(frozen=True)
class Anchor:
    """Where an annotation applies: [start, end) in the article's original text."""

    annotation: Annotation
    start: int
    end: int


@dataclass
class Dossier:
    """Everything a renderer needs, already checked and anchored."""

    articles: list[Article]
    annotations: list[Annotation]
    anchors: dict[str, list[Anchor]]  # article slug -> anchors in text order
    # Annotations that stay on an earlier version (their words changed or went):
    # article slug -> version number -> anchors in that version's text order.
    version_anchors: dict[str, dict[int, list[Anchor]]] = field(default_factory=dict)

    def anchors_for(self, slug: str) -> list[Anchor]:
        return self.anchors.get(slug, [])

    def anchors_on(self, slug: str, number: int) -> list[Anchor]:
        """The anchors shown on an earlier version's own page."""
        return self.version_anchors.get(slug, {}).get(number, [])

    def annotations_for(self, slug: str) -> list[Annotation]:
        return [a.annotation for a in self.anchors_for(slug)]

    def article(self, slug: str) -> Article:
        return next(a for a in self.articles if a.slug == slug)
