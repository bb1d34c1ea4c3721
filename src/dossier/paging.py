"""Dossier-wide pages cut into pages of a fixed size, so that no page grows without bound.

A list of a dossier's size (its articles, its sources) is shown PAGE_SIZE
entries a page: the first page keeps the address readers know
(``sources.html``), later ones sit in a folder named after it
(``sources/page-2.html``), so that no page number can clash with an
article's slug.  Plain data: the templates draw the navigation
(``components.html``'s ``pager``) from a :class:`Pager`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

PAGE_SIZE = 50  # entries a page: articles in an index, sources on the sources page
WINDOW = 2  # page numbers shown each side of the current one (then the first and last)

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = PAGE_SIZE) -> list[list[T]]:
    """``items`` in pages of ``size``; an empty list is one empty page."""
    return [list(items[i:i + size]) for i in range(0, len(items), size)] or [[]]


@dataclass(frozen=True)
class Pager:
    """Page ``number`` of ``count`` of the list whose first page is ``stem``.md."""

    stem: str  # the first page's path under the docs folder, without ".md"
    number: int
    count: int

    def path(self, n: int | None = None) -> str:
        """Page ``n``'s Markdown path (this page's by default)."""
        n = self.number if n is None else n
        return f"{self.stem}.md" if n == 1 else f"{self.stem}/page-{n}.md"

    @property
    def up(self) -> str:
        """From this page to the folder of the first page (links are written from there)."""
        return "" if self.number == 1 else "../"

    def href(self, n: int) -> str:
        """A link from this page to page ``n``."""
        name = self.stem.rsplit("/", 1)[-1]
        if self.number == 1:
            return f"{name}.html" if n == 1 else f"{name}/page-{n}.html"
        return f"../{name}.html" if n == 1 else f"page-{n}.html"

    def window(self) -> list[int | None]:
        """The page numbers to show: the first, the last and those near this one; None
        where numbers are left out, so the navigation stays short however long the list."""
        shown = {1, self.count, *range(self.number - WINDOW, self.number + WINDOW + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.count)
        out: list[int | None] = []
        for n in numbers:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def pagers(stem: str, count: int) -> list[Pager]:
    return [Pager(stem, n, count) for n in range(1, count + 1)]
