"""Property tests for re-anchoring: an annotation never lands silently on other words.

Texts mix scripts, typographic punctuation and figures, with a fixed seed so
CI is repeatable.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.versions import Outcome, land_all

WORDS = ["troops", "Kursk", "조선", "войска", "Путин", "שלום", "it\u2019s", "\u2014", "3,000",
         "10,000", "not", "a", "the", "of", "said", "Kim", "Jong", "Un", "e\u0301te", "🙂"]
PROFILE = settings(max_examples=200, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow])

paragraph = st.lists(st.sampled_from(WORDS), min_size=4, max_size=20).map(" ".join)


@st.composite
def edited(draw: st.DrawFn, inside: bool) -> tuple[str, str, tuple[int, int]]:
    """An article, a quote in it (with a unique marker word), and a new version.

    ``inside``: the edit replaces one word of the quote; otherwise the edits
    insert, delete or change paragraphs and words elsewhere.
    """
    paragraphs = draw(st.lists(paragraph, min_size=2, max_size=6))
    at = draw(st.integers(0, len(paragraphs) - 1))
    words = paragraphs[at].split(" ")
    lo = draw(st.integers(0, len(words) - 1))
    hi = draw(st.integers(lo + 1, len(words)))
    quoted = ["QUOTE", *words[lo:hi]]  # QUOTE: the quote occurs once
    paragraphs[at] = " ".join(words[:lo] + quoted + words[hi:])
    old = "\n".join(["Headline", *paragraphs])
    start = old.index("QUOTE")
    end = start + len(" ".join(quoted))
    new_paragraphs = list(paragraphs)
    if inside:
        which = draw(st.integers(1, len(quoted) - 1)) if len(quoted) > 1 else 0
        replacement = draw(st.sampled_from(WORDS).filter(lambda w: w != quoted[which]))
        new_quoted = list(quoted)
        new_quoted[which] = replacement
        new_paragraphs[at] = " ".join(words[:lo] + new_quoted + words[hi:])
    else:
        for _ in range(draw(st.integers(1, 3))):
            others = [i for i in range(len(new_paragraphs)) if i != at]
            action = draw(st.sampled_from(["insert", "delete", "change"]))
            if action == "insert":
                where = draw(st.integers(0, len(new_paragraphs)))
                new_paragraphs.insert(where, draw(paragraph))
                at += where <= at
            elif others:
                i = draw(st.sampled_from(others))
                if action == "delete":
                    del new_paragraphs[i]
                    at -= i < at
                else:
                    new_paragraphs[i] = draw(paragraph)
    return old, "\n".join(["Headline", *new_paragraphs]), (start, end)


@PROFILE
@given(edited(inside=False))
def test_edits_away_from_a_quote_never_move_it(case: tuple[str, str, tuple[int, int]]) -> None:
    old, new, (start, end) = case
    (landing,) = land_all(old, new, [(start, end)])
    assert landing.outcome is Outcome.KEPT
    assert landing.start is not None and landing.end is not None
    assert new[landing.start:landing.end] == old[start:end]


@PROFILE
@given(edited(inside=True))
def test_edits_inside_a_quote_never_anchor_silently(
        case: tuple[str, str, tuple[int, int]]) -> None:
    old, new, (start, end) = case
    (landing,) = land_all(old, new, [(start, end)])
    assert landing.outcome is not Outcome.KEPT
    if landing.outcome in (Outcome.MOVED, Outcome.REVIEW):
        assert landing.new_words != landing.old_words  # reported with old and new words
        assert landing.start is not None and landing.end is not None
        assert new[landing.start:landing.end] == landing.new_words


# --- rebasing twice gives the same files -------------------------------------------------

_REAL = ["troops", "Korea", "3,000", "sees", "Putin", "treaty", "not", "June"]


@st.composite
def new_versions(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Word swaps anywhere in the first article (inside quotes or not)."""
    return draw(st.lists(st.tuples(st.sampled_from(_REAL),
                                   st.sampled_from(["soldiers", "10,000", "regards", "Moscow",
                                                    "pact", "never", "July"])),
                         min_size=1, max_size=4, unique_by=lambda pair: pair[0]))


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(swaps=new_versions())
def test_rebasing_twice_gives_the_same_files(tmp_path_factory: pytest.TempPathFactory,
                                             swaps: list[tuple[str, str]]) -> None:
    from conftest import REAL_SLUG, new_project
    from dossier.importing import Options, add_version
    from dossier.load import load_annotations, load_articles
    from dossier.versions import plan_rebase
    from dossier.yamledit import edit_file

    project = new_project(tmp_path_factory.mktemp("rebase") / "p", fake=False)
    text = (project.seeds / f"{REAL_SLUG}.txt").read_text(encoding="utf-8")
    for old, new in swaps:
        text = text.replace(f" {old} ", f" {new} ", 1)
    source = project.root / "v2.txt"
    source.write_text(text + "\nA paragraph the publisher added.\n", encoding="utf-8")
    add_version(project, str(source), Options(slug=REAL_SLUG))

    def rebase() -> dict[str, bytes]:
        articles, _ = load_articles(project)
        annotations, _ = load_annotations(project, articles)
        for plan in plan_rebase(articles[0], annotations):
            if plan.edits:
                edit_file(project.root / plan.path, plan.edits)
        return {p.name: p.read_bytes() for p in (project.annotations / REAL_SLUG).iterdir()}

    once = rebase()
    assert rebase() == once
