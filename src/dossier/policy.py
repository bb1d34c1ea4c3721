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
from collections.abc import Iterable, Iterator
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
_TAG = re.compile(r"<\s*(?:[/!?]\s*)?[a-z]", re.I)  # one \s* run at a time: no backtracking
_HANDLER = re.compile(r"\bon[a-z]{3,}\s*=", re.I)
# A script, data or file address (javascript:, vbscript:, livescript:, ecmascript:,
# jscript:, data:, file:, mhtml:), however white space splits it: found in the text read
# backwards, from each colon (the pattern starts with one, so the search skips to the
# colons in C), with white space allowed between the letters.  Most bodies have a colon,
# and squeezing the white space out of each of them, then searching, took more than the
# rest of ``findings``.  (tests/test_policy_oracles.py holds it to that long way.)
_SCHEMES_BACKWARDS = r":\s*(?:" + "|".join(
    r"\s*".join(reversed(scheme))
    for scheme in ("javascript", "vbscript", "livescript", "ecmascript", "jscript", "data",
                   "file", "mhtml")) + ")"
_SCRIPT_URL_BACKWARDS = re.compile(_SCHEMES_BACKWARDS, re.I)

# No attempt reads past the next bracket, "<" or line (a reference's target may
# be on the next line, as Python-Markdown allows): under re.M, a \s* at each
# line's start ran on through every following blank line (quadratic in blank
# lines), and [^>\s]* on through every later "<a:".
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)"  # [text](target)
                      r"|^[ \t]*\[[^\[\]]*\]:[ \t]*\n?[ \t]*<?(\S+?)>?[ \t]*$"  # [ref]: target
                      r"|<([a-z][a-z0-9+.-]*:[^<>\s]*)>",  # <scheme:autolink>
                      re.I | re.M)


_NOT_PLAIN = re.compile(r"[^\t\n\r\x20-\x7e]")  # all that is_refused may refuse
_ESCAPE_U = re.compile(r"\\u([0-9a-fA-F]{4})")
_NOT_IN_URL = re.compile(r"[\"'<>`\\\s\[\]{}|^]")


def _kept(match: re.Match[str]) -> str:
    return "" if is_refused(match.group()) else match.group()


def _visible(text: str) -> str:
    """``text`` less the characters is_refused refuses (looked at only where not plain)."""
    return _NOT_PLAIN.sub(_kept, text) if not text.isascii() else text


def _unmask(value: str) -> str:
    """The text as a browser might end up reading it: entities decoded, disguises removed."""
    text = value
    if text.isascii() and not ("&" in text or "%" in text or "\\" in text):
        return _INVISIBLE.sub("", text)  # nothing to decode, and ASCII is its own NFKC
    for _ in range(3):  # entities inside entities (&amp;lt;), percent and \u escapes
        decoded = html.unescape(unquote(text))
        decoded = _ESCAPE_U.sub(lambda m: chr(int(m.group(1), 16)), decoded)
        if decoded == text:
            break
        text = decoded
    text = unicodedata.normalize("NFKC", text)  # full-width forms become ASCII
    return _visible(_INVISIBLE.sub("", text))


