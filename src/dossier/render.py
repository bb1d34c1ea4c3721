"""Stage 4: turn the anchored dossier into Markdown pages for the site.

The pages are Markdown files holding HTML that this module builds and
escapes itself: the article's text must reach the reader exactly as
published, so it never passes through Markdown (which would turn
``*`` into emphasis or quotes into curly ones) nor through Material's
annotation feature (which would turn a literal "(1)" into a marker).
Any static-site generator that reads Markdown with raw HTML, MkDocs or
Zensical, can build these pages.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from . import dates
from .config import Settings
from .formats.claimreview import article_graph
from .formats.webannotation import collection_path
from .history import Authorship
from .layout import block_html, inline, paragraphs, preorder
from .model import KINDS, SOURCE_TYPES, Anchor, Annotation, Article, Dossier, Source
from .paging import PAGE_SIZE, Pager, chunks, pagers
from .tally import FILTER_KEYS, Tally, filter_label, tally
from .templating import Markup, escape, macro, sprite
from .templating import render as render_template
from .versions import changes


@dataclass(frozen=True)
class Context:
    """What pages show beyond the dossier itself: forge links and authorship."""

    settings: Settings = field(default_factory=Settings)
    authorship: dict[str, Authorship] = field(default_factory=dict)
    built: str | None = None  # the build's date (YYYY-MM-DD), from the last commit

    def published(self, a: Annotation) -> str | None:
        """When an annotation was published in the dossier: its last change, else the build."""
        who = self.authorship.get(a.path)
        return (who.changed if who else None) or a.updated or self.built


def _front_matter(**meta: object) -> str:
    """YAML front matter (JSON is YAML).  MkDocs and Material put these values in the
    page's ``<head>``, its navigation and the search index as HTML, unescaped: every
    string here must already be escaped HTML text."""
    lines = ["---"] + [f"{key}: {json.dumps(value)}" for key, value in meta.items()] + ["---"]
    return "\n".join(lines) + "\n\n"


def html_text(value: str) -> str:
    """Plain text as HTML text (not an attribute), for MkDocs' titles and navigation.

    Material writes a page's title unescaped into the navigation, the header and
    ``<title>``, and escaped (``| e``) into its footer's aria-labels: escaping ``&``,
    ``<`` and ``>`` makes it text in the first, and leaves quotes readable in the second.
    """
    return html.escape(value, quote=False)


def html_attribute(value: str) -> str:
    """Plain text for an attribute value: Material writes the description unescaped
    into ``<meta name="description" content="…">``."""
    return str(escape(value))


def source_item(s: Source) -> str:
    return str(macro("source_item")(s))


def correction_sentence(a: Annotation, original: str) -> str:
    return str(macro("correction_sentence")(original, a.correction or ""))


@dataclass(frozen=True)
class _Note:
    annotation: Annotation
    original: str
    who: Authorship
    edit: str | None


def _note_data(anchor: Anchor, article: Article, context: Context) -> _Note:
    a = anchor.annotation
    return _Note(a, article.text[anchor.start:anchor.end],
                 context.authorship.get(a.path, Authorship(a.author, a.updated)),
                 context.settings.edit_url(a.path))


def note(anchor: Anchor, article: Article, context: Context | None = None) -> str:
    n = _note_data(anchor, article, context or Context())
    return str(macro("note")(n.annotation, n.original, n.who, n.edit))


SUGGESTION = """# yaml-language-server: $schema=../../src/dossier/schemas/annotation.schema.json
# See CONTRIBUTING.md. Kinds: context, source, correction, update, claim.
kind: context
title: ""
target:
  exact: ""  # the article's words, copied exactly
body: |

sources:
  - url: ""
    title: ""
    publisher: ""
    type: ""  # primary, news, reference or reprint (then add via: "")
    published: ""  # YYYY-MM-DD, YYYY-MM, YYYY or unknown
    accessed: ""
