"""The offline PDF edition: footnoted, bookmarked, tagged, with an archival variant.

Built with WeasyPrint from print HTML (``templates/print.html``) made from
the same data as the site (not a print of the web pages): every annotation becomes a page
footnote at its place in the text (CSS ``float: footnote``), and the full
notes, the corrections log and the bibliography follow each article.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .buildinfo import BuildInfo, source_date
from .collector import collecting_only_new
from .footnotearea import measured_footnotes
from .formats.webannotation import collection
from .layout import block_html, inline, paragraphs, preorder, tree
from .model import Anchor, Annotation, Article, Dossier, Source
from .tally import Tally, tally
from .templating import Markup, macro
from .templating import render as render_template
from .versions import Change, changes

DOSSIER_TITLE = "Annotated dossier"
PDF_NAME = "dossier.pdf"
ARCHIVAL_NAME = "dossier-archival.pdf"


@dataclass(frozen=True)
class Editions:
    """The reader's PDF (tagged, PDF/UA) and the archive's (PDF/A-3 with the data)."""

    reader: bytes
    archival: bytes


@dataclass(frozen=True)
class _Note:
    annotation: Annotation
    quote: str


@dataclass(frozen=True)
class _Paragraph:
    headline: bool  # the headline's words, else the whole block's element
    html: Markup


@dataclass(frozen=True)
class _Section:
    article: Article
    paragraphs: list[_Paragraph]
    notes: list[_Note]
    fixes: list[_Note]
    bibliography: list[Source]
    tally: Tally  # the summary under the headline
    changes: list[Change] = field(default_factory=list)  # what the publisher changed
    stayed: list[tuple[Article, _Note]] = field(default_factory=list)  # notes on earlier texts


def _bibliography(annotations: list[Annotation]) -> list[Source]:
    seen: dict[str, Source] = {}
    for a in annotations:
        for s in a.sources:
            seen.setdefault(s.key, s)
    return sorted(seen.values(), key=lambda s: (s.publisher.casefold(), s.title.casefold()))


def _section(article: Article, anchors: list[Anchor],
             stayed: dict[int, list[Anchor]] | None = None) -> _Section:
    highlight = macro("highlight", "print_components.html")

    def wrap(anchor: Anchor, inner: Markup) -> Markup:
        return Markup(highlight(anchor.annotation, inner, article,
                                article.text[anchor.start:anchor.end]))

    by_id = {a.annotation.id: a for a in anchors}
    notes = [_Note(a, article.text[by_id[a.id].start:by_id[a.id].end])
             for a in preorder(tree(anchors))]
    return _Section(
        article,
        [_Paragraph(True, inline(article.text, p.start, p.end, p.nodes, wrap))
         if p.block.kind == "headline"
         else _Paragraph(False, Markup(block_html(article.text, p, wrap, p_class="",
                                                  heading_offset=2,
                                                  id_prefix=f"{article.slug}-p")))
         for p in paragraphs(article, anchors)],
        notes,
        [_Note(a.annotation, article.text[a.start:a.end]) for a in anchors
         if a.annotation.kind == "correction"],
        _bibliography([a.annotation for a in anchors]),
        tally(a.annotation for a in anchors),
        changes(article),
        [(version, _Note(a.annotation, version.text[a.start:a.end]))
         for version in article.earlier for a in (stayed or {}).get(version.number, [])])


def print_html(dossier: Dossier, info: BuildInfo) -> str:
    """The whole edition as one HTML document for WeasyPrint."""
    first = dossier.articles[0] if dossier.articles else None
    return render_template(
        "print.html",
        dossier_title=DOSSIER_TITLE,
        first_title=first.title if first else "",
        lang=first.language if first else "en",
        built=info.date.strftime("%-d %B %Y") if info.date else "unknown",
        iso=info.date.strftime("%Y-%m-%dT%H:%M:%SZ") if info.date else "",
        version=info.version,
        subject="; ".join(a.title for a in dossier.articles),
        keywords=", ".join(["annotated edition", "fact check", "corrections",
                            *(a.publisher for a in dossier.articles)]),
        articles=[_section(a, dossier.anchors_for(a.slug), dossier.version_anchors.get(a.slug))
                  for a in dossier.articles])


# The fonts are converted from WOFF (and their tables saved again by fontTools) once
# per stylesheet, not once per edition: their timestamp is fixed, so that every
# edition embeds the same font bytes whichever article a process laid out first.
FONT_EPOCH = 0


@dataclass(frozen=True)
class PrintStyle:
    """The print stylesheet with its fonts loaded, reusable for any number of editions."""

    css: Any  # weasyprint.CSS
    fonts: Any  # weasyprint.text.fonts.FontConfiguration
    folder: Path  # the assets folder, the documents' base URL


_style: PrintStyle | None = None


def _load_style(folder: Path) -> PrintStyle:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fonts = FontConfiguration()
    with source_date(FONT_EPOCH):
        css = CSS(filename=str(folder / "print.css"), font_config=fonts)
    return PrintStyle(css, fonts, folder)


_memo_classes: dict[type, type] = {}
_KEPT = "_dossier_data"  # where an object keeps its bytes


def _memo_class(cls: type) -> type:
    """``cls`` whose ``data`` (its bytes in the file) is computed once, then kept."""
    if cls not in _memo_classes:
        plain = cls.data  # type: ignore[attr-defined]  # the property, read on the class

        def data(self: Any) -> bytes:
            kept: bytes | None = self.__dict__.get(_KEPT)
            if kept is None:
                kept = self.__dict__[_KEPT] = plain.fget(self)
            return kept

        _memo_classes[cls] = type(f"Kept{cls.__name__}", (cls,), {"data": property(data)})
    return _memo_classes[cls]


def _kept_object(pdf: Any, obj: Any) -> None:
    obj.__class__ = _memo_class(type(obj))
    type(pdf).add_object(pdf, obj)


def write_once(_document: Any, pdf: Any) -> None:
    """A WeasyPrint finisher: each object of the PDF is serialised (and compressed) once.

    With a file identifier, pydyf writes every object, then serialises them all
    again to hash them for the identifier's second half, compressing every stream
    (at zlib level 9) twice: about 0.3 s of CPU of each edition's 0.6 s write.
    The objects are complete when the finisher runs, so the second time can take
    the bytes of the first: the file is byte for byte the same
    (tests/test_pdf.py).  So is the object stream pydyf adds while writing (every
    small object, compressed together: written, then hashed again).
    """
    for obj in pdf.objects:
        if obj.free != "f":  # the free entry 0 has no bytes
            obj.__class__ = _memo_class(type(obj))
    pdf.add_object = functools.partial(_kept_object, pdf)  # the objects pydyf adds itself


# The resources painting may add to the PDF's shared dictionary, and what it adds
# that a second painting can take as it is: opacity states (``/ca 1``), plain numbers.
_RESOURCE_KINDS = ("ExtGState", "XObject", "Pattern", "Shading")


@dataclass
class _Painted:
    """One page as the first edition painted it, for the second edition to take."""

    scale: float
    before: list[Any]  # the page's content stream before painting (its transformation)
    operators: list[Any]  # what painting appended to it
    tags: dict[Any, dict[str, Any]] | None  # the marked content, box -> tag and MCID
    resources: dict[str, dict[str, dict[str, Any]]]  # added to the shared resources
    stream: Any  # the first edition's content stream (its compressed bytes, once written)


def _plain(value: Any) -> bool:
    from pydyf import Dictionary

    return type(value) is Dictionary and all(
        isinstance(v, int | float) for v in value.values())


class PaintOnce:
    """Paint each page of a laid-out document once, for both of its editions.

    WeasyPrint paints every page again for each ``write_pdf``: about 0.4 s of
    an article's CPU.  The two editions' pages are drawn alike (the variants
    differ in metadata, output intent and attachments, added after the
    pages), so the first write records what painting each page appended to
    its content stream, its marked content (for the tags) and the opacity
    states it added to the resources; the second write takes them instead of
    painting, and the stream's compressed bytes with them (``write_once``).
    A page whose painting made anything else (images, patterns, groups) is
    painted again, as before.  The second edition is byte for byte the PDF a
    second painting gives (``tests/test_pdf.py``).
    """

    def __init__(self, document: Any) -> None:
        self.document = document
        self.painted: dict[int, _Painted | None] = {}
        self.reused = 0  # pages the second edition took from the first

    @contextmanager
    def _pages(self, paint: Any) -> Iterator[None]:
        pages = self.document.pages
        for number, page in enumerate(pages):
            page.paint = functools.partial(paint, number, page)
        try:
            yield
        finally:
            for page in pages:
                del page.paint  # the class's method again

    def record(self) -> contextlib.AbstractContextManager[None]:
        return self._pages(self._record)

    def replay(self) -> contextlib.AbstractContextManager[None]:
        return self._pages(self._replay)

    def _record(self, number: int, page: Any, stream: Any, scale: float = 1) -> None:
        start, images = len(stream.stream), len(stream._images)
        before = {kind: set(stream._resources[kind]) for kind in _RESOURCE_KINDS}
        type(page).paint(page, stream, scale)
        added = {kind: {key: value for key, value in stream._resources[kind].items()
                        if key not in before[kind]} for kind in _RESOURCE_KINDS}
        simple = len(stream._images) == images and all(
            _plain(value) for kind in added.values() for value in kind.values())
        tags = None if stream._tags is None else {
            box: dict(kid) for box, kid in stream._tags.items()}
        self.painted[number] = _Painted(scale, stream.stream[:start], stream.stream[start:],
                                        tags, added, stream) if simple else None

    def _replay(self, number: int, page: Any, stream: Any, scale: float = 1) -> None:
        from pydyf import Dictionary

        painted = self.painted.get(number)
        if (painted is None or painted.scale != scale or stream.stream != painted.before
                or (painted.tags is None) != (stream._tags is None) or stream._tags):
            type(page).paint(page, stream, scale)
            return
        stream.stream.extend(painted.operators)
        self.reused += 1
        if painted.tags is not None:
            stream._tags.update((box, dict(kid)) for box, kid in painted.tags.items())
        for kind, added in painted.resources.items():
            for key, value in added.items():
                stream._resources[kind].setdefault(key, Dictionary(value))
        kept = painted.stream.__dict__.get(_KEPT)
        if (kept is not None and stream.compress == painted.stream.compress
                and stream.extra == painted.stream.extra):
            stream.__dict__[_KEPT] = kept  # the same operators: the same bytes


# What an icon may hold for its drawing to be taken again: plain shapes, filled or
# stroked with plain colours (no references to gradients, clips, masks, other nodes).
_ICON_TAGS = frozenset({"svg", "g", "path", "circle", "ellipse", "line", "polyline", "polygon",
                        "rect", "title", "desc"})
_ICON_ATTRIBUTES = frozenset({"d", "viewBox", "width", "height", "role", "aria-label",
                              "aria-hidden", "class", "fill", "stroke", "stroke-width",
                              "fill-rule", "clip-rule", "cx", "cy", "r", "rx", "ry", "x", "y",
                              "x1", "y1", "x2", "y2", "points"})
# The stream's state a drawing reads (colours and opacities already set are not set again).
_ICON_STATE = ("_current_color", "_current_color_stroke", "_current_alpha",
               "_current_alpha_stroke", "_current_font", "_current_font_size", "_old_font",
               "_old_font_size")


def _icon_source(image: Any) -> bytes | None:
    """An inline SVG's markup, if it is plain enough to draw the same wherever it is."""
    from xml.etree import ElementTree

    kept: bytes | None = image.__dict__.get(_KEPT)
    if kept is None:
        root = image._svg.tree._etree_node
        plain = all(
            node.tag.rpartition("}")[2] in _ICON_TAGS
            and all(name.rpartition("}")[2] in _ICON_ATTRIBUTES for name in node.attrib)
            and "url(" not in node.get("fill", "") + node.get("stroke", "")
            for node in root.iter())
        kept = image.__dict__[_KEPT] = ElementTree.tostring(root) if plain else b""
    return kept or None


