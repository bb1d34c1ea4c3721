"""Warnings: what a reviewer would point out, but what does not stop a build.

They are shown by ``dossier check`` and fail it only with ``--strict``.
"""

from __future__ import annotations

from .anchoring import fold_quote
from .model import Anchor, Annotation, Article
from .problems import Problem, Severity
from .readersafety import correction_problems, split_word_problems

PLACEHOLDER = "TODO:"


def _warn(a: Annotation, path: tuple[str | int, ...], message: str, help: str,
          group: str = "") -> Problem:
    line, col = a.where(*path)
    return Problem(a.path, line, col, message, help, Severity.WARNING, group)


def review(article: Article, anchor: Anchor, *, strict: bool = False) -> list[Problem]:
    a = anchor.annotation
    found: list[Problem] = correction_problems(article, anchor) + split_word_problems(
        article, anchor, strict=strict)
    if a.doc is not None:
        for path, value in a.doc.strings():
            if PLACEHOLDER in value:
                found.append(_warn(a, path, f"'{path[-1]}' still holds a placeholder",
                                   f"replace the text after '{PLACEHOLDER}'"))
    if a.article_sha256 is None:
        found.append(_warn(a, (), "the annotation does not record which version of the "
                                  "article it was written against",
                           f"add: article_sha256: {article.sha256}"))
    elif a.article_sha256 != article.sha256 and not any(
            v.sha256 == a.article_sha256 for v in article.earlier):
        # (An annotation written for an earlier version the dossier keeps is
        # checked word by word against the newest by the versions stage.)
        found.append(_warn(a, ("article_sha256",),
                           "the article has changed since this annotation was written",
                           "re-read the annotation against the article, then set "
                           f"article_sha256: {article.sha256}"))
    original = article.text[anchor.start:anchor.end]
    if a.correction is not None and fold_quote(a.correction) == fold_quote(original):
        found.append(_warn(a, ("correction",), "the correction repeats the article's words",
                           "write the corrected wording"))
    missing = [i for i, s in enumerate(a.sources) if not s.archive_url]
    if missing:
        which = ", ".join(str(i + 1) for i in missing)
        found.append(_warn(a, ("sources",),
                           f"source(s) {which} of {len(a.sources)} have no archive_url",
                           "add an archived copy (e.g. from the Wayback Machine) so the "
                           "citation survives the page",
                           "annotations cite sources that have no archive_url"))
    newest = max((s.published for s in a.sources if s.published != "unknown"), default=None)
    if a.updated and newest and newest > a.updated:
        found.append(_warn(a, ("updated",),
                           f"the annotation was last reviewed on {a.updated}, before its "
                           f"newest source ({newest})",
                           "re-read the annotation against its sources and set 'updated'"))
    return found