"""


def _suggest(article: Article, context: Context) -> str | None:
    new = context.settings.new_file_url(f"annotations/{article.slug}")
    if not new:
        return None
    return f"{new}?filename=new-annotation.yml&value={quote(SUGGESTION)}"


@dataclass(frozen=True)
class _Paragraph:
    headline: bool  # the headline's words (an <h1>), else the whole block's element
    html: Markup
    notes: list[_Note]


def _page(body: str, cls: str = "dz-page", lang: str | None = None) -> str:
    """A generated page's HTML: the icon symbols it uses, then its body."""
    return render_template("page.html", cls=cls, lang=lang, sprite=sprite(body),
                           body=Markup(body))


def page_address(article: Article, context: Context) -> str:
    """The article page's address: absolute when mkdocs.yml sets site_url, else relative."""
    return (context.settings.page_url(f"articles/{article.slug}.html")
            or f"{article.slug}.html")


def structured_data(article: Article, anchors: list[Anchor], context: Context) -> str:
    """schema.org JSON-LD (NewsArticle, ClaimReview) in a script element, kept inert."""
    dated = {x.annotation.id: d for x in anchors if (d := context.published(x.annotation))}
    graph = article_graph(article, anchors, dossier=context.settings.site_name,
                          dossier_url=context.settings.site_url,
                          page_url=page_address(article, context), dates=dated)
    return render_template("jsonld.html", data=graph)


@dataclass(frozen=True)
class _Stayed:
    annotation: Annotation
    number: int


def _changes(article: Article, stayed: dict[int, list[Anchor]]) -> Markup:
    """The "Changes by the publisher" section, when the dossier has seen more than one version."""
    if not article.earlier:
        return Markup("")
    return Markup(render_template(
        "changes.html", slug=article.slug, versions=article.versions, current=article.number,
        changes=changes(article),
        stayed=[_Stayed(a.annotation, n) for n, anchors in sorted(stayed.items())
                for a in anchors]))


def article_page(article: Article, anchors: list[Anchor], context: Context | None = None,
                 *, stayed: dict[int, list[Anchor]] | None = None, newest: Article | None = None
                 ) -> str:
    """An article's page; with ``newest``, the page of an earlier version of it."""
    context = context or Context()
    anchor_of = {a.annotation.id: a for a in anchors}
    span = macro("span")

    def wrap(anchor: Anchor, inner: Markup) -> Markup:
        return Markup(span(anchor.annotation, inner))

    blocks = [_Paragraph(
        p.block.kind == "headline",
        inline(article.text, p.start, p.end, p.nodes, wrap) if p.block.kind == "headline"
        else Markup(block_html(article.text, p, wrap, p_class="dz-paragraph")),
        [_note_data(anchor_of[a.id], article, context) for a in preorder(p.nodes)])
        for p in paragraphs(article, anchors)]
    glance = Markup(summary(tally(a.annotation for a in anchors)))
    body = render_template("article.html", article=article, paragraphs=blocks, glance=glance,
                           count=len(anchors), suggest=_suggest(article, context),
                           has_headline=any(b.kind == "headline" for b in article.blocks),
                           newest=newest,
                           changes=_changes(article, stayed or {}) if newest is None else "")
    title = article.title if newest is None else f"{article.title} (version {article.number})"
    meta: dict[str, object] = {"title": html_text(title),
                               "description": html_attribute(f"{article.title} "
                                                             f"({article.publisher}), annotated")}
    if newest is None:
        body += structured_data(article, anchors, context)
        meta["alternate"] = [{"type": "application/ld+json",
                              "href": collection_path(article.slug),
                              "title": "W3C Web Annotations on this article"}]
    else:
        meta["search"] = {"exclude": True}  # the newest version is what search finds
    return _front_matter(**meta) + _page(
        body, "dz-article", article.language if article.language != "unknown" else None)


def _link(a: Annotation) -> str:
    """From a page at the site's root to the annotation in its article."""
    return f"articles/{a.article}.html#{a.id}"


@dataclass(frozen=True)
class _Entry:
    annotation: Annotation
    quote: str
    article_title: str

    @property
    def link(self) -> str:
        return _link(self.annotation)


@dataclass(frozen=True)
class _Group:
    kind: str
    entries: list[_Entry]
    article: Article | None = None
    versions: tuple[Article, ...] = ()  # later versions: "the publisher changed the article"


def _front(title: str, pages: Pager, **meta: object) -> str:
    """Front matter of a page of a paginated list: later pages say which they are."""
    if pages.number > 1:
        title = f"{title}, page {pages.number} of {pages.count}"
    return _front_matter(title=title, **meta)


