"""Versions of an article: what the publisher changed, and where annotations land now.

Publishers edit articles after publication.  Every version the dossier has
seen is kept; this module compares two of them and moves annotations from
the older text to the newer one where, and only where, their words still
apply.  It follows what Hypothesis does for notes on changed pages: a diff
of the two texts (Google's diff-match-patch) maps each quote's old position
to the new text, and the quote's own words and context confirm the match.

The diff runs in two passes, paragraphs first and then words inside the
paragraphs that changed, so its cost grows with the text and with the size
of the edit, not with the square of the text.  Diff-match-patch's time-out
is switched off: a result that depends on the machine's speed is not
reproducible.

Four outcomes, from safest to least safe (see ``Outcome``):

* ``kept``: the quote is still there once, at the place the diff maps it to;
* ``moved``: its words changed a little; the new words can be accepted;
* ``review``: they changed a number, a name or a negation, so the meaning
  may have changed: a person decides, the tool never does;
* ``gone``: the words are no longer there.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from diff_match_patch import diff_match_patch

from .anchoring import (
    anchor_all,
    arrange,
    context_text,
    fold,
    fold_quote,
    occurrences,
    yaml_quote,
)
from .model import Anchor, Annotation, Article
from .problems import Problem, Severity

EQUAL, DELETE, INSERT = 0, -1, 1
Diff = list[tuple[int, str]]

# A quote's words are "moved" when at least this similar to the old ones.
MIN_SIMILARITY = 60.0

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+|\s+|[^\w\s]")
_PARAGRAPH = re.compile(r"[^\n]*\n|[^\n]+")
_NEGATIONS = frozenset({"not", "no", "never", "none", "nor", "nothing", "neither", "nobody",
                        "without", "cannot", "n't", "nt"})


class Outcome(StrEnum):
    KEPT = "kept"
    MOVED = "moved"
    REVIEW = "review"
    GONE = "gone"


def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # deterministic: never cut a diff short by the clock
    return dmp


def _encode(pieces: Iterable[str], table: dict[str, str], listing: list[str]) -> str:
    """Each distinct piece as one character, so that the diff compares whole pieces."""
    out = []
    for piece in pieces:
        code = table.get(piece)
        if code is None:
            code = chr(len(listing) + 0x100 if len(listing) + 0x100 < 0xD800
                       else len(listing) + 0x100 + 0x800)
            table[piece] = code
            listing.append(piece)
        out.append(code)
    return "".join(out)


def _diff_pieces(old: list[str], new: list[str]) -> Diff:
    table: dict[str, str] = {}
    listing: list[str] = []
    a = _encode(old, table, listing)
    b = _encode(new, table, listing)
    decode = {code: piece for piece, code in table.items()}
    diffs = _engine().diff_main(a, b, False)
    return [(op, "".join(decode[c] for c in chars)) for op, chars in diffs]


def _merge(diffs: Iterable[tuple[int, str]]) -> Diff:
    out: Diff = []
    for op, text in diffs:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out


def word_diff(old: str, new: str) -> Diff:
    """The change from ``old`` to ``new`` as (op, text) runs of whole words.

    Paragraphs first, then words inside each run of changed paragraphs:
    the cost follows the text's length and the edit's size.
    """
    by_paragraph = _diff_pieces(_PARAGRAPH.findall(old), _PARAGRAPH.findall(new))
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(by_paragraph):
        op, text = by_paragraph[i]
        if op == EQUAL:
            out.append((op, text))
            i += 1
            continue
        deleted, inserted = "", ""
        while i < len(by_paragraph) and by_paragraph[i][0] != EQUAL:
            if by_paragraph[i][0] == DELETE:
                deleted += by_paragraph[i][1]
            else:
                inserted += by_paragraph[i][1]
            i += 1
        if deleted and inserted:
            words = _diff_pieces(_TOKEN.findall(deleted), _TOKEN.findall(inserted))
            out.extend(_cleanup(words))
        else:
            out.append((DELETE, deleted) if deleted else (INSERT, inserted))
    return _merge(out)


def _cleanup(diffs: Diff) -> Diff:
    """Fold white space standing alone between two changes into them.

    Readers then see "<del>sees as</del><ins>regards as</ins>" rather than
    a change, a kept space and another change.  Diff-match-patch's own
    semantic clean-up is not used: it works on characters, and would turn
    "here" into "there" by inserting a "t".
    """
    out: Diff = []
    for i, (op, text) in enumerate(diffs):
        between = (op == EQUAL and text.isspace() and 0 < i < len(diffs) - 1
                   and diffs[i - 1][0] != EQUAL and diffs[i + 1][0] != EQUAL)
        if between:
            out.extend([(DELETE, text), (INSERT, text)])
        else:
            out.append((op, text))
    return _regroup(out)


def _regroup(diffs: Diff) -> Diff:
    """Within each run of changes, all deletions first, then all insertions."""
    out: Diff = []
    run: Diff = []
    for op, text in [*diffs, (EQUAL, "")]:
        if op != EQUAL:
            run.append((op, text))
            continue
        out.extend(_merge([(DELETE, "".join(t for o, t in run if o == DELETE)),
                           (INSERT, "".join(t for o, t in run if o == INSERT))]))
        run = []
        out.append((op, text))
    return _merge(out)


def map_offset(diffs: Diff, offset: int, *, end: bool = False) -> int:
    """Where ``offset`` in the old text falls in the new one.

    An offset inside deleted text goes to where the deletion was.  A start
    goes after text inserted at its place (the insertion precedes the
    quote); an end stays before it, unless the insertion replaces words
    deleted at the quote's end.
    """
    old_at = new_at = 0
    previous = EQUAL
    for op, text in diffs:
        size = len(text)
        if op == EQUAL:
            if offset < old_at + size or (end and offset == old_at + size):
                return new_at + offset - old_at
            old_at += size
            new_at += size
        elif op == DELETE:
            if offset < old_at + size:
                return new_at
            old_at += size
        else:
            if end and old_at == offset and previous != DELETE:
                return new_at
            new_at += size
        previous = op
    return new_at


def changed_spans(diffs: Diff) -> list[tuple[int, int]]:
    """The [start, end) spans of the old text that the diff deletes or inserts at."""
    spans = []
    old_at = 0
    for op, text in diffs:
        if op == EQUAL:
            old_at += len(text)
        elif op == DELETE:
            spans.append((old_at, old_at + len(text)))
            old_at += len(text)
        else:
            spans.append((old_at, old_at))
    return spans


def _words(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text) if not t.isspace()]


def meaning_changes(old: str, new: str) -> list[str]:
    """Changed words that may change what a sentence says: numbers, names, negations."""
    found: list[str] = []
    for op, text in _diff_pieces(_words(old), _words(new)):
        if op == EQUAL:
            continue
        for word in _words(text):
            lower = word.lower()
            if (any(ch.isdigit() for ch in word) or lower in _NEGATIONS
                    or lower.endswith("n't") or word[:1].isupper()):
                found.append(word)
    return found


@dataclass(frozen=True)
class Landing:
    """Where one quote lands in the new version, and how sure that is."""

    outcome: Outcome
    start: int | None = None
    end: int | None = None
    similarity: float = 100.0
    old_words: str = ""
    new_words: str = ""
    reasons: tuple[str, ...] = ()
    nearest: str = ""


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Out to whole words, and never across a blank line."""
    while start > 0 and text[start - 1].isalnum() and start < len(text) and (
            text[start].isalnum()):
        start -= 1
    while end < len(text) and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _one_line(start: int, end: int, text: str) -> bool:
    return "\n" not in text[start:end]


