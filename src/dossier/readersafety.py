"""Reader-safety warnings: what is valid markup but could mislead a reader.

The markup policy keeps what runs out of the pages; these keep out what
deceives the eye.  A link whose text is one address but which goes to
another; a correction that changes nothing a reader can see (U+043E, a
Cyrillic o, for a Latin "o": Unicode's confusables data, through the
confusable-homoglyphs library, says which letters look alike); a quote that
starts or ends inside a word, so the highlight splits it on the page.  Each
is a warning at its line with the fix; ``--strict`` fails on them (and makes
the split word an error outright).
"""

from __future__ import annotations

import contextlib
import difflib
import re
import unicodedata
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .model import Anchor, Annotation, Article
from .problems import Problem, Severity
from .yamlsafe import Document

# Text that reads as a web address: a scheme, or a host name with a dot and a
# top-level domain of letters, and nothing but an optional path after it.
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]{0,20}://)?(?:www\.)?"
                      r"((?:[^\W_](?:[\w-]{0,62}[^\W_])?\.){1,10}[^\W\d_]{2,63})\.?"
                      r"(?::\d{1,5})?(?:[/?#]\S*)?", re.I)


class _Links(HTMLParser):
    """Each link of a rendered body: its address and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((dict(attrs).get("href") or "", []))

    def handle_data(self, data: str) -> None:
        for _href, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href, "".join(text)))


def _host(address: str) -> str:
    host = (urlsplit(address).hostname or "").rstrip(".").lower()
    with contextlib.suppress(UnicodeError):  # a name no DNS could hold: compared as typed
        host = host.encode("idna").decode("ascii")
    return host.removeprefix("www.")


def shown_host(text: str) -> str | None:
    """The host a link's text shows, when the text reads as a web address."""
    words = text.strip().strip("<>").strip()
    if len(words) > 2000 or not _ADDRESS.fullmatch(words):
        return None
    return _host(words if "://" in words else f"http://{words}")


def _locate(doc: Document | None, path: tuple[str | int, ...], needle: str
            ) -> tuple[int, int]:
    """Where ``needle`` was typed in the file, at or after the field; else the field."""
    if doc is None:
        return 1, 1
    line, col = doc.where(path)
    source = doc.source
    if source and needle:
        lines = source.split("\n")
        offset = sum(len(text) + 1 for text in lines[: line - 1]) + col - 1
        at = source.find(needle, offset)
        if at != -1:
            row = source.count("\n", 0, at) + 1
            return row, at - (source.rfind("\n", 0, at) + 1) + 1
    return line, col


def link_problems(annotation: Annotation, rendered: str) -> list[Problem]:
    """Links whose text reads as an address on another host than the one they go to."""
    if "<a" not in rendered:  # nh3 writes every tag it keeps in lower case, text as &lt;
        return []
    parser = _Links()
    parser.feed(rendered)
    parser.close()
    problems = []
    for href, text in parser.links:
        shown = shown_host(text)
        if shown is None:
            continue
        target = _host(href)
        if target == shown or target.endswith("." + shown):
            continue
        line, col = _locate(annotation.doc, ("body",), text.strip())
        problems.append(Problem(
            annotation.path, line, col,
            f"the link text '{text.strip()}' shows the address of {shown}, but the link "
            f"goes to {target or href}",
            f"make the link's text the address it goes to ({href}), or words that are not "
            "an address", Severity.WARNING))
    return problems


@cache
def _looks_alike() -> dict[str, set[str]]:
    """Unicode's confusables, both ways: each character with the ones it is mistaken for.

    Read from the confusable-homoglyphs package's data file itself: importing its
    ``confusables`` module (which loads the same file) also imports ``urllib.request``
    and a table of scripts this does not use, which took as long as the data in each
    worker of a cold check."""
    import json
    from importlib.resources import files

    data = json.loads(files("confusable_homoglyphs").joinpath("confusables.json").read_bytes())
    pairs: dict[str, set[str]] = {}
    for char, homoglyphs in data.items():
        for glyph in homoglyphs:
            other = glyph["c"].strip("\u200e\u200f")
            pairs.setdefault(char, set()).add(other)
            pairs.setdefault(other, set()).add(char)
    return pairs


def _name(text: str) -> str:
    return " ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '(unnamed)')}" for ch in text)


def confusable_changes(original: str, correction: str) -> list[tuple[str, str]]:
    """The changes from ``original`` to ``correction``, if every one is a look-alike swap.

    Empty when the two are equal or when any change is a real one (a letter
    that looks different, a word added or removed).
    """
    if original == correction:
        return []
    alike = _looks_alike()
    swaps = []
    matcher = difflib.SequenceMatcher(None, original, correction, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        before, after = original[a0:a1], correction[b0:b1]
        if op != "replace":
            return []
        if after in alike.get(before, ()):
            swaps.append((before, after))
        elif len(before) == len(after) and all(
                y in alike.get(x, ()) for x, y in zip(before, after, strict=True)):
            swaps.extend(zip(before, after, strict=True))
        else:
            return []
    return swaps


def correction_problems(article: Article, anchor: Anchor) -> list[Problem]:
    """A correction that only swaps letters for look-alikes changes nothing readers see."""
    a = anchor.annotation
    if a.correction is None:
        return []
    original = article.text[anchor.start:anchor.end]
    swaps = confusable_changes(" ".join(original.split()), " ".join(a.correction.split()))
    if not swaps:
        return []
    line, col = a.where("correction")
    said = "; ".join(f"'{after}' ({_name(after)}) for '{before}' ({_name(before)})"
                     for before, after in dict.fromkeys(swaps))
    return [Problem(a.path, line, col,
                    f"the correction differs from the article's words only by look-alike "
                    f"characters: {said}",
                    "readers cannot see this change: type the correction with the letters "
                    "it means, or correct what is really wrong", Severity.WARNING)]


def _word(ch: str) -> bool:
    return ch.isalnum()


def split_word_problems(article: Article, anchor: Anchor, *, strict: bool = False
                        ) -> list[Problem]:
    """A quote that begins or ends inside a word splits that word on the page."""
    text, start, end = article.text, anchor.start, anchor.end
    starts_inside = 0 < start < len(text) and _word(text[start - 1]) and _word(text[start])
    ends_inside = 0 < end < len(text) and _word(text[end - 1]) and _word(text[end])
    if not (starts_inside or ends_inside):
        return []
    lo, hi = start, end
    while starts_inside and lo > 0 and _word(text[lo - 1]):
        lo -= 1
    while ends_inside and hi < len(text) and _word(text[hi]):
        hi += 1
    a = anchor.annotation
    quote = " ".join(text[start:end].split())
    where = " and ".join(
        part for part, inside in (
            (f"begins inside the word '{_whole_word(text, start)}'", starts_inside),
            (f"ends inside the word '{_whole_word(text, end - 1)}'", ends_inside)) if inside)
    line, col = a.where("target", "exact")
    return [Problem(a.path, line, col, f"the quote '{quote}' {where}",
                    f"quote whole words: exact: {' '.join(text[lo:hi].split())}",
                    Severity.ERROR if strict else Severity.WARNING)]


def _whole_word(text: str, at: int) -> str:
    lo = hi = at
    while lo > 0 and _word(text[lo - 1]):
        lo -= 1
    while hi < len(text) and _word(text[hi]):
        hi += 1
    return text[lo:hi]