def annotations_pages(dossier: Dossier) -> dict[str, str]:
    """The dossier-wide annotations index: each article with its annotations counted by
    kind, linking to the article's own index; PAGE_SIZE articles a page."""
    rows = index_rows(dossier)
    total = tally(a for x in dossier.articles for a in dossier.annotations_for(x.slug))
    parts = chunks(rows)
    out = {}
    for pages, part in zip(pagers("annotations", len(parts)), parts, strict=True):
        body = render_template("annotations.html", rows=part, total=total, pages=pages,
                               up=pages.up, article_count=len(dossier.articles),
                               path=collection_path)
        out[pages.path()] = _front("Annotations", pages, search={"exclude": True}) + _page(body)
    return out


def article_annotations_page(dossier: Dossier, article: Article) -> str:
    """One article's annotations, grouped by kind, each linking to its place in the text."""
    entries = [_Entry(x.annotation, article.text[x.start:x.end], article.title)
               for x in dossier.anchors_for(article.slug)]
    groups = [_Group(kind, [e for e in entries if e.annotation.kind == kind]) for kind in KINDS]
    body = render_template("article-annotations.html", article=article, entries=entries,
                           groups=[g for g in groups if g.entries])
    return _front_matter(title=html_text(f"Annotations on {article.title}"),
                         search={"exclude": True}) + _page(body)


@dataclass(frozen=True)
class CorrectionRow:
    """One article in the corrections log: how many corrections and publisher's changes."""

    article: Article
    corrections: int
    changes: int


def _correction_group(dossier: Dossier, article: Article) -> _Group:
    fixes = [_Entry(x.annotation, article.text[x.start:x.end], article.title)
             for x in dossier.anchors_for(article.slug) if x.annotation.kind == "correction"]
    return _Group("correction", fixes, article, article.versions[1:][::-1])


def corrections_pages(dossier: Dossier) -> dict[str, str]:
    """The dossier-wide corrections log: each article with corrections or publisher's
    changes, linking to the article's own log; PAGE_SIZE articles a page."""
    rows = [CorrectionRow(g.article, len(g.entries), len(g.versions))
            for g in (_correction_group(dossier, a) for a in dossier.articles)
            if g.article is not None and (g.entries or g.versions)]
    parts = chunks(rows)
    out = {}
    for pages, part in zip(pagers("corrections", len(parts)), parts, strict=True):
        body = render_template("corrections.html", rows=part, pages=pages, up=pages.up) \
            + render_template("feed-link.html", up=pages.up)
        out[pages.path()] = _front("Corrections", pages) + _page(body)
    return out


def article_corrections_page(dossier: Dossier, article: Article) -> str:
    """One article's corrections log, newsroom style."""
    body = render_template("article-corrections.html",
                           group=_correction_group(dossier, article)) \
        + render_template("feed-link.html", up="../../")
    return _front_matter(title=html_text(f"Corrections to {article.title}")) + _page(body)


@dataclass(frozen=True)
class CitedSource:
    """One source, listed once, with the annotations that cite it (in text order)."""

    source: Source
    users: list[Annotation]


@dataclass(frozen=True)
class SourcePart:
    """A source as one page shows it: all its citing annotations, or (for a source cited
    more often than a page holds) a run of them, ``first`` being the first one's index."""

    source: Source
    users: list[Annotation]
    total: int
    first: int = 0
    more: bool = False  # the list continues on the next page


@dataclass(frozen=True)
class PublisherGroup:
    publisher: str
    sources: Sequence[CitedSource | SourcePart]


@dataclass(frozen=True)
class TypeGroup:
    """The sources of one type (primary, news, ...), by publisher."""

    type: str
    publishers: list[PublisherGroup]

    @property
    def count(self) -> int:
        return sum(len(p.sources) for p in self.publishers)


