"""The site's search index, prebuilt and split by the first letter of each word.

Material's own search sends every page's whole text to the browser and
builds a lunr index there when a reader first searches: at 100 articles
that is 7 MB to load and about 4 s before the first results (measured in
Chromium; docs/benchmarks.md).  Here the index is built once, at build
time, and split so that a query loads only what it needs:

- ``docs.js``: for every page and section, its address, title and the
  first words of its text (what a result shows), and the list of shards;
- ``<hex code of a first letter>.js``: for every word beginning with that
  letter, the pages and sections that hold it, each with a relevance score
  (BM25, with words in titles counting more);
- ``t/<page's number>.js``: the whole text of a page and its sections, loaded
  for the first results shown, so that each shows the words it was found by.

Each file is a script that hands its data to ``window.__dzSearch``, so it
loads from ``file://`` as well as over HTTP (a script, unlike ``fetch``,
may be read from the folder).  The browser side is ``theme/assets/
dossier-search.js``, which answers Material's search box in place of
Material's own search worker.  This module is a plain function of the
documents MkDocs' search plugin produced; it knows nothing of MkDocs.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import chain
from typing import Any

FOLDER = "search/dz"  # inside the site
EXCERPT = 160  # characters of a section's text shown under its title in the results
TITLE_WEIGHT = 10  # a word in a title counts as this many in the text
K1, B = 1.2, 0.75  # BM25, with its usual constants

WORD = re.compile(r"\w+")
TAG = re.compile(r"<[^<>]*>")  # [^>]* would read to the end from every stray "<"
# lunr's English stop words (Material's search drops them too): they match nearly
# every section, so they would make every shard larger and no result better.
STOP_WORDS = frozenset({
    "a", "able", "about", "across", "after", "all", "almost", "also", "am", "among", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "but", "by", "can", "cannot",
    "could", "dear", "did", "do", "does", "either", "else", "ever", "every", "for", "from",
    "get", "got", "had", "has", "have", "he", "her", "hers", "him", "his", "how", "however",
    "i", "if", "in", "into", "is", "it", "its", "just", "least", "let", "like", "likely",
    "may", "me", "might", "most", "must", "my", "neither", "no", "nor", "not", "of", "off",
    "often", "on", "only", "or", "other", "our", "own", "rather", "said", "say", "says",
    "she", "should", "since", "so", "some", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "tis", "to", "too", "twas", "us", "wants", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "would", "yet", "you", "your",
})


def words(text: str) -> Counter[str]:
    """How often each word occurs, as the index holds words: lowercased runs of letters and
    digits, without stop words."""
    counts = Counter(WORD.findall(text.lower()))
    for word in STOP_WORDS.intersection(counts):
        del counts[word]
    return counts


def plain(markup: str) -> str:
    """Text from the search plugin's HTML fragment: tags dropped, entities decoded."""
    return " ".join(html.unescape(TAG.sub(" ", markup)).split())


def excerpt(text: str, limit: int = EXCERPT) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit].rstrip(" ,.;:") + "\u2026"


def _script(call: str, *args: Any) -> bytes:
    """A script calling ``__dzSearch.<call>(...)`` with JSON arguments.

    JSON is a JavaScript expression; "<" is escaped as well, so no text can
    close a script element if the file is ever inlined.
    """
    data = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    data = data.replace("<", "\\u003c")
    return f"__dzSearch.{call}({data});\n".encode()


def word_weight(total: int, df: int) -> float:
    """BM25's weight of a word found in ``df`` of ``total`` docs (scaled to whole scores)."""
    return 100 * (K1 + 1) * math.log(1 + (total - df + 0.5) / (df + 0.5))


def length_factor(length: int, average: float) -> float:
    """BM25's factor for a doc of ``length`` words: a posting scores
    ``int(weight * n / (n + factor)) + 1`` for a word found ``n`` times."""
    return K1 * (1 - B + B * length / average)


def shard_name(letter: str) -> str:
    return f"{ord(letter):x}.js"


Prepared = tuple[str, str, str, dict[str, int]]  # location, title, text, weighted word counts


def prepare(docs: Iterable[Mapping[str, Any]]) -> list[Prepared]:
    """What the index keeps of each doc: its text without tags and its words counted.

    The part of ``build_index`` that depends on one doc alone, so that a
    caller may keep it per page between builds (``site.py``).
    """
    out = []
    for doc in docs:
        title, text = plain(str(doc.get("title", ""))), plain(str(doc.get("text", "")))
        tf = words(text)
        for word, n in words(title).items():
            tf[word] += TITLE_WEIGHT * n
        out.append((str(doc.get("location", "")), title, text, dict(tf)))
    return out


def build_index(docs: Iterable[Mapping[str, Any]]) -> dict[str, bytes]:
    """The index files (paths inside the site) for the search plugin's ``docs``.

    Each doc has ``location`` (``page.html`` or ``page.html#section``),
    ``title`` and ``text`` (HTML).  A section's doc refers to its page's.
    """
    return index_files(prepare(docs))


Script = tuple[str, tuple[Any, ...]]  # one index file before encoding: a call, its arguments


def index_files(prepared: Iterable[Prepared]) -> dict[str, bytes]:
    """The index files from the docs as ``prepare`` gives them, in the site's order."""
    return {name: encode(script) for name, script in index_scripts(prepared).items()}


def encode(script: Script) -> bytes:
    """One index file's bytes (``_script``)."""
    call, args = script
    return _script(call, *args)


def index_scripts(prepared: Iterable[Prepared]) -> dict[str, Script]:
    """``index_files`` before encoding: each file's call and arguments, so that a caller
    building the index again may encode only the files whose arguments changed."""
    table: list[list[Any]] = []  # [location or "#anchor", title, excerpt, page's doc or -1]
    counts: list[dict[str, int]] = []
    pages: dict[str, int] = {}
    texts: dict[int, list[Any]] = defaultdict(list)  # page's doc -> [doc, text, doc, text...]
    for location, title, text, tf in prepared:
        page, _, anchor = location.partition("#")
        parent = pages.get(page, -1) if anchor else -1
        if not anchor:
            pages.setdefault(page, len(table))
        texts[parent if parent >= 0 else len(table)] += [len(table), text]
        table.append([f"#{anchor}" if parent >= 0 else location, title, excerpt(text), parent])
        counts.append(tf)

    total = len(counts) or 1
    lengths = [sum(c.values()) for c in counts]
    average = sum(lengths) / total or 1.0
    frequency: Counter[str] = Counter(chain.from_iterable(counts))  # in how many docs
    idf = {word: word_weight(total, df) for word, df in frequency.items()}
    postings: dict[str, list[int]] = {word: [] for word in frequency}
    for number, tf in enumerate(counts):
        norm = length_factor(lengths[number], average)
        for word, n in tf.items():  # (the hot loop: one posting a word a doc)
            found = postings[word]
            found.append(number)
            found.append(int(idf[word] * n / (n + norm)) + 1)

    by_letter: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word in sorted(postings):
        by_letter[word[0]][word] = postings[word]
    files: dict[str, Script] = {
        f"{FOLDER}/{shard_name(letter)}": ("shard", (letter, list(terms), list(terms.values())))
        for letter, terms in by_letter.items()}
    files[f"{FOLDER}/docs.js"] = ("docs", (table, sorted(by_letter)))
    for owner, pairs in texts.items():
        files[f"{FOLDER}/t/{owner}.js"] = ("text", (pairs,))
    return files
