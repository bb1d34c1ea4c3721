"""Stage 5: build the static site with MkDocs and Material, atomically and incrementally.

The generated pages and the hand-written ones from ``docs/`` are staged
together in a fresh folder, built into another fresh folder, and only
then swapped into ``build/``: a failed or interrupted build leaves the
last good site exactly as it was.

Only what changed is built (``incremental.py`` says what): the new folder
starts as hard links to the last good site's unchanged pages and files,
MkDocs builds the rest into it (its "dirty" build, told what changed by the
files' times), and the whole-site files (the search index, the sitemap, the
404 page, the theme's assets) are written afresh, the search index from
each page's entries kept in the manifest.  A linked file is never written
to: MkDocs writes only the outputs that are missing, so the last good site
stays untouched until the swap.  The MkDocs API used is "load this config
and build it", plus its list of files (for the search index's order), so
moving to Zensical means replacing this module.
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from .buildinfo import source_date
from .cache import ResultCache, code_version, digest
from .incremental import Manifest, Plan, is_page, output_of, plan, sha256, tree_hashes
from .liveindex import LiveIndex
from .problems import DossierError, Problem
from .project import Project
from .searchindex import Prepared, index_files, prepare

THEME = Path(__file__).parent / "theme"


DIRTY_WARNING = "A 'dirty' build is being performed"  # MkDocs says so on every dirty build
SEARCH_INDEX = "search/search_index.json"
SHARD_RECORD = ".shard.json"  # in a shard's folder: what it built (incremental.Manifest)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.getMessage().startswith(DIRTY_WARNING):
            self.records.append(record)


def stage_docs(project: Project, pages: dict[str, str], dest: Path,
               files: dict[str, bytes] | None = None) -> dict[str, str]:
    """Hand-written docs plus generated pages and files, in one folder MkDocs can read.

    Returns the SHA-256 of each file written from memory (the generated pages and
    files, the contributors' guide), by its path in ``dest``, so that they need not be
    read back to be compared with the last build's (``incremental.tree_hashes``).
    """
    if project.docs.is_dir():
        shutil.copytree(project.docs, dest, dirs_exist_ok=True)
    clashes = [name for name in pages if (dest / name).exists()]
    if clashes:
        raise DossierError([Problem(f"docs/{name}", 1, 1,
                                    "this hand-written page has the name of a generated page",
                                    "rename the page; generated pages are: "
                                    + ", ".join(sorted(pages))) for name in clashes])
    hashes: dict[str, str] = {}
    folders: set[Path] = set()

    def put(name: str, data: bytes) -> None:
        path = dest / name
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_bytes(data)
        hashes[name] = sha256(data)

    for name, content in pages.items():
        put(name, content.encode("utf-8"))
    for name, data in (files or {}).items():
        put(name, data)
    guide = project.root / "CONTRIBUTING.md"
    if guide.is_file():  # the contributors' guide, on the site too
        put("contributing.md", ("---\ntitle: Contributing\n---\n\n"
                                + guide.read_text(encoding="utf-8")).encode("utf-8"))
    return hashes


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
               epoch: int | None = None, *, dirty: bool = False, keep_theme: bool = False,
               listing: list[str] | None = None) -> dict[str, str]:
    """Build ``docs_dir`` into ``site_dir`` with the project's mkdocs.yml.

    With ``dirty``, only the pages and files whose output in ``site_dir`` is
    missing or older than their source are built (MkDocs' own dirty build).
    With ``keep_theme`` (the preview), the theme's Jinja environment is kept in the
    process for the next build, and taken from the last one when it is the same.
    Returns every page's address by its source path, in MkDocs' order; ``listing``
    (the preview: every file in ``docs_dir``) keeps that answer in the process under
    the files' names, the settings and the navigation, instead of listing the folder
    again after the build (thousands of files at 1,000 articles).
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs import exceptions
    from mkdocs.commands import build
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    with _mkdocs_logs() as logs, source_date(epoch):  # sitemap dates follow the source
        try:
            cfg = load_config(config_file=str(project.config), docs_dir=str(docs_dir),
                              site_dir=str(site_dir))
            cfg["nav"] = merge_nav(cfg["nav"], nav)
            # The head's links to the feed and the annotation collections: one
            # template block, shipped with the package (as a theme's custom_dir).
            cfg["theme"].dirs.insert(0, str(THEME))
            _keep_compiled_templates(cfg["theme"], cfg.plugins,
                                     project.build / ".cache" / "jinja", keep_theme)
            if dirty:  # MkDocs warns of every dirty build: strictness is ours (below)
                cfg["strict"] = False
            # (Told of no dirty build: Material's search would then carry its index over
            # to the next build in this process; site.py merges the index itself.)
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build.build(cfg, dirty=dirty)
            finally:
                cfg.plugins.on_shutdown()
            known = (digest(project.config.read_bytes(), json.dumps(nav, sort_keys=True),
                            *listing) if listing is not None else None)
            order = _ORDERS.get(known) if known is not None else None
            if order is None:
                order = {f.src_uri: f.url for f in get_files(cfg).documentation_pages()}
            if known is not None:
                _ORDERS.clear()
                _ORDERS[known] = order
        except (exceptions.MkDocsException, SystemExit) as exc:
            messages = [r.getMessage() for r in logs.records] or [str(exc)]
            raise DossierError([Problem("mkdocs.yml", 1, 1, f"site build failed: {m}",
                                        "fix mkdocs.yml or the page named above")
                                for m in messages]) from None
    warnings = [r.getMessage() for r in logs.records]
    if warnings:
        raise DossierError([Problem("mkdocs.yml", 1, 1, f"site build warning: {m}",
                                    "fix the page or setting named above") for m in warnings])
    return order


# The pages' order and addresses of the preview's last build, by its files' names, its
# settings and navigation (run_mkdocs' ``listing``).
_ORDERS: dict[str, dict[str, str]] = {}


# The theme's Jinja environment of the last build in this process, under a key of what
# made it (see _keep_compiled_templates): the preview is one long-lived process.
_ENVIRONMENTS: dict[str, Any] = {}


def _keep_compiled_templates(theme: Any, plugins: Any, folder: Path, keep: bool = False
                             ) -> None:
    """Jinja's compiled templates kept between builds (its own bytecode cache, checked
    against each template's source): compiling Material's templates was a third of what
    MkDocs spent on a build of one changed page.  Nothing but speed changes.

    With ``keep``, within one process (the preview rebuilding after each saved file), the
    theme's
    whole environment is kept too: its loaded templates, and its list of template files,
    which MkDocs asks for on every build (walking Material's thousands of icons) to find
    the theme's assets.  It is kept under a key of all that makes it (the theme's
    folders and language, the versions of MkDocs, Material and Jinja, its static templates,
    and the name, size and time of every file in a theme folder that is not an installed
    package's), and
    only while no plugin changes the environment of each build (``on_env``).
    """
    import jinja2

    # Jinja checks each template's source, not the environment's options: a folder per
    # version of what sets them.
    versions = [f"{name}={metadata.version(name)}" for name in ("mkdocs", "mkdocs-material",
                                                                 "jinja2")]
    folder = folder / digest(*versions)[:16]
    folder.mkdir(parents=True, exist_ok=True)
    make_env = theme.get_env
    key = _environment_key(theme, plugins, versions) if keep else None

    def get_env() -> jinja2.Environment:
        kept = _ENVIRONMENTS.get(key) if key is not None else None
        if kept is not None:
            return kept  # type: ignore[no-any-return]
        env: jinja2.Environment = make_env()
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        if key is not None:
            _remember_listing(env)
            _ENVIRONMENTS.clear()
            _ENVIRONMENTS[key] = env
        return env

    theme.get_env = get_env


def _environment_key(theme: Any, plugins: Any, versions: list[str]) -> str | None:
    """What the theme's environment is made from; None when it must be made afresh."""
    import sysconfig

    from mkdocs.plugins import BasePlugin

    default = getattr(BasePlugin, "on_env", None)
    if any(getattr(type(p), "on_env", default) is not default for p in plugins.values()):
        return None
    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    stamps = []
    for folder in map(Path, theme.dirs):
        if folder.resolve().is_relative_to(installed):
            continue  # its package's version stands for it
        for dirpath, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                stat = (Path(dirpath) / name).stat()
                stamps.append(f"{dirpath}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*versions, str(theme.locale), *theme.dirs,
                  *sorted(theme.static_templates), *stamps)


def _remember_listing(env: Any) -> None:
    """The environment's list of template files, walked once (its folders are in its key),
    and filtered once for each filter MkDocs passes (one function, whose criteria come
    from the theme and the settings: in the key too)."""
    names: list[str] = []
    filtered: dict[Any, list[str]] = {}
    walk = env.list_templates

    def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
        if extensions is not None or filter_func is None:
            return walk(extensions, filter_func)  # type: ignore[no-any-return]
        if not names:
            names.extend(walk())
        code = getattr(filter_func, "__code__", filter_func)
        if code not in filtered:
            filtered[code] = [name for name in names if filter_func(name)]
        return list(filtered[code])

    env.list_templates = list_templates


def shared_inputs(project: Project, nav: list[object]) -> str:
    """A hash of what every page depends on: when it changes, every page is built."""
    versions = [f"{name}={metadata.version(name)}" for name in ("mkdocs", "mkdocs-material")]
    return digest(code_version(), *versions, project.config.read_bytes(),
                  json.dumps(nav, sort_keys=True, ensure_ascii=False))


def manifest_path(project: Project, site_final: Path) -> Path:
    """Where the inputs of the site at ``site_final`` are recorded (one per output folder)."""
    return project.build / ".cache" / "site" / f"{digest(str(site_final))[:16]}.json"


def _link_kept(previous: Path, site_dir: Path, todo: Plan) -> None:
    """Hard links, in the new folder, to the last good site's outputs that stay as they are."""
    for source in todo.kept:
        name = output_of(source)
        old = previous / name
        if old.is_file():
            (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
            os.link(old, site_dir / name)


def _stand_in(site_dir: Path, sources: list[str]) -> None:
    """Empty files where the outputs of sources this build leaves out would go, newer than
    the sources, so that a dirty build passes them by (removed after it)."""
    for source in sources:
        path = site_dir / output_of(source)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


def _keep_only(site_dir: Path, outputs: set[str]) -> None:
    """Remove from ``site_dir`` everything but ``outputs`` (a shard keeps its own files)."""
    for path in sorted(site_dir.rglob("*"), reverse=True):
        name = path.relative_to(site_dir).as_posix()
        if path.is_file() and name not in outputs:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


# Fewer articles' pages to build than this: MkDocs started in a second process costs
# more than it saves.  (A setting of the module, so that tests can split small sites.)
MIN_SPLIT_ARTICLES = 8


def _second_part(building: set[str]) -> list[str]:
    """The pages a second process builds (``_built_in_two``): of those to build under
    ``articles/``, grouped by the name after it (an article's page and its own pages;
    the articles index's), every other group by name; none when there are few groups,
    or one core.

    MkDocs builds page after page in one process, and that was most of a whole build
    (12 of 15 s at 100 articles) with the other core idle.  Any page can be built by
    either process: a page's HTML depends on its source and on what every page shares
    (the settings and the navigation, which name every page with its title), not on the
    pages built beside it, as the shards' join shows (``shards.py``).  The whole-site
    files (the sitemap, the theme's assets, the search index) stay with this process.
    """
    from .parallel import _in_worker, workers

    articles: dict[str, list[str]] = {}
    for source in building:
        parts = source.split("/")
        if parts[0] == "articles" and len(parts) > 1 and is_page(source):
            articles.setdefault(parts[1].removesuffix(".md"), []).append(source)
    if len(articles) < MIN_SPLIT_ARTICLES or workers() < 2 or _in_worker:
        return []
    return sorted(source for i, name in enumerate(sorted(articles)) if i % 2 == 0
                  for source in articles[name])


def _built_in_two(project: Project, docs_dir: Path, site_dir: Path, part_dir: Path,
                  nav: list[object], epoch: int | None, apart: list[str], others: list[str]
                  ) -> tuple[dict[str, str], dict[str, list[dict[str, Any]]]]:
    """MkDocs' dirty build of ``docs_dir`` into ``site_dir`` with the pages ``apart`` left
    out (their stand-ins newer than their sources), while a forked process builds those
    pages alone into ``part_dir`` (every other output a stand-in there); then their
    outputs are moved in.  Returns MkDocs' order of the pages and the search entries of
    the pages built apart.  A problem in either build is raised here (nothing is swapped
    in: the caller's temporary folders are deleted)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _stand_in(site_dir, apart)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        future = pool.submit(_build_part, project, docs_dir, part_dir, nav, epoch, apart,
                             others)
        order = run_mkdocs(project, docs_dir, site_dir, nav, epoch, dirty=True)
        part = future.result()
    for source in apart:
        name = output_of(source)
        os.replace(part_dir / name, site_dir / name)
    return order, part


def _build_part(project: Project, docs_dir: Path, part_dir: Path, nav: list[object],
                epoch: int | None, apart: list[str], others: list[str]
                ) -> dict[str, list[dict[str, Any]]]:
    """In the forked process: the pages ``apart`` alone, and their search entries."""
    part_dir.mkdir()
    _stand_in(part_dir, others)
    order = run_mkdocs(project, docs_dir, part_dir, nav, epoch, dirty=True)
    entries, _config = _search_entries(part_dir, order, None, set(apart))
    return {source: entries.get(source, []) for source in apart}


def _age(docs_dir: Path, sources: list[str]) -> None:
    """Date the unchanged sources before any output, so a dirty build leaves them alone."""
    for source in sources:
        os.utime(docs_dir / source, (0, 0))


def _search_entries(site_dir: Path, order: dict[str, str], previous: Manifest | None,
                    changed: set[str] | None) -> tuple[dict[str, list[dict[str, Any]]],
                                                      dict[str, Any]]:
    """Every page's search entries, in MkDocs' order: from this build for the pages it built
    (all of them when ``changed`` is None), from the last good build for the others."""
    path = site_dir / SEARCH_INDEX
    if not path.is_file():
        return {}, {}
    data = json.loads(path.read_text(encoding="utf-8"))
    built: dict[str, list[dict[str, Any]]] = {}
    for entry in data.get("docs", []):
        built.setdefault(str(entry["location"]).split("#", 1)[0], []).append(entry)
    entries = {}
    for source, url in order.items():
        if changed is None or source in changed:
            entries[source] = built.get(url, [])
        else:
            entries[source] = (previous.search if previous else {}).get(source, [])
    return entries, data.get("config", {})


# The search index's files as the preview's last build in this process made them, under
# the output folder and the identity of the folder that build swapped in and of the record
# it wrote (device, inode, time): a file with the same bytes is, while that folder is still
# the one in place, linked from it, not written (after one saved annotation, most pages'
# texts and some letters' shards).  With them, the index itself (``liveindex.LiveIndex``),
# updated where the change reaches instead of scored again from nothing.
Encoded = dict[str, bytes]
_ENCODED: dict[Path, tuple[tuple[int, ...], Encoded]] = {}
_LIVE: dict[Path, LiveIndex] = {}


def _identity(*paths: Path) -> tuple[int, ...]:
    """Who the files at ``paths`` are: () when one is missing."""
    out: list[int] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            return ()
        out += [info.st_dev, info.st_ino, info.st_mtime_ns]
    return tuple(out)


def _prebuilt_search(project: Project, site_dir: Path, config: dict[str, Any],
                     entries: dict[str, list[dict[str, Any]]], current: Manifest,
                     site_final: Path | None = None, record: Path | None = None
                     ) -> Encoded:
    """Replace the search index Material's plugin wrote by the prebuilt, split one.

    Material's index holds every page's whole text, indexed in the reader's
    browser on the first search; ``searchindex.py`` indexes it here, once,
    in files a query loads a few at a time.  What Material's search box still
    reads (``search_index.json``, and ``search_index.js`` from file://) keeps
    its settings and no documents.  Each page's prepared entries (its text
    without tags, its words counted) are kept in ``build/.cache/search.pickle``
    under the hashes its entries come from, as for keeping its built page: its
    staged source's and what every page shares (``current``).  After one
    changed page, only its entries are read again; the scores, which depend on
    every page, are computed again.  With ``site_final`` (the preview, which builds
    again in the same process), the index is kept in the process and updated
    (``liveindex.py``: the pages whose hashes changed are prepared again, the scores
    that can have moved computed again), and only the files whose bytes changed since
    its last build are written, the others linked (``_ENCODED``).  Returns the files'
    bytes, to keep once the new site is in place.
    """
    store: ResultCache | None = None

    def prepared_of(source: str, page: list[dict[str, Any]]) -> list[Prepared]:
        nonlocal store
        if source not in current.sources:
            return prepare(page)
        if store is None:
            store = ResultCache(project.build / ".cache" / "search.pickle", code_version())
        key = store.key(source, current.sources[source], current.shared)
        hit: list[Prepared] | None = store.get(key)
        if hit is None:
            hit = prepare(page)
            store.put(key, hit)
        return hit

    if site_final is None:
        prepared = [doc for source, page in entries.items() for doc in prepared_of(source, page)]
        files = index_files(prepared)
        if store is not None:
            store.save()
    else:
        live = _LIVE.setdefault(site_final, LiveIndex())
        whole = not live.pages
        files, _changed = live.files([
            (source, current.sources.get(source, "") + current.shared,
             functools.partial(prepared_of if whole else _prepared, source, page))
            for source, page in entries.items()])
        if whole and store is not None:
            store.save()  # (after an update, only the changed pages' would be kept)
    last, before = _ENCODED.get(site_final, ((), {})) if site_final else ((), {})
    in_place = (site_final is not None and record is not None and last != ()
                and _identity(site_final, record) == last)
    made: set[Path] = set()
    for name, content in files.items():
        path = site_dir / name
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        kept = before.get(name)
        same = kept is not None and (kept is content or kept == content)
        if same and in_place and site_final is not None and (site_final / name).is_file():
            os.link(site_final / name, path)  # the same bytes, never written to
        else:
            path.write_bytes(content)
    folder = site_dir / "search"
    folder.mkdir(parents=True, exist_ok=True)
    slim = json.dumps({"config": config, "docs": []}, separators=(",", ":"))
    (folder / "search_index.json").write_text(slim, encoding="utf-8")
    (folder / "search_index.js").write_text(f"var __index = {slim}", encoding="utf-8")
    return files


def _prepared(source: str, page: list[dict[str, Any]]) -> list[Prepared]:
    """A changed page's entries prepared again (the preview's update: the cache file of
    every page's is left as the last whole build wrote it, its entries keyed by content)."""
    return prepare(page)


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
    for pattern in (".docs-*", ".site-*", ".join-*", ".*.old"):
        for path in folder.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)
    for path in (folder / ".cache").rglob(".*"):  # half-written cache entries
        path.unlink(missing_ok=True)


def build_site(project: Project, pages: dict[str, str], nav: list[object],
               out: Path | None = None, files: dict[str, bytes] | None = None,
               epoch: int | None = None, written: list[str] | None = None, *,
               only: Callable[[str], bool] | None = None,
               join: list[Path] | None = None, tidy_later: bool = False) -> Path:
    """Stage and build in temporary folders beside the targets, then swap them in.

    Only the pages and files whose sources changed since the last good build
    are built (all of them when what every page shares changed); their paths
    in the site are added to ``written``.  ``only`` builds the staged sources
    it picks and nothing else (a shard: ``shards.py``), with the record of what
    it built in the folder (``SHARD_RECORD``); ``join`` takes unchanged outputs
    from those shards' folders instead of the last good site.

    ``tidy_later`` (the preview, whose folder is inside ``build/``, and which builds
    again in the same process: it keeps the encoded search files) deletes the
    replaced folders in a thread once the new site is in place, so the browser
    reloads without waiting for hundreds of unlinks; what a stopped process
    leaves is cleared by the next build (``clear_leftovers``).
    """
    site_final = (out or project.build / "site").resolve()
    site_final.parent.mkdir(parents=True, exist_ok=True)
    project.build.mkdir(parents=True, exist_ok=True)
    done = False
    with _one_build_at_a_time(project.build):
        docs_tmp = Path(tempfile.mkdtemp(prefix=".docs-", dir=project.build))
        site_tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_final.parent))
        leftovers = [docs_tmp, site_tmp]
        try:
            _build_site(project, pages, nav, site_final, files, epoch, written, only, join,
                        docs_tmp, site_tmp, leftovers, tidy_later)
            done = True
        finally:
            if done and tidy_later:
                tidying = threading.Thread(target=_remove, args=(leftovers,), daemon=True)
                _TIDYING.append(tidying)
                tidying.start()
            else:
                _remove(leftovers)
    return site_final


