"""Results keyed by content hashes, kept between runs (like ruff's cache).

A cache wraps a stage from outside: the stage stays a plain function, and
the key holds everything that function reads, hashed.  Besides each
entry's own inputs, every key includes a *salt*: the dossier's version and
the hash of its code and schemas, the settings and the flags, so that a
new release, an edited schema or a different ``--strict`` never sees an
old result.  The cache can only make a run faster, never different.

Entries live in one pickle file per cache under ``build/.cache/``, loaded
once and written back (in one step) only when something changed; entries
not used by the last run are dropped, so the file never grows beyond the
dossier.  A cache file that cannot be read is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import struct
import sys
import time
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = 3  # bump when the shape of what is stored changes


def digest(*parts: bytes | str) -> str:
    """One hash of several parts: their number and lengths first, so that parts cannot run
    together, then the parts (in one call: a warm check makes thousands of keys)."""
    data = [part.encode("utf-8") if isinstance(part, str) else part for part in parts]
    return hashlib.sha256(struct.pack(f">{len(data) + 1}Q", len(data), *map(len, data))
                          + b"".join(data)).hexdigest()


def entry_key(salt: str, *parts: bytes | str, group: str = "") -> str:
    """``ResultCache.key`` for a cache of this salt, without the cache (a caller that keeps
    its entries elsewhere need not read the cache's file to name one)."""
    return f"{group}/{digest(salt, *parts)}"


def code_version(hashes: FileHashes | None = None) -> str:
    """The dossier's version and a hash of its own files (code, schemas, templates, data).

    An edited checkout keeps its version number; its code hash changes.  With
    ``hashes``, a file whose stat is unchanged is not read again (``FileHashes``), and
    the answer is kept with it: the run's caches each ask.
    """
    if hashes is not None and hashes.code is not None:
        return hashes.code
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    seen = hashes or FileHashes(None)
    version = digest(__version__, f"{sys.version_info[:2]}",
                     *(part for p in files for part in (p.relative_to(package).as_posix(),
                                                        seen.of(p))))
    if hashes is not None:
        hashes.code = version
    return version


# A file's stat recorded less than this long after it last changed is not trusted
# (see FileHashes): a coarse clock could give a later edit the same times.
RACY_NS = 2_000_000_000


class FileHashes:
    """Content hashes of files, each kept with the file's stat, as git's index does.

    A file whose size, inode, device, mtime and ctime are those recorded is
    not read again; any write changes its ctime (which no tool can set back).
    A stat is recorded only when the file had not changed for ``RACY_NS`` before
    it was hashed, so that an edit within the clock's resolution of the hashing
    cannot look unchanged (git's "racy" files).  The content hash still
    decides every key; the stat only says when it need not be computed again.
    ``path=None`` keeps nothing: every file is read.  Within a run each file is
    looked at once (``unchanged`` looks again: whether one changed during the run).
    """

    def __init__(self, path: Path | None):
        self.path = path
        self._old: dict[str, tuple[tuple[int, ...], str]] = {}
        self._new: dict[str, tuple[tuple[int, ...], str]] = {}
        self._seen: dict[str, str] = {}
        self.code: str | None = None  # code_version's, for this run
        if path is not None:
            try:
                with open(path, "rb") as f:
                    stored = pickle.load(f)
                if isinstance(stored, dict) and stored.get("format") == FORMAT:
                    self._old = stored["files"]
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
                    IndexError, TypeError, ValueError, KeyError):
                self._old = {}

    def of(self, path: Path | str) -> str:
        """The file's SHA-256 (followed through links), or ``""`` when it cannot be read."""
        name = os.fspath(path)
        seen = self._seen.get(name)
        if seen is None:
            seen = self._seen[name] = self._hash(name)
        return seen

    def unchanged(self, names: Iterable[str] | None = None) -> bool:
        """Whether every file looked at in this run (or those of ``names`` it looked at) is
        still as it was (each looked at again: a result computed while one of its files
        changed is not to be kept)."""
        if names is None:
            before, self._seen = self._seen, {}
            return all(self.of(name) == sha for name, sha in before.items())
        for name in names:
            sha = self._seen.pop(name, None)
            if sha is not None and self.of(name) != sha:
                return False
        return True

    def _hash(self, name: str) -> str:
        try:
            st = os.stat(name)
        except OSError:
            return ""
        stat = (st.st_size, st.st_ino, st.st_dev, st.st_mtime_ns, st.st_ctime_ns)
        known = self._new.get(name) or self._old.get(name)  # (looked at again: unchanged())
        if known is not None and known[0] == stat:
            self._new[name] = known
            return known[1]
        try:
            sha = hashlib.sha256(_read_all(name, st.st_size)).hexdigest()
        except OSError:
            return ""
        if max(st.st_mtime_ns, st.st_ctime_ns) < time.time_ns() - RACY_NS:
            self._new[name] = (stat, sha)
        return sha

    def save(self) -> None:
        if self.path is None or self._new == self._old:
            return
        _write(self.path, {"format": FORMAT, "files": self._new})
        self._old = dict(self._new)


