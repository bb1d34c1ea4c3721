"""The search index as the preview keeps it between rebuilds, updated where a change reaches.

``searchindex.index_files`` scores every word of every page: BM25 divides each
section's length by the average length, so one saved annotation changes the
average, and with it, in principle, every score (each rounded to a whole number).
At 100 articles that was a quarter of a preview's rebuild, and it grows with the
dossier.  The preview's process keeps, from its last build, each word's postings
and, for each section, the interval of its length factor (BM25's ``norm``) within
which none of its rounded scores can change.  After a change:

- the sections of the changed pages are scored again, and so is every section of a
  word whose document frequency (and so its weight) changed;
- every other section is scored again only when its new length factor left its
  interval (kept a little narrower than exact, so that rounding in the arithmetic
  can only make it score again, never miss a change);
- only the words whose postings changed are encoded again, and each index file is
  put together from the words' encoded postings.

The files are byte for byte what ``index_files`` gives for the same pages
(``tests/test_liveindex.py`` compares them after random edits).  When the pages or
their sections are not the same as before (a page or a heading added or removed),
everything is computed again.  Plain data in, bytes out: it knows nothing of MkDocs.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from .searchindex import FOLDER, Prepared, _script, excerpt, length_factor, shard_name, word_weight

MARGIN = 1e-9  # how much narrower than exact each section's interval is kept (relative)
Page = tuple[str, str, Callable[[], list[Prepared]]]  # source, key of its content, its docs


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


class LiveIndex:
    """The split index's files for a sequence of pages, updated from the last call's."""

    def __init__(self) -> None:
        self.pages: list[tuple[str, str]] = []  # (source, key), in order
        self.prepared: list[list[Prepared]] = []  # each page's docs
        self.spans: list[tuple[int, int]] = []  # each page's docs: [start, end)
        self.locations: list[str] = []
        self.table: list[list[Any]] = []
        self.owners: list[int] = []  # each doc's text file (its page's doc, or itself)
        self.texts: dict[int, list[Any]] = {}
        self.counts: list[dict[str, int]] = []
        self.lengths: list[int] = []
        self.df: dict[str, int] = {}
        self.idf: dict[str, float] = {}
        self.docs: dict[str, list[int]] = {}
        self.scores: dict[str, list[int]] = {}
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.average = 1.0
        self.fragments: dict[str, str] = {}
        self.letters: dict[str, list[str]] = {}
        self.out: dict[str, bytes] = {}
        self.rescored = 0  # sections scored again by the last update (for tests)

    # -- the whole index -------------------------------------------------------------

    def files(self, pages: Sequence[Page]) -> tuple[dict[str, bytes], set[str]]:
        """Every index file's bytes, and the names of those that changed since the last
        call (every name on the first)."""
        keys = [(source, key) for source, key, _docs in pages]
        known = dict(zip(self.pages, self.prepared, strict=True))
        made = {i: pages[i][2]() for i, key in enumerate(keys) if key not in known}
        if self.pages and [s for s, _k in keys] == [s for s, _k in self.pages] and all(
                [p[0] for p in made[i]] == self.locations[slice(*self.spans[i])]
                for i in made):
            self.pages = keys
            for i, docs in made.items():
                self.prepared[i] = docs
            return self._update(made)
        prepared: list[Prepared] = []
        self.prepared, self.spans = [], []
        for i, key in enumerate(keys):
            found = made[i] if i in made else known[key]
            self.prepared.append(found)
            self.spans.append((len(prepared), len(prepared) + len(found)))
            prepared += found
        self.pages = keys
        self._whole(prepared)
        return self.out, set(self.out)

    def _whole(self, prepared: list[Prepared]) -> None:
        self.table, self.counts, self.locations, self.owners = [], [], [], []
        pages: dict[str, int] = {}
        texts: dict[int, list[Any]] = defaultdict(list)
        for location, title, text, tf in prepared:
            page, _, anchor = location.partition("#")
            parent = pages.get(page, -1) if anchor else -1
            if not anchor:
                pages.setdefault(page, len(self.table))
            owner = parent if parent >= 0 else len(self.table)
            texts[owner] += [len(self.table), text]
            self.owners.append(owner)
            self.locations.append(location)
            self.table.append([f"#{anchor}" if parent >= 0 else location, title,
                               excerpt(text), parent])
            self.counts.append(tf)
        self.texts = dict(texts)
        total = len(self.counts) or 1
        self.lengths = [sum(c.values()) for c in self.counts]
        self.average = sum(self.lengths) / total or 1.0
        df: dict[str, int] = {}
        for tf in self.counts:
            for word in tf:
                df[word] = df.get(word, 0) + 1
        self.df = df
        self.idf = {word: word_weight(total, n) for word, n in df.items()}
        self.docs = {word: [] for word in df}
        self.scores = {word: [] for word in df}
        self.lo, self.hi = [], []
        for number, tf in enumerate(self.counts):
            norm = length_factor(self.lengths[number], self.average)
            lo, hi = -math.inf, math.inf
            for word, n in tf.items():
                weight = self.idf[word]
                score = int(weight * n / (n + norm)) + 1
                self.docs[word].append(number)
                self.scores[word].append(score)
                low, high = _interval(weight, n, score)
                lo, hi = max(lo, low), min(hi, high)
            self.lo.append(lo)
            self.hi.append(hi)
        self.fragments = {word: self._fragment(word) for word in df}
        self.letters = {}
        for word in sorted(df):
            self.letters.setdefault(word[0], []).append(word)
        self.out = {f"{FOLDER}/{shard_name(letter)}": self._shard(letter)
                    for letter in self.letters}
        self.out[f"{FOLDER}/docs.js"] = _script("docs", self.table, sorted(self.letters))
        for owner, pairs in self.texts.items():
            self.out[f"{FOLDER}/t/{owner}.js"] = _script("text", pairs)
        self.rescored = len(self.counts)

    # -- one update --------------------------------------------------------------------

    def _update(self, made: dict[int, list[Prepared]]) -> tuple[dict[str, bytes], set[str]]:
        total = len(self.counts) or 1
        changed_docs: set[int] = set()
        weighed: set[str] = set()  # words whose document frequency changed
        owners: set[int] = set()
        table = False
        for i, docs in made.items():
            for number, (_location, title, text, tf) in enumerate(docs, self.spans[i][0]):
                entry = self.table[number]
                shown = [entry[0], title, excerpt(text), entry[3]]
                if shown != entry:
                    self.table[number] = shown
                    table = True
                pairs = self.texts[self.owners[number]]
                at = pairs.index(number)  # (doc numbers and texts alternate)
                if pairs[at + 1] != text:
                    pairs[at + 1] = text
                    owners.add(self.owners[number])
                old = self.counts[number]
                if old == tf:
                    continue
                changed_docs.add(number)
                for word in old.keys() - tf.keys():
                    self._leave(word, number)
                    weighed.add(word)
                for word in tf.keys() - old.keys():
                    self._join(word, number)
                    weighed.add(word)
                self.counts[number] = tf
                self.lengths[number] = sum(tf.values())
        self.average = sum(self.lengths) / total or 1.0
        for word in weighed:
            if word in self.df:
                self.idf[word] = word_weight(total, self.df[word])
        changed_words: set[str] = set()
        rescored = set(changed_docs)
        for number, length in enumerate(self.lengths):
            if number not in rescored:
                norm = length_factor(length, self.average)
                if not self.lo[number] < norm < self.hi[number]:
                    rescored.add(number)
        for number in rescored:
            self._score_doc(number, changed_words)
        for word in weighed:
            if word in self.df:
                self._score_word(word, rescored, changed_words)
        self.rescored = len(rescored)
        return self._assemble(changed_words | (weighed - self.df.keys()), table, owners)

    def _leave(self, word: str, number: int) -> None:
        docs = self.docs[word]
        at = bisect_left(docs, number)
        del docs[at]
        del self.scores[word][at]
        self.df[word] -= 1
        if not self.df[word]:
            for table in (self.df, self.idf, self.docs, self.scores, self.fragments):
                del table[word]

    def _join(self, word: str, number: int) -> None:
        docs = self.docs.setdefault(word, [])
        scores = self.scores.setdefault(word, [])
        at = bisect_left(docs, number)
        docs.insert(at, number)
        scores.insert(at, 0)  # scored below (its doc is among the changed ones)
        self.df[word] = self.df.get(word, 0) + 1

    def _score_doc(self, number: int, changed: set[str]) -> None:
        """Score every posting of one doc again, and make its interval afresh."""
        norm = length_factor(self.lengths[number], self.average)
        lo, hi = -math.inf, math.inf
        for word, n in self.counts[number].items():
            weight = self.idf[word]
            score = int(weight * n / (n + norm)) + 1
            at = bisect_left(self.docs[word], number)
            scores = self.scores[word]
            if scores[at] != score:
                scores[at] = score
                changed.add(word)
            low, high = _interval(weight, n, score)
            lo, hi = max(lo, low), min(hi, high)
        self.lo[number], self.hi[number] = lo, hi

    def _score_word(self, word: str, done: set[int], changed: set[str]) -> None:
        """Score a word whose weight changed in every doc not scored again already, and
        narrow those docs' intervals by its postings' (what they were before stays in
        them: only ever narrower than exact)."""
        weight = self.idf[word]
        scores = self.scores[word]
        for at, number in enumerate(self.docs[word]):
            if number in done:
                continue
            n = self.counts[number][word]
            norm = length_factor(self.lengths[number], self.average)
            score = int(weight * n / (n + norm)) + 1
            if scores[at] != score:
                scores[at] = score
                changed.add(word)
            low, high = _interval(weight, n, score)
            self.lo[number] = max(self.lo[number], low)
            self.hi[number] = min(self.hi[number], high)

    def _assemble(self, words: set[str], table: bool, owners: set[int]
                  ) -> tuple[dict[str, bytes], set[str]]:
        self.out = dict(self.out)  # (the caller keeps the last call's)
        letters = {word[0] for word in words}
        for word in words:
            if word in self.df:
                self.fragments[word] = self._fragment(word)
        before = set(self.letters)
        for letter in letters:
            found = sorted(w for w in self._words_of(letter, words))
            if found:
                self.letters[letter] = found
            else:
                del self.letters[letter]
        names: set[str] = set()
        for letter in letters:
            name = f"{FOLDER}/{shard_name(letter)}"
            if letter in self.letters:
                self.out[name] = self._shard(letter)
            else:
                self.out.pop(name, None)
            names.add(name)
        if table or set(self.letters) != before:
            self.out[f"{FOLDER}/docs.js"] = _script("docs", self.table, sorted(self.letters))
            names.add(f"{FOLDER}/docs.js")
        for owner in owners:
            name = f"{FOLDER}/t/{owner}.js"
            self.out[name] = _script("text", self.texts[owner])
            names.add(name)
        self.out = self._ordered()
        return self.out, names

    def _words_of(self, letter: str, words: set[str]) -> set[str]:
        kept = {w for w in self.letters.get(letter, []) if w in self.df}
        return kept | {w for w in words if w[0] == letter and w in self.df}

    def _ordered(self) -> dict[str, bytes]:
        """The files in ``index_files``' order: the shards by letter, docs.js, the texts."""
        out = {f"{FOLDER}/{shard_name(letter)}": self.out[f"{FOLDER}/{shard_name(letter)}"]
               for letter in sorted(self.letters)}
        out[f"{FOLDER}/docs.js"] = self.out[f"{FOLDER}/docs.js"]
        for owner in self.texts:
            out[f"{FOLDER}/t/{owner}.js"] = self.out[f"{FOLDER}/t/{owner}.js"]
        return out

    def _fragment(self, word: str) -> str:
        docs, scores = self.docs[word], self.scores[word]
        return "[" + ",".join(f"{d},{s}" for d, s in zip(docs, scores, strict=True)) + "]"

    def _shard(self, letter: str) -> bytes:
        words = self.letters[letter]
        data = (f"{_json(letter)},{_json(words)},["
                + ",".join(self.fragments[w] for w in words) + "]")
        return f"__dzSearch.shard({data});\n".encode()


def _interval(weight: float, n: int, score: int) -> tuple[float, float]:
    """The length factors (``norm``) within which ``int(weight * n / (n + norm)) + 1`` stays
    ``score``, a little narrower than exact (``MARGIN``)."""
    whole = score - 1
    low = weight * n / (whole + 1) - n
    if whole <= 0:
        return low + MARGIN * (abs(low) + 1), math.inf
    high = weight * n / whole - n
    return low + MARGIN * (abs(low) + 1), high - MARGIN * (abs(high) + 1)
