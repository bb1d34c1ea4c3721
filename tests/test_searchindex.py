"""The prebuilt search index (searchindex.py): what a query finds, read back from its files.

The browser side (theme/assets/dossier-search.js) is tested in Chromium, over
HTTP and from file:// (tests/browser/test_search.py); here the files themselves.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import REAL_SLUG, Built
from dossier.searchindex import FOLDER, build_index, excerpt, shard_name, words


def call(script: bytes, name: str) -> list[Any]:
    """The arguments of the ``__dzSearch.<name>(...)`` call a file makes."""
    text = script.decode("utf-8")
    head, tail = f"__dzSearch.{name}(", ");\n"
    assert text.startswith(head) and text.endswith(tail), text[:80]
    args: list[Any] = json.loads("[" + text[len(head):-len(tail)] + "]")
    return args


def read(files: dict[str, bytes]) -> tuple[list[list[Any]], dict[str, list[int]]]:
    """The docs table and every word's postings, from the index's files."""
    table, letters = call(files[f"{FOLDER}/docs.js"], "docs")
    postings: dict[str, list[int]] = {}
    for letter in letters:
        found_letter, terms, lists = call(files[f"{FOLDER}/{shard_name(letter)}"], "shard")
        assert found_letter == letter
        assert terms == sorted(terms) and all(t.startswith(letter) for t in terms)
        postings.update(zip(terms, lists, strict=True))
    return table, postings


def location(table: list[list[Any]], doc: int) -> str:
    where, _title, _excerpt, page = table[doc]
    return str(table[page][0] + where if page >= 0 else where)


def found(files: dict[str, bytes], word: str) -> dict[str, int]:
    """Location -> score of the docs holding ``word``."""
    table, postings = read(files)
    docs = postings.get(word, [])
    return {location(table, d): s for d, s in zip(docs[::2], docs[1::2], strict=True)}


def indexed_docs(site: Path) -> list[dict[str, str]]:
    """Every doc of a built site's index: its location, title and whole text."""
    folder = site / FOLDER
    table, _letters = call((folder / "docs.js").read_bytes(), "docs")
    texts: dict[int, str] = {}
    for path in (folder / "t").glob("*.js"):
        pairs = call(path.read_bytes(), "text")[0]
        texts.update(zip(pairs[::2], pairs[1::2], strict=True))
    return [{"location": location(table, i), "title": doc[1], "text": texts[i]}
            for i, doc in enumerate(table)]


DOCS = [
    {"location": "a.html", "title": "Troops &amp; treaties",
     "text": "<p>North Korean troops were seen in Kursk.</p>"},
    {"location": "a.html#gerasimov", "title": "What Gerasimov said",
     "text": "<p>The chief of staff, Valery Gerasimov, spoke on 2 November.</p>"},
    {"location": "b.html", "title": "Other page", "text": "<p>Nothing about troops here, "
     "except troops.</p>"},
    {"location": "b.html#x", "title": "&lt;script&gt;alert(1)&lt;/script&gt;", "text": ""},
]


def test_each_word_leads_to_the_page_or_section_that_holds_it() -> None:
    files = build_index(DOCS)
    assert set(found(files, "gerasimov")) == {"a.html#gerasimov"}
    assert set(found(files, "kursk")) == {"a.html"}
    assert set(found(files, "troops")) == {"a.html", "b.html"}
    assert set(found(files, "november")) == {"a.html#gerasimov"}
    assert found(files, "the") == {}  # stop words are left out


def test_a_word_in_a_title_counts_more_than_in_the_text() -> None:
    files = build_index([*DOCS, {"location": "c.html", "title": "Kursk",
                                 "text": "<p>A page on the region.</p>"}])
    scores = found(files, "kursk")
    assert scores["c.html"] > scores["a.html"]


def test_results_show_titles_and_excerpts_as_plain_text() -> None:
    files = build_index(DOCS)
    table, _ = read(files)
    assert table[0][1:] == ["Troops & treaties", "North Korean troops were seen in Kursk.", -1]
    assert table[1] == ["#gerasimov", "What Gerasimov said",
                        "The chief of staff, Valery Gerasimov, spoke on 2 November.", 0]
    assert table[3][1] == "<script>alert(1)</script>"  # escaped by the browser side
    raw = files[f"{FOLDER}/docs.js"]
    assert b"<" not in raw  # written as \u003c: no text can end a script element


def test_a_long_text_is_cut_at_a_word() -> None:
    text = "word " * 100
    cut = excerpt(text.strip(), 40)
    assert cut.endswith("\u2026") and len(cut) <= 41 and not cut.endswith(" \u2026")
    assert excerpt("short", 40) == "short"


def test_words_are_lowercased_runs_of_letters_and_digits() -> None:
    assert words("Kim Jong-un's 3,000 troops, the KPA's") == {
        "kim": 1, "jong": 1, "un": 1, "s": 2, "3": 1, "000": 1, "troops": 1, "kpa": 1}
    assert words("북한군 파병") == {"북한군": 1, "파병": 1}


def test_the_built_site_finds_article_and_annotation_text(built: Built) -> None:
    folder = built.site / FOLDER
    files = {f"{FOLDER}/{p.relative_to(folder).as_posix()}": p.read_bytes()
             for p in folder.rglob("*.js")}
    page = f"articles/{REAL_SLUG}.html"
    assert page in found(files, "insuperable")  # the article's own words
    assert f"{page}#north-korea-acknowledges" in found(files, "gerasimov")  # an annotation's
    index = json.loads((built.site / "search" / "search_index.json").read_text("utf-8"))
    assert index["docs"] == [] and index["config"]["lang"] == ["en"]
    script = (built.site / "search" / "search_index.js").read_text("utf-8")
    assert script.startswith("var __index = ") and '"docs":[]' in script
    assert (built.site / "assets" / "dossier-search.js").is_file()
    assert '"search": "assets/dossier-search.js"' in built.page("index.html").replace(
        '"search":"', '"search": "')
