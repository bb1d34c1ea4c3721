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

import json
from dataclasses import dataclass, field
from urllib.parse import quote

from . import dates, jinja
from .config import Settings
from .formats.claimreview import article_graph
from .formats.webannotation import collection_path
from .history import Authorship
from .kinds import KIND_LOOKS, RATING_LOOKS, icon, sprite
from .layout import block_html, inline, paragraphs, preorder
from .markup import body_html, safe_url, text
from .model import KINDS, Anchor, Annotation, Article, Dossier, Source


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
    lines = ["---"] + [f"{key}: {json.dumps(value)}" for key, value in meta.items()] + ["---"]
    return "\n".join(lines) + "\n\n"


def _marker(a: Annotation) -> str:
    look = KIND_LOOKS[a.kind]
    return (f'<a class="dz-marker dz-marker--{a.kind}" href="#{a.id}" id="ref-{a.id}" '
            f'data-dz-label="{look.label}" aria-label="{look.label}: {text(a.title)}">'
            f"{icon(look.icon)}</a>")


def source_item(s: Source) -> str:
    url = safe_url(s.url)
    title = (f'<a href="{text(url)}" rel="noopener noreferrer">{text(s.title)}</a>' if url
             else text(s.title))
    via = f" (via {text(s.via)})" if s.via else ""
    parts = [f"{title}. {text(s.publisher)}{via}, {dates.human(s.published)}.",
             f'<span class="dz-url">{text(s.url)}</span>']
    archive = safe_url(s.archive_url) if s.archive_url else None
    if archive:
        parts.append(f'(<a href="{text(archive)}" rel="noopener noreferrer">archived copy</a>)')
    parts.append(f'<span class="dz-accessed">Accessed {dates.human(s.accessed)}.</span>')
    return " ".join(parts)


def _badge(kind: str) -> str:
    look = KIND_LOOKS[kind]
    return f'<span class="dz-badge dz-badge--{kind}">{icon(look.icon)}{look.label}</span>'


def _rating_badge(rating: str) -> str:
    look = RATING_LOOKS[rating]
    return (f'<span class="dz-rating dz-rating--{rating}">{icon(look.icon)}'
            f"Rating: {look.label}</span>")


def correction_sentence(a: Annotation, original: str) -> str:
    return (f'The article says <del>{text(original)}</del>; '
            f"it should say <ins>{text(a.correction or '')}</ins>.")


def _byline(a: Annotation, context: Context) -> str:
    who = context.authorship.get(a.path, Authorship(a.author, a.updated))
    parts = []
    if who.author:
        parts.append(f"Written by {text(who.author)}")
    if who.changed:
        parts.append(f"last changed {dates.human(who.changed)}")
    edit = context.settings.edit_url(a.path)
    if edit:
        parts.append(f'<a class="dz-note__edit" href="{text(edit)}" '
                     f'rel="noopener noreferrer">Edit this annotation</a>')
    return " · ".join(parts)


def note(anchor: Anchor, article: Article, context: Context | None = None) -> str:
    a = anchor.annotation
    head = [_badge(a.kind)]
    if a.rating:
        head.append(_rating_badge(a.rating))
    if a.kind == "update" and a.date:
        head.append(f'<span class="dz-date">{dates.human(a.date)}</span>')
    parts = [
        f'<aside class="dz-note dz-note--{a.kind}" data-dz-note="{a.id}" '
        f'aria-labelledby="{a.id}">',
        f'<h2 class="dz-note__title" id="{a.id}">{text(a.title)}</h2>',
        f'<p class="dz-note__kind">{" ".join(head)}</p>',
    ]
    if a.kind == "correction":
        original = article.text[anchor.start:anchor.end]
        parts.append(f'<p class="dz-note__correction">{correction_sentence(a, original)}</p>')
    if a.rating and a.rating_reason:
        parts.append(f'<p class="dz-note__reason"><strong>Why:</strong> '
                     f"{text(a.rating_reason)}</p>")
    parts.append(f'<div class="dz-note__body">{body_html(a.body)}</div>')
    parts.append('<p class="dz-note__sources-title">Sources</p>')
    parts.append('<ol class="dz-note__sources">'
                 + "".join(f"<li>{source_item(s)}</li>" for s in a.sources) + "</ol>")
    parts.append(f'<p class="dz-note__links"><a class="dz-note__permalink" href="#{a.id}">'
                 f'Permalink</a> · <a href="#ref-{a.id}">Back to the text</a></p>')
    byline = _byline(a, context or Context())
    if byline:
        parts.append(f'<p class="dz-note__byline">{byline}</p>')
    parts.append("</aside>")
    return "\n".join(parts)


