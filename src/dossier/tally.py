"""An article's annotations counted by kind and by rating, and the reader's filters.

One set of numbers feeds the summary under each headline, the articles
index and the PDF, so the three can never disagree.  Each annotation also
falls under exactly one *filter key* (``corrections``, a claim's rating,
``context``, ``sources`` or ``updates``): the keys are what the reader's
toggles and the ``?show=`` query parameter name, and what every highlight
and marker carries, so a count and the markers it filters are the same set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .kinds import KIND_LOOKS, RATING_LOOKS
from .model import KINDS, RATINGS, Annotation

# The filter key of each kind; a claim's key is its rating instead.
KIND_KEYS = {"correction": "corrections", "context": "context", "source": "sources",
             "update": "updates"}
# Every key, in the order the reader's toggles show them.
FILTER_KEYS = ("corrections", *RATINGS, "context", "sources", "updates")
# A key that stands for several: "?show=claims" shows every rating.
CLAIMS_KEY = "claims"


def filter_key(a: Annotation) -> str:
    """The one filter an annotation answers to."""
    if a.kind == "claim":
        return a.rating or "unverified"
    return KIND_KEYS[a.kind]


@dataclass(frozen=True)
class Segment:
    """One rating's share of the claims, for the stacked bar."""

    rating: str
    count: int
    percent: float
    offset: float  # where it starts: the percentages of the segments before it


@dataclass(frozen=True)
class Tally:
    total: int
    by_kind: dict[str, int]  # every kind, in KINDS order, zeros included
    by_rating: dict[str, int]  # every rating, in RATINGS order, zeros included
    latest_update: str | None  # the newest update's date (YYYY, YYYY-MM or YYYY-MM-DD)

    @property
    def claims(self) -> int:
        return self.by_kind["claim"]

    def by_key(self) -> dict[str, int]:
        """Counts under each filter key, in FILTER_KEYS order."""
        counts = {key: self.by_kind[kind] for kind, key in KIND_KEYS.items()}
        counts.update(self.by_rating)
        return {key: counts[key] for key in FILTER_KEYS}

    def segments(self) -> list[Segment]:
        """The ratings that occur, each with its share of the claims (the bar's widths)."""
        segments, before = [], 0
        for r, n in self.by_rating.items():
            if n:
                segments.append(Segment(r, n, round(100 * n / self.claims, 2),
                                        round(100 * before / self.claims, 2)))
                before += n
        return segments


def tally(annotations: Iterable[Annotation]) -> Tally:
    items = list(annotations)
    by_kind = {k: sum(1 for a in items if a.kind == k) for k in KINDS}
    by_rating = {r: sum(1 for a in items if a.kind == "claim" and filter_key(a) == r)
                 for r in RATINGS}
    # ISO dates, possibly shortened (YYYY, YYYY-MM): they sort as text.
    update_dates = [a.date for a in items if a.kind == "update" and a.date]
    return Tally(len(items), by_kind, by_rating, max(update_dates, default=None))


def filter_label(key: str) -> str:
    """What a reader's toggle says: 'Corrections', 'Needs context', 'Updates'..."""
    if key in RATING_LOOKS:
        return RATING_LOOKS[key].label
    kind = next(k for k, v in KIND_KEYS.items() if v == key)
    return KIND_LOOKS[kind].plural
