"""Stage 1 and 2: read the articles and the annotations, and validate them.

Nothing here stops at the first problem.  A bad file is reported and left
out; the others are still read, so ``dossier check`` can list everything
wrong in a pull request at once.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

from . import schema
from .folders import annotation_folders, article_group, linked_folder, seeds_problems
from .markup import body_html
from .model import Annotation, Article, Coverage, Exemption, Published, Source, Target
from .policy import article_text_problems, markup_problems, text_problems
from .problems import Problem, has_errors
from .project import Project
from .readersafety import link_problems
from .text import DEFAULT_FORMAT, FORMATS, blocks
from .yamlsafe import Document, load_mapping

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, limit: int) -> str:
    """Lower-case ASCII words of ``text`` joined by hyphens, whole words up to ``limit``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = ""
    for word in re.findall(r"[a-z0-9]+", ascii_text.lower()):
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(path: Path, display: str) -> tuple[bytes | None, list[Problem]]:
    try:
        if path.is_symlink():
            return None, [Problem(display, 1, 1, "file is a symbolic link",
                                  "commit the file itself, not a link to it")]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Problem(display, 1, 1, f"cannot read file: {exc.strerror}", "")]


T = TypeVar("T")


def _guarded(display: str, load: Callable[[], tuple[T | None, list[Problem]]]
             ) -> tuple[T | None, list[Problem]]:
    """Load one file; whatever goes wrong with it, the other files are still checked.

    The loaders report every known problem as a located Problem.  This is the net
    under them: a failure nobody foresaw becomes a problem with this file (and a
    bug to report), not an ``internal error`` that hides every other file's problems.
    """
    try:
        return load()
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError,
            OverflowError, yaml.YAMLError) as exc:
        return None, [Problem(display, 1, 1,
                              f"this file could not be checked ({type(exc).__name__}: "
                              f"{str(exc)[:200]})",
                              "simplify the file, and please report this as a bug in dossier")]


def _read_validated(path: Path, display: str, schema_name: str
                    ) -> tuple[Document | None, list[Problem]]:
    """A YAML file, strictly parsed and checked against its schema."""
    raw, problems = _read(path, display)
    if raw is None:
        return None, problems
    doc, problems = load_mapping(raw, display)
    if doc is None:
        return None, problems
    source = raw.decode("utf-8")  # load_mapping has checked that it is UTF-8
    return doc, schema.validate(doc, schema_name, display) + text_problems(source, doc,
                                                                             display)


ArticleLoader = Callable[[Project, Path], tuple[Article | None, list[Problem]]]


def load_articles(project: Project, loader: ArticleLoader | None = None, *,
                  only: Collection[str] | None = None) -> tuple[list[Article], list[Problem]]:
    """Every ``seeds/<slug>.txt`` with its provenance sidecar, hash-checked.

    With ``only``, just those articles' files (``folders.article_group``), and
    none of the checks that span articles (``folders.seeds_problems``).
    """
    # ``loader`` reads one article file (``load_article``, or a cache around it).
    articles: list[Article] = []
    problems: list[Problem] = []
    if not project.seeds.is_dir():
        return [], [Problem("seeds", 1, 1, "no seeds/ folder", "add seeds/<slug>.txt")]
    linked = linked_folder(project, project.seeds)
    if linked:
        return [], linked
    versions: dict[str, list[Article]] = {}
    for txt in sorted(project.seeds.glob("*.txt")):
        if txt.name.endswith(".source.txt"):
            continue  # what a plain-text import received; its article is <slug>.txt
        if only is not None and article_group(txt.name) not in only:
            continue
        article, found = (loader or load_article)(project, txt)
        problems.extend(found)
        if article:
            versions.setdefault(article.slug, []).append(article)
    for slug in sorted(versions):
        seen = sorted(versions[slug], key=lambda v: v.number)
        articles.append(replace(seen[-1], earlier=tuple(seen[:-1])))
    if only is None:
        problems += seeds_problems(project, bool(articles), bool(problems))
    return articles, problems


def load_article(project: Project, txt: Path) -> tuple[Article | None, list[Problem]]:
    """One article file (a version of it) and its provenance, hash-checked."""
    return _guarded(project.display(txt), lambda: _load_article(project, txt))