def _provenance(article: Article, count: int) -> str:
    published = article.published
    when = text(published.describe())
    if published.evidence:
        when += f'. <span class="dz-evidence">{text(published.evidence)}</span>'
    url = safe_url(article.url)
    link = (f'<a href="{text(url)}" rel="noopener noreferrer">{text(article.url)}</a>' if url
            else text(article.url))
    rows = [("Publisher", text(article.publisher)), ("Original address", link),
            ("Published", when), ("Retrieved", dates.human(article.retrieved)),
            ("Language", text(article.language)),
            ("SHA-256 of the text", f"<code>{article.sha256}</code>"),
            ("Annotations", str(count)),
            ("Offline edition", '<a href="../dossier.pdf">PDF, with the annotations as '
                                "footnotes</a>")]
    if article.author:
        rows.insert(1, ("Author", text(article.author)))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return ('<div class="admonition info dz-provenance">'
            '<p class="admonition-title">About this article</p>'
            "<p>The text below is the article exactly as published. Nothing in it is "
            "changed: annotations, corrections included, are shown on top of it.</p>"
            f'<dl class="dz-provenance__list">{body}</dl></div>')


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


def _suggest(article: Article, context: Context) -> str:
    new = context.settings.new_file_url(f"annotations/{article.slug}")
    if not new:
        return ""
    url = f"{new}?filename=new-annotation.yml&value={quote(SUGGESTION)}"
    return (f'<p class="dz-suggest"><a href="{text(url)}" rel="noopener noreferrer">'
            "Suggest an annotation</a> on this article (opens a new file on the forge, "
            "with a template; see the contributors' guide).</p>")


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
    return jinja.render("jsonld.html", data=graph)


def article_page(article: Article, anchors: list[Anchor], context: Context | None = None
                 ) -> str:
    context = context or Context()
    anchor_of = {a.annotation.id: a for a in anchors}

    def wrap(anchor: Anchor, inner: str) -> str:
        a = anchor.annotation
        return (f'<mark class="dz-span dz-span--{a.kind}" data-dz-for="{a.id}">{inner}</mark>'
                f"{_marker(a)}")

    lang = f' lang="{text(article.language)}"' if article.language != "unknown" else ""
    blocks: list[str] = [f'<div class="dz-article"{lang}>']
    if not any(b.kind == "headline" for b in article.blocks):  # the recorded title stands in
        blocks.append(f'<h1 class="dz-headline">{text(article.title)}</h1>')
        blocks.append(_provenance(article, len(anchors)))
    for paragraph in paragraphs(article, anchors):
        if paragraph.block.kind == "headline":
            html = inline(article.text, paragraph.start, paragraph.end, paragraph.nodes, wrap)
            blocks.append(f'<h1 class="dz-headline">{html}</h1>')
            blocks.append(_provenance(article, len(anchors)))
        else:
            blocks.append(block_html(article.text, paragraph, wrap, p_class="dz-paragraph"))
        blocks.extend(note(anchor_of[a.id], article, context)
                      for a in preorder(paragraph.nodes))
    blocks.append(_suggest(article, context))
    blocks.append(structured_data(article, anchors, context))
    body = "\n".join(blocks)
    alternate = [{"type": "application/ld+json", "href": collection_path(article.slug),
                  "title": "W3C Web Annotations on this article"}]
    return _front_matter(title=article.title,
                         description=f"{article.title} ({article.publisher}), annotated",
                         alternate=alternate,
                         ) + f"{blocks[0]}\n{sprite(body)}" + "\n".join(blocks[1:]) \
        + "\n</div>\n"


def _link(a: Annotation) -> str:
    """From a page at the site's root to the annotation in its article."""
    return f"articles/{a.article}.html#{a.id}"


def annotations_page(dossier: Dossier) -> str:
    """Every annotation, grouped by kind, each linking to its place in the text."""
    anchored = [a for slug in (x.slug for x in dossier.articles)
                for a in dossier.anchors_for(slug)]
    titles = {a.slug: a.title for a in dossier.articles}
    blocks = ["<h1>Annotations</h1>",
              f"<p>{len(anchored)} annotations on {len(dossier.articles)} "
              f"article{'s' if len(dossier.articles) != 1 else ''}, by kind. Each links to "
              "the place in the text where it applies.</p>"]
    for kind in KINDS:
        of_kind = [x for x in anchored if x.annotation.kind == kind]
        if not of_kind:
            continue
        look = KIND_LOOKS[kind]
        blocks.append(f'<h2 id="{kind}">{icon(look.icon)} {look.plural} ({len(of_kind)})</h2>')
        blocks.append(f'<p class="dz-kind-meaning">{text(look.meaning)}</p>')
        items = []
        for anchor in of_kind:
            a = anchor.annotation
            article = dossier.article(a.article)
            extra = f" {_rating_badge(a.rating)}" if a.rating else ""
            if a.kind == "update" and a.date:
                extra += f' <span class="dz-date">{dates.human(a.date)}</span>'
            quote = article.text[anchor.start:anchor.end]
            items.append(f'<li class="dz-index__item"><a href="{_link(a)}">{text(a.title)}</a>'
                         f'{extra}<br><span class="dz-index__quote">On '
                         f"<q>{text(quote)}</q> in <cite>{text(titles[a.article])}</cite>"
                         "</span></li>")
        blocks.append('<ul class="dz-index">' + "".join(items) + "</ul>")
    return _front_matter(title="Annotations", search={"exclude": True}) + _html(blocks)


