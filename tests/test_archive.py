"""``dossier archive`` against a local stand-in for the Wayback Machine's two APIs."""

from __future__ import annotations

import http.server
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from typing import ClassVar

import pytest

from conftest import FAKE_SLUG
from dossier.archive import _Client, insert_archive_urls
from dossier.cli import main
from dossier.pipeline import check
from dossier.problems import has_errors
from dossier.project import Project

ANNOTATION = """\
# yaml-language-server: $schema=../../src/dossier/schemas/annotation.schema.json
# Sources checked by the desk; keep the order below.
kind: context
title: The mayor chairs the council
target:
  exact: said Mayor Jon Smyth
body: >-
  In Riverton the mayor chairs the council but votes only to break a tie.
sources:
  - url: https://council.example.org/charter   # the charter itself
    title: City charter
    publisher: City of Riverton
    type: primary
    published: unknown
    accessed: 2024-03-06
  # The election results, as published on the night.
  - title: Election results 2019
    url: https://council.example.org/slow/elections
    publisher: City of Riverton
    type: primary
    published: 2019-05
    accessed: 2024-03-06
  - {url: "https://council.example.org/limited/minutes", title: Minutes,
     publisher: City of Riverton, type: primary,
     published: 2024-03, accessed: 2024-03-07}
  - url: https://news.example.org/missing/profile
    title: |
      Profile of the mayor
    publisher: The Riverton Example
    type: news
    published: "2023"
    accessed: 2024-03-07
  - url: https://news.example.org/archived
    title: Already archived
    publisher: The Riverton Example
    type: news
    published: "2023"
    accessed: 2024-03-07
    archive_url: https://web.archive.org/web/2023/https://news.example.org/archived
"""

EXPECTED = ANNOTATION.replace(
    "    accessed: 2024-03-06\n  # The election",
    "    accessed: 2024-03-06\n    archive_url: https://web.archive.org/web/20240306000000/"
    "https://council.example.org/charter\n  # The election")


class _Wayback(http.server.BaseHTTPRequestHandler):
    calls: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.calls.append(self.path)
        if self.path.startswith("/save/"):
            self._send(200, b"<html>Saved</html>", "text/html")
            return
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        url, stamp = query["url"][0], query["timestamp"][0]
        if "/slow/" in url:
            time.sleep(2)
            snapshots: dict[str, object] = {}
        elif "/limited/" in url:
            self._send(429, b"Too Many Requests", "text/plain")
            return
        elif "/missing/" in url:
            snapshots = {}
        else:
            snapshots = {"closest": {"status": "200", "available": True,
                                     "url": f"http://web.archive.org/web/{stamp}000000/{url}",
                                     "timestamp": f"{stamp}000000"}}
        self._send(200, json.dumps({"url": url, "archived_snapshots": snapshots}).encode(),
                   "application/json")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the time-out case)


@pytest.fixture
def wayback(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    _Wayback.calls = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Wayback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("DOSSIER_WAYBACK_AVAILABILITY", f"{base}/wayback/available")
    monkeypatch.setenv("DOSSIER_WAYBACK_SAVE", f"{base}/save/")
    yield _Wayback.calls
    server.shutdown()
    server.server_close()


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    project = make_project(real=False, fake_annotations=False)
    (project.annotations / FAKE_SLUG / "mayor-role.yml").write_text(ANNOTATION)
    return project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_archive_fills_what_it_can_and_reports_every_failure(
        project: Project, wayback: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    path = f"annotations/{FAKE_SLUG}/mayor-role.yml"
    status, out, err = run(capsys, "-C", str(project.root), "archive", "--timeout", "0.5",
                           "--interval", "0")
    assert status == 1
    assert out.splitlines()[0] == (f"{path}: source 1: archive_url: https://web.archive.org/"
                                   "web/20240306000000/https://council.example.org/charter")
    assert (f"{path}:18:10: error: source 2 (https://council.example.org/slow/elections): "
            "no answer within 0.5 s (time-out)") in out
    assert (f"{path}:23:11: error: source 3 (https://council.example.org/limited/minutes): "
            "the archive is rate limiting (HTTP 429 Too Many Requests); try again later") in out
    assert (f"{path}:26:10: error: source 4 (https://news.example.org/missing/profile): "
            "the Wayback Machine has no capture of this page") in out
    assert out.count("help: nothing was changed for this source") == 3
    assert err == "dossier archive: 1 archived copy recorded, 3 failure(s)\n"
    # One line added; comments, key order, flow style and block scalars as they were.
    assert (project.annotations / FAKE_SLUG / "mayor-role.yml").read_text() == EXPECTED
    assert not any("archived" in c and "/wayback/" in c for c in wayback)  # had one already
    assert not [c for c in wayback if c.startswith("/save/")]  # only with --save
    _, problems = check(project)
    assert not has_errors(problems)


def test_save_asks_save_page_now_first(project: Project, wayback: list[str],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "-C", str(project.root), "archive", "--save", "--timeout", "0.5",
        "--interval", "0")
    saves = [c for c in wayback if c.startswith("/save/")]
    assert saves == ["/save/https://council.example.org/charter",
                     "/save/https://council.example.org/slow/elections",
                     "/save/https://council.example.org/limited/minutes",
                     "/save/https://news.example.org/missing/profile"]
    assert wayback.index(saves[0]) < wayback.index(
        next(c for c in wayback if "charter" in c and "/wayback/" in c))


def test_a_second_run_changes_nothing_that_is_filled(
        project: Project, wayback: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "-C", str(project.root), "archive", "--timeout", "0.5", "--interval", "0")
    wayback.clear()
    run(capsys, "-C", str(project.root), "archive", "--timeout", "0.5", "--interval", "0")
    assert not any("charter" in c for c in wayback)
    assert (project.annotations / FAKE_SLUG / "mayor-role.yml").read_text() == EXPECTED


def test_requests_are_spaced_politely() -> None:
    waits: list[float] = []
    client = _Client(timeout=1, interval=5, sleep=waits.append)
    client.last = time.monotonic()  # as if a request had just ended
    with pytest.raises(OSError):
        client.get("http://127.0.0.1:9/")  # nothing listens on the discard port
    assert len(waits) == 1 and 0 < waits[0] <= 5


def test_crlf_files_keep_their_line_ends() -> None:
    text = ANNOTATION.replace("\n", "\r\n")
    edited = insert_archive_urls(text, {0: "https://web.archive.org/web/1/x"})
    assert edited.count("\r\n") == text.count("\r\n") + 1 and "\n" not in edited.replace(
        "\r\n", "")
