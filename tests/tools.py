"""External programs some tests need (Chromium, pdftoppm): skip without them, except in CI."""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE = os.environ.get("DOSSIER_REQUIRE_BROWSER") == "1"


def need(program: str, package: str) -> str:
    """The program's path; a skip (or, in CI, a failure) saying how to install it."""
    path = shutil.which(program)
    if path:
        return path
    message = (f"{program} is not installed: run 'apt-get install -y {package}' "
               "(.ci/run does this in CI)")
    if REQUIRE:
        pytest.fail(message + "; DOSSIER_REQUIRE_BROWSER=1 forbids skipping")
    pytest.skip(message)


DEFAULT_CHROMIUM = "/usr/bin/chromium"


def chromium() -> str:
    """The browser the browser tests drive: $DOSSIER_CHROMIUM, else Debian's /usr/bin/chromium.

    CI runners whose own Chromium cannot start (Ubuntu's is a snap) point this
    at one that can.
    """
    path = os.environ.get("DOSSIER_CHROMIUM") or DEFAULT_CHROMIUM
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    found = shutil.which(path) if os.sep not in path else None
    if found:
        return found
    message = (f"no browser at {path} (DOSSIER_CHROMIUM, default {DEFAULT_CHROMIUM}): run "
               "'apt-get install -y chromium' (.ci/run does this in CI), or set "
               "DOSSIER_CHROMIUM to a Chromium that can start")
    if REQUIRE:
        pytest.fail(message + "; DOSSIER_REQUIRE_BROWSER=1 forbids skipping")
    pytest.skip(message)
