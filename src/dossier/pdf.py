"""The offline PDF edition: footnoted, bookmarked, tagged, with an archival variant.

Built with WeasyPrint from print HTML made here from the same data as the
site (not a print of the web pages): every annotation becomes a page
footnote at its place in the text (CSS ``float: footnote``), and the full
notes, the corrections log and the bibliography follow each article.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import dates, jinja
from .buildinfo import BuildInfo, source_date
from .formats.webannotation import collection
from .kinds import KIND_LOOKS, RATING_LOOKS
from .layout import block_html, inline, paragraphs, preorder, tree
from .markup import body_html, safe_url, text
from .model import Anchor, Annotation, Article, Dossier, Source

DOSSIER_TITLE = "Annotated dossier"
PDF_NAME = "dossier.pdf"
ARCHIVAL_NAME = "dossier-archival.pdf"
MIDDOT = " \u00b7 "
HEADLINE = ' class="headline"'


@dataclass(frozen=True)
class Editions:
    """The reader's PDF (tagged, PDF/UA) and the archive's (PDF/A-3 with the data)."""

    reader: bytes
    archival: bytes


def _footnote(a: Annotation, article: Article, anchor: Anchor) -> str:
    look = KIND_LOOKS[a.kind]
    parts = [f'<span class="kind">{look.label}:</span> {text(a.title)}.']
    if a.kind == "correction":
        parts.append(f"The article says \u201c{text(article.text[anchor.start:anchor.end])}"
                     f"\u201d; it should say \u201c{text(a.correction or '')}\u201d.")
    if a.rating:
        parts.append(f"Rating: {RATING_LOOKS[a.rating].label}.")
    if a.kind == "update" and a.date:
        parts.append(f"{dates.human(a.date)}.")
    parts.append(f'See <a href="#note-{article.slug}-{a.id}">the full note</a>.')
    return f'<span class="fn">{" ".join(parts)}</span>'


def _article_text(article: Article, anchors: list[Anchor]) -> str:
    def wrap(anchor: Anchor, inner: str) -> str:
        a = anchor.annotation
        return f'<span class="hl hl-{a.kind}">{inner}</span>{_footnote(a, article, anchor)}'

    return "\n".join(
        f"<p{HEADLINE}>{inline(article.text, p.start, p.end, p.nodes, wrap)}</p>"
        if p.block.kind == "headline"
        else block_html(article.text, p, wrap, p_class="", heading_offset=2,
                        id_prefix=f"{article.slug}-p")
        for p in paragraphs(article, anchors))


def _source(s: Source) -> str:
    url = safe_url(s.url)
    link = (f'<a href="{text(url)}"><span class="url">{text(s.url)}</span></a>' if url
            else f'<span class="url">{text(s.url)}</span>')
    via = f" (via {text(s.via)})" if s.via else ""
    archive = safe_url(s.archive_url) if s.archive_url else None
    return (f"{text(s.publisher)}{via}, \u201c{text(s.title)}\u201d, "
            f"{dates.human(s.published)}. {link}"
            + jinja.render("archived-copy.html", url=archive, accessed=dates.human(s.accessed)))


def _note(anchor: Anchor, article: Article) -> str:
    a = anchor.annotation
    meta = [KIND_LOOKS[a.kind].label]
    if a.rating:
        meta.append(f"Rating: {RATING_LOOKS[a.rating].label}"
                    + (f" \u2014 {text(a.rating_reason)}" if a.rating_reason else ""))
    if a.kind == "update" and a.date:
        meta.append(dates.human(a.date))
    quote = text(article.text[anchor.start:anchor.end])
    correction = ""
    if a.kind == "correction":
        correction = (f"<p>The article says <del>{quote}</del>; it should say "
                      f"<ins>{text(a.correction or '')}</ins>.</p>")
    sources = "".join(f"<li>{_source(s)}</li>" for s in a.sources)
    return (f'<div class="note" id="note-{article.slug}-{a.id}">'
            f"<h3>{text(a.title)}</h3>"
            f'<p class="meta">{MIDDOT.join(meta)}. On \u201c{quote}\u201d.</p>'
            f"{correction}{body_html(a.body)}"
            f'<ol class="sources">{sources}</ol></div>')


def _provenance(article: Article) -> str:
    p = article.published
    when = text(p.describe())
    url = safe_url(article.url)
    link = f'<a href="{text(url)}">{text(article.url)}</a>' if url else text(article.url)
    rows = [("Publisher", text(article.publisher)), ("Original address", link),
            ("Published", when), ("Retrieved", dates.human(article.retrieved)),
            ("SHA-256 of the text", f"<code>{article.sha256}</code>")]
    if p.evidence:
        rows.insert(3, ("Dating evidence", text(p.evidence)))
    return ('<dl class="provenance">'
            + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>")


def _bibliography(annotations: list[Annotation]) -> str:
    seen: dict[str, Source] = {}
    for a in annotations:
        for s in a.sources:
            seen.setdefault(s.key, s)
    ordered = sorted(seen.values(), key=lambda s: (s.publisher.casefold(), s.title.casefold()))
    return '<ol class="bibliography">' + "".join(f"<li>{_source(s)}</li>" for s in ordered) \
        + "</ol>"


def _article(article: Article, anchors: list[Anchor]) -> str:
    slug = article.slug
    by_id = {a.annotation.id: a for a in anchors}
    notes = "".join(_note(by_id[a.id], article) for a in preorder(tree(anchors)))
    fixes = [a for a in anchors if a.annotation.kind == "correction"]
    log = ("<ol class=\"log\">" + "".join(
        f"<li><strong>{text(a.annotation.title)}.</strong> The article says "
        f"<del>{text(article.text[a.start:a.end])}</del>; it should say "
        f"<ins>{text(a.annotation.correction or '')}</ins>.</li>" for a in fixes) + "</ol>"
        if fixes else "<p>No corrections.</p>")
    return (f'<section class="article" id="article-{slug}" lang="{text(article.language)}">'
            f"<h1>{text(article.title)}</h1>"
            f"{_provenance(article)}"
            f'<h2 id="text-{slug}">The article as published</h2>'
            f'<div class="text">{_article_text(article, anchors)}</div>'
            f'<h2 id="notes-{slug}">Annotations in full</h2>{notes}'
            f'<h2 id="corrections-{slug}">Corrections</h2>{log}'
            f'<h2 id="sources-{slug}">Sources</h2>'
            f"{_bibliography([a.annotation for a in anchors])}</section>")


def print_html(dossier: Dossier, info: BuildInfo) -> str:
    """The whole edition as one HTML document for WeasyPrint."""
    built = info.date.strftime("%-d %B %Y") if info.date else "unknown"
    iso = info.date.strftime("%Y-%m-%dT%H:%M:%SZ") if info.date else ""
    first = dossier.articles[0] if dossier.articles else None
    cover_rows = []
    for article in dossier.articles:
        cover_rows.append(
            f'<p class="cover-article">{text(article.title)}</p><dl>'
            f"<dt>Publisher</dt><dd>{text(article.publisher)}</dd>"
            f"<dt>Original address</dt><dd>{text(article.url)}</dd>"
            f"<dt>Retrieved</dt><dd>{dates.human(article.retrieved)}</dd></dl>")
    contents = "".join(
        f'<li><a href="#article-{a.slug}">{text(a.title)}</a></li>' for a in dossier.articles)
    keywords = ", ".join(["annotated edition", "fact check", "corrections",
                          *(a.publisher for a in dossier.articles)])
    subject = "; ".join(a.title for a in dossier.articles)
    head = (f"<title>{DOSSIER_TITLE}: {text(first.title) if first else ''}</title>"
            f'<meta name="author" content="The dossier\'s contributors">'
            f'<meta name="description" content="{text("Annotated edition of: " + subject)}">'
            f'<meta name="keywords" content="{text(keywords)}">'
            f'<meta name="generator" content="dossier">'
            + (f'<meta name="dcterms.created" content="{iso}">'
               f'<meta name="dcterms.modified" content="{iso}">' if iso else ""))
    body = (f'<section class="cover"><h1>{DOSSIER_TITLE}</h1>{"".join(cover_rows)}'
            f"<dl><dt>Built</dt><dd>{built}</dd><dt>Source version</dt>"
            f"<dd>{text(info.version)}</dd></dl>"
            '<p class="cover-note">Each article is reproduced exactly as published. '
            "Annotations are shown as numbered footnotes; corrections show the original "
            "words struck through and the corrected words in bold.</p></section>"
            f'<nav class="contents"><h2>Contents</h2><ol>{contents}</ol></nav>'
            + "".join(_article(a, dossier.anchors_for(a.slug)) for a in dossier.articles))
    lang = text(first.language) if first else "en"
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>' \
           f"<body>{body}</body></html>"


def render_pdf(dossier: Dossier, info: BuildInfo) -> Editions:
    """Lay the edition out once, and write it as the reader's and the archive's PDF."""
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fonts = FontConfiguration()
    # fontTools stamps the fonts it converts and subsets with SOURCE_DATE_EPOCH, not now.
    with source_date(info.epoch), \
            resources.as_file(resources.files("dossier") / "assets") as folder:
        css = CSS(filename=str(Path(folder) / "print.css"), font_config=fonts)
        document = HTML(string=print_html(dossier, info), base_url=f"{folder}/").render(
            stylesheets=[css], font_config=fonts, pdf_tags=True)
        identifier = info.version.encode()
        reader = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier,
                                    pdf_tags=True)
        data = json.dumps(collection(dossier), ensure_ascii=False, indent=2, sort_keys=True)
        attachment = Attachment(string=data, name="annotations.json",
                                description="The dossier's annotations as a W3C Web Annotation "
                                            "collection (JSON-LD)", relationship="Data",
                                created=info.date, modified=info.date)
        archival = document.write_pdf(pdf_variant="pdf/a-3b", pdf_identifier=identifier,
                                      attachments=[attachment], pdf_tags=True)
    assert isinstance(reader, bytes) and isinstance(archival, bytes)
    return Editions(reader, archival)
