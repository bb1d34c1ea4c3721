"""The whole of ``dossier check``'s answer, kept under a fingerprint of every file it reads.

``pipeline.check`` keeps each file's results (``build/.cache/check.pickle``);
reading all of them back, and importing every stage, was most of a warm
run.  This cache sits at the edges of the whole check stage: its key is the
hash of every file and folder under ``seeds/`` and ``annotations/`` (each
path with its content hash), the settings, the project's folder, the flags
and the dossier's code; its entry is the sorted problems and the counts.  A
dossier with nothing changed reads one small entry; any change under those
folders misses it and runs ``pipeline.check``, which still reuses every
unchanged file's entries.

The files' content hashes come from ``FileHashes`` (a file whose stat is
unchanged is not read again).  A symbolic link or a special file in those
folders turns this cache off (the full check reports them), and so does a
received source file outside ``seeds/``: the key could not be sure to
cover them.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .cache import FileHashes, ResultCache, code_version, digest
from .problems import Problem
from .project import Project


@dataclass(frozen=True)
class Report:
    """What ``dossier check`` prints: every problem, sorted, and what was checked."""

    problems: list[Problem]
    articles: int
    annotations: int


def check_report(project: Project, *, strict: bool = False, cache: bool = True) -> Report:
    """``pipeline.check``'s problems and counts, from the run-level cache when no input
    changed; ``cache=False`` computes everything afresh (tests show both agree)."""
    if not cache:
        return _checked(project, strict, cache=False, reads=[])
    problems = project.missing_parts()
    if problems:
        return Report(problems, 0, 0)
    hashes = FileHashes(project.build / ".cache" / "files.pickle")
    salt = digest(code_version(hashes), _read_bytes(project.config), f"strict={strict}",
                  str(project.root))
    store = ResultCache(project.build / ".cache" / "check-run.pickle", salt)
    key = tree_key(project, hashes)
    hit: Report | None = store.get(key) if key else None
    if hit is None:
        reads: list[Path] = []
        hit = _checked(project, strict, cache=True, reads=reads, hashes=hashes)
        # Kept only when every file read is in the key, and no file changed during the run.
        if key and all(_inside(project.seeds, p) for p in reads) \
                and hashes.unchanged() and tree_key(project, hashes) == key:
            store.put(key, hit)
    store.save()
    hashes.save()
    return hit


def _checked(project: Project, strict: bool, *, cache: bool, reads: list[Path],
             hashes: FileHashes | None = None) -> Report:
    from .pipeline import check  # every stage: imported only when something changed

    dossier, problems = check(project, strict=strict, cache=cache, reads=reads, hashes=hashes)
    return Report(problems, len(dossier.articles), len(dossier.annotations))


def tree_key(project: Project, hashes: FileHashes) -> str | None:
    """A hash of every folder's and file's path and content under seeds/ and annotations/,
    or None when one of them is a link or a special file."""
    parts: list[str] = []
    for top in (project.seeds, project.annotations):
        if not _walk(top, top.name, hashes, parts):
            return None
    return digest(*parts)


def _walk(path: Path | str, name: str, hashes: FileHashes, parts: list[str]) -> bool:
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISREG(mode):
            parts += ["file", name, hashes.of(path)]
            return True
        if not stat.S_ISDIR(mode):
            return False  # a link or a special file
        parts += ["folder", name]
        with os.scandir(path) as found:
            entries = sorted(found, key=lambda e: e.name)
        for entry in entries:
            child = f"{name}/{entry.name}"
            if entry.is_symlink():
                return False
            if entry.is_dir(follow_symlinks=False):
                if not _walk(entry.path, child, hashes, parts):
                    return False
            elif entry.is_file(follow_symlinks=False):
                parts += ["file", child, hashes.of(entry.path)]
            else:
                return False
    except FileNotFoundError:
        parts += ["missing", name]
    except OSError:
        return False
    return True


def _inside(folder: Path, path: Path) -> bool:
    return os.path.realpath(path).startswith(os.path.realpath(folder) + os.sep)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
