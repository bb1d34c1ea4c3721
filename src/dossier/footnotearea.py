"""The page's footnote area measured from each footnote's own height, not laid out again.

WeasyPrint lays the whole footnote area out again every time a footnote call
lands on a line (``LayoutContext._update_footnote_area``), only to learn the
area's new height, so a page of n footnotes lays footnotes out n(n+1)/2
times: about a fifth of an article's layout.  When the area's height is the
sum of its footnotes' heights, each footnote's height is measured once (laid
out alone in a copy of the area, as WeasyPrint would lay it out there) and the
sums give what laying the area out again gives.

That holds when the footnotes' margins cannot collapse with each other or with
the area: the area has a top border or padding, no minimum or maximum height,
and each footnote is a block with no bottom margin and a top margin of zero or
more (the print stylesheet's ``.fn`` and ``@footnote``).  Any other area is
laid out as WeasyPrint does.  The page's final footnote area is still laid
out by WeasyPrint, so nothing drawn changes: the PDFs are byte for byte the
same (``tests/test_pdf.py`` lays an article out both ways).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from math import inf
from typing import Any

_MEASURED = "_dossier_footnote_heights"  # on the layout context: footnote -> measure


def _measure(context: Any, area: Any, footnote: Any) -> tuple[float, float] | None:
    """The area's content height and margin height with ``footnote`` alone in it, or
    None when the footnote's margins could collapse (then the sum would not hold)."""
    from weasyprint.formatting_structure import build
    from weasyprint.layout.block import block_level_layout

    page = area.page
    key = (id(footnote), page.width, page.height)
    measured: dict[tuple[int, float, float], tuple[Any, tuple[float, float] | None]]
    measured = context.__dict__.setdefault(_MEASURED, {})
    kept = measured.get(key)
    if kept is not None and kept[0] is footnote:
        return kept[1]
    alone = build.create_anonymous_boxes(area.copy_with_children([footnote]).deepcopy())
    laid = block_level_layout(context, alone, -inf, None, page)[0]
    children = laid.children
    result: tuple[float, float] | None = None
    if (len(children) == 1 and children[0].margin_bottom == 0 and children[0].margin_top >= 0
            and children[0].height > 0 and children[0].element_tag == footnote.element_tag):
        result = (laid.height, laid.margin_height())
    measured[key] = (footnote, result)
    return result


def _additive(area: Any) -> bool:
    style = area.style
    low, high = style["min_height"], style["max_height"]
    return bool((area.border_top_width > 0 or area.padding_top > 0)
                and (low == "auto" or low.value == 0) and high.value == inf)


def _update_footnote_area(context: Any, plain: Any) -> bool:
    area = context.current_footnote_area
    footnotes = context.current_page_footnotes
    if not footnotes or not _additive(area) or any(
            f.style["footnote_display"] != "block" for f in footnotes):
        return bool(plain(context))
    measures = [_measure(context, area, f) for f in footnotes]
    if any(m is None for m in measures):
        return bool(plain(context))
    if area.height != "auto" and not context.in_column:
        context.page_bottom += area.margin_height()
    area.children = footnotes
    height = sum(m[0] for m in measures if m is not None)
    first = measures[0]
    assert first is not None
    area.height = height
    if not context.in_column:
        context.page_bottom -= height + (first[1] - first[0])  # the area's margin height
    return False  # an area of auto height holds its footnotes


@contextmanager
def measured_footnotes() -> Iterator[None]:
    """Inside, WeasyPrint sums the footnotes' heights instead of laying the area out again."""
    from weasyprint.layout import LayoutContext

    plain = LayoutContext._update_footnote_area

    def update(context: Any) -> bool:
        return _update_footnote_area(context, plain)

    LayoutContext._update_footnote_area = update
    try:
        yield
    finally:
        LayoutContext._update_footnote_area = plain
