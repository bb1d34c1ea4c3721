"""What generated HTML may hold: the tags, attributes and link targets the templates make.

The hostile-output tests (annotation fields and provenance fields) both
check generated pages against this one list, so a template that adds
markup updates it once.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

TAGS = {"div", "p", "h1", "h2", "h3", "mark", "a", "del", "ins", "aside", "span", "ol", "ul",
        "li", "strong", "em", "code", "blockquote", "br", "q", "cite", "dl", "dt", "dd", "svg",
        "path", "use", "symbol", "rect", "section", "details", "summary", "fieldset", "legend",
        "label", "input", "button", "table", "caption", "thead", "tbody", "tr", "th", "td",
        "title",
        "nav", "html", "head", "body", "meta"}  # the PDF's print HTML is a whole document
ATTRIBUTES = {"class", "id", "href", "rel", "lang", "title", "cite", "aria-label",
              "aria-labelledby", "aria-hidden", "focusable", "xmlns", "viewbox", "d",
              "data-dz-label", "data-dz-note", "data-dz-for", "data-dz-correction", "width",
              "height", "x", "y", "fill", "preserveaspectratio", "data-dz-show", "data-dz-filter",
              "data-dz-count", "data-dz-rating", "data-label", "scope", "type", "name", "value",
              "checked", "hidden", "role", "aria-current"}
_LOCAL = re.compile(r"^[a-z0-9/-]+\.(html|pdf|annotations\.jsonld)(#|$)")
_FILTERED = re.compile(r"^([a-z0-9/-]+\.html)?\?show=[a-z,-]+$")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))


def start_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag in ``html``, with its attributes, in order."""
    parser = _Tags()
    parser.feed(html)
    return parser.seen


def safe_href(value: str | None) -> bool:
    """A link to another site, a mail address, or a page or file the build itself writes."""
    return bool(value) and (
        str(value).startswith(("https://", "http://", "mailto:", "#", "../"))
        or value == "feed.xml" or bool(_LOCAL.match(str(value)))
        or bool(_FILTERED.match(str(value))))