@dataclass
class _Drawn:
    operators: tuple[Any, ...]  # what drawing the icon appended to the stream
    state: tuple[Any, ...]  # the stream's _ICON_STATE after
    resources: dict[str, dict[str, Any]]  # opacity states it added


class DrawIconsOnce:
    """Draw each distinct icon of a document once, and copy its drawing where it recurs.

    An article's PDF shows an inline SVG icon before every source (about 150),
    and WeasyPrint parses each one's path data and draws it again each time:
    about a tenth of painting.  An icon of the same markup, drawn at the same
    size into a stream in the same state, appends the same operators (its
    position is set before, by a transformation of its own), so the first
    drawing's operators are taken for the others.  Only icons of plain shapes
    and colours are copied (nothing that depends on where it is drawn: clips,
    masks, gradients, references); anything else is drawn as before.  The file
    is byte for byte what drawing each icon gives (``tests/test_pdf.py``).
    """

    def __init__(self) -> None:
        self.drawn: dict[tuple[Any, ...], _Drawn | None] = {}
        self.copied = 0

    @contextmanager
    def drawing(self) -> Iterator[None]:
        from weasyprint.images import SVGImage

        plain = SVGImage.draw

        def draw(image: Any, stream: Any, width: float, height: float, style: Any) -> None:
            self._draw(plain, image, stream, width, height, style)

        SVGImage.draw = draw
        try:
            yield
        finally:
            SVGImage.draw = plain

    def _draw(self, plain: Any, image: Any, stream: Any, width: float, height: float,
              style: Any) -> None:
        from pydyf import Dictionary

        source = _icon_source(image)
        if source is None:
            plain(image, stream, width, height, style)
            return
        key = (source, width, height, stream.compress,
               *(getattr(stream, name) for name in _ICON_STATE))
        if key in self.drawn:
            drawn = self.drawn[key]
            if drawn is not None:
                stream.stream.extend(drawn.operators)
                for name, value in zip(_ICON_STATE, drawn.state, strict=True):
                    setattr(stream, name, value)
                for kind, added in drawn.resources.items():
                    for name, value in added.items():
                        stream._resources[kind].setdefault(name, Dictionary(value))
                self.copied += 1
                return
        start, images = len(stream.stream), len(stream._images)
        ctm = list(stream._ctm_stack)
        before = {kind: set(stream._resources[kind]) for kind in _RESOURCE_KINDS}
        plain(image, stream, width, height, style)
        added = {kind: {name: value for name, value in stream._resources[kind].items()
                        if name not in before[kind]} for kind in _RESOURCE_KINDS}
        same_place = len(stream._ctm_stack) == len(ctm) and all(
            a.values == b.values for a, b in zip(stream._ctm_stack, ctm, strict=True))
        simple = same_place and len(stream._images) == images and all(
            _plain(value) for kind in added.values() for value in kind.values())
        if key not in self.drawn:
            self.drawn[key] = _Drawn(
                tuple(stream.stream[start:]), tuple(getattr(stream, n) for n in _ICON_STATE),
                {kind: dict(values) for kind, values in added.items() if values}
            ) if simple else None


