"""Annotation Markdown to HTML that is safe to put in front of readers.

Bodies come from strangers' pull requests.  Markdown is rendered, then
every tag, attribute and URL scheme outside a short allowlist is removed
by nh3 (the Rust ammonia sanitiser), so nothing a contributor writes can
run in a reader's browser or restyle the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

import markdown
import nh3
from markdown.extensions.sane_lists import SaneListExtension

BODY_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "blockquote", "br", "q"}
BODY_ATTRIBUTES = {"a": {"href", "title"}, "q": {"cite"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _only_absolute(tag: str, attribute: str, value: str) -> str | None:
    """Links must say where they go: no relative or scheme-less addresses."""
    if attribute in ("href", "cite") and not value.lower().startswith(
            ("https://", "http://", "mailto:")):
        return None
    return value


@cache
def _renderer() -> markdown.Markdown:
    """One Markdown parser per process: building one (its processors and patterns)
    cost more than converting a short body.  Python-Markdown's documented way to
    convert many documents with one instance is to call reset() between them."""
    # The extension itself, not its name: a name is looked up among every installed
    # package's entry points, which took longer than building the parser.
    return markdown.Markdown(extensions=[SaneListExtension()], output_format="html")


_known: dict[str, str] = {}  # remember()'s: bodies rendered by this code in another run


def remember(rendered: Iterable[tuple[str, str]]) -> None:
    """Bodies with their ``body_html``, as rendered by this same code elsewhere: ``check``
    renders every body (and keeps the HTML in its cache, whose key holds the code's
    hash), so the build shows them without rendering them again."""
    _known.update(rendered)


def body_html(text: str) -> str:
    """Render an annotation body (Markdown) to sanitised HTML.

    A plain function of the text, kept for the process: the page, the feed and
    the W3C collection show the same bodies, and the preview renders them on
    every save."""
    known = _known.get(text)
    return known if known is not None else _body_html(text)


@lru_cache(maxsize=8192)
def _body_html(text: str) -> str:
    # reset() before, not after: a body that raised half-way leaves nothing behind.
    rendered = _renderer().reset().convert(text)
    return nh3.clean(
        rendered,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_only_absolute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def safe_url(url: str) -> str | None:
    """The URL if it is a web address, else None (it is then shown as text only)."""
    lowered = url.strip().lower()
    if lowered.startswith(("https://", "http://")):
        return url.strip()
    return None
