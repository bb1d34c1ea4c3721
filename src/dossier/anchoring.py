"""Stage 3: find the one place in its article where each annotation applies.

Contributors copy quotes from a browser, a PDF or a word processor, which
turn straight quotes curly, hyphens into dashes and line breaks into
spaces.  Both the article and the quote are therefore compared in a
normalised form, with a map back to offsets in the original text, which
is never changed.  Each quote costs one scan of its article: the total
grows linearly with the text and with the number of annotations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Anchor, Annotation, Article
from .problems import Problem
from .text import hidden_ranges

_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2026": "...",
    "\u00ad": "",  # soft hyphen: invisible, often pasted along
    "\u200b": "",
}


@dataclass(frozen=True)
class Folded:
    """Normalised text, with each normalised character's span in the original."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


# Every character for which str.isspace() (and so the regex \s) is true, in this
# Python's Unicode tables; tests/test_fold.py checks the list against every code point.
_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
           "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# What folds to one character in its place (white space to a space).  Applied with
# one str.replace per character present: str.translate looks every character of a
# non-ASCII text up in a dict, and was a hundred times slower on a long article.
_ONE_TO_ONE = {**{ch: to for ch, to in _FOLD.items() if len(to) == 1},
               **dict.fromkeys(_SPACES, " ")}
# Everything that changes the length, in the text with _ONE_TO_ONE applied: runs of
# two or more spaces (with dropped characters between them, which do not break a
# run), a dropped character alone, and the one character that folds to several.
_SPECIAL = re.compile(r" (?:[\u00ad\u200b]* )+|[\u00ad\u200b\u2026]")
_RUN = re.compile(r"  +")  # the same, when the text has no dropped or widened characters
_OTHERS = tuple(ch for ch, to in _FOLD.items() if len(to) != 1)


def _one_to_one(text: str) -> str:
    for ch, to in _ONE_TO_ONE.items():
        if ch in text:
            text = text.replace(ch, to)
    return text


def _masked(text: str, hidden: Iterable[tuple[int, int]]) -> str:
    """``text`` with each hidden character replaced by a space (which is how fold counts it)."""
    size = len(text)
    spans = sorted((max(lo, 0), min(hi, size)) for lo, hi in hidden)
    if not spans:
        return text
    pieces: list[str] = []
    at = 0
    for lo, hi in spans:
        lo = max(lo, at)
        if hi <= lo:
            continue
        pieces += (text[at:lo], " " * (hi - lo))
        at = hi
    pieces.append(text[at:])
    return "".join(pieces)


def fold(text: str, hidden: Iterable[tuple[int, int]] = ()) -> Folded:
    """Quotes, dashes and runs of white space folded to one plain form.

    ``hidden`` ranges (markup such as a quotation's ``>`` on a wrapped line)
    count as white space, so a quote runs across them as a reader sees it.

    Most characters fold to one character in their place, so the text is a few
    str.replace calls and the offsets are slices of one list of numbers; only
    what changes the length (runs of white space, dropped and widened
    characters, found by one regex) is handled one by one.  tests/test_fold.py
    holds the character-by-character definition and compares the two.
    """
    flat = _one_to_one(_masked(text, hidden))
    size = len(flat)
    offsets = list(range(size + 1))  # each number made once, shared by starts and ends
    special = _SPECIAL if any(ch in flat for ch in _OTHERS) else _RUN
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for match in special.finditer(flat):
        lo, hi = match.span()
        if at < lo:
            pieces.append(flat[at:lo])
            starts += offsets[at:lo]
            ends += offsets[at + 1:lo + 1]
        at = hi
        replacement = " " if flat[lo] == " " else _FOLD[flat[lo]]
        pieces.append(replacement)
        starts += [lo] * len(replacement)
        ends += [hi] * len(replacement)
    if not at:
        return Folded(flat, tuple(offsets[:size]), tuple(offsets[1:]))
    pieces.append(flat[at:])
    starts += offsets[at:size]
    ends += offsets[at + 1:]
    return Folded("".join(pieces), tuple(starts), tuple(ends))


def fold_quote(text: str) -> str:
    """``fold(text).text.strip()``, without the offsets: only the text is compared.

    str.split() splits at exactly the characters str.isspace() names, so joining
    its words is fold's collapsing of white space, stripped."""
    if text.isascii():
        return " ".join(text.replace("`", "'").split())
    for ch, to in _FOLD.items():
        if ch in text:
            text = text.replace(ch, to)
    return " ".join(text.split())


