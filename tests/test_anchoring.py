"""Anchoring alone: from quotes to offsets in the original, never-altered text."""

from __future__ import annotations

from dataclasses import replace

from dossier.anchoring import anchor_all, fold, nesting_problems
from dossier.model import Anchor, Annotation, Article, Published, Target

TEXT = ("Headline\n"
        "He said \"it's done\" \u2014 twice. It's done.\n"
        "Kim Jung Un and Kim Jong Un met.")


def article(text: str = TEXT) -> Article:
    return Article(slug="a", text=text, title="Headline", publisher="P", url="https://x.org",
                   published=Published("2024-01-01"), retrieved="2024-01-02", language="en",
                   sha256="0" * 64, path="seeds/a.txt")


def ann(exact: str, id: str = "n", kind: str = "context", **target: str) -> Annotation:
    return Annotation(id=id, article="a", kind=kind, title="t", body="b" * 10,
                      target=Target(exact=exact, **target), sources=(), path=f"{id}.yml",
                      correction="x" if kind == "correction" else None)


def spans(*annotations: Annotation, text: str = TEXT) -> tuple[list[str], list[str]]:
    anchors, problems = anchor_all([article(text)], annotations)
    return ([text[a.start:a.end] for a in anchors["a"]], [p.message for p in problems])


def test_fold_maps_back_to_the_original() -> None:
    folded = fold("a  \u201cb\u201d\u2014c\n d\u2026")
    assert folded.text == 'a "b"-c d...'
    start = folded.text.index("b")
    assert folded.original(start, start + 1) == (4, 5)
    assert folded.original(0, len(folded.text)) == (0, 12)


def test_straight_quotes_and_hyphen_find_curly_text() -> None:
    found, problems = spans(ann('said "it\'s done" - twice'))
    assert problems == []
    assert found == ["said \"it's done\" \u2014 twice"]


def test_curly_quotes_and_extra_spaces_in_the_quote() -> None:
    found, _ = spans(ann("He  said \u201cit\u2019s done\u201d"))
    assert found == ["He said \"it's done\""]


def test_ambiguous_then_disambiguated() -> None:
    _, problems = spans(ann("done"))
    assert problems == ["the quote occurs 2 times in seeds/a.txt; it must single out one place"]
    found, problems = spans(ann("done", suffix=". "))
    assert (found, problems) == (["done"], [])
    found, problems = spans(ann("done", prefix="It's"))
    assert (found, problems) == (["done"], [])


def test_not_found_suggests_the_nearest_match() -> None:
    anchors, problems = anchor_all([article()], [ann("Kim Jung-Un and Kim")])
    assert anchors["a"] == []
    assert problems[0].help == ('nearest match (95% alike) on line 3 of the article: '
                                'exact: "Kim Jung Un and Kim"')


def test_same_nested_and_crossing_spans() -> None:
    outer = ann("Kim Jung Un and Kim Jong Un", id="outer")
    inner = ann("Kim Jung Un", id="inner", kind="correction")
    same = ann("Kim Jung Un", id="same", kind="claim")
    found, problems = spans(outer, inner, same)
    assert problems == []
    assert found == ["Kim Jung Un and Kim Jong Un", "Kim Jung Un", "Kim Jung Un"]
    # On identical spans the correction sits innermost.
    anchors, _ = anchor_all([article()], [inner, same])
    assert [a.annotation.id for a in anchors["a"]] == ["same", "inner"]

    crossing = ann("Un and Kim Jong Un met", id="crossing")
    _, problems = spans(ann("Kim Jung Un and", id="first"), crossing)
    assert problems == ["the quote overlaps the quote of first.yml without containing "
                        "it or lying inside it"]


def test_nothing_may_sit_inside_a_correction() -> None:
    fix = ann("Kim Jung Un", id="fix", kind="correction")
    anchors = [Anchor(fix, 0, 10), Anchor(replace(fix, id="x", kind="context", path="x.yml"),
                                          2, 5)]
    assert [p.message for p in nesting_problems(anchors)] == [
        "the quote lies inside the correction fix.yml"]


def test_quote_across_paragraphs_is_refused() -> None:
    _, problems = spans(ann("It's done. Kim Jung Un"))
    assert problems == ["the quote runs across two paragraphs"]


def test_each_article_anchors_alone() -> None:
    other = replace(article("Other\nKim Jung Un."), slug="b", path="seeds/b.txt")
    a = ann("Kim Jung Un")
    b = replace(ann("Kim Jung Un", id="m"), article="b")
    anchors, problems = anchor_all([article(), other], [a, b])
    assert problems == []
    assert [x.start for x in anchors["a"]] == [TEXT.index("Kim Jung Un")]
    assert [x.start for x in anchors["b"]] == [6]
