"""Where annotations sit in an article: nested spans, paragraph by paragraph.

Shared by the site and the PDF, which differ only in what they wrap around
each annotated span (a highlight and a marker, or a footnote).  The article's
text is escaped here and nowhere else, so it reaches both exactly as published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .markup import text
from .model import Anchor, Annotation, Article

# Given an anchor and the HTML of the words it covers, the HTML to put in their place.
Wrap = Callable[[Anchor, str], str]


@dataclass
class Node:
    anchor: Anchor
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Paragraph:
    number: int  # line number in the article, from 1; line 1 is the headline
    start: int
    end: int
    nodes: list[Node]


def tree(anchors: Iterable[Anchor]) -> list[Node]:
    """Nest anchors (already sorted, already checked to nest) like brackets."""
    roots: list[Node] = []
    stack: list[Node] = []
    for anchor in anchors:
        while stack and stack[-1].anchor.end <= anchor.start:
            stack.pop()
        node = Node(anchor)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def preorder(nodes: list[Node]) -> Iterator[Annotation]:
    """Annotations in reading order: an enclosing span before the spans inside it."""
    for node in nodes:
        yield node.anchor.annotation
        yield from preorder(node.children)


def paragraphs(article: Article, anchors: list[Anchor]) -> Iterator[Paragraph]:
    roots = tree(anchors)
    offset = 0
    for index, line in enumerate(article.text.split("\n")):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            yield Paragraph(index + 1, start, end,
                            [n for n in roots if start <= n.anchor.start < end])


def inline(source: str, start: int, end: int, nodes: list[Node], wrap: Wrap) -> str:
    """The escaped text of [start, end), each annotated span replaced by ``wrap``'s HTML.

    A correction shows the original struck and the corrected words inserted;
    nothing nests inside it.
    """
    out: list[str] = []
    pos = start
    for node in nodes:
        a = node.anchor
        out.append(text(source[pos:a.start]))
        if a.annotation.kind == "correction":
            inner = (f"<del>{text(source[a.start:a.end])}</del>"
                     f"<ins>{text(a.annotation.correction or '')}</ins>")
        else:
            inner = inline(source, a.start, a.end, node.children, wrap)
        out.append(wrap(a, inner))
        pos = a.end
    out.append(text(source[pos:end]))
    return "".join(out)
