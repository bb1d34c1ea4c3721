"""A build after ``dossier check`` takes every file's check results from the cache.

``checkrun`` takes each article's part of the check from the worker that checked
it (``pipeline.check_apart``), so the parent never asks its store for the per-file
entries the workers made; they must still be saved, for ``pipeline.check`` (what
``dossier build`` and the preview run), which otherwise found the articles' markers
and then computed every file again in one process (3.6 s at 100 articles).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import generate
from dossier import pipeline
from dossier.cache import FileHashes, GroupedResultCache
from dossier.checkrun import check_report
from dossier.problems import has_errors


def test_check_on_both_cores_leaves_every_entry_the_build_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = generate(tmp_path / "dossier", pipeline.MIN_PARALLEL_ARTICLES)
    monkeypatch.setenv("DOSSIER_JOBS", "2")  # the workers' path of check_apart
    report = check_report(project)
    assert not has_errors(report.problems) and report.annotations
    monkeypatch.setenv("DOSSIER_JOBS", "1")  # (counted in this process)
    loaded: list[Path] = []
    real = pipeline.load_annotation
    monkeypatch.setattr(pipeline, "load_annotation",
                        lambda project, path, slug: loaded.append(path) or real(
                            project, path, slug))
    dossier, problems = pipeline.check(project)
    assert problems == report.problems and len(dossier.articles) == pipeline.MIN_PARALLEL_ARTICLES
    assert dossier.annotations and loaded == []



def test_check_on_both_cores_leaves_each_articles_marker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each article's marker, made by the worker that checked it, is saved: the build's
    check (``pipeline._prefetch``) reads it as "this article's files were checked"."""
    project = generate(tmp_path / "dossier", pipeline.MIN_PARALLEL_ARTICLES)
    monkeypatch.setenv("DOSSIER_JOBS", "2")
    assert check_report(project).annotations
    hashes = FileHashes(None)
    store = GroupedResultCache(project.build / ".cache" / "check",
                               pipeline._check_salt(project, False, hashes))
    names = pipeline._article_names(project, None)
    assert names is not None and len(names) == pipeline.MIN_PARALLEL_ARTICLES
    for slug, files in names.items():
        assert store.get(pipeline._marker(project, store, hashes, slug, files)) is True