def source_groups(dossier: Dossier) -> list[TypeGroup]:
    """Every source cited, once, grouped by type (strongest first), then by publisher.

    A plain function of the dossier, so the page can be split or paginated
    without touching how sources are counted.
    """
    cited: dict[str, CitedSource] = {}
    listed: set[tuple[str, str]] = set()  # (source, annotation's file): a set, not a list scan
    for slug in (a.slug for a in dossier.articles):
        for anchor in dossier.anchors_for(slug):
            for s in anchor.annotation.sources:
                entry = cited.setdefault(s.key, CitedSource(s, []))
                if (s.key, anchor.annotation.path) not in listed:
                    listed.add((s.key, anchor.annotation.path))
                    entry.users.append(anchor.annotation)
    groups = []
    for kind in SOURCE_TYPES:
        by_publisher: dict[str, list[CitedSource]] = {}
        for e in cited.values():
            if e.source.type == kind:
                by_publisher.setdefault(e.source.publisher, []).append(e)
        publishers = [PublisherGroup(name, sorted(entries,
                                                  key=lambda e: e.source.title.casefold()))
                      for name, entries in sorted(by_publisher.items(),
                                                  key=lambda item: item[0].casefold())]
        if publishers:
            groups.append(TypeGroup(kind, publishers))
    return groups


CITATIONS_PER_PAGE = 5 * PAGE_SIZE  # links to citing annotations on one sources page


def source_pages(groups: list[TypeGroup], size: int = PAGE_SIZE,
                 citations: int = CITATIONS_PER_PAGE) -> list[list[TypeGroup]]:
    """The sources cut into pages of at most ``size`` sources and ``citations`` links to the
    annotations citing them, each page grouped again by type and publisher."""
    pages: list[list[tuple[str, str, SourcePart]]] = [[]]
    links = 0
    for g in groups:
        for p in g.publishers:
            for e in p.sources:
                first = 0
                while first < len(e.users) or first == 0:
                    if len(pages[-1]) == size or links == citations:
                        pages.append([])
                        links = 0
                    take = e.users[first:first + citations - links]
                    pages[-1].append((g.type, p.publisher, SourcePart(
                        e.source, take, len(e.users), first,
                        first + len(take) < len(e.users))))
                    links += len(take)
                    first += len(take)
                    if not take:
                        break
    regrouped = []
    for page in pages:
        types: dict[str, dict[str, list[CitedSource | SourcePart]]] = {}
        for kind, publisher, part in page:
            types.setdefault(kind, {}).setdefault(publisher, []).append(part)
        regrouped.append([TypeGroup(kind, [PublisherGroup(name, parts)
                                           for name, parts in publishers.items()])
                          for kind, publishers in types.items()])
    return regrouped


def sources_pages(dossier: Dossier) -> dict[str, str]:
    """Every source cited, once, by type and publisher, with the annotations that cite it;
    PAGE_SIZE sources a page."""
    groups = source_groups(dossier)
    parts = source_pages(groups)
    first_page: dict[str, int] = {}
    for number, part in enumerate(parts, 1):
        for g in part:
            first_page.setdefault(g.type, number)
    out = {}
    for pages, part in zip(pagers("sources", len(parts)), parts, strict=True):
        body = render_template("sources.html", groups=part, summary=groups,
                               counts={g.type: g.count for g in groups}, first_page=first_page,
                               total=sum(g.count for g in groups), pages=pages, up=pages.up,
                               link=_link)
        out[pages.path()] = _front("Sources", pages) + _page(body)
    return out


def summary(t: Tally, links: bool = True) -> str:
    """The block under a headline (site: links and filters; the PDF uses links=False)."""
    labels = {key: filter_label(key) for key in FILTER_KEYS}
    return str(macro("summary", "summary.html")(t, links, labels))


@dataclass(frozen=True)
class IndexRow:
    """One article in the index: what the table shows of it."""

    article: Article
    tally: Tally
    date: str


def index_rows(dossier: Dossier) -> list[IndexRow]:
    rows = []
    for article in dossier.articles:
        p = article.published
        when = (dates.human(p.date) if p.date
                else f"about {p.estimate}" if p.estimate else "not shown")
        rows.append(IndexRow(article, tally(dossier.annotations_for(article.slug)), when))
    return rows


