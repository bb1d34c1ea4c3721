"""Stage 5: build the static site with MkDocs and Material, atomically.

The generated pages and the hand-written ones from ``docs/`` are staged
together in a fresh folder, built into another fresh folder, and only
then swapped into ``build/``: a failed or interrupted build leaves the
last good site exactly as it was.  The only MkDocs API used is "load this
config and build it", so moving to Zensical means replacing this module.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .buildinfo import source_date
from .problems import DossierError, Problem
from .project import Project
from .searchindex import build_index

THEME = Path(__file__).parent / "theme"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def stage_docs(project: Project, pages: dict[str, str], dest: Path,
               files: dict[str, bytes] | None = None) -> None:
    """Hand-written docs plus generated pages and files, in one folder MkDocs can read."""
    if project.docs.is_dir():
        shutil.copytree(project.docs, dest, dirs_exist_ok=True)
    clashes = [name for name in pages if (dest / name).exists()]
    if clashes:
        raise DossierError([Problem(f"docs/{name}", 1, 1,
                                    "this hand-written page has the name of a generated page",
                                    "rename the page; generated pages are: "
                                    + ", ".join(sorted(pages))) for name in clashes])
    for name, content in pages.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    for name, data in (files or {}).items():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(data)
    guide = project.root / "CONTRIBUTING.md"
    if guide.is_file():  # the contributors' guide, on the site too
        (dest / "contributing.md").write_text(
            "---\ntitle: Contributing\n---\n\n" + guide.read_text(encoding="utf-8"),
            encoding="utf-8")


@contextmanager
def _mkdocs_logs() -> Iterator[_Collect]:
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def merge_nav(configured: list[object] | None, generated: list[object]) -> list[object]:
    """The hand-written pages' order from mkdocs.yml, with the generated pages after the first."""
    if not configured:
        return generated
    return [configured[0], *generated, *configured[1:]]


def run_mkdocs(project: Project, docs_dir: Path, site_dir: Path, nav: list[object],
               epoch: int | None = None) -> None:
    """Build ``docs_dir`` into ``site_dir`` with the project's mkdocs.yml."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs import exceptions
    from mkdocs.commands import build
    from mkdocs.config import load_config

    with _mkdocs_logs() as logs, source_date(epoch):  # sitemap dates follow the source
        try:
            cfg = load_config(config_file=str(project.config), docs_dir=str(docs_dir),
                              site_dir=str(site_dir))
            cfg["nav"] = merge_nav(cfg["nav"], nav)
            # The head's links to the feed and the annotation collections: one
            # template block, shipped with the package (as a theme's custom_dir).
            cfg["theme"].dirs.insert(0, str(THEME))
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build.build(cfg)
            finally:
                cfg.plugins.on_shutdown()
        except (exceptions.MkDocsException, SystemExit) as exc:
            messages = [r.getMessage() for r in logs.records] or [str(exc)]
            raise DossierError([Problem("mkdocs.yml", 1, 1, f"site build failed: {m}",
                                        "fix mkdocs.yml or the page named above")
                                for m in messages]) from None
    warnings = [r.getMessage() for r in logs.records]
    if warnings:
        raise DossierError([Problem("mkdocs.yml", 1, 1, f"site build warning: {m}",
                                    "fix the page or setting named above") for m in warnings])


def prebuild_search(site_dir: Path) -> None:
    """Replace the search index Material's plugin wrote by the prebuilt, split one.

    Material's index holds every page's whole text, indexed in the reader's
    browser on the first search; ``searchindex.py`` indexes it here, once,
    in files a query loads a few at a time.  What Material's search box still
    reads (``search_index.json``, and ``search_index.js`` from file://) keeps
    its settings and no documents.
    """
    folder = site_dir / "search"
    index = folder / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    for name, content in build_index(data.get("docs", [])).items():
        (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / name).write_bytes(content)
    slim = json.dumps({"config": data.get("config", {}), "docs": []}, separators=(",", ":"))
    index.write_text(slim, encoding="utf-8")
    (folder / "search_index.js").write_text(f"var __index = {slim}", encoding="utf-8")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux renameat2 RENAME_EXCHANGE), if possible."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return bool(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b),
                          rename_exchange) == 0)


def replace_dir(new: Path, final: Path, *, cleanup: bool = True) -> Path | None:
    """Put ``new`` where ``final`` is; readers see the old folder or the new, never neither.

    Returns the folder now holding the previous version, left in place when
    ``cleanup`` is false, so that a caller swapping several folders can swap
    them all before the slow part (deleting the old ones).
    """
    if final.exists() and _exchange(new, final):
        if cleanup:
            shutil.rmtree(new)  # it now holds the previous version
            return None
        return new
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    new.rename(final)
    if old.exists():
        if cleanup:
            shutil.rmtree(old)
            return None
        return old
    return None


def write_file(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.",
                                     delete=False) as tmp:
        tmp.write(data)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, path)


@contextmanager
def _one_build_at_a_time(folder: Path) -> Iterator[None]:
    """A lock, so that a preview and a build never share (or clean up) each other's files."""
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        clear_leftovers(folder)  # safe: no other build is running
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def clear_leftovers(folder: Path) -> None:
    """Temporary folders a killed build left behind."""
    for pattern in (".docs-*", ".site-*", ".*.old"):
        for path in folder.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)
    for path in (folder / ".cache").rglob(".*"):  # half-written cache entries
        path.unlink(missing_ok=True)


def build_site(project: Project, pages: dict[str, str], nav: list[object],
               out: Path | None = None, files: dict[str, bytes] | None = None,
               epoch: int | None = None) -> Path:
    """Stage and build in temporary folders beside the targets, then swap them in."""
    site_final = (out or project.build / "site").resolve()
    site_final.parent.mkdir(parents=True, exist_ok=True)
    project.build.mkdir(parents=True, exist_ok=True)
    with _one_build_at_a_time(project.build), \
            tempfile.TemporaryDirectory(prefix=".docs-", dir=project.build) as docs_tmp, \
            tempfile.TemporaryDirectory(prefix=".site-", dir=site_final.parent) as site_tmp:
        docs_dir = Path(docs_tmp) / "docs"
        site_dir = Path(site_tmp) / "site"
        stage_docs(project, pages, docs_dir, files)
        run_mkdocs(project, docs_dir, site_dir, nav, epoch)
        prebuild_search(site_dir)
        # Both swaps first, one right after the other, then the slow deletions: a
        # build killed in between leaves the new docs beside the old site only for
        # the moment between two renames, not while a folder is being deleted.
        previous = [replace_dir(docs_dir, project.build / "docs", cleanup=False),
                    replace_dir(site_dir, site_final, cleanup=False)]
        for folder in previous:
            if folder is not None and folder.exists():
                shutil.rmtree(folder)
    return site_final