def corrections_page(dossier: Dossier) -> str:
    """A newsroom-style corrections log, article by article."""
    blocks = ["<h1>Corrections</h1>",
              "<p>Errors found in the articles, article by article. The articles "
              "themselves are never changed; each correction is shown on top of the text, "
              "with the original struck through.</p>",
              jinja.render("feed-link.html")]
    total = 0
    for article in dossier.articles:
        fixes = [x for x in dossier.anchors_for(article.slug)
                 if x.annotation.kind == "correction"]
        if not fixes:
            continue
        total += len(fixes)
        blocks.append(f'<h2 id="{article.slug}">{text(article.title)}</h2>')
        for anchor in fixes:
            a = anchor.annotation
            original = article.text[anchor.start:anchor.end]
            blocks.append(
                f'<div class="dz-correction-entry" data-dz-correction="{a.id}">'
                f'<p><strong>{text(a.title)}</strong></p>'
                f"<p>{correction_sentence(a, original)}</p>{body_html(a.body)}"
                f'<p><a href="{_link(a)}">See it in the text</a></p></div>')
    if not total:
        blocks.append("<p>No corrections so far.</p>")
    return _front_matter(title="Corrections") + _html(blocks)


def sources_page(dossier: Dossier) -> str:
    """Every source cited, once, as a bibliography, with what cites it."""
    cited: dict[str, tuple[Source, list[Annotation]]] = {}
    for slug in (a.slug for a in dossier.articles):
        for anchor in dossier.anchors_for(slug):
            for s in anchor.annotation.sources:
                entry = cited.setdefault(s.key, (s, []))
                if anchor.annotation not in entry[1]:
                    entry[1].append(anchor.annotation)
    ordered = sorted(cited.values(),
                     key=lambda e: (e[0].publisher.casefold(), e[0].title.casefold()))
    items = []
    for s, users in ordered:
        uses = ", ".join(f'<a href="{_link(a)}">{text(a.title)}</a>' for a in users)
        items.append(f'<li class="dz-bibliography__item">{source_item(s)}'
                     f'<br><span class="dz-cited-by">Cited in: {uses}</span></li>')
    blocks = ["<h1>Sources</h1>",
              f"<p>{len(ordered)} sources cited by the annotations, each listed once, "
              "by publisher.</p>",
              '<ol class="dz-bibliography">' + "".join(items) + "</ol>",
              jinja.render("machine-readable.html", articles=dossier.articles,
                           path=collection_path)]
    return _front_matter(title="Sources") + _html(blocks)


def articles_page(dossier: Dossier) -> str:
    items = []
    for article in dossier.articles:
        count = len(dossier.anchors_for(article.slug))
        items.append(f'<li><a href="{article.slug}.html">{text(article.title)}</a>, '
                     f"{text(article.publisher)}. {count} annotations.</li>")
    blocks = ["<h1>Articles</h1>", '<ul class="dz-articles">' + "".join(items) + "</ul>"]
    return _front_matter(title="Articles") + _html(blocks)


def _html(blocks: list[str]) -> str:
    body = "\n".join(blocks)
    return f'<div class="dz-page">\n{sprite(body)}{body}\n</div>\n'


def render(dossier: Dossier, context: Context | None = None) -> dict[str, str]:
    """Every generated page, by its path under the docs folder."""
    pages = {
        "articles/index.md": articles_page(dossier),
        "annotations.md": annotations_page(dossier),
        "corrections.md": corrections_page(dossier),
        "sources.md": sources_page(dossier),
    }
    for article in dossier.articles:
        pages[f"articles/{article.slug}.md"] = article_page(
            article, dossier.anchors_for(article.slug), context)
    return pages


def nav(dossier: Dossier, pdf: bool = True) -> list[object]:
    """Navigation entries for the generated pages (mkdocs.yml's nav holds the others)."""
    entries: list[object] = [
        {"Articles": [{"All articles": "articles/index.md"}]
         + [{a.title: f"articles/{a.slug}.md"} for a in dossier.articles]},
        {"Annotations": "annotations.md"},
        {"Corrections": "corrections.md"},
        {"Sources": "sources.md"},
    ]
    if pdf:
        entries.append({"PDF edition": "dossier.pdf"})
    return entries