def _load_article(project: Project, txt: Path) -> tuple[Article | None, list[Problem]]:
    slug, _, version = txt.stem.partition(".v")
    number = int(version) if version.isdigit() and int(version) >= 2 else 1
    if version and number == 1:
        slug = txt.stem  # not a version suffix: refused as a name below
    display = project.display(txt)
    if not SLUG.match(slug):
        return None, [Problem(display, 1, 1, f"article name '{slug}' is not a slug",
                              "use lower-case letters, digits and hyphens, e.g. "
                              "'north-korean-troops-quid-pro-quo'")]
    raw, problems = _read(txt, display)
    if raw is None:
        return None, problems
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(display, 1, 1, "article text is not UTF-8",
                              "keep the article exactly as received, saved as UTF-8")]
    meta_path = txt.with_suffix(".yml")
    meta_display = project.display(meta_path)
    if not meta_path.exists():
        return None, [Problem(meta_display, 1, 1, "provenance file is missing",
                              f"add {meta_display} with title, publisher, url, published, "
                              f"retrieved, language and sha256: {sha256_text(text)}")]
    doc, problems = _read_validated(meta_path, meta_display, schema.ARTICLE_SCHEMA)
    if doc is None:
        return None, problems
    problems += article_text_problems(text, display)
    problems += _article_limits(text, len(raw), doc.data.get("format", DEFAULT_FORMAT),
                                display)
    # Titles and names may come from a hostile page (dossier add): the markup policy.
    reported = {(p.line, p.col) for p in problems}
    problems += [p for p in markup_problems(doc, meta_display, article=True)
                 if (p.line, p.col) not in reported]
    if has_errors(problems):
        return None, problems
    data: dict[str, Any] = doc.data
    actual = sha256_text(text)
    if data["sha256"] != actual:
        line, col = doc.where(("sha256",))
        return None, [Problem(
            meta_display, line, col,
            f"{display} does not match its recorded SHA-256: the article text has changed",
            "the article must stay exactly as received: restore it with "
            f"'git checkout -- {display}'. If a new version was really published, record "
            f"it as a new article, or set sha256: {actual} and review every annotation",
        )]
    problems += _source_problems(project, doc, meta_display)
    return Article(
        slug=slug, text=text, title=data["title"], publisher=data["publisher"],
        url=data["url"], published=Published.from_yaml(data["published"]),
        retrieved=data["retrieved"], language=data["language"], sha256=actual,
        path=display, author=data.get("author"), notes=data.get("notes"),
        coverage=_coverage(doc) if "coverage" in data else None,
        format=data.get("format", DEFAULT_FORMAT), number=number,
    ), problems


MAX_ARTICLE_BYTES = 1_000_000  # the longest article so far is 30 KB
MAX_PARAGRAPH = 20_000  # characters in one paragraph; the longest so far is 316


def _article_limits(text: str, size: int, fmt: str, display: str) -> list[Problem]:
    """An article's size and its longest paragraph, within what the build lays out quickly.

    Counted in characters, never in time: the build lays out, anchors and diffs the
    text paragraph by paragraph (a 5 MB text took two minutes and 616 MB).
    """
    if size > MAX_ARTICLE_BYTES:
        return [Problem(display, 1, 1, f"article text is {size:,} bytes; at most "
                                       f"{MAX_ARTICLE_BYTES:,}",
                        "split it into several articles, each with its own provenance file")]
    for block in blocks(text, fmt if fmt in FORMATS else DEFAULT_FORMAT):
        if block.end - block.start > MAX_PARAGRAPH:
            return [Problem(display, block.line, 1,
                            f"a paragraph of {block.end - block.start:,} characters; a "
                            f"paragraph may be at most {MAX_PARAGRAPH:,}",
                            "this is not a paragraph of an article: check that the text was "
                            "saved with its line breaks (and its provenance's format)")]
    return []


def _source_problems(project: Project, doc: Document, display: str) -> list[Problem]:
    """The received bytes, when recorded, must still be there and unchanged."""
    source = doc.data.get("source")
    if not source:
        return []
    path = project.seeds / source["file"]
    line, col = doc.where(("source", "file"))
    if not path.is_file() or path.is_symlink():
        return [Problem(display, line, col, f"the received source {source['file']} is missing",
                        "restore it from git: it is what the article text was derived from")]
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != source["sha256"]:
        line, col = doc.where(("source", "sha256"))
        return [Problem(display, line, col,
                        f"{source['file']} does not match its recorded SHA-256",
                        "the received bytes are kept as they came: restore them with "
                        f"'git checkout -- seeds/{source['file']}'")]
    return []


