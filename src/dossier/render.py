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
from dataclasses import dataclass, field
from urllib.parse import quote

from . import dates
from .config import Settings
from .formats.claimreview import article_graph
from .formats.webannotation import collection_path
from .history import Authorship
from .layout import block_html, inline, paragraphs, preorder
from .model import KINDS, SOURCE_TYPES, Anchor, Annotation, Article, Dossier, Source
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


def annotations_page(dossier: Dossier) -> str:
    """Every annotation, grouped by kind, each linking to its place in the text."""
    anchored = [a for slug in (x.slug for x in dossier.articles)
                for a in dossier.anchors_for(slug)]
    titles = {a.slug: a.title for a in dossier.articles}
    entries = [_Entry(x.annotation, dossier.article(x.annotation.article).text[x.start:x.end],
                      titles[x.annotation.article]) for x in anchored]
    groups = [_Group(kind, [e for e in entries if e.annotation.kind == kind]) for kind in KINDS]
    body = render_template("annotations.html", entries=entries,
                           article_count=len(dossier.articles),
                           groups=[g for g in groups if g.entries])
    return _front_matter(title="Annotations", search={"exclude": True}) + _page(body)


def corrections_page(dossier: Dossier) -> str:
    """A newsroom-style corrections log, article by article."""
    groups = []
    for article in dossier.articles:
        fixes = [_Entry(x.annotation, article.text[x.start:x.end], article.title)
                 for x in dossier.anchors_for(article.slug) if x.annotation.kind == "correction"]
        if fixes or article.earlier:
            groups.append(_Group("correction", fixes, article, article.versions[1:][::-1]))
    body = render_template("corrections.html", groups=groups) \
        + render_template("feed-link.html")
    return _front_matter(title="Corrections") + _page(body)


@dataclass(frozen=True)
class CitedSource:
    """One source, listed once, with the annotations that cite it (in text order)."""

    source: Source
    users: list[Annotation]


@dataclass(frozen=True)
class PublisherGroup:
    publisher: str
    sources: list[CitedSource]


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
    for slug in (a.slug for a in dossier.articles):
        for anchor in dossier.anchors_for(slug):
            for s in anchor.annotation.sources:
                entry = cited.setdefault(s.key, CitedSource(s, []))
                if anchor.annotation not in entry.users:
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


def sources_page(dossier: Dossier) -> str:
    """Every source cited, once, by type and publisher, with how many annotations cite it."""
    groups = source_groups(dossier)
    body = render_template("sources.html", groups=groups, total=sum(g.count for g in groups),
                           link=_link) + render_template(
        "machine-readable.html", articles=dossier.articles, path=collection_path)
    return _front_matter(title="Sources") + _page(body)


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


def articles_index(rows: list[IndexRow]) -> str:
    """The articles index from its rows: a plain data -> template function (paginate
    by passing a slice of the rows)."""
    return _page(render_template("articles.html", rows=rows))


def articles_page(dossier: Dossier) -> str:
    return _front_matter(title="Articles") + articles_index(index_rows(dossier))


def render(dossier: Dossier, context: Context | None = None) -> dict[str, str]:
    """Every generated page, by its path under the docs folder."""
    pages = {
        "articles/index.md": articles_page(dossier),
        "annotations.md": annotations_page(dossier),
        "corrections.md": corrections_page(dossier),
        "sources.md": sources_page(dossier),
    }
    for article in dossier.articles:
        stayed = dossier.version_anchors.get(article.slug, {})
        pages[f"articles/{article.slug}.md"] = article_page(
            article, dossier.anchors_for(article.slug), context, stayed=stayed)
        for version in article.earlier:
            pages[f"articles/{article.slug}/v{version.number}.md"] = article_page(
                version, stayed.get(version.number, []), context, newest=article)
    return pages


def nav(dossier: Dossier, pdf: bool = False) -> list[object]:
    """Navigation entries for the generated pages (mkdocs.yml's nav holds the others).

    Each article's page links to its own PDFs; ``pdf`` adds the whole-dossier
    edition, for a site that has it (``dossier pdf --all``).
    """
    entries: list[object] = [
        # MkDocs shows navigation titles as HTML: escape them.
        {"Articles": [{"All articles": "articles/index.md"}]
         + [{html_text(a.title): f"articles/{a.slug}.md"} for a in dossier.articles]},
        {"Annotations": "annotations.md"},
        {"Corrections": "corrections.md"},
        {"Sources": "sources.md"},
    ]
    if pdf:
        entries.append({"PDF edition": "dossier.pdf"})
    return entries
