"""Shared test fixtures: throwaway dossier projects, and real builds of them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dossier.model import Dossier
from dossier.pipeline import build
from dossier.problems import has_errors
from dossier.project import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
REAL_SLUG = "north-korean-troops-quid-pro-quo"
FAKE_SLUG = "riverton-budget"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def new_project(dest: Path, *, real: bool = True, fake: bool = True,
                fake_annotations: bool = True) -> Project:
    """A copy of this repository's site setup, with the chosen articles."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copy(ROOT / "CONTRIBUTING.md", dest / "CONTRIBUTING.md")
    shutil.copytree(ROOT / "docs", dest / "docs")
    (dest / "seeds").mkdir()
    (dest / "annotations").mkdir()
    if real:
        for suffix in (".txt", ".yml"):
            shutil.copy(ROOT / "seeds" / f"{REAL_SLUG}{suffix}", dest / "seeds")
        shutil.copytree(ROOT / "annotations" / REAL_SLUG, dest / "annotations" / REAL_SLUG)
    if fake:
        for suffix in (".txt", ".yml"):
            shutil.copy(FIXTURES / "articles" / f"{FAKE_SLUG}{suffix}", dest / "seeds")
        target = dest / "annotations" / FAKE_SLUG
        if fake_annotations:
            shutil.copytree(FIXTURES / "annotations" / FAKE_SLUG, target)
        else:
            target.mkdir()
    return Project(dest)


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    def make(**kwargs: bool) -> Project:
        return new_project(tmp_path / "project", **kwargs)

    return make


@dataclass
class Built:
    project: Project
    dossier: Dossier
    site: Path

    def page(self, name: str) -> str:
        return (self.site / name).read_text(encoding="utf-8")

    def paged(self, stem: str) -> list[str]:
        """A list cut into pages (paging.py): ``<stem>.html``, then ``<stem>/page-N.html``."""
        later = sorted(self.site.glob(f"{stem}/page-*.html"),
                       key=lambda p: int(p.stem.split("-")[1]))
        return [self.page(f"{stem}.html")] + [p.read_text("utf-8") for p in later]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One real build of both articles (the real one and the made-up one)."""
    project = new_project(tmp_path_factory.mktemp("built") / "project")
    dossier, problems, site = build(project)
    assert not has_errors(problems), problems
    return Built(project, dossier, site)