def articles_index(rows: list[IndexRow], pages: Pager | None = None,
                   annotations: int | None = None, articles: int | None = None) -> str:
    """One page of the articles index from its rows: a plain data -> template function."""
    pages = pages or Pager("articles/index", 1, 1)
    return _page(render_template(
        "articles.html", rows=rows, pages=pages, up=pages.up,
        article_count=len(rows) if articles is None else articles,
        annotation_count=sum(r.tally.total for r in rows) if annotations is None
        else annotations))


def articles_pages(dossier: Dossier) -> dict[str, str]:
    """The articles index, PAGE_SIZE articles a page."""
    rows = index_rows(dossier)
    parts = chunks(rows)
    total = sum(r.tally.total for r in rows)
    return {pages.path(): _front("Articles", pages)
            + articles_index(part, pages, total, len(rows))
            for pages, part in zip(pagers("articles/index", len(parts)), parts, strict=True)}


def article_pages(dossier: Dossier, article: Article, context: Context | None = None
                  ) -> dict[str, str]:
    """An article's own pages: its page, its annotations and corrections, earlier versions.

    They depend on that article, its anchored annotations and ``context`` alone
    (``article_inputs``), so they can be kept and built apart (``pipeline.py``).
    """
    stayed = dossier.version_anchors.get(article.slug, {})
    pages = {
        f"articles/{article.slug}.md": article_page(
            article, dossier.anchors_for(article.slug), context, stayed=stayed),
        f"articles/{article.slug}/annotations.md": article_annotations_page(dossier, article),
        f"articles/{article.slug}/corrections.md": article_corrections_page(dossier, article),
    }
    for version in article.earlier:
        pages[f"articles/{article.slug}/v{version.number}.md"] = article_page(
            version, stayed.get(version.number, []), context, newest=article)
    return pages


def article_inputs(dossier: Dossier, article: Article, context: Context | None = None
                   ) -> list[str]:
    """Everything ``article_pages`` reads, as text: a key for keeping its pages."""
    context = context or Context()
    anchors = dossier.anchors_for(article.slug)
    stayed = sorted(dossier.version_anchors.get(article.slug, {}).items())
    shown = anchors + [a for _number, on in stayed for a in on]
    return [repr(article), repr(anchors), repr(stayed), repr(context.settings),
            repr(context.built), repr([context.authorship.get(a.annotation.path) for a in shown])]


def dossier_inputs(dossier: Dossier, article: Article) -> list[str]:
    """Everything ``dossier_pages`` reads of one article, as text: the article and its
    anchored annotations, but not their bodies, which no page that spans articles shows.
    (Taken in the dossier's order, a key for keeping those pages: after a saved body, the
    indexes and the sources pages are not made again.)"""
    shown = [(x.start, x.end, replace(x.annotation, body=""))
             for x in dossier.anchors_for(article.slug)]
    return [repr(article), repr(shown)]


def dossier_pages(dossier: Dossier) -> dict[str, str]:
    """The pages that span articles: the indexes, paginated."""
    return {
        **articles_pages(dossier),
        **annotations_pages(dossier),
        **corrections_pages(dossier),
        **sources_pages(dossier),
    }


def render(dossier: Dossier, context: Context | None = None) -> dict[str, str]:
    """Every generated page, by its path under the docs folder."""
    pages = dossier_pages(dossier)
    for article in dossier.articles:
        pages.update(article_pages(dossier, article, context))
    return pages


def nav(dossier: Dossier, pdf: bool = False) -> list[object]:
    """Navigation entries for the generated pages (mkdocs.yml's nav holds the others).

    Each article's page links to its own PDFs; ``pdf`` adds the whole-dossier
    edition, for a site that has it (``dossier pdf --all``).  The navigation is on
    every page, so it lists the articles themselves only while there are at most
    PAGE_SIZE of them; past that, the paginated index stands for them.
    """
    listed = dossier.articles if len(dossier.articles) <= PAGE_SIZE else []
    entries: list[object] = [
        # MkDocs shows navigation titles as HTML: escape them.
        {"Articles": [{"All articles": "articles/index.md"}]
         + [{html_text(a.title): f"articles/{a.slug}.md"} for a in listed]},
        {"Annotations": "annotations.md"},
        {"Corrections": "corrections.md"},
        {"Sources": "sources.md"},
    ]
    if pdf:
        entries.append({"PDF edition": "dossier.pdf"})
    return entries
