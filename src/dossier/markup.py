"""Annotation Markdown to HTML that is safe to put in front of readers.

Bodies come from strangers' pull requests.  Markdown is rendered, then
every tag, attribute and URL scheme outside a short allowlist is removed
by nh3 (the Rust ammonia sanitiser), so nothing a contributor writes can
run in a reader's browser or restyle the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    import markdown

BODY_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "blockquote", "br", "q"}
BODY_ATTRIBUTES = {"a": {"href", "title"}, "q": {"cite"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _only_absolute(tag: str, attribute: str, value: str) -> str | None:
    """Links must say where they go: no relative or scheme-less addresses."""
    if attribute in ("href", "cite") and not value.lower().startswith(
            ("https://", "http://", "mailto:")):
        return None
    return value


# What each of Python-Markdown's inline patterns cannot match without: its regular
# expression needs one of these strings (backtick: "`"; links and references: "[";
# autolinks and inline HTML: "<"; line breaks: two spaces before a newline; ...).
# Most bodies are plain prose, so their renderer runs without the patterns they
# cannot contain: running each pattern over each piece of text was a third of
# rendering.  Patterns not named here (an extension's) always run.
_NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",), "reference": ("[",), "link": ("[",),
    "image_link": ("![",), "image_reference": ("![",), "short_reference": ("[",),
    "short_image_ref": ("![",), "autolink": ("<",), "automail": ("<",),
    "linebreak": ("  \n",), "html": ("<",), "entity": ("&",), "em_strong": ("*", "_"),
}
# Text with these is rendered with every pattern: Python-Markdown turns tabs into
# spaces and "\r" into "\n" before the patterns run (which may make a line break of
# what was not one), stashes raw HTML, and reads STX and ETX as its own placeholders.
_EVERY_PATTERN = re.compile("[<\t\r\x02\x03]")


def _needed(text: str) -> frozenset[str] | None:
    """The inline patterns that may match somewhere in ``text`` (None: all of them)."""
    if _EVERY_PATTERN.search(text):
        return None
    return frozenset(name for name, needs in _NEEDS.items()
                     if any(need in text for need in needs))


# Plain prose: what Python-Markdown makes into paragraphs and nothing else.  No character
# that one of its inline patterns or raw HTML starts with, no line that a block could start
# with (a list item, a heading, a quote, a rule, indented code, a Setext underline: a line
# starting with a space, one of "-+=#", or a number, a full stop and a space, as "1. " opens
# an ordered list), no space ending a line (a line break), and no whitespace but spaces and
# newlines (which it would strip, or turn into spaces).  A line may start with "2024" or "13.5".
# Searched for in pieces that the regex engine finds quickly: one class of characters
# (those above, and the white space other than space and newline: every character for which
# str.isspace() is true), a line start after a newline, the text's start, and a space before
# a newline or at the end.  As one pattern of alternatives (tests/test_markup_plain.py keeps
# it, and holds the two ways equal) it was tried at every character of every body: five
# times as long.
_NOT_PLAIN_CHARACTER = re.compile(r"[`\\\[\]<>&*_\x00-\x09\x0b-\x1f\x7f-\x9f\xa0\u1680\u2000-\u200a"
                                  r"\u2028\u2029\u202f\u205f\u3000]")
_NOT_PLAIN_LINE = re.compile(r"\n(?:[-+=# ]|\d+\. )")
_NOT_PLAIN_START = re.compile(r"[-+=# ]|\d+\. ")
_BLANK_LINES = re.compile(r"\n{2,}")


def _not_plain(text: str) -> bool:
    """Whether ``text`` holds anything that makes it more than plain prose (above)."""
    return bool(_NOT_PLAIN_CHARACTER.search(text) or _NOT_PLAIN_LINE.search(text)
                or _NOT_PLAIN_START.match(text) or " \n" in text or text.endswith(" "))


def _plain(text: str) -> str | None:
    """Python-Markdown's HTML for plain prose (``_not_plain``), without running it: its
    paragraphs, as the blank lines part them.  None when the text is not plain.

    Most bodies are a few sentences of prose (two thirds of them in ``bench/scale.py``'s
    dossiers), for which Python-Markdown's block parser, tree processors, serializer and
    postprocessors only wrap the paragraphs: skipping them took 3.6% of the instructions
    of a cold ``dossier check`` away.  The HTML is the same (tests/test_markup_plain.py
    compares the two on generated text and on every body in the repository), and it is
    sanitised all the same (``_body_html``)."""
    if _not_plain(text):
        return None
    return "\n".join(f"<p>{p}</p>" for p in _BLANK_LINES.split(text.strip("\n")) if p)


# Strong emphasis as these bodies write it: "**" around text on one line that neither
# starts nor ends with a space and holds no other "*" (Python-Markdown's reading of any
# other "*" is left to it).
_STRONG = re.compile(r"\*\*([^\s*](?:[^*\n]*[^\s*])?)\*\*")


def _strong(text: str) -> str:
    return _STRONG.sub(r"<strong>\1</strong>", text)


def _prose(text: str) -> bool:
    """Whether ``text`` (a paragraph, a list item's text after its "- ", or a continuation
    line after its two spaces) is prose as ``_plain`` takes it, once the markers of its
    strong emphasis are set aside: no block can start in it, and what is emphasised is
    prose too."""
    return bool(text) and not _not_plain(_STRONG.sub(r"x\1x", text))


def _prose_and_lists(text: str) -> str | None:
    """Python-Markdown's HTML for prose with "**strong**" words and tight bulleted lists,
    without running it; None for any other text (``_plain``'s refusals, and more).

    The other common shape of a body, after plain prose: a dated timeline, as a list of
    "- " items whose lines wrap with two spaces, each opening with a "**date:**" (a
    third of ``bench/scale.py``'s bodies).  Accepted: blocks parted by blank lines, each
    a paragraph of prose or a list whose every line is an item ("- " and prose) or a
    continuation (two spaces and prose), with no list right after another (Python-Markdown
    would join the two into one list of paragraphs).  The HTML is Python-Markdown's to the
    byte (tests/test_markup_plain.py compares the two), and it is sanitised all the same.
    """
    out: list[str] = []
    listed = False  # the block before was a list
    for block in _BLANK_LINES.split(text.strip("\n")):
        if not block:
            continue
        if not block.startswith("- "):
            if not _prose(block):
                return None
            out.append(f"<p>{_strong(block)}</p>")
            listed = False
            continue
        if listed:
            return None
        items: list[str] = []
        for line in block.split("\n"):
            if line.startswith("- ") and _prose(line[2:]):
                items.append(line[2:])
            elif line.startswith("  ") and items and _prose(line[2:]):
                items[-1] += "\n" + line
            else:
                return None
        out.append("<ul>\n" + "\n".join(f"<li>{_strong(i)}</li>" for i in items) + "\n</ul>")
        listed = True
    return "\n".join(out)


@cache
def _renderer(patterns: frozenset[str] | None = None) -> markdown.Markdown:
    """One Markdown parser per process and set of inline patterns (``_needed``): building
    one (its processors and patterns) cost more than converting a short body.
    Python-Markdown's documented way to convert many documents with one instance is
    to call reset() between them."""
    # Imported here, on the first body that needs it: most bodies take _plain's or
    # _prose_and_lists' way, and the import was a tenth of a check after one change.
    import markdown
    from markdown.extensions.sane_lists import SaneListExtension

    # The extension itself, not its name: a name is looked up among every installed
    # package's entry points, which took longer than building the parser.
    md = markdown.Markdown(extensions=[SaneListExtension()], output_format="html")
    if patterns is not None:  # (the text has no "<": no raw HTML block to stash either)
        for name in _NEEDS.keys() - patterns:
            md.inlinePatterns.deregister(name, strict=False)
        md.preprocessors.deregister("html_block", strict=False)
    return md


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
    rendered = _plain(text)
    if rendered is None:
        rendered = _prose_and_lists(text)
    if rendered is None:
        rendered = _renderer(_needed(text)).reset().convert(text)
    return _sanitiser().clean(rendered).strip()


@cache
def _sanitiser() -> nh3.Cleaner:
    """nh3's sanitiser, built once per process: ``nh3.clean`` builds one from its arguments
    on each call, which took more than half of the time it spent on a body."""
    return nh3.Cleaner(
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_only_absolute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def safe_url(url: str) -> str | None:
    """The URL if it is a web address, else None (it is then shown as text only)."""
    lowered = url.strip().lower()
    if lowered.startswith(("https://", "http://")):
        return url.strip()
    return None
