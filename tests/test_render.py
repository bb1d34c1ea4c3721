"""The render stage alone: golden Markdown pages, and the article kept verbatim."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FAKE_SLUG, REAL_SLUG
from dossier.pipeline import check
from dossier.problems import has_errors
from dossier.project import Project
from dossier.render import nav, render
from htmltext import visible_text

GOLDEN = Path(__file__).parent / "golden"


def rendered(project: Project) -> dict[str, str]:
    dossier, problems = check(project)
    assert not has_errors(problems), problems
    return render(dossier)


def test_golden_pages(make_project: Callable[..., Project], update_golden: bool) -> None:
    pages = rendered(make_project(real=False))
    for name, content in pages.items():
        golden = GOLDEN / FAKE_SLUG / name
        if update_golden:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(content, encoding="utf-8")
        assert content == golden.read_text(encoding="utf-8"), f"{name} differs from {golden}"
    on_disk = {p.relative_to(GOLDEN / FAKE_SLUG).as_posix()
               for p in (GOLDEN / FAKE_SLUG).rglob("*.md")}
    assert on_disk == set(pages)


@pytest.mark.parametrize("slug", [REAL_SLUG, FAKE_SLUG])
def test_article_text_is_verbatim(make_project: Callable[..., Project], slug: str) -> None:
    project = make_project()
    page = rendered(project)[f"articles/{slug}.md"]
    body = page.split("---\n\n", 1)[1]
    shown = visible_text(body, skip={"aside", "ins"},
                         skip_classes={"dz-provenance", "dz-summary"})
    original = (project.seeds / f"{slug}.txt").read_text(encoding="utf-8")
    assert [line for line in shown.split("\n") if line.strip()] == original.split("\n")


def test_markdown_and_markers_in_the_article_stay_literal(
        make_project: Callable[..., Project]) -> None:
    page = rendered(make_project(real=False))[f"articles/{FAKE_SLUG}.md"]
    assert "Budget (1) After" in page
    assert "*ignores*" in page and "<em>ignores</em>" not in page
    assert ".annotate" not in page and "class=\"annotate" not in page


def test_nav_lists_every_article(make_project: Callable[..., Project]) -> None:
    dossier, _ = check(make_project())
    articles = nav(dossier)[0]
    assert isinstance(articles, dict)
    assert [next(iter(x.values())) for x in articles["Articles"]] == [
        "articles/index.md", f"articles/{REAL_SLUG}.md", f"articles/{FAKE_SLUG}.md"]
