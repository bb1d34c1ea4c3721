"""Re-anchoring on a new version of an article, on the first article's real text."""

from __future__ import annotations

import pytest

from conftest import REAL_SLUG, ROOT
from dossier.versions import (
    DELETE,
    EQUAL,
    INSERT,
    Outcome,
    changed_paragraphs,
    land,
    map_offset,
    meaning_changes,
    word_diff,
)

TEXT = (ROOT / "seeds" / f"{REAL_SLUG}.txt").read_text(encoding="utf-8")


def _land(old: str, new: str, quote: str, *, occurrence: int = 0):
    start = old.index(quote)
    for _ in range(occurrence):
        start = old.index(quote, start + 1)
    return land(word_diff(old, new), old, new, start, start + len(quote))


def test_diff_reassembles_both_texts() -> None:
    new = TEXT.replace("Kim Jung Un", "Kim Jong Un").replace("3,000", "10,000")
    diffs = word_diff(TEXT, new)
    assert "".join(t for op, t in diffs if op != INSERT) == TEXT
    assert "".join(t for op, t in diffs if op != DELETE) == new
    assert (DELETE, "Jung") in diffs and (INSERT, "Jong") in diffs
    assert (DELETE, "3,000") in diffs and (INSERT, "10,000") in diffs


def test_unchanged_quote_is_kept_where_it_was() -> None:
    new = TEXT.replace("Weichert said most likely", "Weichert said that most likely")
    quote = "White House spokesman John Kirby"
    got = _land(TEXT, new, quote)
    assert got.outcome is Outcome.KEPT
    assert new[got.start:got.end] == quote


def test_paragraph_inserted_before_moves_every_quote_with_it() -> None:
    first_break = TEXT.index("\n") + 1
    new = TEXT[:first_break] + "Editor's note: this story has been updated.\n" + \
        TEXT[first_break:]
    for quote in ("at least 3,000", "Kim Jung Un", "a Putin ally", "$145 billion"):
        got = _land(TEXT, new, quote)
        assert got.outcome is Outcome.KEPT, quote
        assert new[got.start:got.end] == quote
        assert got.start == TEXT.index(quote) + len("Editor's note: this story has been updated.\n")


def test_a_word_changed_inside_a_quote_is_moved_with_its_new_words() -> None:
    quote = "a move the U.S. government sees as a desperate act by Russian President Putin"
    new = TEXT.replace("sees as a desperate act", "regards as a desperate act")
    got = _land(TEXT, new, quote)
    assert got.outcome is Outcome.MOVED
    assert got.new_words == quote.replace("sees", "regards")
    assert new[got.start:got.end] == got.new_words
    assert 80 <= got.similarity < 100


def test_a_figure_changed_inside_a_quote_needs_a_person() -> None:
    new = TEXT.replace("With at least 3,000 North Korean troops",
                       "With at least 10,000 North Korean troops")
    got = _land(TEXT, new, "With at least 3,000 North Korean troops")
    assert got.outcome is Outcome.REVIEW
    assert got.new_words == "With at least 10,000 North Korean troops"
    assert "10,000" in got.reasons


def test_a_quote_that_is_only_the_changed_figure_lands_on_the_new_figure() -> None:
    new = TEXT.replace("$145 billion", "$126 billion")
    got = _land(TEXT, new, "$145 billion")
    assert got.outcome is Outcome.REVIEW
    assert new[got.start:got.end] == "$126 billion"


@pytest.mark.parametrize(("old", "new", "words"), [
    ("could lead his country to provide lethal support",
     "could not lead his country to provide lethal support", ["not"]),
    ("Kim Jung Un", "Kim Jong Un", ["Jung", "Jong"]),
    ("sees as a desperate act", "regards as a desperate act", []),
])
def test_meaning_changes(old: str, new: str, words: list[str]) -> None:
    assert meaning_changes(old, new) == words


def test_a_removed_paragraph_takes_its_quote_with_it() -> None:
    paragraph = next(line for line in TEXT.split("\n") if line.startswith("Former British"))
    new = TEXT.replace(paragraph + "\n", "")
    got = _land(TEXT, new, "a Putin ally")
    assert got.outcome is Outcome.GONE
    assert got.start is None
    assert got.nearest  # the text now standing where the quote was


def test_a_sentence_reworded_around_a_quote_keeps_the_quote() -> None:
    new = TEXT.replace("Additionally, Russian lawmakers have ratified",
                       "Meanwhile, Russian lawmakers have ratified")
    got = _land(TEXT, new, "the strategic partnership treaty")
    assert got.outcome is Outcome.KEPT
    assert new[got.start:got.end] == "the strategic partnership treaty"


def test_a_rewritten_quote_is_gone_not_guessed() -> None:
    quote = "Russia is providing North Korea with more advanced weapons technology"
    new = TEXT.replace(quote, "Moscow pays Pyongyang mainly in cash and oil")
    got = _land(TEXT, new, quote)
    assert got.outcome in (Outcome.GONE, Outcome.REVIEW)
    assert got.outcome is not Outcome.MOVED


@pytest.mark.parametrize(("offset", "end", "expected"), [
    (0, False, 0), (3, False, 3), (4, False, 5), (4, True, 4), (6, False, 7), (7, True, 9),
    (8, True, 10),
])
def test_map_offset(offset: int, end: bool, expected: int) -> None:
    # "abc def gh" -> "abc Xdeff gh": an insertion at 4, a replacement at 7..8
    diffs = [(EQUAL, "abc "), (INSERT, "X"), (EQUAL, "de"), (DELETE, "f"), (INSERT, "ff"),
             (EQUAL, " gh")]
    assert map_offset(diffs, offset, end=end) == expected


def test_changed_paragraphs_show_only_what_changed() -> None:
    first_break = TEXT.index("\n") + 1
    new = (TEXT[:first_break] + "Editor's note: updated.\n" + TEXT[first_break:]).replace(
        "Kim Jung Un", "Kim Jong Un")
    rows = list(changed_paragraphs(word_diff(TEXT, new)))
    assert rows[0] == [(INSERT, "Editor's note: updated.")]
    assert (DELETE, "Jung") in rows[1] and (INSERT, "Jong") in rows[1]
    assert rows[1][0][0] == EQUAL and rows[1][0][1].startswith("With at least 3,000")
    assert len(rows) == 2


def test_wrapped_paragraphs_read_as_one() -> None:
    old = "Title\n\nOne line\nwrapped here.\n\nSecond paragraph.\n"
    new = "Title\n\nOne line\nwrapped there.\n\nSecond paragraph.\n"
    rows = list(changed_paragraphs(word_diff(old, new), "\n\n"))
    assert rows == [[(EQUAL, "One line wrapped "), (DELETE, "here"), (INSERT, "there"),
                     (EQUAL, ".")]]
