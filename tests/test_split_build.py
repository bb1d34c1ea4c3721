"""A whole build's MkDocs run split over two processes gives one process's bytes.

MkDocs builds page after page; ``site._second_part`` gives every other article's pages
to a forked process, which builds them alone while this one builds the rest, and
their outputs are moved in (``site._built_in_two``).  Small sites are built in one
process, so these tests lower the threshold.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from archive import generate
from dossier import site
from dossier.pipeline import build
from dossier.problems import DossierError, Problem
from test_incremental import snapshot


@pytest.fixture
def split(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Split any site of two articles or more; the pages each split build gave away."""
    monkeypatch.setattr(site, "MIN_SPLIT_ARTICLES", 2)
    monkeypatch.setenv("DOSSIER_JOBS", "2")
    given: list[list[str]] = []
    real = site._built_in_two

    def spy(*args: object) -> object:
        given.append(list(args[6]))  # type: ignore[call-overload]
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(site, "_built_in_two", spy)
    return given


def test_a_build_split_in_two_processes_equals_one_process(
        tmp_path: Path, split: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    project = generate(tmp_path / "project", 4)
    _d, _p, two = build(project)
    assert len(split) == 1
    docs = project.build / "docs"
    pages = sorted(p.relative_to(docs).as_posix() for p in (docs / "articles").rglob("*.md"))
    groups = sorted({name.split("/")[1].removesuffix(".md") for name in pages})
    # Every other group of pages under articles/ (an article's page and its own pages)
    # went to the second process, whole.
    given = set(groups[0::2])
    assert len(given) >= 2
    assert split[0] == [name for name in pages if name.split("/")[1].removesuffix(".md") in given]

    # The same dossier in a project of its own (no cache shared: the search index's
    # keeps each page's entries under its source's hash), built in one process.
    monkeypatch.setenv("DOSSIER_JOBS", "1")
    _d, _p, one = build(generate(tmp_path / "again", 4))
    assert len(split) == 1  # (one core: no split)
    assert snapshot(two) == snapshot(one)


def test_a_problem_in_the_pages_built_apart_fails_the_build_and_keeps_the_last_site(
        tmp_path: Path, split: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    project = generate(tmp_path / "project", 3)
    _d, _p, last = build(project, pdf=False)
    before = snapshot(last)
    real = site.run_mkdocs

    def failing(project_: object, docs_dir: Path, site_dir: Path, *args: object,
                **kwargs: object) -> object:
        if site_dir.name == "part":  # (the forked process: it inherits this patch)
            raise DossierError([Problem("mkdocs.yml", 1, 1, "site build warning: boom",
                                        "fix the page named above")])
        return real(project_, docs_dir, site_dir, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(site, "run_mkdocs", failing)
    site.manifest_path(project, last).unlink()  # the next build builds every page
    with pytest.raises(DossierError) as failure:
        build(project, pdf=False)
    assert len(split) == 2
    assert [p.message for p in failure.value.problems] == ["site build warning: boom"]
    assert snapshot(last) == before
    assert not list(project.build.glob(".site-*")) and not list(project.build.glob(".docs-*"))


def test_a_dossier_error_crosses_processes_with_its_problems() -> None:
    error = DossierError([Problem("b.yml", 2, 1, "two", "fix"),
                          Problem("a.yml", 1, 1, "one", "fix")])
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems and str(again) == str(error)
