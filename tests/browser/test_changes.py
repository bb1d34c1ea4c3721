"""The "Changes by the publisher" section and an earlier version's page, in Chromium.

A build of the real dossier with a second version of the first article: a
figure and a word changed inside annotated quotes, a paragraph inserted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from browser.test_accessibility import summary, violations
from conftest import REAL_SLUG, new_project
from dossier.cli import main
from dossier.pipeline import build
from tools import served

PAGE = f"articles/{REAL_SLUG}.html"
OLD = f"articles/{REAL_SLUG}/v1.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("versions")
    project = new_project(root / "project", fake=False)
    text = (project.seeds / f"{REAL_SLUG}.txt").read_text(encoding="utf-8")
    text = text.replace("at least 3,000", "at least 10,000").replace("sees as", "regards as")
    first = text.index("\n") + 1
    source = root / "edited.txt"
    source.write_text(text[:first] + "Editor's note: updated.\n" + text[first:],
                      encoding="utf-8")
    assert main(["-C", str(project.root), "add", str(source), "--slug", REAL_SLUG,
                 "--new-version"]) == 0
    _dossier, _problems, out = build(project, pdf=False)
    return out


@pytest.fixture(scope="module")
def over_http(site: Path) -> Iterator[str]:
    with served(site) as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_changes_and_the_earlier_version_pass_axe(over_http: str, new_page: Callable[..., object],
                                                  scheme: str) -> None:
    page = new_page(color_scheme=scheme)
    for name in (PAGE, OLD):
        page.goto(over_http + name)  # type: ignore[attr-defined]
        page.evaluate("document.querySelectorAll('[data-dz-note]')"  # type: ignore[attr-defined]
                      ".forEach(n => { n.hidden = false; })")
        found = violations(page)
        assert found == [], f"{name} ({scheme}):\n{summary(found)}"


def test_keyboard_reaches_the_earlier_version_and_back(over_http: str,
                                                       new_page: Callable[..., object]) -> None:
    page = new_page()
    page.goto(over_http + PAGE + "#changes")  # type: ignore[attr-defined]
    link = page.get_by_role("link", name="read version 1")  # type: ignore[attr-defined]
    link.focus()
    assert page.evaluate("document.activeElement.textContent") == "read version 1"  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url("**/v1.html")  # type: ignore[attr-defined]
    assert "This is version 1" in page.inner_text(".dz-version-note")  # type: ignore[attr-defined]
    back = page.get_by_role("link", name="read the newest version")  # type: ignore[attr-defined]
    back.focus()
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url("**/" + PAGE.split("/")[-1])  # type: ignore[attr-defined]


def test_changes_read_without_javascript(site: Path,
                                                       new_page: Callable[..., object]) -> None:
    page = new_page(java_script_enabled=False)
    page.goto((site / PAGE).as_uri())  # type: ignore[attr-defined]
    section = page.locator("#changes")  # type: ignore[attr-defined]
    assert section.is_visible()
    assert section.locator("del", has_text="3,000").first.is_visible()
    assert section.locator("ins", has_text="10,000").first.is_visible()
    # Struck and underlined, so the change does not rest on colour.
    assert "line-through" in section.locator("del").first.evaluate(
        "e => getComputedStyle(e).textDecorationLine")
    assert "underline" in section.locator("ins").first.evaluate(
        "e => getComputedStyle(e).textDecorationLine")


def test_changes_fit_375px(over_http: str, new_page: Callable[..., object]) -> None:
    page = new_page(viewport={"width": 375, "height": 800})
    for name in (PAGE, OLD):
        page.goto(over_http + name + "#changes")  # type: ignore[attr-defined]
        wide = page.evaluate(  # type: ignore[attr-defined]
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, name
