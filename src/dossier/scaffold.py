"""``dossier new``: start an annotation file whose target is already known to anchor.

A contributor gives the article, the kind and the words; the file comes out
with a readable id, the schema line editors use for completion, and a
target that singles out one place (a prefix or suffix is added when the
words occur more than once).  The contributor then writes the title, the
body and the sources.
"""

from __future__ import annotations

import datetime as dt
import os
from importlib import resources
from pathlib import Path

from .anchoring import (
    anchor_one,
    fold_article,
    fold_quote,
    line_of,
    nearest_match,
    occurrences,
    one_line,
    paragraph_crossing,
    shortest_context,
    yaml_quote,
)
from .load import slugify
from .model import KINDS, Annotation, Article, Target
from .problems import DossierError, Problem
from .project import Project
from .review import PLACEHOLDER
from .text import shown


def readable_id(quote: str, taken: set[str]) -> str:
    """A slug from the quote's first words, unique in its folder."""
    base = slugify(quote, 40) or "annotation"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def schema_reference(target_dir: Path) -> str:
    with resources.as_file(resources.files("dossier") / "schemas" /
                           "annotation.schema.json") as schema:
        try:
            return Path(os.path.relpath(schema, target_dir)).as_posix()
        except ValueError:
            return schema.as_uri()


def target_for(article: Article, quote: str, occurrence: int | None
               ) -> tuple[dict[str, str], str]:
    """exact, plus the shortest prefix or suffix that makes it unique, and which place
    was chosen and why; or a DossierError.  The target is anchored before it is
    returned, so a file is never written with an ``exact:`` that does not anchor.
    """
    folded = fold_article(article)
    exact = fold_quote(quote)
    hits = occurrences(folded.text, exact) if exact else []
    if not hits:
        raise DossierError([Problem(article.path, 1, 1,
                                    f"the quote is not in the article: {yaml_quote(quote)}",
                                    nearest_match(article, folded, exact))])
    if occurrence is not None and not 1 <= occurrence <= len(hits):
        raise DossierError([Problem(article.path, 1, 1,
                                    f"the quote occurs {len(hits)} time(s); there is no "
                                    f"occurrence {occurrence}",
                                    f"use --occurrence 1 to {len(hits)}")])
    index = (occurrence or 1) - 1
    start, end = folded.original(hits[index], hits[index] + len(exact))
    crossing = paragraph_crossing(article, start, end)
    if crossing:
        raise DossierError([Problem(article.path, line_of(article.text, start), 1,
                                    "the quote runs across two paragraphs", crossing)])
    block = article.block_index.holding(start, end)
    target = {"exact": one_line(shown(article.text, start, end,
                                      block.hidden if block else ()))}
    why = "the only occurrence"
    if len(hits) > 1:
        prefix, suffix = shortest_context(folded.text, hits, len(exact), index)
        if prefix is not None and (suffix is None or len(prefix) <= len(suffix)):
            target["prefix"], added = prefix, "prefix added"
        elif suffix is not None:
            target["suffix"], added = suffix, "suffix added"
        else:
            raise DossierError([Problem(article.path, 1, 1,
                                        "the quote occurs more than once and no nearby words "
                                        "tell the places apart", "quote more words")])
        why = (f"occurrence {index + 1} of {len(hits)}, on line {line_of(article.text, start)}"
               + (", as asked" if occurrence is not None else "") + f"; {added}"
               + ("" if occurrence is not None else "; --occurrence N picks another"))
    probe = Annotation(id="new", article=article.slug, kind="context", title="", body="",
                       target=Target(**target), sources=(), path=article.path)
    anchor, problems = anchor_one(article, folded, probe)
    if anchor is None or (anchor.start, anchor.end) != (start, end):
        raise DossierError(problems or [Problem(article.path, 1, 1,
                                                "the quote cannot be pinned to one place",
                                                "quote more words")])
    return target, why


def scaffold(article: Article, kind: str, target: dict[str, str], schema: str,
             today: dt.date) -> str:
    lines = [f"# yaml-language-server: $schema={schema}",
             f"kind: {kind}",
             'title: ""  # one line: what a reader should know about these words',
             "target:"]
    lines += [f"  {key}: {yaml_quote(value)}" for key, value in target.items()]
    if kind == "correction":
        lines.append(f"correction: {yaml_quote(target['exact'])}  "
                     "# TODO: the corrected wording")
    if kind == "claim":
        lines.append("rating: unverified  # accurate, inaccurate, imprecise, needs-context, "
                     "unverified")
        lines.append(f'rating_reason: "{PLACEHOLDER} one line saying why"')
    if kind == "update":
        lines.append(f"date: {yaml_quote(today.isoformat())}  # when it happened")
    lines += [
        f"article_sha256: {article.sha256}  # the article version this was written against",
        "body: |",
        "  ",
        "sources:",
        "  # - url: https://…",
        "  #   title: …",
        "  #   publisher: …",
        "  #   type: news  # primary, news, reference or reprint (then add via: …)",
        "  #   published: YYYY-MM-DD  # or YYYY-MM, YYYY, unknown",
        f"  #   accessed: {today.isoformat()}",
        "  []",
    ]
    return "\n".join(lines) + "\n"


def new_annotation(project: Project, article: Article, kind: str, quote: str,
                   occurrence: int | None = None, today: dt.date | None = None
                   ) -> tuple[Path, str]:
    """Write the file; return it with which place the quote was pinned to, and why."""
    if kind not in KINDS:
        raise DossierError([Problem("dossier new", 1, 1, f"unknown kind {kind!r}",
                                    f"use one of: {', '.join(KINDS)}")])
    target, why = target_for(article, quote, occurrence)
    folder = project.annotations / article.slug
    folder.mkdir(parents=True, exist_ok=True)
    taken = {p.stem for p in folder.glob("*.yml")}
    path = folder / f"{readable_id(target['exact'], taken)}.yml"
    text = scaffold(article, kind, target, schema_reference(folder),
                    today or dt.date.today())
    with open(path, "x", encoding="utf-8") as handle:  # never overwrites
        handle.write(text)
    return path, why
