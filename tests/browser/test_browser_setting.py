"""DOSSIER_CHROMIUM chooses the browser the browser tests drive."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from tools import CHROMIUM_FLAGS, DEFAULT_CHROMIUM, chromium


def test_the_default_is_debians_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOSSIER_CHROMIUM", raising=False)
    assert DEFAULT_CHROMIUM == "/usr/bin/chromium"
    if Path(DEFAULT_CHROMIUM).exists():
        assert chromium() == DEFAULT_CHROMIUM


def test_the_setting_is_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                 playwright: Any) -> None:
    """A wrapper named by DOSSIER_CHROMIUM is the program Playwright starts."""
    real = chromium()  # the browser this machine has (skips, or fails in CI, without one)
    log = tmp_path / "started"
    wrapper = tmp_path / "my-chromium"
    wrapper.write_text(f'#!/bin/sh\necho "$@" > "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("DOSSIER_CHROMIUM", str(wrapper))
    assert chromium() == str(wrapper)
    browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
    try:
        page = browser.new_page()
        page.set_content("<p>started through the setting</p>")
        assert page.inner_text("p") == "started through the setting"
    finally:
        browser.close()
    assert "--no-sandbox" in log.read_text()


def test_a_missing_browser_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOSSIER_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(BaseException, match=r"no browser at .*no-such-browser") as caught:
        chromium()
    assert caught.type.__name__ in ("Skipped", "Failed")  # Failed under DOSSIER_REQUIRE_BROWSER
