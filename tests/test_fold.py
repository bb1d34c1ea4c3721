"""anchoring.fold against its definition, one character at a time, on random text.

``fold`` is written for speed (one str.translate, a regex over the runs that
change length, offsets as ranges); ``fold_by_character`` below is the loop it
replaced, kept as the oracle: for every input, text, starts and ends must be the
same, hidden ranges (overlapping, unsorted, out of bounds) included.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier import anchoring
from dossier.anchoring import _FOLD, _SPACES, Folded, fold, fold_quote


def fold_by_character(text: str, hidden: Iterable[tuple[int, int]] = ()) -> Folded:
    """The original definition: each character in turn (quadratic-free, but slow)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    markup = {i for lo, hi in hidden for i in range(lo, hi)}
    for i, ch in enumerate(text):
        if ch.isspace() or i in markup:
            if out and out[-1] == " ":
                ends[-1] = i + 1
                continue
            replacement = " "
        else:
            replacement = _FOLD.get(ch, ch)
        for r in replacement:
            out.append(r)
            starts.append(i)
            ends.append(i + 1)
    return Folded("".join(out), tuple(starts), tuple(ends))


SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
# Each kind of character about as likely as the others, so that runs of white space
# broken by dropped characters, ellipses next to spaces and the like are common.
CHARACTERS = st.one_of(
    st.sampled_from(SPACES), st.sampled_from(" \n"),
    st.sampled_from([ch for ch, to in _FOLD.items() if len(to) != 1]),  # dropped, widened
    st.sampled_from([ch for ch, to in _FOLD.items() if len(to) == 1]),
    st.sampled_from([*"ab.-'\">\u00e9", "\U0001f642", "\u200c", "\u2060"]),
    st.characters())
TEXTS = st.lists(CHARACTERS, max_size=60).map("".join)
PROFILE = settings(max_examples=600, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow])


@st.composite
def texts_and_hidden(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(TEXTS)
    bound = st.integers(-3, len(text) + 3)
    hidden = draw(st.lists(st.tuples(bound, bound), max_size=5))
    return text, hidden


def test_the_space_list_is_every_white_space_character() -> None:
    assert sorted(_SPACES) == SPACES
    assert [c for c in SPACES if re.match(r"\s", c)] == SPACES


@PROFILE
@given(texts_and_hidden())
def test_fold_is_the_character_by_character_fold(case: tuple[str, list[tuple[int, int]]]
                                                 ) -> None:
    text, hidden = case
    assert fold(text, hidden) == fold_by_character(text, hidden)
    assert fold(text, iter(hidden)) == fold_by_character(text, hidden)  # any iterable


@PROFILE
@given(TEXTS)
def test_fold_quote_is_the_folded_text_stripped(text: str) -> None:
    assert fold_quote(text) == fold_by_character(text).text.strip()
    assert fold(text) == fold_by_character(text)


def test_examples_the_properties_must_see() -> None:
    """Runs split by dropped characters, hidden runs, ellipses: each written out."""
    cases = [("a \u00ad\u200b\n b", []), ("\u00ad \u00ad", []), ("a\u2026b", [(1, 2)]),
             ("x > y", [(2, 3)]), ("x\n> y", [(2, 3)]), ("ab", [(-2, 1), (1, 9)]),
             ("  \u2026  ", [(3, 2)]), ("\u201cq\u201d\u2014", [])]
    for text, hidden in cases:
        assert fold(text, hidden) == fold_by_character(text, hidden), (text, hidden)


def test_a_wrong_fold_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The property can fail: with a fold that lets dropped characters split a run of
    white space ("a \u00ad b" folded to "a  b"), hypothesis finds a counterexample."""
    monkeypatch.setattr(anchoring, "_SPECIAL", re.compile(r"  +|[\u00ad\u200b\u2026]"))
    with pytest.raises(AssertionError):
        test_fold_is_the_character_by_character_fold()
