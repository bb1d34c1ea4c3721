"""schema.org JSON-LD on article pages, read back as a search engine would (extruct)."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from typing import Any

import extruct
import pytest

from conftest import FAKE_SLUG, REAL_SLUG, ROOT, Built
from dossier.config import Settings
from dossier.formats.claimreview import article_graph
from dossier.pipeline import check
from dossier.project import Project
from dossier.render import Context, render, structured_data
from hostile_corpus import PAYLOADS, forced_dossier

LABELS = {"accurate": "Accurate", "inaccurate": "Inaccurate", "imprecise": "Imprecise",
          "needs-context": "Needs context", "unverified": "Unverified"}
SCALED = {"inaccurate": 1, "imprecise": 2, "accurate": 3}


def jsonld(html: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = extruct.extract(html, syntaxes=["json-ld"],
                                                 uniform=False)["json-ld"]
    return data


def of_type(items: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [x for x in items if x.get("@type") == kind]


@pytest.mark.site
@pytest.mark.parametrize("slug", [REAL_SLUG, FAKE_SLUG])
def test_each_claim_has_a_claimreview_with_every_field(built: Built, slug: str) -> None:
    page = built.page(f"articles/{slug}.html")
    items = jsonld(page)
    article = built.dossier.article(slug)
    claims = [x for x in built.dossier.anchors_for(slug) if x.annotation.kind == "claim"]
    reviews = of_type(items, "ClaimReview")
    assert claims and len(reviews) == len(claims)
    for anchor, review in zip(claims, reviews, strict=True):
        a = anchor.annotation
        assert review["@context"] == "https://schema.org"
        assert review["claimReviewed"] == article.text[anchor.start:anchor.end]
        assert review["name"] == a.title
        assert review["reviewBody"] == a.rating_reason
        assert review["url"] == f"{slug}.html#{a.id}"
        assert f'id="{a.id}"' in page  # the permalink lands on the note
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])
        assert review["author"] == {"@type": "Organization", "name": "Annotated dossier"}
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["appearance"]["@type"] == "NewsArticle"
        assert item["appearance"]["url"] == article.url
        assert item["appearance"]["headline"] == article.title
        assert item["author"]["name"] == (article.author or article.publisher)
        assert item.get("datePublished") == article.published.date
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["alternateName"] == LABELS[a.rating or ""]
        if a.rating in SCALED:
            assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (
                SCALED[a.rating], 3, 1)
        else:
            assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)


@pytest.mark.site
@pytest.mark.parametrize("slug", [REAL_SLUG, FAKE_SLUG])
def test_one_newsarticle_carries_the_corrections(built: Built, slug: str) -> None:
    items = jsonld(built.page(f"articles/{slug}.html"))
    article = built.dossier.article(slug)
    [news] = of_type(items, "NewsArticle")
    assert news["headline"] == article.title
    assert news["url"] == article.url
    assert news["publisher"] == {"@type": "Organization", "name": article.publisher}
    assert news.get("author", {}).get("name") == article.author
    assert news.get("datePublished") == article.published.date
    assert news["inLanguage"] == article.language
    fixes = [x for x in built.dossier.anchors_for(slug) if x.annotation.kind == "correction"]
    assert fixes
    comments = news["correction"]
    assert len(comments) == len(fixes)
    for anchor, comment in zip(fixes, comments, strict=True):
        a = anchor.annotation
        original = article.text[anchor.start:anchor.end]
        assert comment["@type"] == "CorrectionComment"
        assert comment["name"] == a.title
        assert comment["text"] == (f"The article says \u201c{original}\u201d; it should say "
                                   f"\u201c{a.correction}\u201d.")
        assert comment["url"] == f"{slug}.html#{a.id}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", comment["datePublished"])


def test_the_scale_is_the_method_pages() -> None:
    method = (ROOT / "docs" / "method.md").read_text()
    assert "Accurate 3, Imprecise 2, Inaccurate 1" in method.replace("**", "")


def test_permalinks_are_absolute_when_the_site_has_an_address(
        make_project: Callable[..., Project]) -> None:
    dossier, _ = check(make_project(real=False))
    context = Context(Settings(site_name="Riverton checks",
                               site_url="https://checks.example.org/dossier/"))
    items = jsonld(render(dossier, context)[f"articles/{FAKE_SLUG}.md"])
    [review] = of_type(items, "ClaimReview")
    assert review["url"] == (f"https://checks.example.org/dossier/articles/{FAKE_SLUG}.html"
                             "#budget-figure")
    assert review["author"] == {"@type": "Organization", "name": "Riverton checks",
                                "url": "https://checks.example.org/dossier/"}


def script_bodies(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


def assert_inert(html: str, expected: list[dict[str, Any]]) -> None:
    """One script element, ended only by its own end tag, holding exactly the data."""
    assert html.lower().count("<script") == 1
    [body] = script_bodies(html)
    assert "<" not in body and ">" not in body  # so no '</script', '<!--' or '<script'
    assert json.loads(body) == expected
    assert jsonld(html) == expected


def test_hostile_annotations_stay_inert_in_the_jsonld() -> None:
    dossier = forced_dossier()
    [article] = dossier.articles
    anchors = dossier.anchors_for(article.slug)
    html = render(dossier)[f"articles/{article.slug}.md"]
    expected = article_graph(article, anchors, dossier="Annotated dossier", dossier_url=None,
                             page_url=f"{article.slug}.html", dates={})
    assert_inert(html, expected)
    found = jsonld(html)
    names = {x["name"] for x in of_type(found, "ClaimReview")}
    reasons = {x["reviewBody"] for x in of_type(found, "ClaimReview")}
    corrections = "\n".join(c["text"] for c in found[0]["correction"])
    for payload in PAYLOADS:
        assert payload in names and payload in reasons and payload in corrections


@pytest.mark.parametrize("payload", PAYLOADS[:113])
def test_hostile_article_fields_stay_inert_in_the_jsonld(payload: str) -> None:
    dossier = forced_dossier()
    article = dataclasses.replace(dossier.articles[0], title=payload, publisher=payload,
                                  author=payload, url=payload, language=payload)
    anchors = dossier.anchors_for(article.slug)[:2]
    context = Context(Settings(site_name=payload, site_url=payload + "/"), built=payload)
    html = structured_data(article, anchors, context)
    expected = article_graph(article, anchors, dossier=payload, dossier_url=payload + "/",
                             page_url=f"{payload}/articles/{article.slug}.html",
                             dates={a.annotation.id: payload for a in anchors})
    assert_inert(html, expected)
    assert json.dumps(expected).count(json.dumps(payload)[1:-1]) >= 8


@pytest.mark.site
def test_the_article_page_stays_under_300_kb_gzipped(built: Built) -> None:
    import gzip

    for slug in (REAL_SLUG, FAKE_SLUG):
        page = (built.site / "articles" / f"{slug}.html").read_bytes()
        assert len(gzip.compress(page, 9)) < 300_000
