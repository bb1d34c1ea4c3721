"""Where annotations sit in an article: nested spans, paragraph by paragraph.

Shared by the site and the PDF, which differ only in what they wrap around
each annotated span (a highlight and a marker, or a footnote).  The article's
text is escaped here (``markupsafe.escape``) and nowhere else, so it reaches
both exactly as published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .model import Anchor, Annotation, Article
from .templating import macro
from .text import Block, shown
from .textpolicy import hidden_characters

# Given an anchor and the HTML of the words it covers, the HTML to put in their place
# (a template's macro, returning Markup; a plain str is taken as HTML too).
Wrap = Callable[[Anchor, Markup], str]


@dataclass
class Node:
    anchor: Anchor
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Paragraph:
    """A block of the article with the annotation spans that start in it."""

    block: Block
    nodes: list[Node]

    @property
    def number(self) -> int:  # the line of the text file it starts on; 1 is the first
        return self.block.line

    @property
    def start(self) -> int:
        return self.block.start

    @property
    def end(self) -> int:
        return self.block.end

    @property
    def hidden(self) -> tuple[tuple[int, int], ...]:
        return self.block.hidden


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
    for block in article.blocks:
        yield Paragraph(block, [n for n in roots
                                if block.start <= n.anchor.start < max(block.end, block.start + 1)])


def marked(text: str) -> Markup:
    """Article text, escaped, with each hidden character (``textpolicy``) drawn as a marked
    ``⟨U+200B⟩``: the article is kept as received, but readers see what is in it."""
    hidden = hidden_characters(text) if not text.isascii() else []
    if not hidden:
        return escape(text)
    mark = macro("hidden_character")
    out: list[Markup] = []
    pos = 0
    for h in hidden:
        out.append(escape(text[pos:h.offset]))
        out.append(Markup(mark(h.marker, h.name)))
        pos = h.offset + 1
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def inline(source: str, start: int, end: int, nodes: list[Node], wrap: Wrap,
           hidden: tuple[tuple[int, int], ...] = ()) -> Markup:
    """The escaped text of [start, end), each annotated span replaced by ``wrap``'s HTML.

    A correction shows the original struck and the corrected words inserted
    (``correction_inline`` in ``templates/components.html``); nothing nests inside
    it.  Wrapped lines are joined and markup left out (``text.shown``).
    """

    def words(lo: int, hi: int) -> Markup:
        return marked(shown(source, lo, hi, hidden))

    out: list[Markup] = []
    pos = start
    for node in nodes:
        a = node.anchor
        out.append(words(pos, a.start))
        if a.annotation.kind == "correction":
            inner = Markup(macro("correction_inline")(words(a.start, a.end),
                                                      a.annotation.correction or ""))
        else:
            inner = inline(source, a.start, a.end, node.children, wrap, hidden)
        out.append(Markup(wrap(a, inner)))  # wrap is code making HTML, not data
        pos = a.end
    out.append(words(pos, end))
    return Markup("").join(out)


def block_html(source: str, paragraph: Paragraph, wrap: Wrap, *, p_class: str,
               heading_offset: int = 1, id_prefix: str = "p") -> str:
    """A block as its element: paragraph, heading, quotation, list item or speaker's turn.

    A speaker ("MR. KIRBY:") is set apart unless an annotation starts inside it.
    """
    block = paragraph.block
    start, speaker = block.start, None
    if block.speaker_end is not None and not any(
            n.anchor.start < block.speaker_end for n in paragraph.nodes):
        speaker = marked(shown(source, block.start, block.speaker_end, block.hidden))
        start = block.speaker_end
        while start < block.end and source[start].isspace():
            start += 1
    inner = inline(source, start, block.end, paragraph.nodes, wrap, block.hidden)
    return str(macro("block", "block.html")(
        kind=block.kind, level=min(block.level + heading_offset, 6), number=block.line,
        inner=inner, speaker=speaker, p_class=p_class, id_prefix=id_prefix))
