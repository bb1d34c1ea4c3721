"""Who wrote each annotation and when it last changed, from git.

One ``git log`` over the annotations folder gives every file's first author
and last change; files git does not know (a new file, a copy outside git)
fall back to the ``author`` and ``updated`` fields of their YAML.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

from .model import Annotation
from .project import Project


@dataclass(frozen=True)
class Authorship:
    author: str | None
    changed: str | None  # YYYY-MM-DD


def _git_log(project: Project) -> dict[str, Authorship]:
    try:
        out = subprocess.run(
            ["git", "log", "--format=\x1e%an\x1f%as", "--name-only", "--", "annotations"],
            cwd=project.root, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if out.returncode != 0:
        return {}
    last: dict[str, str] = {}
    first: dict[str, str] = {}
    for record in out.stdout.split("\x1e"):  # newest commit first
        head, _, files = record.partition("\n")
        if "\x1f" not in head:
            continue
        author, date = head.split("\x1f", 1)
        for name in filter(None, (f.strip() for f in files.splitlines())):
            last.setdefault(name, date)
            first[name] = author  # ends as the oldest commit's author
    return {name: Authorship(first.get(name), date) for name, date in last.items()}


def authorship(project: Project, annotations: list[Annotation]) -> dict[str, Authorship]:
    """By annotation path; the YAML's own fields win, git fills the gaps."""
    logged = _git_log(project)
    result = {}
    for a in annotations:
        git = logged.get(a.path, Authorship(None, None))
        result[a.path] = Authorship(a.author or git.author, a.updated or git.changed)
    return result
