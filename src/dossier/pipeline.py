"""The build as named stages: load, validate, anchor, review, render, site and PDF.

Each stage is a plain function of data (see the modules it calls); this
module only runs them in order and gathers their problems.  A stage that
finds errors does not stop the stages that can still run on the good
files, so one run reports everything.
"""

from __future__ import annotations

import json
from pathlib import Path

from .buildinfo import BuildInfo
from .config import load_settings
from .coverage import coverage_problems
from .formats.feed import FEED_PATH, atom
from .formats.webannotation import article_collection, collection_path
from .history import authorship
from .load import load_annotations, load_articles
from .model import Annotation, Dossier
from .pdf import ARCHIVAL_NAME, PDF_NAME, render_pdf
from .problems import DossierError, Problem, has_errors, sort_problems
from .project import Project
from .render import Context, nav, render
from .review import review
from .site import build_site, write_file
from .versions import anchor_versions


def machine_files(dossier: Dossier, context: Context) -> dict[str, bytes]:
    """What the site publishes for other tools beside its pages: a W3C collection an article,
    and the Atom feed of corrections and updates."""
    def last_commit(a: Annotation) -> str | None:
        who = context.authorship.get(a.path)
        return who.changed if who else None

    files = {FEED_PATH: atom(dossier, context.settings, last_commit, context.built)}
    for article in dossier.articles:
        data = article_collection(article, dossier.anchors_for(article.slug), context.settings)
        files[collection_path(article.slug)] = (
            json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def check(project: Project) -> tuple[Dossier, list[Problem]]:
    """Load, validate and anchor; the dossier holds only what passed."""
    problems = project.missing_parts()
    if problems:
        return Dossier([], [], {}), problems
    articles, found = load_articles(project)
    problems += found
    annotations, found = load_annotations(project, articles)
    problems += found
    anchors, version_anchors, found = anchor_versions(articles, annotations)
    problems += found
    for article in articles:
        problems += coverage_problems(article, anchors.get(article.slug, []))
        for anchor in anchors.get(article.slug, []):
            problems += review(article, anchor)
        for version in article.earlier:
            for anchor in version_anchors.get(article.slug, {}).get(version.number, []):
                problems += review(version, anchor)
    return (Dossier(articles, annotations, anchors, version_anchors),
            sort_problems(problems))


def build(project: Project, out: Path | None = None, *, pdf: bool = True
          ) -> tuple[Dossier, list[Problem], Path]:
    """Check, render, and build the site (with its PDF editions); nothing is built on errors.

    The PDFs go inside the site, so its links to them work from any copy of
    the folder, and beside it as ``build/dossier.pdf``.
    """
    dossier, problems = check(project)
    if has_errors(problems):
        raise DossierError(problems)
    info = BuildInfo.of(project.root)
    files = {}
    if pdf:
        editions = render_pdf(dossier, info)
        files = {PDF_NAME: editions.reader, ARCHIVAL_NAME: editions.archival}
    context = Context(load_settings(project), authorship(project, dossier.annotations),
                      built=info.date.strftime("%Y-%m-%d") if info.date else None)
    site = build_site(project, render(dossier, context), nav(dossier, pdf=pdf), out,
                      {**files, **machine_files(dossier, context)}, info.epoch)
    for name, data in files.items():
        write_file(project.build / name, data)
    return dossier, problems, site


def build_pdf(project: Project, out: Path) -> tuple[Dossier, list[Problem]]:
    """Check, then write the reader's PDF alone to ``out``."""
    dossier, problems = check(project)
    if has_errors(problems):
        raise DossierError(problems)
    write_file(out, render_pdf(dossier, BuildInfo.of(project.root)).reader)
    return dossier, problems
