"""The search index the preview keeps (``liveindex.LiveIndex``): after every edit, its files
are byte for byte those ``searchindex.index_files`` makes from nothing, and a small edit
scores few sections again."""

from __future__ import annotations

import random

from dossier.liveindex import LiveIndex
from dossier.searchindex import Prepared, index_files, prepare

VOCABULARY = [f"{a}{b}" for a in "abcdeklmrz" for b in ("", "x", "ov", "ine", "1")]


def section(rng: random.Random, size: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(0, size)))


def site(rng: random.Random, pages: int) -> list[list[dict[str, str]]]:
    return [[{"location": f"p{p}.html", "title": section(rng, 3), "text": section(rng, 40)}]
            + [{"location": f"p{p}.html#s{s}", "title": section(rng, 3),
                "text": section(rng, 60)} for s in range(rng.randint(0, 4))]
            for p in range(pages)]


def edit(rng: random.Random, pages: list[list[dict[str, str]]]) -> None:
    page = rng.choice(pages)
    doc = rng.choice(page)
    what = rng.random()
    if what < 0.5:
        doc["text"] += " " + section(rng, 3)  # words added (some new to the index)
    elif what < 0.7:
        doc["text"] = " ".join(doc["text"].split()[1:])  # a word removed (perhaps its last)
    elif what < 0.8:
        doc["title"] = section(rng, 3)
    elif what < 0.9:  # a section added: the sections move, everything is made afresh
        page.append({"location": f"{page[0]['location']}#n{rng.random()}", "title": "new",
                     "text": section(rng, 20)})
    else:
        doc["text"] = doc["text"] + " <b> &amp; zzz" + str(rng.randint(0, 9))


def check(live: LiveIndex, pages: list[list[dict[str, str]]]) -> set[str]:
    """The live index's files equal those made from nothing, and the files it gave last
    time are left as they were (the preview compares the new bytes with them)."""
    last = live.out
    kept = dict(last)
    prepared = [prepare(page) for page in pages]
    given = [(f"p{i}", repr(docs), (lambda docs=docs: docs)) for i, docs in enumerate(prepared)]
    files, changed = live.files(given)
    whole: list[Prepared] = [doc for docs in prepared for doc in docs]
    expected = index_files(whole)
    assert list(files) == list(expected)
    assert files == expected
    assert last == kept
    return changed


def test_every_edit_gives_the_files_made_from_nothing() -> None:
    for seed in range(6):
        rng = random.Random(seed)
        pages = site(rng, 12)
        live = LiveIndex()
        before = check(live, pages)
        assert before == set(index_files([d for p in pages for d in prepare(p)]))
        for _ in range(60):
            edit(rng, pages)
            check(live, pages)


def test_a_small_edit_scores_few_sections_again() -> None:
    rng = random.Random(7)
    pages = site(rng, 300)
    live = LiveIndex()
    check(live, pages)
    total = live.rescored
    pages[5][0]["text"] += " kx"
    check(live, pages)
    assert 1 <= live.rescored < total // 10
