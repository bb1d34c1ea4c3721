"""The W3C Web Annotation collections on the site, checked against the W3C test suite's schemas."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from conftest import FAKE_SLUG, REAL_SLUG, Built
from dossier.config import Settings
from dossier.formats.webannotation import MOTIVATION, article_collection
from dossier.pipeline import check
from dossier.project import Project

DEFINITIONS = Path(__file__).parent / "vendor" / "annotation-model" / "definitions"

# The definitions the W3C suite's tests apply to collections, pages and annotations.
COLLECTION = ["collections.json#/definitions/annotationCollectionTypeValueFound",
              "collections.json#/definitions/labelFound",
              "collections.json#/definitions/totalFound",
              "collections.json#/definitions/firstFound",
              "collections.json#/definitions/firstRequiredIfTotalMoreThanZero",
              "collections.json#/definitions/lastValidIfPresent",
              "id.json#/definitions/idValueFound"]
PAGE = ["collections.json#/definitions/annotationPageTypeValueFound",
        "collections.json#/definitions/startIndexFound",
        "collections.json#/definitions/partOfFound",
        "collections.json#/definitions/itemsFound",
        "collections.json#/definitions/nextValidIfPresent",
        "collections.json#/definitions/prevValidIfPresent",
        "id.json#/definitions/idValueFound"]
ANNOTATION = ["annotations.json#/definitions/annotationTypeValueFound",
              "annotations.json#/definitions/singleMotivationPropertyFound",
              "annotations.json#/definitions/bodyValueValidIfPresent",
              "annotations.json#/definitions/stylesheetValueDefinition",
              "id.json#/definitions/idValueFound"]
# Each body and each target, as the suite's 3.2-bodyObjectsRecognized and
# 3.2-targetObjectsRecognized apply them, with the optional properties' checks
# (optionalBodyPropertiesShould is left out: it would reject the
# "SpecificResource" type that the model itself gives a Specific Resource).
BODY = ["bodyTarget.json#/definitions/bodyResourcesFound"]
BODY_OBJECT = ["bodyTarget.json#/definitions/optionalBodyPropertiesMust"]
BODY_PURPOSE = ["bodyTarget.json#/definitions/optionalBodyPurposePropertyShould"]
TARGET = ["bodyTarget.json#/definitions/targetResourcesFound"]
TARGET_OBJECT = ["bodyTarget.json#/definitions/optionalTargetPropertiesMust",
                 "bodyTarget.json#/definitions/optionalTargetPropertiesShould"]
SELECTOR = {"TextQuoteSelector": "specificResource.json#/definitions/textQuoteSelectorDetected",
            "TextPositionSelector":
                "specificResource.json#/definitions/textPositionSelectorDetected"}


@cache
def registry() -> Registry:  # type: ignore[type-arg]
    resources = [(p.name, Resource.from_contents(json.loads(p.read_text("utf-8")),
                                                 default_specification=DRAFT4))
                 for p in sorted(DEFINITIONS.glob("*.json"))]
    return Registry().with_resources(resources)


def errors(instance: Any, refs: list[str]) -> list[str]:
    found = []
    for ref in refs:
        validator = jsonschema.Draft4Validator(
            {"$ref": ref}, registry=registry(),
            format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
        found += [f"{ref}: {e.message}" for e in validator.iter_errors(instance)]
    return found


def each(value: Any) -> list[Any]:
    """The model allows one body, target or selector, or an array of them."""
    return value if isinstance(value, list) else [value]


def body_errors(body: Any) -> list[str]:
    found = errors(body, BODY)
    if isinstance(body, dict):
        found += errors(body, BODY_OBJECT)
        if "purpose" in body:  # allowed only on a SpecificResource or TextualBody
            found += errors(body, BODY_PURPOSE)
    return found


def selector_errors(selector: Any) -> list[str]:
    kind = selector.get("type") if isinstance(selector, dict) else None
    if kind not in SELECTOR:
        return [f"no TextQuoteSelector or TextPositionSelector: {selector!r}"]
    return errors(selector, [SELECTOR[kind]])


def target_errors(target: Any) -> list[str]:
    found = errors(target, TARGET)
    if isinstance(target, dict):
        found += errors(target, TARGET_OBJECT)
        for selector in each(target.get("selector", [])):
            found += selector_errors(selector)
    return found


def w3c_errors(data: dict[str, Any]) -> list[str]:
    page = data.get("first", {})
    found = errors(data, COLLECTION) + errors(page, PAGE)
    for item in page.get("items", []):
        found += errors(item, ANNOTATION)
        for body in each(item.get("body", [])):
            found += body_errors(body)
        for target in each(item.get("target", [])):
            found += target_errors(target)
    return found


def test_the_uri_format_is_really_checked() -> None:
    assert errors({"id": "not a uri"}, ["id.json#/definitions/idValueFound"])
    assert not errors({"id": "tag:example.org,2024:x"}, ["id.json#/definitions/idValueFound"])


@pytest.mark.site
@pytest.mark.parametrize("slug", [REAL_SLUG, FAKE_SLUG])
def test_each_article_publishes_a_valid_collection(built: Built, slug: str) -> None:
    data = json.loads(built.page(f"articles/{slug}.annotations.jsonld"))
    assert w3c_errors(data) == []
    article = built.dossier.article(slug)
    anchors = built.dossier.anchors_for(slug)
    items = data["first"]["items"]
    assert data["total"] == len(items) == len(anchors) > 0
    for anchor, item in zip(anchors, items, strict=True):
        a = anchor.annotation
        assert item["id"].startswith("tag:github.com,") and item["id"].endswith(
            f"articles/{slug}.html#{a.id}")
        assert item["motivation"] == MOTIVATION[a.kind]
        assert item["motivation"] in {"commenting", "assessing", "editing", "linking"}
        assert item["body"][0] == {"type": "TextualBody", "purpose": "describing",
                                   "format": "text/markdown", "value": a.body}
        cited = [b for b in item["body"] if b["type"] == "SpecificResource"]
        assert [b["source"]["id"] for b in cited] == [s.url for s in a.sources]
        assert all(b["purpose"] == "linking" for b in cited)
        assert item["target"]["source"] == article.url
        quote, position = item["target"]["selector"]
        assert position == {"type": "TextPositionSelector", "start": anchor.start,
                            "end": anchor.end}
        assert quote["type"] == "TextQuoteSelector"
        assert quote["exact"] == article.text[anchor.start:anchor.end]
        assert article.text[:anchor.start].endswith(quote["prefix"])
        assert article.text[anchor.end:].startswith(quote["suffix"])
    kinds = {i["dossier:kind"]: i for i in items}
    if "correction" in kinds:
        assert any(b["purpose"] == "editing" for b in kinds["correction"]["body"])
    if "claim" in kinds:
        assert any(b["purpose"] == "assessing" for b in kinds["claim"]["body"])


@pytest.mark.site
def test_the_collection_is_linked_from_the_page_and_the_annotation_indexes(built: Built) -> None:
    for slug in (REAL_SLUG, FAKE_SLUG):
        page = built.page(f"articles/{slug}.html")
        head = page.split("</head>", 1)[0]
        assert re.search(r'<link rel="alternate" type="application/ld\+json" '
                         rf'href="{slug}\.annotations\.jsonld"', head), slug
        index = built.page("annotations.html")
        assert f'href="articles/{slug}.annotations.jsonld"' in index
        own = built.page(f"articles/{slug}/annotations.html")
        assert f'href="../{slug}.annotations.jsonld"' in own


def test_ids_are_permalinks_when_the_site_has_an_address(
        make_project: Callable[..., Project]) -> None:
    dossier, _ = check(make_project(real=False))
    article = dossier.article(FAKE_SLUG)
    data = article_collection(article, dossier.anchors_for(FAKE_SLUG),
                              Settings(site_url="https://checks.example.org/"))
    assert w3c_errors(data) == []
    assert data["id"] == f"https://checks.example.org/articles/{FAKE_SLUG}.annotations.jsonld"
    assert data["first"]["items"][0]["id"].startswith(
        f"https://checks.example.org/articles/{FAKE_SLUG}.html#")


@pytest.mark.parametrize(("where", "value"), [
    ("type", "Collection"), ("total", -1), ("label", 3), ("id", "no uri"),
    ("first.type", "Page"), ("first.startIndex", "0"), ("item.motivation", "liking"),
    ("item.type", "Note"), ("item.id", "annotation 1")])
def test_the_schemas_catch_a_broken_collection(make_project: Callable[..., Project],
                                               where: str, value: Any) -> None:
    dossier, _ = check(make_project(real=False))
    data = copy.deepcopy(article_collection(dossier.article(FAKE_SLUG),
                                            dossier.anchors_for(FAKE_SLUG), Settings()))
    target = {"first": data["first"], "item": data["first"]["items"][0]}
    head, _, key = where.rpartition(".")
    (target[head] if head else data)[key] = value
    assert w3c_errors(data)


MISSING = object()  # the key is removed


def broken(item: dict[str, Any], where: str, value: Any) -> None:
    """Set (or with MISSING remove) the value at a dotted path such as target.selector.1.end."""
    *path, key = where.split(".")
    node: Any = item
    for part in path:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(key)] = value
    elif value is MISSING:
        del node[key]
    else:
        node[key] = value


@pytest.mark.parametrize(("where", "value", "caught_by"), [
    ("target.selector.0.exact", MISSING, "textQuoteSelectorDetected"),
    ("target.selector.0.prefix", 32, "textQuoteSelectorDetected"),
    ("target.selector.0.type", "TextQuote", "no TextQuoteSelector"),
    ("target.selector.1.start", -1, "textPositionSelectorDetected"),
    ("target.selector.1.end", "107", "textPositionSelectorDetected"),
    ("target.selector.1.start", MISSING, "textPositionSelectorDetected"),
    ("target.source", "no uri", "targetResourcesFound"),
    ("target.rights", "no uri", "optionalTargetPropertiesMust"),
    ("target.textDirection", "up", "optionalTargetPropertiesMust"),
    ("body.0.value", 5, "bodyResourcesFound"),
    ("body.0.purpose", "liking", "optionalBodyPurposePropertyShould"),
    ("body.0.textDirection", "sideways", "optionalBodyPropertiesMust"),
    ("body.-1.source", MISSING, "bodyResourcesFound"),
    ("body.-1.source.id", "no uri", "bodyResourcesFound")])
def test_the_schemas_catch_a_broken_body_target_or_selector(
        make_project: Callable[..., Project], where: str, value: Any, caught_by: str) -> None:
    dossier, _ = check(make_project(real=False))
    data = copy.deepcopy(article_collection(dossier.article(FAKE_SLUG),
                                            dossier.anchors_for(FAKE_SLUG), Settings()))
    assert w3c_errors(data) == []
    broken(data["first"]["items"][0], where, value)
    found = w3c_errors(data)
    assert any(caught_by in e for e in found), found


def test_a_purpose_on_the_cited_page_itself_is_rejected(
        make_project: Callable[..., Project]) -> None:
    """The shape the site used to publish: the model wants a SpecificResource around it."""
    dossier, _ = check(make_project(real=False))
    data = article_collection(dossier.article(FAKE_SLUG), dossier.anchors_for(FAKE_SLUG),
                              Settings())
    cited = data["first"]["items"][0]["body"][-1]
    assert cited["type"] == "SpecificResource"
    flat = {**cited["source"], "purpose": "linking"}
    assert body_errors(cited) == []
    assert body_errors(flat)
    assert any("optionalBodyPurposePropertyShould" in e for e in body_errors(flat))
