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
