"""Annotations in and out of other tools (Hypothesis), as a stage before ``load``.

Importing writes one annotation file per row, each atomically and never
over an existing file, then runs the same check as ``dossier check``: a
file with errors is removed again and its row reported, so nothing
half-written is left behind.  Placeholders stay, as warnings.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .buildinfo import BuildInfo
from .formats import hypothesis
from .history import Authorship, authorship
from .load import load_articles
from .pipeline import check
from .problems import DossierError, Problem, Severity, has_errors
from .project import Project
from .scaffold import schema_reference


@dataclass
class ImportResult:
    written: list[Path]
    problems: list[Problem]  # rows refused, and the check's findings on the files written


def _write_new(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all, and never over an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                     prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(text)
    try:
        os.link(tmp.name, path)  # fails if the file exists
    finally:
        os.unlink(tmp.name)


def import_hypothesis(project: Project, source: Path) -> ImportResult:
    display = project.display(source.resolve()) if source.is_absolute() else str(source)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        rows = hypothesis.rows_of(data)
    except (OSError, UnicodeDecodeError) as exc:
        raise DossierError([Problem(display, 1, 1, f"cannot read the file: {exc}", "")]) \
            from None
    except json.JSONDecodeError as exc:
        raise DossierError([Problem(display, exc.lineno, exc.colno, f"not JSON: {exc.msg}",
                                    "export the annotations from Hypothesis' API as JSON")]) \
            from None
    except hypothesis.RowError as exc:
        raise DossierError([Problem(display, 1, 1, str(exc), "")]) from None
    articles, found = load_articles(project)
    if has_errors(found):
        raise DossierError(found)
    taken = {a.slug: {p.stem for p in (project.annotations / a.slug).glob("*.yml")}
             for a in articles}
    problems: list[Problem] = []
    written: list[Path] = []
    origin: dict[Path, str] = {}
    for i, row in enumerate(rows):
        row_id = row.get("id", "?") if isinstance(row, dict) else "?"
        try:
            slug, fields = hypothesis.convert(row, articles, set().union(*taken.values())
                                              if taken else set())
        except hypothesis.RowError as exc:
            problems.append(Problem(display, 1, 1, f"row {i + 1} (id {row_id}): {exc}",
                                    "fix the row in Hypothesis, or add this annotation with "
                                    "'dossier new'"))
            continue
        folder = project.annotations / slug
        path = folder / f"{fields['__id__']}.yml"
        try:
            _write_new(path, hypothesis.file_text(fields, schema_reference(folder)))
        except FileExistsError:
            problems.append(Problem(display, 1, 1, f"row {i + 1} (id {row_id}): "
                                    f"{project.display(path)} already exists", ""))
            continue
        taken[slug].add(path.stem)
        written.append(path)
        origin[path] = f"{i + 1} (id {row_id})"
    _, checked = check(project)
    mine = {project.display(p): p for p in written}
    for p in checked:
        kept = mine.get(p.path)
        if kept is None:
            continue
        path = kept
        if p.severity is Severity.ERROR and path.exists():
            path.unlink()  # not a half-made annotation: the row is reported instead
            written.remove(path)
            problems.append(Problem(display, 1, 1, f"row {origin[path]}: the annotation it "
                                    "gives does not pass 'dossier check' (below), so "
                                    f"{p.path} was not kept",
                                    "fix the row in Hypothesis and import it again"))
    problems += [p for p in checked if p.path in mine]
    return ImportResult(written, problems)


def export_hypothesis(project: Project) -> dict[str, Any]:
    dossier, problems = check(project)
    if has_errors(problems):
        raise DossierError(problems)
    built = BuildInfo.of(project.root).date
    fallback = built.strftime("%Y-%m-%d") if built else "1970-01-01"
    who = authorship(project, dossier.annotations)
    dates = {a.path: who.get(a.path, Authorship(None, None)).changed or fallback
             for a in dossier.annotations}
    return hypothesis.export(dossier, dates)