@contextmanager
def print_style() -> Iterator[PrintStyle]:
    """Load the stylesheet and its fonts once for every edition laid out inside.

    Loading them (fontconfig, five WOFF fonts converted, one of them 2 MB) cost
    about 0.4 s of CPU per edition.  Worker processes forked inside inherit them
    (``parallel.py``); the fonts' temporary folder goes when the block ends.
    """
    global _style
    if _style is not None:  # already inside one
        yield _style
        return
    with resources.as_file(resources.files("dossier") / "assets") as folder:
        _style = _load_style(Path(folder))
        try:
            yield _style
        finally:
            _style = None  # WeasyPrint removes the fonts' folder with the configuration


def render_pdf(dossier: Dossier, info: BuildInfo) -> Editions:
    """Lay the edition out once, and write it as the reader's and the archive's PDF."""
    with collecting_only_new():
        return _render_pdf(dossier, info)


def _render_pdf(dossier: Dossier, info: BuildInfo) -> Editions:
    from weasyprint import HTML, Attachment

    with print_style() as style, source_date(info.epoch):
        with measured_footnotes():
            document = HTML(string=print_html(dossier, info),
                            base_url=f"{style.folder}/").render(
                stylesheets=[style.css], font_config=style.fonts, pdf_tags=True)
        identifier = info.version.encode()
        pages, icons = PaintOnce(document), DrawIconsOnce()
        with pages.record(), icons.drawing():
            reader = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier,
                                        pdf_tags=True, finisher=write_once)
        data = json.dumps(collection(dossier), ensure_ascii=False, indent=2, sort_keys=True)
        attachment = Attachment(string=data, name="annotations.json",
                                description="The dossier's annotations as a W3C Web Annotation "
                                            "collection (JSON-LD)", relationship="Data",
                                created=info.date, modified=info.date)
        with pages.replay(), icons.drawing():
            archival = document.write_pdf(pdf_variant="pdf/a-3b", pdf_identifier=identifier,
                                          attachments=[attachment], pdf_tags=True,
                                          finisher=write_once)
    assert isinstance(reader, bytes) and isinstance(archival, bytes)
    return Editions(reader, archival)
