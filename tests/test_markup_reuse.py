"""body_html reuses one Markdown parser (reset between bodies): the HTML must be the
same, byte for byte, as a fresh parser's, whatever the bodies before it held
(link references, raw HTML, lists, a body that failed half-way)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier import markup
from dossier.pipeline import build, check
from dossier.project import Project

ROOT = Path(__file__).resolve().parents[1]


def fresh(text: str) -> str:
    """Markdown as body_html rendered it before: a new parser for each body."""
    rendered = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return markup.nh3.clean(rendered, tags=markup.BODY_TAGS, attributes=markup.BODY_ATTRIBUTES,
                            url_schemes=markup.URL_SCHEMES,
                            attribute_filter=markup._only_absolute,
                            link_rel="noopener noreferrer", strip_comments=True).strip()


def shared(text: str) -> str:
    markup._body_html.cache_clear()  # render it, not recall it
    return markup.body_html(text)


PIECES = ["[a][r]", "[r]: https://example.org/r", "[r]: https://example.org/other",
          "*em*", "**b**", "`c`", "<b>raw</b>", "<div>block</div>", "> q", "- one", "1. two",
          "    code", "[l](https://x.org)", "<https://x.org>", "&amp;", "a\\", "\n", "\n\n",
          "[^1]", "[^1]: note", "word", "<!-- c -->"]
BODIES = st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(BODIES, min_size=2, max_size=4))
def test_a_shared_parser_renders_each_body_as_a_fresh_one(bodies: list[str]) -> None:
    for body in bodies:
        assert shared(body) == fresh(body)


# Every string some inline pattern needs (markup._NEEDS), what Python-Markdown changes
# before the patterns run (tabs, "\r"), and block syntax around them.
TRIGGERS = ["*", "_", "**", "__", "`", "\\", "\\*", "[", "]", "(", ")", "![", "<", ">", "&",
            "&amp;", "&#42;", "  \n", " \t\n", "  \r\n", "  \r", "\t", "\r\n", "\r", "\n",
            "\n\n", "- ", "1. ", "# ", "    ", "---", "===", "a@b.org", "https://x.org", "word",
            " ", ":"]
TEXTS = st.lists(st.sampled_from(TRIGGERS), max_size=16).map("".join)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(TEXTS)
def test_a_body_renders_without_the_patterns_it_cannot_hold_as_with_all(text: str) -> None:
    """markup._needed leaves out the inline patterns a text lacks what they need for: the
    HTML must be Python-Markdown's with every pattern, whatever the text."""
    assert shared(text) == fresh(text)


def test_the_pattern_property_fails_when_a_need_is_wrong(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """The property above can fail: told that emphasis needs only "_", "*em*" loses it."""
    monkeypatch.setitem(markup._NEEDS, "em_strong", ("_",))
    markup._renderer.cache_clear()
    try:
        assert shared("*em*") != fresh("*em*")
    finally:
        markup._renderer.cache_clear()
        markup._body_html.cache_clear()


def test_plain_prose_renders_without_inline_patterns() -> None:
    assert markup._needed("Plain words, 3,000 troops.\n\nA second paragraph.") == frozenset()
    assert markup._needed("a *b* c") == {"em_strong"}
    assert markup._needed("a\tb") is None and markup._needed("<i>") is None


def test_a_reference_defined_in_one_body_is_not_known_in_the_next() -> None:
    shared("See [the report][r].\n\n[r]: https://example.org/report")
    assert shared("See [the report][r].") == fresh("See [the report][r].")
    assert "href" not in shared("See [the report][r].")


def test_the_repository_annotations_render_as_before() -> None:
    bodies = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("annotations/*/*.yml"))]
    assert bodies
    for body in bodies:  # whole files: Markdown of every kind the dossier holds
        assert shared(body) == fresh(body)


def test_a_body_that_fails_half_way_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    shared("[r]: https://example.org/r")
    parser = markup._renderer(markup._needed("[a][r]"))  # the parser that renders "[a][r]"
    assert markup._needed("[anything]") == markup._needed("[a][r]")
    real = parser.convert

    def failing(text: str) -> str:
        parser.references["r"] = ("https://evil.example/", None)
        raise RecursionError

    monkeypatch.setattr(parser, "convert", failing)
    with pytest.raises(RecursionError):
        shared("[anything]")
    monkeypatch.setattr(parser, "convert", real)
    assert shared("[a][r]") == fresh("[a][r]") == "<p>[a][r]</p>"


def test_the_build_shows_the_bodies_check_rendered(make_project: Callable[..., Project],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """check keeps each body's HTML with its annotation (and in its cache); the build
    shows that HTML without rendering the body again, and it is the HTML a render gives."""
    project = make_project()
    dossier, _problems = check(project)
    assert dossier.annotations
    for annotation in dossier.annotations:
        assert annotation.body_rendered == fresh(annotation.body)
    rendered: list[str] = []
    real = markup._body_html
    monkeypatch.setattr(markup, "_body_html", lambda text: rendered.append(text) or real(text))
    monkeypatch.setattr(markup, "_known", {})
    build(project, pdf=False)
    assert rendered == []
    page = (project.build / "site" / "articles").rglob("*.html")
    assert any(fresh(dossier.annotations[0].body) in p.read_text(encoding="utf-8") for p in page)