def land(diffs: Diff, old_text: str, new_text: str, start: int, end: int,
         new_folded_text: str | None = None,
         one_block: Callable[[int, int], bool] | None = None) -> Landing:
    """Where the words at [start, end) of ``old_text`` are in ``new_text``.

    ``one_block(start, end)`` says whether a span of the new text stays inside
    one paragraph (by default: inside one line).
    """
    old_words = old_text[start:end]
    new_start = map_offset(diffs, start)
    new_end = map_offset(diffs, end, end=True)
    touched = [s for s in changed_spans(diffs)
               if (s[0] < end and s[1] > start) or (s[0] == s[1] and start < s[0] < end)]
    if not touched and new_text[new_start:new_end] == old_words:
        return Landing(Outcome.KEPT, new_start, new_end, 100.0, old_words, old_words)
    folded = new_folded_text if new_folded_text is not None else fold(new_text).text
    moved = _moved_whole(old_text, new_text, folded, start, end)
    if moved is not None:
        return Landing(Outcome.KEPT, moved, moved + end - start, 100.0, old_words, old_words)
    new_start, new_end = _widen(new_text, new_start, new_end)
    candidate = new_text[new_start:new_end]
    inside = one_block(new_start, new_end) if one_block else _one_line(new_start, new_end,
                                                                        new_text)
    if not inside or not candidate.strip():
        return Landing(Outcome.GONE, old_words=old_words,
                       nearest=_nearest(new_text, new_start))
    from rapidfuzz import fuzz  # only for a passage the new version changed

    similarity = float(fuzz.ratio(fold_quote(old_words), fold_quote(candidate)))
    if similarity < MIN_SIMILARITY:
        return Landing(Outcome.GONE, similarity=similarity, old_words=old_words,
                       nearest=_nearest(new_text, new_start))
    reasons = tuple(meaning_changes(old_words, candidate))
    unique = len(occurrences(folded, fold_quote(candidate))) == 1
    outcome = Outcome.REVIEW if reasons else Outcome.MOVED
    if not unique and not reasons:
        reasons = ("the new words occur more than once",)
        outcome = Outcome.REVIEW
    return Landing(outcome, new_start, new_end, similarity, old_words, candidate, reasons)


