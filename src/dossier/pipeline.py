"""The build as named stages: load, validate, anchor, render, site.

Each stage is a plain function of data (see the modules it calls); this
module only runs them in order and gathers their problems.  A stage that
finds errors does not stop the stages that can still run on the good
files, so one run reports everything.
"""

from __future__ import annotations

from pathlib import Path

from .anchoring import anchor_all
from .coverage import coverage_problems
from .load import load_annotations, load_articles
from .model import Dossier
from .problems import DossierError, Problem, has_errors, sort_problems
from .project import Project
from .render import nav, render
from .site import build_site


def check(project: Project) -> tuple[Dossier, list[Problem]]:
    """Load, validate and anchor; the dossier holds only what passed."""
    problems = project.missing_parts()
    if problems:
        return Dossier([], [], {}), problems
    articles, found = load_articles(project)
    problems += found
    annotations, found = load_annotations(project, articles)
    problems += found
    anchors, found = anchor_all(articles, annotations)
    problems += found
    for article in articles:
        problems += coverage_problems(article, anchors.get(article.slug, []))
    return Dossier(articles, annotations, anchors), sort_problems(problems)


def build(project: Project, out: Path | None = None) -> tuple[Dossier, list[Problem], Path]:
    """Check, then render and build the site; raises DossierError and builds nothing on errors."""
    dossier, problems = check(project)
    if has_errors(problems):
        raise DossierError(problems)
    site = build_site(project, render(dossier), nav(dossier), out)
    return dossier, problems, site
