"""External programs some tests need (Chromium, pdftoppm): skip without them, except in CI.

Also what the browser tests and bench/_search.py share: Chromium's flags and a
built site served on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]

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


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """A built site on a local HTTP server (127.0.0.1, a free port): its root URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
