"""`dossier serve`: a live preview that rebuilds when an annotation changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from conftest import FAKE_SLUG
from dossier.project import Project

PAGE = f"articles/{FAKE_SLUG}.html"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except OSError:
        return None


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_preview_rebuilds_on_change_and_survives_a_broken_file(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False)
    port = free_port()
    dossier = Path(sys.executable).parent / "dossier"
    server = subprocess.Popen([str(dossier), "-C", str(project.root), "serve", "--port",
                               str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    url = f"http://127.0.0.1:{port}/{PAGE}"
    try:
        assert wait_for(lambda: "The mayor chairs the council" in (fetch(url) or ""), 60)
        path = project.annotations / FAKE_SLUG / "mayor-role.yml"
        path.write_text(path.read_text().replace("The mayor chairs the council",
                                                 "The mayor presides over the council"))
        assert wait_for(lambda: "presides over" in (fetch(url) or ""), 30)
        # A broken file: the last good preview stays up and the problem is reported.
        path.write_text("kind: [\n")
        time.sleep(3)
        assert "presides over" in (fetch(url) or "")
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert f"annotations/{FAKE_SLUG}/mayor-role.yml:2:1: error:" in output
    assert "the last good preview is still served" in output
