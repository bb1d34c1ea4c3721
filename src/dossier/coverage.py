"""Which statements of an article still lack an annotation.

A statement is a sentence, except that a quotation running over several
sentences counts as one statement.  A statement needs an annotation when
it holds a number, a quotation or a named person; the dossier either
annotates it or lists it, with a reason, as deliberately left alone.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .anchoring import fold_quote, one_line
from .model import Anchor, Article
from .problems import Problem, Severity
from .text import DEFAULT_FORMAT, Block, blocks

_ABBREVIATIONS = ("U.S.", "U.K.", "U.N.", "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Gen.", "Lt.")
_QUOTES = '"\u201c\u201d'
_LINE_BREAK = re.compile("\n")
_BLANK = re.compile(r"\s*")
_END = re.compile(r'[.?!]["\u201d]?(?=\s+["\u201c]?[A-Z])')


@dataclass(frozen=True)
class Statement:
    start: int
    end: int
    text: str


def statements(text: str, fmt: str = DEFAULT_FORMAT, all_blocks: list[Block] | None = None
               ) -> list[Statement]:
    """Statements of every paragraph (not the headline, nor a speaker's name), with offsets.

    ``all_blocks``: the text's blocks when the caller has them (``Article.blocks``)."""
    out: list[Statement] = []
    for block in blocks(text, fmt) if all_blocks is None else all_blocks:
        if block.kind in ("headline", "heading"):
            continue
        base = block.speaker_end if block.speaker_end is not None else block.start
        line = text[base:block.end]
        start = len(line) - len(line.lstrip())
        for match in _END.finditer(line):
            end = match.end()
            piece = line[start:end]
            if piece.rstrip().endswith(_ABBREVIATIONS):
                continue
            if (piece.count('"') + piece.count("\u201c") + piece.count("\u201d")) % 2:
                continue  # still inside a quotation (one of _QUOTES left open)
            out.append(Statement(base + start, base + end, one_line(piece)))
            start = _BLANK.match(line, end).end()  # type: ignore[union-attr]  # \s* matches
        if line[start:].strip():
            out.append(Statement(base + start, base + len(line), one_line(line[start:])))
    return out


def needs_annotation(statement: Statement, people: re.Pattern[str] | None) -> bool:
    """A number, a quotation or one of the people (``people_pattern``)."""
    text = statement.text
    return (any(map(str.isdigit, text))
            or '"' in text or "\u201c" in text or "\u201d" in text  # _QUOTES
            or (people is not None and people.search(text) is not None))


def people_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Any of these names, as whole words (None for none): compiled once per article, and
    searched for once per statement, not once per name."""
    names = list(names)
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")


class _Spans:
    """Does any anchor overlap a span?  Anchors sorted by start, with the furthest end
    reached so far: one bisection per statement instead of a pass over every anchor."""

    def __init__(self, anchors: list[Anchor]):
        ordered = sorted((a.start, a.end) for a in anchors)
        self._starts = [start for start, _ in ordered]
        self._reach = list(itertools.accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """``any(a.start < end and start < a.end for a in anchors)``."""
        i = bisect.bisect_left(self._starts, end)  # anchors [0, i) start before ``end``
        return i > 0 and self._reach[i - 1] > start


def coverage_problems(article: Article, anchors: list[Anchor]) -> list[Problem]:
    """Statements neither annotated nor exempted, and exemptions that no longer fit."""
    coverage = article.coverage
    if coverage is None:
        return []
    meta = article.path.removesuffix(".txt") + ".yml"
    folded = {fold_quote(e.statement): e for e in coverage.not_annotated}
    problems: list[Problem] = []
    seen: set[str] = set()
    # Line numbers from one index of line breaks: counting them again for each
    # statement was quadratic in the article's length.
    breaks = [m.start() for m in _LINE_BREAK.finditer(article.text)]
    spans = _Spans(anchors)
    people = people_pattern(coverage.people)
    for s in statements(article.text, article.format, article.blocks):
        key = fold_quote(s.text)
        covered = spans.overlaps(s.start, s.end)
        if key in folded:
            seen.add(key)
            if covered:
                e = folded[key]
                problems.append(Problem(meta, e.line, e.col,
                                        "this statement is listed as not annotated, but "
                                        "an annotation now covers it",
                                        "remove it from coverage.not_annotated",
                                        Severity.WARNING))
            continue
        if not covered and needs_annotation(s, people):
            line = bisect.bisect_left(breaks, s.start) + 1
            problems.append(Problem(
                meta, coverage.line, coverage.col,
                f"line {line} of the article has a statement with no annotation: "
                f"{_short(s.text)}",
                "annotate it, or list it under coverage.not_annotated with a reason"
                + ("; coverage is pending review (coverage.status: pending)"
                   if coverage.pending else
                   "; this article's coverage is marked complete, so every gap is an error"),
                Severity.WARNING if coverage.pending else Severity.ERROR,
                f"statements of {article.path} with a number, a quotation or a named person "
                "have no annotation yet"))
    for key, e in folded.items():
        if key not in seen:
            problems.append(Problem(meta, e.line, e.col,
                                    "this statement is not in the article",
                                    "copy the statement word for word from the article, "
                                    "or remove the entry"))
    return problems


def _short(text: str, limit: int = 80) -> str:
    return "\u201c" + (text if len(text) <= limit else text[: limit - 1] + "\u2026") + "\u201d"
