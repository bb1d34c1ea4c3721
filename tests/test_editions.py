"""Each article's PDFs: reused from the cache when unchanged, and then the same bytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FAKE_SLUG
from dossier import editions
from dossier.cli import main
from dossier.pipeline import build, check
from dossier.project import Project


def site_pdfs(project: Project) -> dict[str, bytes]:
    folder = project.build / "site" / "pdf"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The articles laid out afresh (in this process: DOSSIER_JOBS=1)."""
    monkeypatch.setenv("DOSSIER_JOBS", "1")
    seen: list[str] = []
    real = editions.render_pdf

    def counting(dossier: Any, info: Any) -> editions.Editions:
        seen.append(dossier.articles[0].slug)
        return real(dossier, info)

    monkeypatch.setattr(editions, "render_pdf", counting)
    return seen


def test_unchanged_articles_come_from_the_cache_byte_identical(
        make_project: Callable[..., Project], laid_out: list[str]) -> None:
    project = make_project()
    build(project)
    assert sorted(laid_out) == sorted(a.slug for a in check(project)[0].articles)
    first = site_pdfs(project)
    assert len(first) == 4
    laid_out.clear()
    build(project)
    assert laid_out == []
    assert site_pdfs(project) == first
    # And a cached PDF is exactly what laying it out afresh gives.
    dossier, _ = check(project)
    fresh = editions.article_editions(project, dossier, cache=False)
    assert {name.removeprefix("pdf/"): data for name, data in fresh.items()} == first


def test_one_changed_annotation_lays_out_its_article_only(
        make_project: Callable[..., Project], laid_out: list[str]) -> None:
    project = make_project()
    build(project)
    before = site_pdfs(project)
    path = project.annotations / FAKE_SLUG / "mayor-role.yml"
    path.write_text(path.read_text().replace("chairs the council", "presides"))
    laid_out.clear()
    build(project)
    assert laid_out == [FAKE_SLUG]
    after = site_pdfs(project)
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == [f"{FAKE_SLUG}-archival.pdf", f"{FAKE_SLUG}.pdf"]
    dossier, _ = check(project)
    fresh = editions.article_editions(project, dossier, cache=False)
    assert fresh[f"pdf/{FAKE_SLUG}.pdf"] == after[f"{FAKE_SLUG}.pdf"]
    # The cache keeps what the dossier uses, and nothing else.
    assert len(list((project.build / ".cache" / "pdf").iterdir())) == 4


def test_a_new_weasyprint_lays_every_article_out_again(
        make_project: Callable[..., Project], monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout libraries' versions are in the key: an upgrade may lay out differently."""
    project = make_project()
    dossier, _ = check(project)
    single = editions.one_article(dossier, FAKE_SLUG)
    before = editions.edition_key(single)
    real = editions.metadata.version
    monkeypatch.setattr(editions.metadata, "version",
                        lambda name: "999" if name == "weasyprint" else real(name))
    editions._layout_versions.cache_clear()
    try:
        assert editions.edition_key(single) != before
    finally:
        editions._layout_versions.cache_clear()


def test_on_two_cores_the_pdfs_are_the_same(make_project: Callable[..., Project],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project()
    dossier, _ = check(project)
    monkeypatch.setenv("DOSSIER_JOBS", "1")
    one = editions.article_editions(project, dossier, cache=False)
    monkeypatch.setenv("DOSSIER_JOBS", "2")
    assert editions.article_editions(project, dossier, cache=False) == one


def test_pdf_command_writes_each_article_or_the_whole(make_project: Callable[..., Project],
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    project = make_project(real=False)
    assert main(["-C", str(project.root), "pdf"]) == 0
    assert sorted(p.name for p in (project.build / "pdf").iterdir()) == [
        f"{FAKE_SLUG}-archival.pdf", f"{FAKE_SLUG}.pdf"]
    assert not (project.build / "dossier.pdf").exists()
    assert main(["-C", str(project.root), "pdf", "--all"]) == 0
    for name in ("dossier.pdf", "dossier-archival.pdf"):
        assert (project.build / name).read_bytes().startswith(b"%PDF-")
    out = Path(project.root / "whole.pdf")
    assert main(["-C", str(project.root), "pdf", "--all", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert "whole.pdf" in capsys.readouterr().out


def test_the_collector_is_paused_while_each_article_is_laid_out(
        make_project: Callable[..., Project], monkeypatch: pytest.MonkeyPatch) -> None:
    """collector.collector_paused: no automatic cycle collection inside an article's layout,
    and the collector as it was afterwards (the whole-dossier edition keeps it on)."""
    import gc

    project = make_project(real=False)
    dossier, _ = check(project)
    monkeypatch.setenv("DOSSIER_JOBS", "1")
    seen: list[bool] = []
    real = editions.render_pdf

    def recording(single: Any, info: Any) -> editions.Editions:
        seen.append(gc.isenabled())
        return real(single, info)

    monkeypatch.setattr(editions, "render_pdf", recording)
    assert gc.isenabled()
    editions.article_editions(project, dossier, cache=False)
    assert seen == [False] * len(dossier.articles)
    assert gc.isenabled()
