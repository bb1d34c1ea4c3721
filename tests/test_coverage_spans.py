"""coverage's overlap test (sorted anchors and a bisection) against the pass over all.

``coverage_problems`` asked, for each statement, whether any anchor overlaps it,
by looking at every anchor (statements x anchors).  ``_Spans`` answers the same
question with one bisection; hypothesis compares the two on random spans, empty
and nested ones included.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.coverage import Statement, _Spans, needs_annotation, people_pattern

SPAN = st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda p: (p[0], p[0] + p[1]))


def anchor(start: int, end: int) -> Any:
    return SimpleNamespace(start=start, end=end)  # the two fields coverage reads


@settings(max_examples=800, deadline=None, derandomize=True)
@given(st.lists(SPAN, max_size=12), st.lists(SPAN, min_size=1, max_size=12))
def test_spans_overlap_as_the_pass_over_every_anchor(anchors: list[tuple[int, int]],
                                                      statements: list[tuple[int, int]]
                                                      ) -> None:
    found = _Spans([anchor(*a) for a in anchors])
    for start, end in statements:
        assert found.overlaps(start, end) == any(a < end and start < b for a, b in anchors)


def test_an_anchor_ending_where_a_statement_starts_does_not_cover_it() -> None:
    spans = _Spans([anchor(0, 10), anchor(30, 31), anchor(2, 4)])
    assert not spans.overlaps(10, 30)
    assert spans.overlaps(9, 30) and spans.overlaps(10, 31)
    assert not _Spans([]).overlaps(0, 5)


def test_a_statement_needs_an_annotation_for_a_number_a_quotation_or_a_name() -> None:
    people = people_pattern(["Kim Jong Un", "A.B"])

    def needs(text: str) -> bool:
        return needs_annotation(Statement(0, len(text), text), people)

    assert needs("It cost 3 won.") and needs("It cost \u00b3 won.")  # str.isdigit, as before
    assert needs("He said \u201cno\u201d.") and needs("Kim Jong Un spoke.")
    assert needs("A.B spoke.") and not needs("AxB spoke.")  # names are matched literally
    assert not needs("Kim Jong Unha spoke.") and not needs("Nobody spoke.")
    assert needs("Kim Jong Un.") and not needs_annotation(Statement(0, 5, "A.B x"), None)


NAMES = st.lists(st.sampled_from(["Kim", "Kim Jong Un", "Un", "A.B", "O'Neil", "Jean-Luc", "",
                                  "\u00c9lise", "x"]), max_size=4)
TEXT = st.lists(st.sampled_from(["Kim", " ", "Jong", "Un", "A.B", "AxB", "O'Neil", "Jean-Luc",
                                 "Luc", "\u00c9lise", "-", ".", "x", "xx", "_"]),
                max_size=12).map("".join)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(NAMES, TEXT)
def test_the_people_are_found_as_each_name_alone_finds_them(names: list[str],
                                                           text: str) -> None:
    """One pattern for all the names finds one exactly when a pattern for each name would."""
    found = people_pattern(names)
    each = any(re.search(rf"\b{re.escape(name)}\b", text) for name in names)
    assert (found is not None and found.search(text) is not None) == each
