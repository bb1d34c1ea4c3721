"""How check, the site and the PDFs scale with the number of articles.

Generates dossiers of BENCH_SIZES articles (default 10,100,1000) from this
repository's articles and annotations, each copy varied (its title, every
annotation's title and body) so that no two pages are alike, and measures
each step in a fresh process, so that peak memory is that step's own:

    make bench                      # every size
    BENCH_SIZES=10 make bench       # a quick run

Three runs (median) at up to 100 articles, one run above (BENCH_RUNS
overrides both); the PDFs up to BENCH_PDF_UP_TO articles (100) and search in
Chromium up to BENCH_BROWSER_UP_TO (100), so the 1,000-article size skips
both, and the table says so.  The table goes into docs/benchmarks.md (after
each size, so a run cut short keeps what it measured) and a summary against
the targets into the README.  Every figure is wall-clock time on this
machine; none is asserted in tests.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write
from _search import search_times

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from archive import edit_annotation, generate  # the generated dossier, shared with the tests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10,100,1000").split(",") if s]


PDF_UP_TO = int(os.environ.get("BENCH_PDF_UP_TO", "100"))  # the PDFs: one run, up to here
BROWSER_UP_TO = int(os.environ.get("BENCH_BROWSER_UP_TO", "100"))  # search in Chromium


def runs_for(size: int) -> int:
    return int(os.environ.get("BENCH_RUNS", "3" if size <= 100 else "1"))


# -- the generated dossier ---------------------------------------------------------------

def change_one_annotation(project: Path, round_: int) -> None:
    """Save one annotation with a new sentence, as a contributor would."""
    edit_annotation(sorted((project / "annotations").glob("*/*.yml"))[0],
                    f"Edited, round {round_}.")


# -- measuring ---------------------------------------------------------------------------

def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time in seconds and peak resident memory in bytes of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
    return elapsed, usage.ru_maxrss * 1024


def in_process(step: str, project: Path) -> dict[str, float]:
    """Run ``step`` in a fresh interpreter that times itself (without start-up)."""
    out = subprocess.run([sys.executable, __file__, "--step", step, str(project)],
                         check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
    return result


def clean_site(root: Path) -> None:
    """Remove the built site and every cache but the check's (``build/.cache/check*``,
    ``files.pickle``) and Jinja's compiled templates, which bare MkDocs uses too: the
    site step then times a build from nothing, next to a bare MkDocs build of the same
    pages (before, it timed whatever state the steps before it had left)."""
    build_dir = root / "build"
    keep = {"check", "check-run.pickle", "check-articles", "files.pickle", "jinja"}
    for path in (build_dir / "site", build_dir / "docs"):
        shutil.rmtree(path, ignore_errors=True)
    cache = build_dir / ".cache"
    if cache.is_dir():
        for path in cache.iterdir():
            if path.name not in keep:
                shutil.rmtree(path) if path.is_dir() else path.unlink()


def step(name: str, root: Path) -> None:
    """The child side of ``in_process``."""
    import resource

    from dossier.pipeline import build, check
    from dossier.project import Project
    from dossier.render import nav
    from dossier.site import run_mkdocs

    project = Project(root)
    result: dict[str, float] = {}
    if name == "site":
        clean_site(root)  # a build from nothing but the check's cache, as bare MkDocs builds
        start = time.perf_counter()
        dossier, _problems, _site = build(project, pdf=False)
        result["site"] = time.perf_counter() - start
        with tempfile.TemporaryDirectory(dir=root / "build") as tmp:
            start = time.perf_counter()
            run_mkdocs(project, root / "build" / "docs", Path(tmp) / "site",
                       nav(dossier, pdf=False))
            result["mkdocs"] = time.perf_counter() - start
    elif name == "preview":
        from dossier.serve import rebuild
        from dossier.site import tidied

        rebuild(project)  # the preview as it stands when a contributor starts editing
        tidied()  # and idle: the folders its build replaced deleted (in its thread)
        change_one_annotation(root, 1000)
        start = time.perf_counter()
        written = rebuild(project)  # what the live-reload server runs when the file is saved
        result["preview"] = time.perf_counter() - start
        result["preview_files"] = len(written)
    elif name == "check":
        start = time.perf_counter()
        check(project)
        result["check"] = time.perf_counter() - start
    result["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def sizes(site: Path) -> dict[str, Any]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=gz)
    index = [p for p in files if "search" in p.relative_to(site).parts and p.suffix == ".js"]
    docs = [p for p in index if p.name == "docs.js"]
    shards = [p for p in index if p.parent.name == "dz" and p.name != "docs.js"]
    return {"site_bytes": sum(p.stat().st_size for p in files), "files": len(files),
            "page": gz(largest), "page_name": str(largest.relative_to(site)),
            "index": sum(gz(p) for p in index),
            # what the first one-word query loads: the titles, and its letter's words
            "index_first": sum(gz(p) for p in docs) + max((gz(p) for p in shards), default=0)}


def measure(size: int, work: Path) -> dict[str, Any]:
    project = generate(work / f"dossier-{size}", size).root
    runs = runs_for(size)
    cache = project / "build" / ".cache"
    figures: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        figures.setdefault(key, []).append(value)

    dossier = [str(BIN / "dossier"), "check"]
    for round_ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        seconds, rss = timed(dossier, project)
        add("check_cold", seconds)
        add("check_rss", rss)
        add("check_warm", timed(dossier, project)[0])
        change_one_annotation(project, round_)
        add("check_one", timed(dossier, project)[0])
        if round_ == 0 and size <= PDF_UP_TO:
            shutil.rmtree(project / "build", ignore_errors=True)
            build = [str(BIN / "dossier"), "build"]
            seconds_, rss = timed(build, project)
            add("build_cold", seconds_)
            add("build_rss", rss)
            change_one_annotation(project, 100)
            add("build_one", timed(build, project)[0])
        site = in_process("site", project)
        add("site", site["site"])
        add("mkdocs", site["mkdocs"])
        add("site_rss", site["rss"])
        preview = in_process("preview", project)
        add("preview", preview["preview"])
        add("preview_files", preview["preview_files"])
        print(f"  {size} articles, run {round_ + 1}/{runs}: check {figures['check_cold'][-1]:.2f}"
              f" s, site {site['site']:.1f} s, mkdocs {site['mkdocs']:.1f} s", file=sys.stderr)
    result: dict[str, Any] = {k: statistics.median(v) if not k.endswith("rss") else max(v)
                              for k, v in figures.items()}
    result.update(sizes(project / "build" / "site"))
    if size <= BROWSER_UP_TO:
        print(f"  {size} articles: search in Chromium", file=sys.stderr)
        result.update(search_times(project / "build" / "site", runs=runs))
    result["runs"] = runs
    shutil.rmtree(project)
    return result


# -- the table ---------------------------------------------------------------------------

def seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s" if value < 120 else \
        f"{int(value // 60)} min {value % 60:02.0f} s"


def mb(value: float) -> str:
    return f"{value / 1e6:.0f} MB" if value >= 1e7 else f"{value / 1e6:.1f} MB"


def kb(value: float) -> str:
    return f"{value / 1e3:.0f} KB"


def ms(value: float) -> str:
    return f"{value * 1000:.0f} ms"


TIMES, DASH = "\u00d7", "\u2013"
Figures = dict[str, Any]


@dataclass(frozen=True)
class Row:
    """One line of the table: how a size's figures show, and the target at 100 articles."""

    label: str
    cell: Callable[[Figures], str]
    target: str = ""
    limit: float | None = None  # the target as a number, in the unit of ``value``
    value: Callable[[Figures], float] | None = None  # what is held against it
    needs: str = ""  # the figure without which the row was not run at this size

    def show(self, r: Figures) -> str:
        return self.cell(r) if not self.needs or self.needs in r else "not run"

    def status(self, r: Figures) -> str:
        """Met, within 1.3 times the target, or missed: by how much."""
        if self.limit is None or self.value is None:
            return DASH
        if self.needs and self.needs not in r:
            return "not run"
        ratio = self.value(r) / self.limit
        if ratio <= 1:
            return "met"
        word = "within 1.3" + TIMES if ratio <= 1.3 else "missed"
        return f"{word}: {ratio:.1f}{TIMES} the target"


