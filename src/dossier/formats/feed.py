"""An Atom feed of corrections and updates, newest first, written by feedgen.

Readers follow corrections in feeds.  Each entry links to the note's
permalink.  Its date is the annotation's ``updated`` field, or for an
update its ``date``, or else the date of the last commit that changed its
file; a partial date (``2024-12``, ``2024``) stands for its first day, at
midnight UTC.  Addresses are absolute when mkdocs.yml sets ``site_url``;
without it the links are relative to the site's root and the ids are
``tag:`` URIs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config import Settings
from ..markup import body_html
from ..model import Anchor, Annotation, Article, Dossier

FEED_PATH = "feed.xml"
KINDS = ("correction", "update")


def first_day(value: str) -> dt.datetime:
    """``2024-12-03``, ``2024-12`` or ``2024`` as a moment: a partial date is its first day."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC)


def entry_date(a: Annotation, last_commit: str | None) -> str | None:
    """The annotation's ``updated``, else an update's ``date``, else its file's last commit."""
    return a.updated or (a.date if a.kind == "update" else None) or last_commit


@dataclass(frozen=True)
class Entry:
    anchor: Anchor | None  # None: "the publisher changed the article"
    article: Article
    date: dt.datetime
    version: Article | None = None  # the new version, for a publisher's change

    @property
    def key(self) -> str:
        return self.anchor.annotation.id if self.anchor else f"~v{self.version_number}"

    @property
    def version_number(self) -> int:
        return self.version.number if self.version else 0


def feed_bodies(anchors: list[Anchor]) -> dict[str, str]:
    """The HTML of the bodies the feed shows among ``anchors`` (corrections and updates),
    by annotation file: what ``atom`` reads of one article's annotations but their fields."""
    return {a.annotation.path: body_html(a.annotation.body) for a in anchors
            if a.annotation.kind in KINDS}


def feed_inputs(article: Article, anchors: list[Anchor],
                last_commit: Callable[[Annotation], str | None]) -> list[str]:
    """Everything ``atom`` reads of one article, as text (the settings and the build date
    aside): the article, and its corrections and updates with their places and last
    commits.  With those two, a key for keeping the feed: a saved note of another kind
    leaves it as it was (``pipeline._render``)."""
    shown = [(x.start, x.end, x.annotation, last_commit(x.annotation)) for x in anchors
             if x.annotation.kind in KINDS]
    return [repr(article), repr(shown)]


def entries(dossier: Dossier, last_commit: Callable[[Annotation], str | None],
            fallback: str | None) -> list[Entry]:
    """Every correction and update, newest first (then by article and id, for a stable order)."""
    found = []
    for article in dossier.articles:
        for anchor in dossier.anchors_for(article.slug):
            a = anchor.annotation
            if a.kind not in KINDS:
                continue
            when = entry_date(a, last_commit(a)) or fallback or "1970-01-01"
            found.append(Entry(anchor, article, first_day(when)))
        for version in article.versions[1:]:  # dated by when the dossier retrieved it
            found.append(Entry(None, article, first_day(version.retrieved), version))
    found.sort(key=lambda e: (e.article.slug, e.key))
    found.sort(key=lambda e: e.date, reverse=True)
    return found


def _summary(entry: Entry) -> str:
    if entry.anchor is None:
        return (f"The publisher changed \u201c{entry.article.title}\u201d: the dossier "
                f"retrieved version {entry.version_number} on "
                f"{entry.date.strftime('%-d %B %Y')}.")
    a = entry.anchor.annotation
    quoted = entry.article.text[entry.anchor.start:entry.anchor.end]
    if a.kind == "correction":
        return (f"Correction to \u201c{entry.article.title}\u201d: the article says "
                f"\u201c{quoted}\u201d; it should say \u201c{a.correction}\u201d.")
    return f"Update to \u201c{entry.article.title}\u201d, on \u201c{quoted}\u201d."


def atom(dossier: Dossier, settings: Settings, last_commit: Callable[[Annotation], str | None],
         built: str | None, content: Callable[[Annotation], str] | None = None) -> bytes:
    """The feed as Atom XML: deterministic, so two builds of one commit give the same bytes.

    ``content`` gives an entry's body as HTML (``body_html`` of its body by default;
    a build passes the bodies it kept per article, ``pipeline._render``).
    """
    content = content or (lambda a: body_html(a.body))
    from feedgen.feed import FeedGenerator  # with lxml: only when a feed is written

    year = (built or "1970")[:4]
    found = entries(dossier, last_commit, built)
    feed_id = settings.identifier(FEED_PATH, year)
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(f"{settings.site_name}: corrections and updates")
    fg.subtitle("Errors found in the articles, and what happened after they were published.")
    fg.author({"name": settings.site_name})
    fg.link(href=settings.page_url(FEED_PATH) or FEED_PATH, rel="self",
            type="application/atom+xml")
    fg.link(href=settings.page_url("corrections.html") or "corrections.html", rel="alternate",
            type="text/html")
    fg.language("en")
    newest = found[0].date if found else first_day(built or "1970-01-01")
    fg.updated(newest)
    for entry in found:
        if entry.anchor is None:
            _publisher_change(fg, entry, settings)
            continue
        a = entry.anchor.annotation
        page = f"articles/{entry.article.slug}.html#{a.id}"
        fe = fg.add_entry(order="append")
        fe.id(settings.identifier(page, entry.article.retrieved[:4]))
        fe.title(f"{'Correction' if a.kind == 'correction' else 'Update'}: {a.title}")
        fe.link(href=settings.page_url(page) or page, rel="alternate", type="text/html")
        fe.updated(entry.date)
        fe.published(entry.date)
        fe.summary(_summary(entry))
        fe.content(content(a), type="html")
        fe.category(term=a.kind)
    data: bytes = fg.atom_str(pretty=True)
    return data


def _publisher_change(fg: Any, entry: Entry, settings: Settings) -> None:
    page = f"articles/{entry.article.slug}.html#changes-v{entry.version_number}"
    fe = fg.add_entry(order="append")
    fe.id(settings.identifier(page, entry.article.retrieved[:4]))
    fe.title(f"The publisher changed the article: {entry.article.title} "
             f"(version {entry.version_number})")
    fe.link(href=settings.page_url(page) or page, rel="alternate", type="text/html")
    fe.updated(entry.date)
    fe.published(entry.date)
    fe.summary(_summary(entry))
    fe.category(term="publisher-change")