CONTEXT = 32  # characters on each side, within the paragraph, that must match


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    return text[max(line_start, start - CONTEXT):start], text[end:min(line_end, end + CONTEXT)]


def _moved_whole(old_text: str, new_text: str, new_folded: str, start: int, end: int
                 ) -> int | None:
    """The new start of a quote that the diff saw as moved: once, in the same context.

    A diff may describe a moved paragraph as deleted here and inserted there.
    The quote then still stands, word for word and with the same words
    around it, exactly once in the new text.
    """
    old_words = old_text[start:end]
    hits = occurrences(new_text, old_words)
    if len(hits) != 1:
        return None
    if _context(old_text, start, end) != _context(new_text, hits[0], hits[0] + len(old_words)):
        return None
    return hits[0]


def _nearest(text: str, at: int, width: int = 80) -> str:
    """The words of the new text around where the quote used to be."""
    lo = max(0, at - width // 2)
    hi = min(len(text), at + width // 2)
    piece = " ".join(text[lo:hi].split())
    return piece


def changed_paragraphs(diffs: Diff, separator: str = "\n") -> Iterator[Diff]:
    """The diff cut into paragraphs, keeping only those with a change.

    ``separator`` ends a paragraph ("\n" for one paragraph per line, "\n\n"
    for hard-wrapped text, whose other line breaks read as spaces).  A
    paragraph inserted or deleted whole is a paragraph of its own.
    """
    current: Diff = []
    for op, text in diffs:
        pieces = text.split(separator)
        for i, piece in enumerate(pieces):
            if i:  # a separator: the paragraph so far ends here
                if any(o != EQUAL for o, _ in current):
                    yield _merge(current)
                current = []
            piece = piece.replace("\n", " ") if separator != "\n" else piece
            if piece.strip():
                current.append((op, piece))
    if any(o != EQUAL for o, _ in current):
        yield _merge(current)


@dataclass(frozen=True)
class Change:
    """One version of an article and what the publisher changed from the one before."""

    version: Article
    paragraphs: tuple[Diff, ...]  # only the changed ones, as (op, text) runs


def changes(article: Article) -> list[Change]:
    """Every version after the first, newest first, with its word-level diff."""
    out = []
    versions = article.versions
    for before, after in itertools.pairwise(versions):
        separator = "\n" if after.format == "lines" else "\n\n"
        diff = word_diff(before.text, after.text)
        out.append(Change(after, tuple(changed_paragraphs(diff, separator))))
    return out[::-1]


def land_all(old_text: str, new_text: str, spans: Iterable[tuple[int, int]],
             one_block: Callable[[int, int], bool] | None = None) -> list[Landing]:
    """Where each [start, end) of ``old_text`` lands in ``new_text``: one diff for all."""
    diffs = word_diff(old_text, new_text)
    folded = fold(new_text).text
    return [land(diffs, old_text, new_text, start, end, folded, one_block)
            for start, end in spans]


def rebase_edits(landing: Landing, new: Article, *,
                 has_prefix: bool, has_suffix: bool) -> dict[tuple[str, ...], str | None]:
    """The fields ``dossier rebase`` writes into an annotation file for one landing.

    Only the two safe outcomes are written: a kept quote gets the new
    version's hash, a moved one its new words too (and new context, where
    the file gave some; None removes a context the new text no longer has).
    A quote that needs a person, or is gone, is left exactly as it is.
    """
    if landing.outcome is Outcome.KEPT:
        return {("article_sha256",): new.sha256}
    if landing.outcome is not Outcome.MOVED or landing.start is None or landing.end is None:
        return {}
    edits: dict[tuple[str, ...], str | None] = {("target", "exact"): landing.new_words}
    for side, wanted in (("prefix", has_prefix), ("suffix", has_suffix)):
        if wanted:
            context = context_text(new, landing.start, landing.end, side)
            edits[("target", side)] = context or None
    edits[("article_sha256",)] = new.sha256
    return edits


# --- the stage: anchoring across versions ------------------------------------------------


@dataclass(frozen=True)
class Carried:
    """An annotation written for an earlier version, and where it stands now."""

    anchor: Anchor  # on the version it was written for
    version: Article
    landing: Landing


def split_by_version(articles: Iterable[Article], annotations: Iterable[Annotation]
                     ) -> tuple[list[Annotation], dict[tuple[str, int], list[Annotation]]]:
    """Annotations for the newest text (or an unknown one), and those for each earlier one."""
    by_slug = {a.slug: a for a in articles}
    current: list[Annotation] = []
    earlier: dict[tuple[str, int], list[Annotation]] = {}
    for annotation in annotations:
        article = by_slug.get(annotation.article)
        version = article.version_with(annotation.article_sha256) if article else None
        if article is None or version is None or version is article:
            current.append(annotation)
        else:
            earlier.setdefault((article.slug, version.number), []).append(annotation)
    return current, earlier


def carry(article: Article, version: Article, notes: list[Annotation]
          ) -> tuple[list[Carried], list[Problem]]:
    """Anchor annotations on the version they were written for, then land them on the newest.

    A quote not found in its own version either is an error, as for any
    annotation; the others each get one ``Landing``, from one diff.
    """
    anchors, problems = anchor_all([version], notes)
    placed = anchors.get(version.slug, [])
    landings = land_all(version.text, article.text, [(a.start, a.end) for a in placed],
                        lambda s, e: article.block_index.holding(s, e) is not None)
    return [Carried(a, version, lnd) for a, lnd in zip(placed, landings, strict=True)], problems


def _warning(carried: Carried, article: Article) -> Problem | None:
    a, landing = carried.anchor.annotation, carried.landing
    line, col = a.where("target", "exact")
    since = f"version {carried.version.number} (retrieved {carried.version.retrieved})"
    newest = f"version {article.number}"
    if landing.outcome is Outcome.KEPT:
        return None
    if landing.outcome is Outcome.MOVED:
        message = (f"the publisher changed the quoted words in {newest}: "
                   f"{yaml_quote(landing.old_words)} is now {yaml_quote(landing.new_words)} "
                   f"({landing.similarity:.0f}% alike)")
        help = (f"run 'dossier rebase {article.slug}' to accept the new words, "
                "or edit target.exact yourself")
    elif landing.outcome is Outcome.REVIEW:
        message = (f"the publisher changed {', '.join(yaml_quote(w) for w in landing.reasons)} "
                   f"inside the quote in {newest}: {yaml_quote(landing.old_words)} is now "
                   f"{yaml_quote(landing.new_words)}; the meaning may have changed")
        help = ("a person must decide: re-read the annotation against the new words, then "
                f"edit target.exact and article_sha256: {article.sha256}; until then readers "
                f"see it on {since}")
    else:
        message = (f"the quoted words are no longer in {newest}: "
                   f"{yaml_quote(landing.old_words)}")
        help = (f"the text now there reads {yaml_quote(landing.nearest)}; rewrite the "
                f"annotation for the new text, or leave it: readers see it on {since}, with a "
                "note that the publisher changed those words")
    return Problem(a.path, line, col, message, help, Severity.WARNING)


def anchor_versions(articles: list[Article], annotations: list[Annotation]
                    ) -> tuple[dict[str, list[Anchor]], dict[str, dict[int, list[Anchor]]],
                               list[Problem]]:
    """The anchor stage with versions: each annotation on the newest text where it applies.

    Annotations written for the newest text anchor as always.  Those written
    for an earlier version move to the newest when their words are kept or
    changed a little; the others stay on their own version's page.
    """
    current, earlier = split_by_version(articles, annotations)
    anchors, problems = anchor_all(articles, current)
    stay: dict[str, dict[int, list[Anchor]]] = {}
    moved: dict[str, list[Anchor]] = {}
    by_slug = {a.slug: a for a in articles}
    for (slug, number), notes in sorted(earlier.items()):
        article = by_slug[slug]
        version = next(v for v in article.versions if v.number == number)
        carried, found = carry(article, version, notes)
        problems.extend(found)
        for c in carried:
            warning = _warning(c, article)
            if warning:
                problems.append(warning)
            if c.landing.outcome in (Outcome.KEPT, Outcome.MOVED) and c.landing.start is not None \
                    and c.landing.end is not None:
                moved.setdefault(slug, []).append(
                    Anchor(c.anchor.annotation, c.landing.start, c.landing.end))
            else:
                stay.setdefault(slug, {}).setdefault(number, []).append(c.anchor)
    for slug, extra in moved.items():
        anchors[slug], found = arrange([*anchors.get(slug, []), *extra])
        problems.extend(found)
    for numbers in stay.values():
        for number in numbers:
            numbers[number], found = arrange(numbers[number])
            problems.extend(found)
    return anchors, stay, problems


# --- dossier rebase ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rebase:
    """What ``dossier rebase`` does to one annotation file."""

    path: str
    outcome: Outcome
    edits: dict[tuple[str, ...], str | None]


def plan_rebase(article: Article, annotations: list[Annotation]) -> list[Rebase]:
    """For each annotation written for an earlier version of ``article``: what to write.

    Kept quotes get the newest hash; quotes changed a little get their new
    words too; the others are listed with no edit, for a person to decide.
    """
    _current, earlier = split_by_version([article], annotations)
    plans: list[Rebase] = []
    for (_slug, number), notes in sorted(earlier.items()):
        version = next(v for v in article.versions if v.number == number)
        carried, _problems = carry(article, version, notes)
        for c in carried:
            target = c.anchor.annotation.target
            edits = rebase_edits(c.landing, article, has_prefix=target.prefix is not None,
                                 has_suffix=target.suffix is not None)
            plans.append(Rebase(c.anchor.annotation.path, c.landing.outcome, edits))
    return sorted(plans, key=lambda r: r.path)
