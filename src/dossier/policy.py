"""What markup each field may carry, checked where the contributor typed it.

Titles, reasons, corrections, source titles and publishers are plain text;
the body is Markdown with emphasis, links, lists, quotations and code, and
nothing else; addresses are plain http(s) URLs.  This check reports markup
that has no business there, however it is disguised (entities, full-width
characters, invisible characters).  It is a reporter, not the guard: the
renderer escapes plain text and sanitises Markdown with nh3 whatever gets
through, so a payload the check missed still cannot run.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote

from .problems import Problem, Severity
from .textpolicy import FIX, decoded, describe, hidden_characters, is_refused
from .yamlsafe import Document, JsonPath

PLAIN_FIELDS = {"title", "rating_reason", "correction", "publisher", "author"}
SOURCE_PLAIN = {"title", "publisher", "via"}
URL_FIELDS = {"url", "archive_url", "original_url"}
BODY_SCHEMES = ("http", "https", "mailto")

_INVISIBLE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u00ad"
                        "\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_TAG = re.compile(r"<\s*[/!?]?\s*[a-z]", re.I)
_SCRIPT_URL = re.compile(r"(?:java|vb|live|ecma|j)script:|data:|file:|mhtml:", re.I)
_HANDLER = re.compile(r"\bon[a-z]{3,}\s*=", re.I)
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)"  # [text](target)
                      r"|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$"  # [ref]: target
                      r"|<([a-z][a-z0-9+.-]*:[^>\s]*)>",  # <scheme:autolink>
                      re.I | re.M)


def _visible(text: str) -> str:
    return "".join(c for c in text if not is_refused(c)) if not text.isascii() else text


def _unmask(value: str) -> str:
    """The text as a browser might end up reading it: entities decoded, disguises removed."""
    text = value
    for _ in range(3):  # entities inside entities (&amp;lt;), percent and \u escapes
        decoded = html.unescape(unquote(text))
        decoded = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), decoded)
        if decoded == text:
            break
        text = decoded
    text = unicodedata.normalize("NFKC", text)  # full-width forms become ASCII
    return _visible(_INVISIBLE.sub("", text))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def findings(value: str, kind: str) -> list[str]:
    """What is wrong with ``value`` in a field of this kind ('plain', 'markdown', 'url')."""
    text = _unmask(value)
    found: list[str] = []
    if _TAG.search(text):
        found.append("raw HTML (a tag)")
    if _HANDLER.search(text):
        found.append("an event-handler attribute (on…=)")
    if _SCRIPT_URL.search(_squeezed(text)):
        found.append("a script, data or file address")
    if kind == "plain" and re.search(r"!\[|\]\(", text):
        found.append("Markdown, which a plain-text field shows as typed")
    if kind == "url" and re.search(r"[\"'<>`\\\s\[\]{}|^]", text):
        found.append("characters that cannot appear in a web address")
    if kind == "markdown":
        if re.search(r"!\[", text):
            found.append("an image")
        for match in _MD_LINK.finditer(text):
            target = next(g for g in match.groups() if g is not None)
            scheme = target.split(":", 1)[0].lower() if ":" in target else ""
            if scheme and scheme not in BODY_SCHEMES:
                found.append(f"a link to a {scheme}: address")
    return list(dict.fromkeys(found))


_HELP = {
    "plain": "this field is plain text: remove the markup",
    "markdown": "use Markdown only: *emphasis*, [links](https://…), lists, > quotations, "
                "`code`; links may go to https://, http:// or mailto: addresses",
    "url": "write the plain https:// address of the page",
}


# The provenance file (seeds/<slug>.yml): every value reaches readers too, in the
# page's head, the navigation, the search index and the PDF's metadata.
ARTICLE_PLAIN = {"title", "publisher", "author", "language", "notes", "estimate", "evidence",
                 "people", "statement", "reason"}


def _article_fields(doc: Document) -> Iterable[tuple[JsonPath, str, str]]:
    for path, value in doc.strings():
        names = [p for p in path if isinstance(p, str)]
        if path == ("url",):
            yield path, value, "url"
        elif names and names[-1] in ARTICLE_PLAIN:
            yield path, value, "plain"


def _fields(doc: Document) -> Iterable[tuple[JsonPath, str, str]]:
    """Each text value whose field has a markup policy, with the policy's name."""
    for path, value in doc.strings():
        if path == ("body",):
            yield path, value, "markdown"
        elif len(path) == 1 and path[0] in PLAIN_FIELDS:
            yield path, value, "plain"
        elif len(path) == 3 and path[0] == "sources" and path[2] in URL_FIELDS:
            yield path, value, "url"
        elif len(path) == 3 and path[0] == "sources" and path[2] in SOURCE_PLAIN:
            yield path, value, "plain"


