"""Checking and rendering on every core give exactly what one process gives.

With enough articles, ``check`` sends each article not checked before to a worker
process (``pipeline._prefetch``) and the build renders each article not kept in its
cache in one (``pipeline._render``).  The bytes of the site and the problems
reported must be those of one process doing it all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive import generate
from dossier import pipeline
from dossier.pipeline import build, check
from test_incremental import snapshot


def test_a_build_on_two_cores_is_the_build_on_one(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = generate(tmp_path / "project", pipeline.MIN_PARALLEL_ARTICLES + 1)
    outcomes = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("DOSSIER_JOBS", jobs)
        shutil.rmtree(project.build, ignore_errors=True)  # nothing kept: all made afresh
        _dossier, problems = check(project)
        build(project, tmp_path / f"site-{jobs}", pdf=False)
        outcomes[jobs] = ([p.format() for p in problems], snapshot(tmp_path / f"site-{jobs}"))
    assert outcomes["1"][1]  # a site was built
    assert outcomes["2"] == outcomes["1"]


def test_each_article_is_checked_with_the_collector_off_what_was_there_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """collector.one_item around each article's check: the cycle collector neither runs on
    its own nor goes over the objects made before (a tenth of a cold check's CPU), and
    is as it was afterwards.  In one process, so that the test sees inside."""
    import gc

    from dossier.checkrun import check_report

    project = generate(tmp_path / "project", 2)
    monkeypatch.setenv("DOSSIER_JOBS", "1")
    seen: list[tuple[bool, bool]] = []
    real = pipeline.load_annotation

    def recording(*args: object) -> object:
        seen.append((gc.isenabled(), gc.get_freeze_count() > 0))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "load_annotation", recording)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    report = check_report(project)
    assert report.annotations > 0 and len(seen) >= report.annotations
    assert set(seen) == {(False, True)}
    assert gc.isenabled() and gc.get_freeze_count() == 0