_TIDYING: list[threading.Thread] = []  # tidy_later's deletions, started by this process


def tidied() -> None:
    """Wait until the replaced folders that ``tidy_later`` left to a thread are deleted: a
    preview is idle once they are (``bench/scale.py`` times a save made then, as a
    contributor's save comes seconds after the last one's rebuild, not during it)."""
    while _TIDYING:
        _TIDYING.pop().join()


def _remove(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _build_site(project: Project, pages: dict[str, str], nav: list[object], site_final: Path,
                files: dict[str, bytes] | None, epoch: int | None, written: list[str] | None,
                only: Callable[[str], bool] | None, join: list[Path] | None,
                docs_tmp: Path, site_tmp: Path, leftovers: list[Path], keep: bool = False
                ) -> None:
    """``build_site``'s work in its temporary folders; ``leftovers`` gets what to delete;
    ``keep``: the encoded search files are kept in the process for the next build."""
    record = manifest_path(project, site_final)
    docs_dir = docs_tmp / "docs"
    site_dir = site_tmp / "site"
    known = stage_docs(project, pages, docs_dir, files)
    current = Manifest(shared_inputs(project, nav), tree_hashes(docs_dir, known))
    previous: Manifest | None
    if join is not None:
        reuse = Path(tempfile.mkdtemp(prefix=".join-", dir=project.build))
        leftovers.append(reuse)
        previous = union(join, reuse)
    else:
        reuse = site_final
        previous = Manifest.read(record) if only is None and site_final.is_dir() else None
    todo = plan(previous, current, only)
    skipped = [s for s in current.sources if only is not None and not only(s)]
    dirty = todo is not None or bool(skipped)
    if dirty:
        site_dir.mkdir()
        if todo is not None:
            _link_kept(reuse, site_dir, todo)
        _stand_in(site_dir, skipped)
        _age(docs_dir, (todo.kept if todo is not None else []) + skipped)
    built = set(todo.changed if todo is not None
                else [s for s in current.sources if only is None or only(s)])
    apart = _second_part(built) if only is None and join is None and not keep else []
    if not apart:
        order = run_mkdocs(project, docs_dir, site_dir, nav, epoch, dirty=dirty,
                           keep_theme=keep, listing=list(current.sources) if keep else None)
        part: dict[str, list[dict[str, Any]]] = {}
    else:
        if not dirty:
            site_dir.mkdir()
            dirty = True
        given = set(apart)
        order, part = _built_in_two(project, docs_dir, site_dir, site_tmp / "part", nav, epoch,
                                    apart, [s for s in current.sources if s not in given])
    entries, config = _search_entries(site_dir, order, previous,
                                      None if not dirty else built)
    entries.update((source, part[source]) for source in entries.keys() & part.keys())
    if only is not None:
        _keep_only(site_dir, {output_of(s) for s in current.sources if only(s)})
        current = Manifest(current.shared,
                           {s: h for s, h in current.sources.items() if only(s)},
                           {s: e for s, e in entries.items() if only(s)})
        (site_dir / SHARD_RECORD).write_bytes(current.to_json())
    encoded: Encoded = {}
    if only is None:
        current.search = entries
        if entries or config:
            encoded = _prebuilt_search(project, site_dir, config, entries, current,
                                       site_final if keep and join is None else None, record)
    if written is not None:
        written += sorted(output_of(s) for s in built)
    # The record of the site being replaced goes first: a build killed from here on
    # leaves no record, and the next build builds everything.
    record.unlink(missing_ok=True)
    # Both swaps first, one right after the other, then the slow deletions: a
    # build killed in between leaves the new docs beside the old site only for
    # the moment between two renames, not while a folder is being deleted.
    previous_dirs = [replace_dir(docs_dir, project.build / "docs", cleanup=False),
                     replace_dir(site_dir, site_final, cleanup=False)]
    if only is None:
        write_file(record, current.to_json())
    _ENCODED.clear()  # the site in place is no longer the one they were linked from
    if keep and encoded:
        _ENCODED[site_final] = (_identity(site_final, record), encoded)
    # (the replaced folders are inside the temporary ones, or beside them when they
    # could not be exchanged in one step)
    leftovers += [folder for folder in previous_dirs if folder is not None]


def read_shard(folder: Path) -> Manifest:
    """The record a shard's build left in its folder."""
    found = Manifest.read(folder / SHARD_RECORD)
    if found is None:
        raise DossierError([Problem(str(folder), 1, 1, "not a shard's folder (no record of "
                                    "its build)", "build it with 'dossier build --shard K/N'")])
    return found


def union(folders: list[Path], dest: Path) -> Manifest:
    """Shards' folders put together in ``dest`` (hard links), and their joint record."""
    records = [read_shard(folder) for folder in folders]
    if len({r.shared for r in records}) > 1:
        raise DossierError([Problem(str(folders[0]), 1, 1, "the shards were built from "
                                    "different settings, navigation or code",
                                    "build every shard from the same commit")])
    joint = Manifest(records[0].shared if records else "", {}, {})
    for folder, r in zip(folders, records, strict=True):
        joint.sources.update(r.sources)
        joint.search.update(r.search)
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and name != SHARD_RECORD:
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                os.link(path, dest / name)
    return joint