def fold_article(article: Article) -> Folded:
    return fold(article.text, hidden_ranges(article.blocks))


def one_line(text: str) -> str:
    """Words as a reader sees them: each run of white space (a line break too) one space."""
    return " ".join(text.split())


def occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    at = haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _fits(text: str, start: int, end: int, prefix: str | None, suffix: str | None) -> bool:
    if prefix and not text[:start].rstrip().endswith(prefix):
        return False
    return not (suffix and not text[end:].lstrip().startswith(suffix))


def context_text(article: Article, start: int, end: int, side: str, width: int = 30) -> str:
    """Whole words just before ``start`` or just after ``end``, within the paragraph."""
    text = article.text
    if side == "prefix":
        line_start = article.block_index.bounds(max(start - 1, 0), len(text))[0]
        line_start = min(line_start, start)
        piece = one_line(text[max(line_start, start - width):start])
        if start - width > line_start and " " in piece:
            piece = piece.split(" ", 1)[1]
        return piece.strip()
    line_end = max(article.block_index.bounds(end, len(text))[1], end)
    piece = one_line(text[end:min(line_end, end + width)])
    if end + width < line_end and " " in piece:
        piece = piece.rsplit(" ", 1)[0]
    return piece.strip()


def line_of(text: str, offset: int) -> int:
    """The article line (1 = headline) that holds ``offset``."""
    return text.count("\n", 0, offset) + 1


def shortest_context(folded: str, starts: list[int], length: int, mine: int
                      ) -> tuple[str | None, str | None]:
    """The shortest whole-word prefix, and suffix, that single out occurrence ``mine``."""

    def grow(side: str) -> str | None:
        start = starts[mine]
        for size in range(1, 200):
            if side == "prefix":
                if start - size < 0:
                    return None
                lo = start - size
                while lo > 0 and folded[lo - 1].isalnum():
                    lo -= 1
                piece = folded[lo:start].strip()
            else:
                end = start + length
                if end + size > len(folded):
                    return None
                hi = end + size
                while hi < len(folded) and folded[hi].isalnum():
                    hi += 1
                piece = folded[end:hi].strip()
            if not any(ch.isalnum() for ch in piece):
                continue
            matches = [s for s in starts
                       if _fits(folded, s, s + length, piece if side == "prefix" else None,
                                piece if side == "suffix" else None)]
            if matches == [start]:
                return piece
        return None

    return grow("prefix"), grow("suffix")