# A plain value in ASCII without one of these holds nothing ``findings`` looks for: no tag
# ("<"), handler ("="), address (":"), Markdown image or link ("!", "]"), nothing to decode
# ("&", "%", "\\"), and no invisible character whose removal could join what it parts.
# Most values (titles, publishers, dates) are such: they skip the patterns and the decoding.
_PLAIN_SUSPECT = re.compile(r"[<=:!\]&%\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def findings(value: str, kind: str) -> list[str]:
    """What is wrong with ``value`` in a field of this kind ('plain', 'markdown', 'url')."""
    if kind == "plain" and value.isascii() and not _PLAIN_SUSPECT.search(value):
        return []
    text = _unmask(value)
    found: list[str] = []
    # Each pattern needs a character most values lack: looked for first (in C), the
    # patterns run on few values.  (tests/test_policy_oracles.py holds both ways equal.)
    if "<" in text and _TAG.search(text):
        found.append("raw HTML (a tag)")
    if "=" in text and _HANDLER.search(text):
        found.append("an event-handler attribute (on…=)")
    if ":" in text and _SCRIPT_URL_BACKWARDS.search(text[::-1]):
        found.append("a script, data or file address")
    if kind == "plain" and ("![" in text or "](" in text):  # Markdown: an image or a link
        found.append("Markdown, which a plain-text field shows as typed")
    if kind == "url" and _NOT_IN_URL.search(text):
        found.append("characters that cannot appear in a web address")
    if kind == "markdown":
        if "![" in text:
            found.append("an image")
        for match in _MD_LINK.finditer(text) if ("]" in text or "<" in text) else ():
            target = next(g for g in match.groups() if g is not None)
            scheme = target.split(":", 1)[0].lower() if ":" in target else ""
            if scheme and scheme not in BODY_SCHEMES:
                found.append(f"a link to a {scheme}: address")
    return list(dict.fromkeys(found))


# Markdown limits, counted in work, never in time, so a slow machine gives the same
# answer as a fast one.  Python-Markdown's link parser scans from each square
# bracket to the end of the text (20,000 "[" took two minutes to build), and its
# block parser recurses once per level of lists and quotations (1,000 levels ended
# the build in RecursionError).  The dossier's bodies use a handful of each.
MAX_NESTING = 6
MAX_BRACKETS = 200
MAX_LINK_SPAN = 2_000  # characters from a "[" to its "]", or from a link's "(" to its ")"
_LEVEL = re.compile(r"[ \t]*(?:>|[-*+][ \t]|[0-9]{1,9}[.)][ \t])")
_BRACKET = re.compile(r"\\[\s\S]?|[\[\]()]")  # an escape (with what it escapes), or a bracket


def nesting(text: str) -> tuple[int, int]:
    """The deepest nesting of lists and quotations a Markdown text opens, and its line.

    Counted from the source, line by line (linear): each ``>``, each list marker at
    the start of a line, and each four columns of indentation is one level.
    """
    deepest, where = 0, 1
    for number, line in enumerate(text.split("\n"), 1):
        expanded = line.expandtabs(4)
        depth = (len(expanded) - len(expanded.lstrip(" "))) // 4
        pos = 0
        while match := _LEVEL.match(expanded, pos):
            depth += 1
            pos = match.end()
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


def open_span(text: str) -> tuple[str, int, int] | None:
    """The first ``[`` (or link address ``(``) left open longer than ``MAX_LINK_SPAN``.

    Python-Markdown reads on from each ``[`` to its ``]``, and from a link's ``(``
    to its ``)``, to the end of the text when there is none: the work is the sum of
    these spans, so bounding each (and their number) bounds it.  One pass, with a
    stack of the open ones.  Returns the bracket, its offset and its span.
    """
    square: list[int] = []
    round_: list[int] = []
    worst: tuple[str, int, int] | None = None

    def closed(kind: str, start: int, end: int) -> None:
        nonlocal worst
        if end - start > MAX_LINK_SPAN and (worst is None or start < worst[1]):
            worst = (kind, start, end - start)

    # Only brackets and backslash escapes matter: the regex finds them, the rest of
    # the text is skipped in C (a backslash takes the next character with it).
    for match in _BRACKET.finditer(text):
        i = match.start()
        ch = match.group()
        if ch == "[":
            square.append(i)
        elif ch == "]" and square:
            closed("[", square.pop(), i)
        elif ch == "(" and (round_ or (i and text[i - 1] == "]")):
            round_.append(i)
        elif ch == ")" and round_:
            closed("(", round_.pop(), i)
    for kind, stack in (("[", square), ("(", round_)):
        for start in stack:
            closed(kind, start, len(text))
    return worst


def markdown_limits(value: str) -> list[tuple[str, str]]:
    """What in a Markdown body is over the limits the renderer is safe within, and the fix."""
    found = []
    depth, line = nesting(value)
    if depth > MAX_NESTING:
        found.append((f"lists or quotations nested {depth:,} deep on its line {line} "
                      f"(at most {MAX_NESTING})",
                      "flatten the lists and quotations; a note needs two or three levels"))
    brackets = value.count("[")
    if brackets > MAX_BRACKETS:
        found.append((f"{brackets:,} square brackets (at most {MAX_BRACKETS})",
                      "keep square brackets for links; cite the sources under 'sources'"))
    elif span := open_span(value):
        kind, start, length = span
        what = "a [" if kind == "[" else "a link's ("
        closing = "]" if kind == "[" else ")"
        line = value.count("\n", 0, start) + 1
        found.append((f"{what} on its line {line} left open for {length:,} characters "
                      f"(at most {MAX_LINK_SPAN:,})",
                      f"close it with {closing}" + (", or write \\[ for a bracket that "
                                                    "opens no link" if kind == "[" else "")))
    return found


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
        said = [(" and ".join(found), _HELP[kind])] if found else []
        if kind == "markdown":
            said += markdown_limits(value)
        if said:  # (most values have nothing to report: where and name only for those)
            line, col = doc.where(path)
            name = _field_name(path)
            problems += [Problem(display, line, col, f"'{name}' contains {what}", fix)
                         for what, fix in said]
    return problems


def _field_name(path: JsonPath) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


_UNUSUAL = re.compile(r"[^\t\n\r\x20-\x7e]")  # the fast path: most lines are plain ASCII


def _unusual_lines(source: str) -> Iterator[tuple[int, str]]:
    """Each line of ``source`` (split at "\\n") with a character ``_UNUSUAL`` finds, with
    its number: found from the characters, not by searching every line (most files have
    a few curly quotes and dashes, on a few of their lines)."""
    counted, number, end = 0, 1, -1
    for match in _UNUSUAL.finditer(source):
        at = match.start()
        if at < end:
            continue  # (a line already given)
        number += source.count("\n", counted, at)
        counted = at
        end = source.find("\n", at)
        end = len(source) if end == -1 else end
        yield number, source[source.rfind("\n", 0, at) + 1:end]


def text_problems(source: str, doc: Document, display: str) -> list[Problem]:
    """Hidden characters (``textpolicy``) in a YAML file: typed, escaped or as entities.

    A character typed into the file is reported at its own line and column; one
    that only appears once the value is decoded (a YAML ``\\u2067`` escape, an
    HTML ``&#x202E;`` entity) is reported at the value.
    """
    problems = []
    typed = set()
    for number, line in _unusual_lines(source):
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