def _coverage(doc: Document) -> Coverage:
    data = doc.data["coverage"]
    exemptions = tuple(
        Exemption(item["statement"], item["reason"],
                  *doc.where(("coverage", "not_annotated", i, "statement")))
        for i, item in enumerate(data["not_annotated"]))
    return Coverage(tuple(data["people"]), exemptions, *doc.where(("coverage",), key=True),
                    status=data.get("status", "complete"))


def load_annotations(project: Project, articles: list[Article]
                     ) -> tuple[list[Annotation], list[Problem]]:
    """Every ``annotations/<article>/<id>.yml``, schema-checked."""
    files, problems = annotation_files(project, articles)
    annotations: list[Annotation] = []
    for path, article in files:
        annotation, found = load_annotation(project, path, article)
        problems.extend(found)
        if annotation:
            annotations.append(annotation)
    return annotations, problems


def annotation_files(project: Project, articles: list[Article], *,
                     only: Collection[str] | None = None
                     ) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Each file under ``annotations/`` with its article's slug, and misplaced files.

    With ``only``, just those articles' folders, and none of the checks that
    span articles (the misplaced files: ``folders.annotation_folders``).
    """
    folders, problems = annotation_folders(project, {a.slug for a in articles})
    if only is not None:
        folders, problems = [f for f in folders if f.name in only], []
    files = [(path, folder.name) for folder in folders for path in sorted(folder.iterdir())]
    return files, problems


def _rendered(body: str, doc: Document, display: str) -> tuple[str, list[Problem]]:
    """Check renders what build renders, with build's code: a body that fails, fails here.

    The limits (``policy.markdown_limits``) keep Python-Markdown within bounds; this
    is the proof, for each body, that the build will get through it.
    """
    try:
        return body_html(body), []
    except (RecursionError, ValueError, TypeError, IndexError, KeyError) as exc:
        line, col = doc.where(("body",))
        return "", [Problem(display, line, col,
                            f"'body' cannot be rendered ({type(exc).__name__})",
                            "simplify its lists, quotations and links; and please report "
                            "this as a bug in dossier")]


def load_annotation(project: Project, path: Path, article: str
                    ) -> tuple[Annotation | None, list[Problem]]:
    """One annotation file, read, parsed and checked against its schema and markup policy."""
    return _guarded(project.display(path), lambda: _load_annotation(project, path, article))


def _load_annotation(project: Project, path: Path, article: str
                     ) -> tuple[Annotation | None, list[Problem]]:
    display = project.display(path)
    if path.name.startswith("."):
        return None, []
    if path.suffix != ".yml":
        hint = (f"rename it to {path.stem}.yml" if path.suffix == ".yaml"
                else "annotation files end in .yml")
        return None, [Problem(display, 1, 1, "not an annotation file (.yml)", hint)]
    if not SLUG.match(path.stem):
        return None, [Problem(display, 1, 1, f"annotation id '{path.stem}' is not a slug",
                              "name the file with lower-case letters, digits and hyphens, "
                              "e.g. kim-jong-un-spelling.yml")]
    doc, problems = _read_validated(path, display, schema.ANNOTATION_SCHEMA)
    if doc is None:
        return None, problems
    reported = {(p.line, p.col) for p in problems}
    problems += [p for p in markup_problems(doc, display) if (p.line, p.col) not in reported]
    if has_errors(problems):
        return None, problems
    data: dict[str, Any] = doc.data
    rendered, found = _rendered(data["body"], doc, display)
    problems += found
    if has_errors(problems):
        return None, problems
    target = data["target"]
    annotation = Annotation(
        id=path.stem, article=article, kind=data["kind"], title=data["title"].strip(),
        body=data["body"], path=display,
        target=Target(exact=target["exact"], prefix=target.get("prefix"),
                      suffix=target.get("suffix")),
        sources=tuple(Source(url=s["url"], title=s["title"], publisher=s["publisher"],
                             published=s["published"], accessed=s["accessed"],
                             type=s["type"], archive_url=s.get("archive_url"),
                             via=s.get("via"), original_url=s.get("original_url"))
                      for s in data["sources"]),
        correction=data.get("correction"), rating=data.get("rating"),
        rating_reason=data.get("rating_reason"), date=data.get("date"),
        author=data.get("author"), updated=data.get("updated"),
        article_sha256=data.get("article_sha256"), doc=doc, body_rendered=rendered,
    )
    return annotation, problems + link_problems(annotation, rendered)
