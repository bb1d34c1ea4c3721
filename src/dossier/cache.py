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
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = 1  # bump when the shape of what is stored changes


def digest(*parts: bytes | str) -> str:
    """One hash of several parts, each length-prefixed so that parts cannot run together."""
    data = [part.encode("utf-8") if isinstance(part, str) else part for part in parts]
    return hashlib.sha256(b"".join(len(d).to_bytes(8, "big") + d for d in data)).hexdigest()


def code_version() -> str:
    """The dossier's version and a hash of its own files (code, schemas, templates).

    An edited checkout keeps its version number; its code hash changes.
    """
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*")
                   if p.is_file() and p.suffix in (".py", ".json", ".html", ".css", ".js")
                   and "__pycache__" not in p.parts)
    return digest(__version__, f"{sys.version_info[:2]}",
                  *(part for p in files for part in (p.relative_to(package).as_posix(),
                                                     p.read_bytes())))


class ResultCache:
    """Results of one stage, by key; ``path=None`` keeps nothing (a run without cache)."""

    def __init__(self, path: Path | None, salt: str):
        self.path = path
        self.salt = salt
        self._old: dict[str, Any] = self._read() if path else {}
        self._new: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0

    def _read(self) -> dict[str, Any]:
        assert self.path is not None
        try:
            with open(self.path, "rb") as f:
                stored = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
                IndexError, TypeError, ValueError):
            return {}
        if not (isinstance(stored, dict) and stored.get("format") == FORMAT
                and stored.get("salt") == self.salt and isinstance(stored.get("entries"), dict)):
            return {}
        entries: dict[str, Any] = stored["entries"]
        return entries

    def key(self, *parts: bytes | str) -> str:
        return digest(self.salt, *parts)

    def get(self, key: str) -> Any | None:
        if key in self._new:
            return self._new[key]
        if key in self._old:
            self.hits += 1
            self._new[key] = self._old[key]
            return self._new[key]
        self.misses += 1
        return None

    def put(self, key: str, value: Any) -> None:
        self._new[key] = value

    def put_all(self, items: Iterable[tuple[str, Any]]) -> None:
        for key, value in items:
            self.put(key, value)

    def save(self) -> None:
        """Write the entries this run used, if they differ from what was read."""
        if self.path is None or self._new.keys() == self._old.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            with open(tmp, "wb") as f:
                pickle.dump({"format": FORMAT, "salt": self.salt, "entries": self._new}, f,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a read-only checkout still checks, only slower
