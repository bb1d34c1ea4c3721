"""Build integrity: a killed build loses nothing, and a commit always builds the same bytes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

from conftest import FAKE_SLUG
from dossier.pipeline import build
from dossier.project import Project

DOSSIER = Path(sys.executable).parent / "dossier"
GIT_ENV = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org",
           "GIT_AUTHOR_DATE": "2024-03-07T12:00:00Z",
           "GIT_COMMITTER_DATE": "2024-03-07T12:00:00Z", "PATH": os.environ["PATH"]}


def snapshot(project: Project) -> dict[str, bytes]:
    files = {}
    for folder in ("site", "docs"):
        root = project.build / folder
        files.update({f"{folder}/{p.relative_to(root).as_posix()}": p.read_bytes()
                      for p in sorted(root.rglob("*")) if p.is_file()})
    return files


def commit(project: Project) -> None:
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "state"]):
        subprocess.run(["git", *args], cwd=project.root, env=GIT_ENV, check=True)


@pytest.mark.parametrize("delay", [0.2, 0.8, 1.6, 2.6, 3.6])
def test_a_build_killed_midway_leaves_the_previous_build_as_it_was(
        make_project: Callable[..., Project], delay: float) -> None:
    project = make_project(real=False)
    build(project)
    before = snapshot(project)
    # Change something so the interrupted build would have written different output.
    path = project.annotations / FAKE_SLUG / "mayor-role.yml"
    path.write_text(path.read_text().replace("chairs the council", "presides"))
    started = subprocess.Popen([str(DOSSIER), "-C", str(project.root), "build"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    started.send_signal(signal.SIGKILL)
    started.wait(timeout=30)
    after = snapshot(project)
    # The next build cleans up whatever the killed one left, and succeeds.
    build(project)
    complete = snapshot(project)
    # Killed at any moment, the output is the previous build's or the new one's (a build
    # killed after its swap, while it deletes the old folders, has finished its output),
    # never a mix of the two.
    assert after in (before, complete), (
        f"killed after {delay}s, the output is neither the previous build nor the new one")
    leftovers = [p.name for p in project.build.iterdir()
                 if p.name.startswith(".") and p.name not in (".lock", ".cache")]
    assert leftovers == []
    assert not list((project.build / ".cache").rglob(".*"))  # no half-written entry
    assert "presides" in (project.build / "site" / "articles" / f"{FAKE_SLUG}.html").read_text()


def test_two_builds_of_one_commit_are_byte_identical(make_project: Callable[..., Project],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = make_project(real=False)
    commit(project)
    build(project)
    first = snapshot(project)
    time.sleep(1.1)  # a clock-based date would now differ
    build(project)
    second = snapshot(project)
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
    # An article's edition is dated by its newest date (an annotation's, or when the
    # article was retrieved), never by the clock, so a cached copy is the same bytes.
    info = pypdf.PdfReader(io.BytesIO(first[f"site/pdf/{FAKE_SLUG}.pdf"])).metadata
    assert info is not None and info["/CreationDate"] == "D:20240309000000Z"


def test_a_new_version_of_the_article_flags_every_annotation_for_review(
        make_project: Callable[..., Project]) -> None:
    from dossier.load import sha256_text
    from dossier.pipeline import check

    project = make_project(real=False)
    text_path = project.seeds / f"{FAKE_SLUG}.txt"
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    old = sha256_text(text_path.read_text())
    edited = text_path.read_text().replace("on Tuesday", "on Tuesday evening")
    text_path.write_text(edited)
    meta.write_text(meta.read_text().replace(old, sha256_text(edited)))
    dossier, problems = check(project)
    flagged = sorted(p.path.rsplit("/", 1)[1] for p in problems
                     if p.message == "the article has changed since this annotation was written")
    assert flagged == sorted(f"{a.id}.yml" for a in dossier.annotations) and len(flagged) == 5
