"""Which article each file under ``seeds/`` and ``annotations/`` belongs to, and the
checks of those folders that span articles.

Most of ``dossier check`` is one article at a time: its text, versions,
provenance and received source (``seeds/<slug>.*``), and its annotations
(``annotations/<slug>/``).  What is left spans articles: a provenance file
without its text, a dossier without any article, a file or folder under
``annotations/`` that belongs to no article.  They are here, apart from the
loaders (and from their imports), so that ``checkrun.py`` can run them on
the folders' listing and the articles' kept results, and ``load.py`` in a
whole run: one implementation for both.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from .problems import Problem
from .project import Project


def article_group(name: str) -> str:
    """The article a file in ``seeds/`` belongs to: its name up to the first dot
    (``<slug>.txt``, ``<slug>.v2.txt``, ``<slug>.yml``, ``<slug>.source.html``)."""
    return name.split(".", 1)[0]


def linked_folder(project: Project, folder: Path) -> list[Problem]:
    """A folder that is a symbolic link could point anywhere: outside the repository too."""
    if folder.is_symlink():
        return [Problem(project.display(folder), 1, 1, "folder is a symbolic link",
                        "commit the folder itself, not a link to it: a link can point "
                        "outside the repository")]
    return []


def seeds_problems(project: Project, articles: bool, problems: bool) -> list[Problem]:
    """Provenance files without their text; and, when no article loaded (``articles``)
    and nothing else was wrong with seeds/ (``problems``), that there is no article."""
    found: list[Problem] = []
    for meta in sorted(project.seeds.glob("*.yml")):
        if not meta.with_suffix(".txt").exists():
            found.append(Problem(project.display(meta), 1, 1,
                                 f"no article text next to it: {meta.stem}.txt is missing",
                                 "add the article text, or remove this file"))
    if not articles and not problems and not found:
        found.append(Problem("seeds", 1, 1, "no articles in seeds/",
                             "add seeds/<slug>.txt and seeds/<slug>.yml"))
    return found


def annotation_folders(project: Project, slugs: Collection[str]
                       ) -> tuple[list[Path], list[Problem]]:
    """The folders under ``annotations/`` of the loaded articles (``slugs``), in order,
    and the files and folders there that belong to no article."""
    folders: list[Path] = []
    problems: list[Problem] = []
    if not project.annotations.is_dir():
        return [], linked_folder(project, project.annotations)
    linked = linked_folder(project, project.annotations)
    if linked:
        return [], linked
    for entry in sorted(project.annotations.iterdir()):
        display = project.display(entry)
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and entry.is_symlink():
            problems += linked_folder(project, entry)
            continue
        if not entry.is_dir():
            if entry.name.lower() != "readme.md":
                problems.append(Problem(display, 1, 1, "annotation files go in a folder "
                                        "named after their article",
                                        "move it to annotations/<article-slug>/<id>.yml"))
            continue
        if entry.name not in slugs:
            if (project.seeds / f"{entry.name}.txt").exists():
                continue  # the article itself failed to load, and says why
            problems.append(Problem(display, 1, 1, f"no article named '{entry.name}'",
                                    f"known articles: {', '.join(sorted(slugs)) or 'none'}"))
            continue
        folders.append(entry)
    return folders, problems
