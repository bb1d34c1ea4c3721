"""What a site build must write: the staged files compared with the last good build's.

A manifest records, for the site a build produced, the SHA-256 of every
staged file (the generated and hand-written pages, the stylesheets, the PDFs
and the other published files) and a hash of everything every page depends
on (the settings, the navigation, the set of pages, the theme and the
dossier's own code).  The next build compares: when that shared part is the
same, a page whose own source did not change is the same bytes as before,
and only the changed ones are built.  Plain data, no MkDocs: ``site.py``
does the building.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERSION = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree_hashes(folder: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """Every file under ``folder``, by its path relative to it: its SHA-256 (taken from
    ``known`` for the files the caller has just written there itself)."""
    known = known or {}
    out = {}
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(dirpath) / name
            relative = path.relative_to(folder).as_posix()
            found = known.get(relative)
            out[relative] = found if found is not None else sha256(path.read_bytes())
    return dict(sorted(out.items()))


def is_page(name: str) -> bool:
    return name.endswith(".md")


def output_of(source: str) -> str:
    """The site file a staged file becomes (pages: ``x.md`` -> ``x.html``)."""
    return source[:-3] + ".html" if is_page(source) else source


@dataclass
class Manifest:
    """The inputs of one built site: what every page shares, and each staged file's hash.

    ``search`` keeps the search plugin's entries of each page (by page address),
    so that a build of a few pages can give the whole site's index.
    """

    shared: str
    sources: dict[str, str]
    search: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return json.dumps({"version": VERSION, "shared": self.shared, "sources": self.sources,
                           "search": self.search}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        """The manifest at ``path``; None when there is none or it is not one we wrote."""
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        return cls(str(data["shared"]), dict(data["sources"]), dict(data.get("search", {})))


@dataclass(frozen=True)
class Plan:
    """What to build: the staged files that are new or changed, and those kept as they were."""

    changed: list[str]  # staged paths (pages and files) to build
    kept: list[str]  # staged paths whose output is taken from the last good site
    removed: list[str]  # staged paths of the last build that are gone


def plan(previous: Manifest | None, current: Manifest,
         chosen: Callable[[str], bool] | None = None) -> Plan | None:
    """The incremental plan; None when everything must be built: no previous site, a change
    every page sees (settings, navigation, theme, code), or a page gone (a link to it
    elsewhere would go unchecked).  ``chosen`` limits the plan to the sources it picks."""
    if previous is None or previous.shared != current.shared:
        return None
    if any(is_page(s) and s not in current.sources for s in previous.sources):
        return None
    picked = [s for s in current.sources if chosen is None or chosen(s)]
    kept = [s for s in picked if previous.sources.get(s) == current.sources[s]]
    changed = [s for s in picked if previous.sources.get(s) != current.sources[s]]
    removed = [s for s in previous.sources if s not in current.sources]
    return Plan(changed, kept, removed)
