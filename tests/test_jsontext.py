"""``jsontext.indented`` writes what ``json.dumps(..., ensure_ascii=False, indent=2)`` writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.jsontext import indented

LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats()
VALUES = st.recursive(
    LEAVES, lambda kids: st.lists(kids) | st.tuples(kids, kids) | st.dictionaries(KEYS, kids),
    max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_same_text_as_the_standard_library(value: Any) -> None:
    assert indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_escapes_and_nesting() -> None:
    value = {"a\n\"\\\u2028\x00é": [1, 2.5, -0.0, 1e300, None, True, False, [], {}, [[]]],
             "": {"x": ({"y": "z"},)}, "big": 10 ** 30}
    assert indented(value) == json.dumps(value, ensure_ascii=False, indent=2)
    assert indented(float("nan")) == "NaN"  # left to json.dumps, as its other cases


def test_an_article_collection(make_project: Any) -> None:
    """The W3C collection the site publishes for an article is what json.dumps gives."""
    from dossier.config import load_settings
    from dossier.formats.webannotation import article_collection
    from dossier.pipeline import check

    project = make_project()
    dossier, _ = check(project)
    for article in dossier.articles:
        data = article_collection(article, dossier.anchors_for(article.slug),
                                  load_settings(project))
        assert indented(data) == json.dumps(data, ensure_ascii=False, indent=2)
        assert '"type": "AnnotationCollection"' in indented(data)