def markup_problems(doc: Document, display: str, *, article: bool = False) -> list[Problem]:
    """Markup out of place in an annotation file, or (``article``) in a provenance file."""
    problems = []
    for path, value, kind in (_article_fields(doc) if article else _fields(doc)):
        found = findings(value, kind)
        if found:
            line, col = doc.where(path)
            name = _field_name(path)
            problems.append(Problem(display, line, col,
                                    f"'{name}' contains {' and '.join(found)}", _HELP[kind]))
    return problems


def _field_name(path: JsonPath) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


_UNUSUAL = re.compile(r"[^\t\n\r\x20-\x7e]")  # the fast path: most lines are plain ASCII


def text_problems(source: str, doc: Document, display: str) -> list[Problem]:
    """Hidden characters (``textpolicy``) in a YAML file: typed, escaped or as entities.

    A character typed into the file is reported at its own line and column; one
    that only appears once the value is decoded (a YAML ``\\u2067`` escape, an
    HTML ``&#x202E;`` entity) is reported at the value.
    """
    problems = []
    typed = set()
    lines = source.split("\n")
    for number, line in enumerate(lines, 1):
        if not _UNUSUAL.search(line):
            continue
        for hidden in hidden_characters(line.removesuffix("\r"),
                                        start_of_file=number == 1):
            typed.add(hidden.char)
            problems.append(Problem(display, number, hidden.offset + 1,
                                    f"hidden character {hidden.name}", FIX))
    for path, value in doc.strings():
        shown = decoded(value)
        if not _UNUSUAL.search(shown):
            continue
        for char in dict.fromkeys(h.char for h in hidden_characters(shown)):
            if char in typed:
                continue
            row, col = doc.where(path)
            how = "an HTML character reference" if char not in value else "an escape"
            problems.append(Problem(display, row, col,
                                    f"'{_field_name(path)}' contains {describe(char)}, "
                                    f"written as {how}", FIX))
    return problems


MAX_ARTICLE_WARNINGS = 20


def article_text_problems(text: str, display: str) -> list[Problem]:
    """Hidden characters in an article: warnings only, since the text is kept as received."""
    found = hidden_characters(text, start_of_file=True) if _UNUSUAL.search(text) else []
    problems = []
    for hidden in found[:MAX_ARTICLE_WARNINGS]:
        line = text.count("\n", 0, hidden.offset) + 1
        col = hidden.offset - (text.rfind("\n", 0, hidden.offset) + 1) + 1
        problems.append(Problem(display, line, col,
                                f"hidden character {hidden.name} in the article text",
                                "the article is kept as received, so it stays; readers see it "
                                f"marked as {hidden.marker}", Severity.WARNING))
    if len(found) > MAX_ARTICLE_WARNINGS:
        problems.append(Problem(display, 1, 1,
                                f"{len(found) - MAX_ARTICLE_WARNINGS} more hidden characters "
                                "in the article text", "each is marked on the page",
                                Severity.WARNING))
    return problems
