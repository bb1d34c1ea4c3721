"""What a build is built from: the source version and its date.

Dates in the output come from the last commit (or SOURCE_DATE_EPOCH), never
from the clock, so two builds of the same commit are byte for byte the same.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

INPUTS = ("seeds", "annotations", "docs", "mkdocs.yml")


def _git(root: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


@dataclass(frozen=True)
class BuildInfo:
    version: str  # short commit hash, or "unversioned"
    epoch: int | None

    @property
    def date(self) -> dt.datetime | None:
        if self.epoch is None:
            return None
        return dt.datetime.fromtimestamp(self.epoch, tz=dt.UTC)

    @classmethod
    def of(cls, root: Path) -> BuildInfo:
        version = _git(root, "rev-parse", "--short=12", "HEAD") or "unversioned"
        if version != "unversioned" and _git(root, "status", "--porcelain", "--", *INPUTS):
            version += " with uncommitted changes"
        epoch_text = os.environ.get("SOURCE_DATE_EPOCH") or _git(root, "log", "-1",
                                                                  "--format=%ct")
        epoch = int(epoch_text) if epoch_text and epoch_text.isdigit() else _newest(root)
        return cls(version, epoch)


def _newest(root: Path) -> int | None:
    """Outside git: the newest input file's time, which is at least stable between builds.

    (One stat a file: the preview asks after every saved file, of thousands.)"""
    times = []
    for name in INPUTS:
        top = root / name
        paths = ([os.path.join(folder, f) for folder, _dirs, files in os.walk(top) for f in files]
                 if top.is_dir() else [str(top)])
        for path in paths:
            try:
                info = os.stat(path)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                times.append(info.st_mtime)
    return int(max(times)) if times else None


@contextmanager
def source_date(epoch: int | None) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for the tools that read it (MkDocs, fontTools), then as it was."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