def yaml_quote(text: str) -> str:
    """A double-quoted YAML string on one line, ready to paste into an annotation."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r"))
    return '"' + escaped + '"'


def anchor_one(article: Article, folded: Folded, annotation: Annotation
               ) -> tuple[Anchor | None, list[Problem]]:
    target = annotation.target
    quote = fold_quote(target.exact)
    prefix = fold_quote(target.prefix) if target.prefix else None
    suffix = fold_quote(target.suffix) if target.suffix else None
    line, col = annotation.where("target", "exact")

    def problem(message: str, help: str, where: tuple[int, int] = (line, col)) -> Problem:
        return Problem(annotation.path, where[0], where[1], message, help)

    hits = occurrences(folded.text, quote) if quote else []
    if not hits:
        return None, [problem(f"quote not found in {article.path}: {yaml_quote(quote)}",
                              nearest_match(article, folded, quote))]
    fitting = [s for s in hits if _fits(folded.text, s, s + len(quote), prefix, suffix)]
    if not fitting:
        field = "prefix" if prefix and not any(
            _fits(folded.text, s, s + len(quote), prefix, None) for s in hits) else "suffix"
        edge = "the start" if field == "prefix" else "the end"
        actual = []
        for s in hits[:3]:
            near = context_text(article, folded.starts[s],
                                folded.ends[s + len(quote) - 1], field)
            actual.append(yaml_quote(near) if near else f"{edge} of a paragraph")
        return None, [problem(
            f"the quote is in the article, but not with this {field}",
            f"the text {'before' if field == 'prefix' else 'after'} the quote is "
            f"{' or '.join(actual)}; copy the {field} from there, or remove it",
            annotation.where("target", field),
        )]
    if len(fitting) > 1:
        lines = []
        for i, s in enumerate(fitting[:5]):
            where = line_of(article.text, folded.starts[s])
            pre, suf = shortest_context(folded.text, fitting, len(quote), i)
            options = []
            if pre:
                options.append(f"prefix: {yaml_quote(pre)}")
            if suf:
                options.append(f"suffix: {yaml_quote(suf)}")
            lines.append(f"for the one on line {where} of the article, add under 'target': "
                         + (" or ".join(options) or "a longer quote"))
        return None, [problem(
            f"the quote occurs {len(fitting)} times in {article.path}; "
            "it must single out one place", "\n".join(lines))]
    start, end = folded.original(fitting[0], fitting[0] + len(quote))
    crossing = paragraph_crossing(article, start, end)
    if crossing:
        return None, [problem("the quote runs across two paragraphs", crossing)]
    return Anchor(annotation, start, end), []


def paragraph_crossing(article: Article, start: int, end: int) -> str | None:
    """Where a quote leaves its paragraph, said as a fix; None when it stays inside one."""
    if article.block_index.holding(start, end) is not None:
        return None
    first, last = line_of(article.text, start), line_of(article.text, max(end - 1, start))
    return (f"it starts on line {first} of the article and ends on line {last}, in another "
            "paragraph; split it into one annotation per paragraph, or shorten it")


def nearest_match(article: Article, folded: Folded, quote: str) -> str:
    """The most similar passage of one paragraph, in whole words, as a ready `exact:` line."""
    if not quote:
        return "copy the words exactly from the article"
    from rapidfuzz import fuzz  # only for a quote that is not found: not on every start-up

    best = fuzz.partial_ratio_alignment(quote, folded.text)
    if best is None or best.score < 50:
        return f"no similar passage either; copy the words exactly from {article.path}"
    text = article.text
    start, end = folded.original(best.dest_start, max(best.dest_end, best.dest_start + 1))
    middle = (start + end) // 2
    line_start, line_end = article.block_index.bounds(middle, len(text))
    start = max(start, line_start)
    end = min(end, line_end)
    while start > line_start and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    edges = " \t,;:.\"'\u201c\u201d\u2018\u2019"
    near = one_line(text[start:end]).strip(edges) or one_line(text[start:end])
    score = fuzz.ratio(quote, fold_quote(near))
    return (f"nearest match ({score:.0f}% alike) on line {line_of(text, middle)} of the "
            f"article: exact: {yaml_quote(near)}")


def _kind_rank(anchor: Anchor) -> int:
    # On the same span, a correction sits innermost: it replaces the words themselves.
    return 1 if anchor.annotation.kind == "correction" else 0


def nesting_problems(anchors: list[Anchor]) -> list[Problem]:
    """Spans must nest like brackets: crossing spans cannot be shown as highlights."""
    problems: list[Problem] = []
    stack: list[Anchor] = []
    for a in anchors:
        while stack and stack[-1].end <= a.start:
            stack.pop()
        if stack:
            outer = stack[-1]
            if a.end > outer.end:
                line, col = a.annotation.where("target", "exact")
                problems.append(Problem(
                    a.annotation.path, line, col,
                    f"the quote overlaps the quote of {outer.annotation.path} "
                    "without containing it or lying inside it",
                    "make one quote contain the other, or make them not touch"))
                continue
            if outer.annotation.kind == "correction" and (a.start, a.end) != (outer.start,
                                                                              outer.end):
                line, col = a.annotation.where("target", "exact")
                problems.append(Problem(
                    a.annotation.path, line, col,
                    f"the quote lies inside the correction {outer.annotation.path}",
                    "quote the whole corrected phrase, or a passage around it"))
                continue
        stack.append(a)
    return problems


def anchor_all(articles: Iterable[Article], annotations: Iterable[Annotation]
               ) -> tuple[dict[str, list[Anchor]], list[Problem]]:
    by_article: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        by_article.setdefault(annotation.article, []).append(annotation)
    result: dict[str, list[Anchor]] = {}
    problems: list[Problem] = []
    for article in articles:
        folded = fold_article(article)
        anchors: list[Anchor] = []
        for annotation in by_article.get(article.slug, []):
            anchor, found = anchor_one(article, folded, annotation)
            problems.extend(found)
            if anchor:
                anchors.append(anchor)
        result[article.slug], found = arrange(anchors)
        problems.extend(found)
    return result, problems


def arrange(anchors: list[Anchor]) -> tuple[list[Anchor], list[Problem]]:
    """One article's anchors in text order, less those whose spans cross another's."""
    anchors = sorted(anchors, key=lambda a: (a.start, -a.end, _kind_rank(a), a.annotation.id))
    bad = nesting_problems(anchors)
    bad_paths = {p.path for p in bad}
    return [a for a in anchors if a.annotation.path not in bad_paths], bad
