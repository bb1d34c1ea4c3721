"""A real browser (Debian's Chromium driven by Playwright) against the real built site.

The site is served two ways, as readers get it: from a local HTTP server on
127.0.0.1, and opened straight from the folder (file://).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT, Built
from tools import CHROMIUM_FLAGS, chromium, served

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
@pytest.fixture(scope="session")
def server(built: Built) -> Iterator[str]:
    with served(built.site) as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[object]:
    """One Playwright for the session: the sync API cannot run two at once."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: object) -> Iterator[object]:
    instance = playwright.chromium.launch(  # type: ignore[attr-defined]
        executable_path=chromium(), args=CHROMIUM_FLAGS)
    yield instance
    instance.close()


@pytest.fixture(params=["http", "file"])
def base(request: pytest.FixtureRequest, server: str, built: Built) -> str:
    """The site's root URL, over HTTP or from the folder."""
    return server if request.param == "http" else built.site.as_uri() + "/"


@pytest.fixture
def new_page(browser: object) -> Iterator[Callable[..., object]]:
    contexts = []

    def make(**options: object) -> object:
        context = browser.new_context(**options)  # type: ignore[attr-defined]
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    return path
