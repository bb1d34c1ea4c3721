"""W3C Web Annotation (JSON-LD): one collection per article on the site, one for the PDF.

The same data the site and the PDF show, in the standard interchange
format, so annotations can be reused by other tools (Hypothesis,
Recogito…) and archived inside the PDF/A edition.  Each annotation targets
the original article by its address, with a TextQuoteSelector and a
TextPositionSelector over the article's text as kept in ``seeds/``.
"""

from __future__ import annotations

from typing import Any

from ..config import Settings
from ..model import Anchor, Article, Dossier, Source

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
OWN = {"dossier": "https://dossier.invalid/ns#"}  # the dossier's extra terms
MOTIVATION = {"correction": "editing", "claim": "assessing", "context": "commenting",
              "update": "commenting", "source": "linking"}
CONTEXT_CHARS = 32  # the length of prefix and suffix Hypothesis records


def _source(s: Source) -> dict[str, Any]:
    """A cited page as a linking body; its type (and a reprint's carrier) as dossier: terms.

    The model allows ``purpose`` only on a SpecificResource or a TextualBody
    (section 3.3.5), so the page itself, an External Web Resource, is the
    ``source`` of a SpecificResource that carries the purpose.
    """
    page: dict[str, Any] = {"id": s.url, "type": "Text",
                            "title": s.title, "publisher": s.publisher,
                            "published": s.published, "accessed": s.accessed,
                            "dossier:sourceType": s.type}
    if s.via:
        page["dossier:via"] = s.via
    if s.original_url:
        page["dossier:originalUrl"] = s.original_url
    return {"type": "SpecificResource", "purpose": "linking", "source": page}


def collection_path(slug: str) -> str:
    """Where an article's collection lives on the site: beside its page."""
    return f"articles/{slug}.annotations.jsonld"


def annotation(anchor: Anchor, text: str, source: str, id: str | None = None
               ) -> dict[str, Any]:
    a = anchor.annotation
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "describing", "format": "text/markdown",
         "value": a.body},
    ]
    if a.correction is not None:
        body.append({"type": "TextualBody", "purpose": "editing", "format": "text/plain",
                     "value": a.correction})
    if a.rating:
        body.append({"type": "TextualBody", "purpose": "assessing", "format": "text/plain",
                     "value": a.rating, "dossier:reason": a.rating_reason})
    body += [_source(s) for s in a.sources]
    result: dict[str, Any] = {
        "id": id or f"annotations/{a.article}/{a.id}",
        "type": "Annotation",
        "motivation": MOTIVATION[a.kind],
        "dossier:kind": a.kind,
        "dossier:title": a.title,
        "body": body,
        "target": {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": text[anchor.start:anchor.end],
                 "prefix": text[max(0, anchor.start - CONTEXT_CHARS):anchor.start],
                 "suffix": text[anchor.end:anchor.end + CONTEXT_CHARS]},
                {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
            ],
        },
    }
    if a.date:
        result["dossier:date"] = a.date
    return result


def collection(dossier: Dossier) -> dict[str, Any]:
    """Every annotation of the dossier in one collection (attached to the archival PDF)."""
    items = [annotation(anchor, article.text, article.url)
             for article in dossier.articles for anchor in dossier.anchors_for(article.slug)]
    return {
        "@context": [CONTEXT, OWN],
        "type": "AnnotationCollection",
        "label": "Annotated dossier",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def article_collection(article: Article, anchors: list[Anchor], settings: Settings
                       ) -> dict[str, Any]:
    """One article's annotations, published beside its page.

    Ids are the notes' permalinks when mkdocs.yml gives the site's address,
    else ``tag:`` URIs, so that every id is an absolute IRI as the model asks.
    """
    year = article.retrieved[:4]
    page = f"articles/{article.slug}.html"
    collection_id = settings.identifier(collection_path(article.slug), year)
    items = [annotation(anchor, article.text, article.url,
                        id=settings.identifier(f"{page}#{anchor.annotation.id}", year))
             for anchor in anchors]
    return {
        "@context": [CONTEXT, OWN],
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Annotations on \u201c{article.title}\u201d ({article.publisher})",
        "total": len(items),
        "first": {"type": "AnnotationPage", "id": f"{collection_id}#page1",
                  "partOf": collection_id, "startIndex": 0, "items": items},
    }
