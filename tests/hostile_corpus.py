"""The hostile corpus, and annotations that carry a payload in one chosen field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PAYLOADS = [line.replace("\\n", "\n") for line in
            (Path(__file__).parent / "hostile" / "payloads.txt").read_text("utf-8").splitlines()
            if line and not line.startswith("# ")]

SOURCE = {"url": "https://example.org/page", "title": "A page", "publisher": "Example",
          "type": "news", "published": "2024-01-01", "accessed": "2024-01-02",
          "archive_url": "https://web.archive.org/web/2024/https://example.org/page"}

# Each field a payload goes into, with the kind of annotation that has that field.
FIELDS = ["title", "body", "rating_reason", "correction", "target.exact", "sources.title",
          "sources.publisher", "sources.via", "sources.url", "sources.archive_url",
          "sources.original_url", "sources.url-breakout"]


def annotation_with(field: str, payload: str) -> dict[str, Any]:
    kind = {"rating_reason": "claim", "correction": "correction"}.get(field, "context")
    data: dict[str, Any] = {
        "kind": kind, "title": "A plain title",
        "target": {"exact": "approved a budget"},
        "body": "A plain body of ten or more characters.",
        "sources": [dict(SOURCE)],
    }
    if kind == "claim":
        data.update(rating="accurate", rating_reason="A plain reason.")
    if kind == "correction":
        data.update(correction="approved the budget")
    if field == "target.exact":
        data["target"]["exact"] = payload
    elif field == "sources.url-breakout":
        data["sources"][0]["url"] = "https://example.org/" + payload
    elif field.startswith("sources."):
        if field in ("sources.via", "sources.original_url"):  # a reprint's fields
            data["sources"][0].update(type="reprint", via="Example Mirror")
        data["sources"][0][field.split(".", 1)[1]] = payload
    else:
        data[field] = payload
    return data


def forced_dossier() -> Any:
    """Every payload in every rendered field, anchored without any check: the renderer's test.

    A made-up article gives each payload its own paragraph: a claim carries the
    payload in its title, reason, body and source, and a correction carries it
    in the corrected wording.
    """
    from dossier.load import sha256_text
    from dossier.model import Anchor, Annotation, Article, Dossier, Published, Source, Target

    lines = ["Hostile corpus"] + [f"Alpha{i} beta{i} gamma." for i in range(len(PAYLOADS))]
    text = "\n".join(lines)
    article = Article(slug="hostile", text=text, title="Hostile corpus",
                      publisher="Test", url="https://example.org/hostile",
                      published=Published("2024-01-01"), retrieved="2024-01-02",
                      language="en", sha256=sha256_text(text), path="seeds/hostile.txt")
    anchors = []
    for i, payload in enumerate(PAYLOADS):
        start = text.index(f"Alpha{i} ")
        source = Source(url="https://example.org/" + payload, title=payload, publisher=payload,
                        type="reprint", via=payload, original_url=payload,
                        published="2024-01-01", accessed="2024-01-02",
                        archive_url=payload)
        fix = Annotation(id=f"fix-{i}", article="hostile", kind="correction", title=payload,
                         body=payload, target=Target(f"Alpha{i}"), sources=(source,),
                         path=f"annotations/hostile/fix-{i}.yml", correction=payload)
        claim = Annotation(id=f"claim-{i}", article="hostile", kind="claim", title=payload,
                           body=payload, target=Target(f"beta{i}"), sources=(source,),
                           path=f"annotations/hostile/claim-{i}.yml", rating="unverified",
                           rating_reason=payload)
        word = len(f"Alpha{i}")
        anchors.append(Anchor(fix, start, start + word))
        anchors.append(Anchor(claim, start + word + 1, start + word + 1 + len(f"beta{i}")))
    return Dossier([article], [a.annotation for a in anchors], {"hostile": anchors})


# The provenance file's fields a payload goes into (seeds/<slug>.yml).
PROVENANCE_FIELDS = ["title", "publisher", "author", "published.evidence", "notes",
                     "url-breakout"]


def provenance_with(field: str, payload: str, data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a provenance file's data with ``payload`` in one field."""
    data = {**data, "published": {"date": "unknown", "estimate": "2024",
                                  "evidence": "A plain sentence about the date."}}
    if field == "url-breakout":
        data["url"] = "https://example.org/" + payload
    elif field == "published.evidence":
        data["published"]["evidence"] = payload
    else:
        data[field] = payload
    return data


def forced_provenance_dossier() -> Any:
    """One article per payload, the payload in every provenance field, rendered unchecked."""
    from dossier.load import sha256_text
    from dossier.model import Anchor, Annotation, Article, Dossier, Published, Source, Target

    articles, anchors = [], {}
    for i, payload in enumerate(PAYLOADS):
        slug = f"hostile-{i:03d}"
        text = f"Headline {i}\nAlpha beta gamma."
        article = Article(slug=slug, text=text, title=payload, publisher=payload,
                          url="https://example.org/" + payload,
                          published=Published(None, payload, payload), retrieved="2024-01-02",
                          language="en", sha256=sha256_text(text), path=f"seeds/{slug}.txt",
                          author=payload, notes=payload)
        note = Annotation(id="note", article=slug, kind="context", title="A plain title",
                          body="A plain body.", target=Target("beta"),
                          sources=(Source("https://example.org/a", "A page", "Example",
                                          "2024-01-01", "2024-01-02", "news"),),
                          path=f"annotations/{slug}/note.yml")
        start = text.index("beta")
        articles.append(article)
        anchors[slug] = [Anchor(note, start, start + 4)]
    return Dossier(articles, [a.annotation for x in anchors.values() for a in x], anchors)