def _read_all(name: str, size: int) -> bytes:
    """The file's bytes, through the descriptor alone (``open()``'s buffered file object
    cost as much as the read and the hash together, on the thousands of small files a
    cold check hashes); ``size`` is the expected size, read on past it if the file grew."""
    fd = os.open(name, os.O_RDONLY)
    try:
        data = os.read(fd, size + 1)
        if len(data) <= size:  # (all of it)
            return data
        chunks = [data]  # grown since it was looked at: the rest
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class ResultCache:
    """Results of one stage, by key; ``path=None`` keeps nothing (a run without cache).

    Each entry is stored as its own pickle, unpickled only when asked for: a run
    after one edited file reads the file of entries as bytes, unpickles those it
    uses, and writes the unchanged ones back as they were read.
    """

    def __init__(self, path: Path | None, salt: str):
        self.path = path
        self.salt = salt
        self._old: dict[str, bytes] = self._read() if path else {}
        self._new: dict[str, bytes | None] = {}  # None: put by this run, pickled on save
        self._values: dict[str, Any] = {}
        self._put: list[str] = []
        self._made: dict[str, bytes] = {}  # add_made's: as if read, but not from the file
        self.hits = 0
        self.misses = 0

    def _read(self) -> dict[str, bytes]:
        assert self.path is not None
        return _read_entries(self.path, self.salt)

    def key(self, *parts: bytes | str, group: str = "") -> str:
        """The key of an entry made from ``parts``; ``group`` (an article's slug) goes in
        front of it, so that a run that checked only some articles can tell their entries
        from the others' (``save``)."""
        return entry_key(self.salt, *parts, group=group)

    def get(self, key: str) -> Any | None:
        if key in self._values:
            return self._values[key]
        data = self._old.get(key) or self._made.get(key)
        if data is not None:
            try:
                value = pickle.loads(data)
            except (EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError,
                    TypeError, ValueError):  # an entry that cannot be read is computed again
                value = None
            if value is not None:
                self.hits += 1
                self._new[key] = data
                self._values[key] = value
                return value
        self.misses += 1
        return None

    def put(self, key: str, value: Any) -> None:
        self._put.append(key)
        self._new[key] = None
        self._values[key] = value

    def puts(self) -> int:
        """How many entries were put so far (for ``made_since``)."""
        return len(self._put)

    def made_since(self, start: int) -> list[tuple[str, bytes]]:
        """The entries put since ``puts()`` was ``start``, pickled, for ``add_made``: a
        worker process pickles them once, for its parent's cache file as well."""
        return [(key, pickle.dumps(self._values[key], protocol=pickle.HIGHEST_PROTOCOL))
                for key in self._put[start:]]

    def add_made(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Entries from ``made_since`` (another process's): read as if from the file,
        when asked for, and kept if this run uses them."""
        self._made.update(items)

    def keep_made(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Entries from ``made_since`` that this run stands on without asking for them
        (``pipeline.check_apart`` takes each article's part from its worker): saved with
        the run's, as ``add_made``'s are once asked for, and unpickled only if asked for."""
        for key, data in items:
            self._made[key] = data
            self._new[key] = data

    def put_all(self, items: Iterable[tuple[str, Any]]) -> None:
        for key, value in items:
            self.put(key, value)

    def save(self, only: Collection[str] | None = None) -> None:
        """Write the entries this run used, if they differ from what was read.

        ``only``: the run used only these groups' entries (``key``); the other
        groups' entries are kept as they were read.
        """
        if self.path is None:
            return
        used: dict[str, bytes | None] = dict(self._new)
        if only is not None:
            for key, data in self._old.items():
                if key not in used and key.partition("/")[0] not in only:
                    used[key] = data
        if used.keys() == self._old.keys():
            return
        entries = {key: data if data is not None
                   else pickle.dumps(self._values[key], protocol=pickle.HIGHEST_PROTOCOL)
                   for key, data in used.items()}
        _write(self.path, {"format": FORMAT, "salt": self.salt, "entries": entries})


class GroupedResultCache(ResultCache):
    """A ``ResultCache`` kept as one file per group of entries (an article's: ``key``'s
    ``group``) in the folder ``path``, each file read when one of its entries is first
    asked for: a run that checks one article reads and writes that article's file, not
    the whole dossier's entries (16 MB at 100 articles)."""

    def __init__(self, path: Path | None, salt: str):
        self._groups: dict[str, set[str]] = {}  # each group read: the keys its file held
        super().__init__(path, salt)

    def _read(self) -> dict[str, bytes]:
        return {}

    def _file(self, group: str) -> Path:
        assert self.path is not None
        return self.path / (f"a-{group}.pickle" if group else "none.pickle")

    def _load(self, group: str) -> None:
        if group not in self._groups and self.path is not None:
            entries = _read_entries(self._file(group), self.salt)
            self._groups[group] = set(entries)
            self._old.update(entries)

    def get(self, key: str) -> Any | None:
        self._load(key.partition("/")[0])
        return super().get(key)

    def save(self, only: Collection[str] | None = None) -> None:
        """Write each group's file whose entries used differ from those read; ``only``: the
        run used only these groups (the other groups' files stay as they are), else every
        other group's file is removed (``ResultCache.save``: only what the run used)."""
        if self.path is None:
            return
        used: dict[str, dict[str, bytes | None]] = {}
        for key, data in self._new.items():
            used.setdefault(key.partition("/")[0], {})[key] = data
        for group, entries in used.items():
            if only is not None and group not in only:
                self._load(group)  # (not expected: a group the run was not asked for)
                entries.update((k, self._old[k]) for k in self._groups[group]
                               if k not in entries)
            if entries.keys() == self._groups.get(group):
                continue
            _write(self._file(group), {"format": FORMAT, "salt": self.salt, "entries": {
                key: data if data is not None
                else pickle.dumps(self._values[key], protocol=pickle.HIGHEST_PROTOCOL)
                for key, data in entries.items()}})
        if only is None:
            kept = {self._file(group).name for group in used}
            try:
                stale = [p for p in self.path.iterdir()
                         if p.name.endswith(".pickle") and p.name not in kept]
            except OSError:
                stale = []
            for path in stale:
                path.unlink(missing_ok=True)
        else:
            for group in only:
                if group not in used and self._groups.get(group):
                    self._file(group).unlink(missing_ok=True)


def _read_entries(path: Path, salt: str) -> dict[str, bytes]:
    """A cache file's entries, or none if it cannot be read or was made with another salt."""
    try:
        with open(path, "rb") as f:
            stored = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            IndexError, TypeError, ValueError):
        return {}
    if not (isinstance(stored, dict) and stored.get("format") == FORMAT
            and stored.get("salt") == salt and isinstance(stored.get("entries"), dict)):
        return {}
    entries: dict[str, bytes] = stored["entries"]
    return entries


def _write(path: Path, stored: dict[str, Any]) -> None:
    """Pickle ``stored`` into ``path`` in one step (a reader sees the old file or the new)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            pickle.dump(stored, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only checkout still checks, only slower
