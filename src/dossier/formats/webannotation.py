"""Export: the annotations as a W3C Web Annotation collection (JSON-LD).

The same data the site and the PDF show, in the standard interchange
format, so annotations can be reused by other tools (Hypothesis,
Recogito…) and archived inside the PDF/A edition.
"""

from __future__ import annotations

from typing import Any

from ..model import Anchor, Dossier, Source

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATION = {"correction": "editing", "claim": "assessing", "context": "commenting",
              "update": "commenting", "source": "linking"}
CONTEXT_CHARS = 32  # the length of prefix and suffix Hypothesis records


def _source(s: Source) -> dict[str, Any]:
    """A cited page as a linking body; its type (and a reprint's carrier) as dossier: terms."""
    body: dict[str, Any] = {"id": s.url, "type": "Text", "purpose": "linking",
                            "title": s.title, "publisher": s.publisher,
                            "published": s.published, "accessed": s.accessed,
                            "dossier:sourceType": s.type}
    if s.via:
        body["dossier:via"] = s.via
    if s.original_url:
        body["dossier:originalUrl"] = s.original_url
    return body


def annotation(anchor: Anchor, text: str, source: str) -> dict[str, Any]:
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
        "id": f"annotations/{a.article}/{a.id}",
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
    items = [annotation(anchor, article.text, article.url)
             for article in dossier.articles for anchor in dossier.anchors_for(article.slug)]
    return {
        "@context": [CONTEXT, {"dossier": "https://dossier.invalid/ns#"}],
        "type": "AnnotationCollection",
        "label": "Annotated dossier",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
