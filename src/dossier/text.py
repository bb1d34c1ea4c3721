"""An article's text as blocks: paragraphs, headings, quotations, list items, speaker turns.

The text file is kept exactly as received, so its structure has to be read
out of it rather than written into it.  Two layouts occur:

- ``lines``: one paragraph per line, the first line being the headline (how
  the first article arrived);
- ``paragraphs``: paragraphs separated by blank lines, each possibly
  hard-wrapped over several lines (Markdown, transcripts, e-mailed copy);
  a paragraph may be a Markdown heading (``#``), a block quote (``>``) or a
  list item (``-``, ``*``, ``1.``); a first-level heading that opens the
  text is its headline;
- ``transcript``: ``paragraphs`` where a paragraph may open with a speaker
  ("MR. KIRBY:", "Q").

A block records offsets into the original text, and the ranges of it that
are markup rather than words (a ``>`` at the start of a wrapped line).
Display and anchoring join a block's lines with one space; the file itself
is never rewritten.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

FORMATS = ("lines", "paragraphs", "transcript")
DEFAULT_FORMAT = "lines"  # provenance files written before formats were recorded

_HEADING = re.compile(r"(#{1,6})[ \t]+")
_QUOTE = re.compile(r"[ \t]{0,3}>[ \t]?")
_ITEM = re.compile(r"[ \t]{0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+")
# "MR. KIRBY:", "MS. JEAN-PIERRE:", "THE PRESIDENT:", or a reporter's "Q".
_SPEAKER = re.compile(r"(?:Q|[A-Z][A-Z.'\u2019\- ]{0,40}[A-Z.]:)(?=\s|$)")


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit of the article, as offsets into its text."""

    kind: str  # headline, paragraph, heading, quote, item, turn
    start: int  # first character shown (after a heading's or quote's marker)
    end: int  # after the last character shown (trailing white space left out)
    line: int  # the line of the text file it starts on, from 1
    hidden: tuple[tuple[int, int], ...] = ()  # markup inside [start, end): not words
    level: int = 0  # a heading's level
    speaker_end: int | None = None  # a turn's speaker is text[start:speaker_end]


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for each line, without its line break."""
    out = []
    offset = 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def detect_format(text: str) -> str:
    """The layout a text arrived in: blank lines between paragraphs mean ``paragraphs``.

    Two or more paragraphs opening with a speaker make it a ``transcript``.
    """
    runs = [line for line in re.split(r"\n\s*\n", text.strip()) if line.strip()]
    if len(runs) < 2:
        return "lines"
    turns = sum(1 for run in runs if _SPEAKER.match(run.lstrip()))
    return "transcript" if turns >= 2 else "paragraphs"


def blocks(text: str, fmt: str = DEFAULT_FORMAT) -> list[Block]:
    """The article's blocks in reading order."""
    if fmt == "lines":
        return _line_blocks(text)
    return _paragraph_blocks(text, transcript=fmt == "transcript")


def _line_blocks(text: str) -> list[Block]:
    out = []
    for number, (offset, line) in enumerate(_lines(text), start=1):
        start, end = _trimmed(text, offset, offset + len(line))
        if start < end:
            out.append(Block("headline" if number == 1 else "paragraph", start, end, number))
    return out


def _paragraph_blocks(text: str, *, transcript: bool) -> list[Block]:
    """Runs of non-blank lines; a list item or quotation marker on a line starts a new block."""
    groups: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for number, (offset, line) in enumerate(_lines(text), start=1):
        if not line.strip():
            if current:
                groups.append(current)
            current = []
            continue
        if current and _ITEM.match(line) and _ITEM.match(current[0][2]):
            groups.append(current)
            current = []
        current.append((number, offset, line))
    if current:
        groups.append(current)
    out = [_block(text, group, transcript) for group in groups]
    if out and out[0].kind == "heading" and out[0].level == 1:
        out[0] = replace(out[0], kind="headline", level=0)  # "# Title" opens the article
    return out


def _block(text: str, group: list[tuple[int, int, str]], transcript: bool) -> Block:
    number, first, line = group[0]
    last_offset, last_line = group[-1][1], group[-1][2]
    end = last_offset + len(last_line)
    kind, level, marker = "paragraph", 0, None
    hidden: list[tuple[int, int]] = []
    if (m := _HEADING.match(line)) and len(group) == 1:
        kind, level, marker = "heading", len(m.group(1)), m
    elif m := _QUOTE.match(line):
        kind, marker = "quote", m
        for _n, offset, rest in group[1:]:
            if q := _QUOTE.match(rest):
                hidden.append((offset, offset + q.end()))
    elif m := _ITEM.match(line):
        kind = "item"
        if not m.group(0).strip()[0].isdigit():
            marker = m  # a bullet is shown as one; a number stays part of the text
    start = first + (marker.end() if marker else 0)
    start, end = _trimmed(text, start, end)
    speaker_end = None
    if transcript and kind == "paragraph" and (s := _SPEAKER.match(text, start)):
        kind, speaker_end = "turn", s.end()
    return Block(kind, start, end, number, tuple(h for h in hidden if start <= h[0] < end),
                 level, speaker_end)


def shown(text: str, start: int, end: int, hidden: tuple[tuple[int, int], ...] = ()) -> str:
    """[start, end) as a reader sees it: markup dropped, each line break one space."""
    parts = []
    pos = start
    for lo, hi in hidden:
        if hi <= start or lo >= end:
            continue
        parts.append(text[pos:max(lo, pos)])
        pos = max(pos, min(hi, end))
    parts.append(text[pos:end])
    # Line by line, not re.sub(r"[ \t]*\n[ \t]*"): that pattern backtracks through
    # every run of spaces without a line break (quadratic in a long run).
    lines = "".join(parts).split("\n")
    last = len(lines) - 1
    return " ".join(
        line.rstrip(" \t") if i == 0 else line.lstrip(" \t") if i == last
        else line.strip(" \t") for i, line in enumerate(lines)) if last else lines[0]


def hidden_ranges(all_blocks: list[Block]) -> list[tuple[int, int]]:
    return [h for b in all_blocks for h in b.hidden]


class BlockIndex:
    """Which block holds an offset: for telling a quote that spans two paragraphs."""

    def __init__(self, all_blocks: list[Block]):
        self.blocks = all_blocks
        self._starts = [b.start for b in all_blocks]

    def at(self, offset: int) -> Block | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        block = self.blocks[i]
        return block if offset < max(block.end, block.start + 1) else None

    def holding(self, start: int, end: int) -> Block | None:
        """The one block that holds all of [start, end), if there is one."""
        block = self.at(start)
        return block if block is not None and end <= block.end else None

    def bounds(self, offset: int, text_length: int) -> tuple[int, int]:
        """The block around ``offset``, or the gap between blocks it falls in."""
        block = self.at(offset)
        if block is not None:
            return block.start, block.end
        i = bisect.bisect_right(self._starts, offset)
        lo = self.blocks[i - 1].end if i > 0 else 0
        hi = self.blocks[i].start if i < len(self.blocks) else text_length
        return lo, hi