def _preview_kind(results: dict[int, Figures]) -> str:
    """What the preview's rebuild wrote after one saved annotation, as measured."""
    return "; ".join(f"{int(r['preview_files'])} files at {n:,} articles"
                     for n, r in sorted(results.items()) if "preview_files" in r)


ROWS: list[Row] = [
    Row("`dossier check`, cold", lambda r: seconds(r["check_cold"]), "2 s", 2,
        lambda r: r["check_cold"]),
    Row("`dossier check`, warm, nothing changed", lambda r: seconds(r["check_warm"]), "0.3 s",
        0.3, lambda r: r["check_warm"]),
    Row("`dossier check`, one annotation changed", lambda r: seconds(r["check_one"]), "0.3 s",
        0.3, lambda r: r["check_one"]),
    Row("site alone (no PDF), in process", lambda r: seconds(r["site"])),
    Row("bare MkDocs build of the same pages, in process", lambda r: seconds(r["mkdocs"])),
    Row("ratio: site alone / bare MkDocs", lambda r: f"{r['site'] / r['mkdocs']:.2f}{TIMES}",
        f"1.2{TIMES}", 1.2, lambda r: r["site"] / r["mkdocs"]),
    Row("preview: rebuild after one annotation is saved (serve's builder; the browser's "
        "reload not counted)", lambda r: seconds(r["preview"]), "1.5 s", 1.5,
        lambda r: r["preview"]),
    Row("`dossier build` (`make site`) cold, with every article's PDFs (1 run)",
        lambda r: seconds(r["build_cold"]), "3 min", 180, lambda r: r["build_cold"],
        "build_cold"),
    Row("`dossier build` after one annotation changed, PDFs from the cache but one (1 run)",
        lambda r: seconds(r["build_one"]), "10 s", 10, lambda r: r["build_one"], "build_one"),
    Row("peak memory: `dossier build` with the PDFs", lambda r: mb(r["build_rss"]), "600 MB",
        600e6, lambda r: r["build_rss"], "build_rss"),
    Row("peak memory: `dossier check`", lambda r: mb(r["check_rss"])),
    Row("peak memory: site build (no PDF)", lambda r: mb(r["site_rss"])),
    Row("site size", lambda r: f"{mb(r['site_bytes'])} in {r['files']:,} files"),
    Row("largest page (gzipped)", lambda r: f"{kb(r['page'])} ({r['page_name']})", "300 KB",
        300e3, lambda r: r["page"]),
    Row("search index, all files (gzipped)", lambda r: kb(r["index"])),
    Row("search index, what a first one-word query loads (gzipped)",
        lambda r: kb(r["index_first"])),
    Row("search in Chromium over HTTP: first results",
        lambda r: seconds(r["search_http_first"]), "1 s", 1,
        lambda r: r["search_http_first"], "search_http_first"),
    Row("search over HTTP: each later key (median, slowest)",
        lambda r: f"{ms(r['search_http_later'])}, {ms(r['search_http_later_max'])}", "150 ms",
        0.15, lambda r: r["search_http_later_max"], "search_http_first"),
    Row("search from `file://`: first results", lambda r: seconds(r["search_file_first"]),
        "1 s", 1, lambda r: r["search_file_first"], "search_file_first"),
    Row("search from `file://`: each later key (median, slowest)",
        lambda r: f"{ms(r['search_file_later'])}, {ms(r['search_file_later_max'])}", "150 ms",
        0.15, lambda r: r["search_file_later_max"], "search_file_first"),
    Row("runs (median)", lambda r: str(r["runs"])),
]

