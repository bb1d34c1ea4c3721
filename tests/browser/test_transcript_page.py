"""The imported transcript's page in Chromium: axe WCAG 2.1 AA, 375 px, speakers shown."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, new_project
from dossier.pipeline import build
from dossier.problems import has_errors

from .test_accessibility import summary, violations

SLUG = "white-house-briefing-2024-10-23"


@pytest.fixture(scope="module")
def transcript_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    project = new_project(tmp_path_factory.mktemp("transcript") / "project",
                          real=False, fake=False)
    for name in (f"{SLUG}.source.md", f"{SLUG}.txt", f"{SLUG}.yml"):
        shutil.copy(ROOT / "seeds" / name, project.seeds / name)
    if (ROOT / "annotations" / SLUG).is_dir():
        shutil.copytree(ROOT / "annotations" / SLUG, project.annotations / SLUG)
    _dossier, problems, site = build(project, pdf=False)
    assert not has_errors(problems)
    return (Path(site) / "articles" / f"{SLUG}.html").as_uri()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_transcript_page_passes_axe(transcript_page: str,
                                        new_page: Callable[..., object], scheme: str) -> None:
    page = new_page(color_scheme=scheme)
    page.goto(transcript_page)  # type: ignore[attr-defined]
    page.evaluate("document.querySelectorAll('[data-dz-note]')"  # type: ignore[attr-defined]
                  ".forEach(n => { n.hidden = false; })")
    found = violations(page)
    assert found == [], summary(found)


def test_the_transcript_reads_as_turns_at_375px(transcript_page: str,
                                                new_page: Callable[..., object]) -> None:
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    page.goto(transcript_page)  # type: ignore[attr-defined]
    overflow = page.evaluate(  # type: ignore[attr-defined]
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    speakers = page.locator(".dz-turn .dz-speaker")  # type: ignore[attr-defined]
    assert speakers.first.inner_text() == "MS. JEAN-PIERRE:"
    assert speakers.count() > 50
    assert speakers.nth(3).is_visible()
