"""schema.org JSON-LD for an article page: a NewsArticle and a ClaimReview per claim.

Search engines and fact-check aggregators (Google's Fact Check Explorer,
the Duke Reporters' Lab) read ClaimReview markup; newsrooms mark
corrections with CorrectionComment.  The data is the dossier's own: the
rating's label always, and a number only for the ratings the method page
places on a scale (inaccurate 1, imprecise 2, accurate 3).  The claim is
attributed to the article it appears in: its author where the provenance
names one, else its publisher.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..kinds import RATING_LOOKS
from ..model import Anchor, Article

CONTEXT = "https://schema.org"
SCALE = {"inaccurate": 1, "imprecise": 2, "accurate": 3}  # docs/method.md, "Ratings"
BEST, WORST = max(SCALE.values()), min(SCALE.values())


def rating(value: str) -> dict[str, Any]:
    """A schema.org Rating: the label always, the number only where the scale has one."""
    result: dict[str, Any] = {"@type": "Rating", "alternateName": RATING_LOOKS[value].label}
    if value in SCALE:
        result.update(ratingValue=SCALE[value], bestRating=BEST, worstRating=WORST)
    return result


def _publisher(article: Article) -> dict[str, Any]:
    return {"@type": "Organization", "name": article.publisher}


def _author(article: Article) -> dict[str, Any]:
    """The article's author, or its publisher when the page names nobody."""
    if article.author:
        return {"@type": "Person", "name": article.author}
    return _publisher(article)


def news_article(article: Article) -> dict[str, Any]:
    """The original article, as its publisher published it."""
    result: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": article.title,
        "url": article.url,
        "publisher": _publisher(article),
        "inLanguage": article.language,
    }
    if article.author:
        result["author"] = {"@type": "Person", "name": article.author}
    if article.published.date:
        result["datePublished"] = article.published.date
    return result


def article_graph(article: Article, anchors: list[Anchor], *, dossier: str,
                  dossier_url: str | None, page_url: str, dates: Mapping[str, str]
                  ) -> list[dict[str, Any]]:
    """The page's JSON-LD: the NewsArticle with its corrections, then one ClaimReview a claim.

    ``page_url`` is the article page's address (absolute when the site's
    address is known); each note's permalink is that address and its id.
    ``dates`` gives each annotation's date of publication in the dossier.
    """
    by: dict[str, Any] = {"@type": "Organization", "name": dossier}
    if dossier_url:
        by["url"] = dossier_url
    news = {"@context": CONTEXT, **news_article(article)}
    corrections = []
    reviews = []
    for anchor in anchors:
        a = anchor.annotation
        permalink = f"{page_url}#{a.id}"
        if a.kind == "correction":
            original = article.text[anchor.start:anchor.end]
            comment: dict[str, Any] = {
                "@type": "CorrectionComment",
                "name": a.title,
                "text": f"The article says \u201c{original}\u201d; it should say "
                        f"\u201c{a.correction}\u201d.",
                "url": permalink,
                "author": by,
            }
            if a.id in dates:
                comment["datePublished"] = dates[a.id]
            corrections.append(comment)
        elif a.kind == "claim" and a.rating:
            claim: dict[str, Any] = {"@type": "Claim", "appearance": news_article(article),
                                     "author": _author(article)}
            if article.published.date:
                claim["datePublished"] = article.published.date
            review: dict[str, Any] = {
                "@context": CONTEXT,
                "@type": "ClaimReview",
                "name": a.title,
                "claimReviewed": article.text[anchor.start:anchor.end],
                "itemReviewed": claim,
                "reviewRating": rating(a.rating),
                "reviewBody": a.rating_reason,
                "url": permalink,
                "author": by,
            }
            if a.id in dates:
                review["datePublished"] = dates[a.id]
            reviews.append(review)
    if corrections:
        news["correction"] = corrections
    return [news, *reviews]