# Figures that should grow no faster than the number of articles.
GROWTH = {"check_cold": "check, cold", "check_warm": "check, warm",
          "check_one": "check, one changed", "site": "site", "mkdocs": "bare MkDocs",
          "preview": "preview", "check_rss": "check's memory", "site_rss": "site's memory",
          "site_bytes": "site size", "page": "largest page", "index": "search index"}


def table(results: dict[int, Figures]) -> str:
    sizes_ = sorted(results)
    head = ["step", *[f"{n:,} article{'s' if n != 1 else ''}" for n in sizes_],
            "target at 100", "at 100"]
    lines = ["| " + " | ".join(head) + " |",
             "| --- | " + " | ".join("---:" for _ in sizes_) + " | ---: | --- |"]
    for row in ROWS:
        at_100 = row.status(results[100]) if 100 in results else DASH
        lines.append("| " + " | ".join([row.label, *(row.show(results[n]) for n in sizes_),
                                         row.target or DASH, at_100]) + " |")
    lines += ["", growth(results), "",
              "After one saved annotation, MkDocs wrote "
              f"{_preview_kind(results)} in the preview's rebuild: the changed article's outputs "
              "(its page and its W3C collection; the search index, sitemap and 404 page are "
              "written afresh each time, and every other file is kept)."]
    return "\n".join(lines)


def growth(results: dict[int, Figures]) -> str:
    """Which figures grew faster than the number of articles, from one size to the next."""
    sizes_ = sorted(results)
    faster = []
    for small, large in itertools.pairwise(sizes_):
        for key, name in GROWTH.items():
            a, b = results[small].get(key), results[large].get(key)
            if a and b and b / a > large / small:
                faster.append(f"{name} ({b / a:.1f}{TIMES} from {small:,} to {large:,})")
    if len(sizes_) < 2:
        return "Growth: one size measured."
    return ("Growing faster than the number of articles: " + ", ".join(faster) + "."
            if faster else "No figure grew faster than the number of articles.")


def summary(results: dict[int, Figures]) -> str:
    """The targets at 100 articles, each with the figure and whether it was met."""
    if 100 not in results:
        return ("Not measured at 100 articles in the last run (`BENCH_SIZES` "
                f"{','.join(str(n) for n in sorted(results))}); see docs/benchmarks.md.")
    r = results[100]
    lines = ["| target at 100 articles | measured | |", "| --- | ---: | --- |"]
    for row in ROWS:
        if row.limit is not None:
            lines.append(f"| {row.label}: {row.target} | {row.show(r)} | {row.status(r)} |")
    return "\n".join(lines)


def main() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    results: dict[int, Figures] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dossier-scale-") as tmp:
        for size in SIZES:
            print(f"scale: {size} articles ({runs_for(size)} runs)", file=sys.stderr)
            results[size] = measure(size, Path(tmp))
            # After each size, so that a run cut short keeps what it measured.
            took = f"This run of `bench/scale.py` took {seconds(time.perf_counter() - started)}."
            write("scale", table(results) + "\n\n" + took, readme=summary(results))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--step":
        step(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
