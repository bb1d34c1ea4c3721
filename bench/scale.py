"""How check, the site and the PDFs scale with the number of articles.

Generates dossiers of BENCH_SIZES articles (default 10,100,1000) from this
repository's articles and annotations, each copy varied (its title, every
annotation's title and body) so that no two pages are alike, and measures
each step in a fresh process, so that peak memory is that step's own:

    make bench                      # every size
    BENCH_SIZES=10 make bench       # a quick run

Three runs (median) at up to 100 articles, one run above (BENCH_RUNS
overrides both).  The table goes into docs/benchmarks.md and the README.
Every figure is wall-clock time on this machine; none is asserted in tests.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10,100,1000").split(",") if s]


PDF_UP_TO = int(os.environ.get("BENCH_PDF_UP_TO", "100"))  # the PDFs: one run, up to here


def runs_for(size: int) -> int:
    return int(os.environ.get("BENCH_RUNS", "3" if size <= 100 else "1"))


# -- the generated dossier ---------------------------------------------------------------

def generate(dest: Path, count: int) -> Path:
    """A project of ``count`` articles, copies of the real ones, each copy varied."""
    dest.mkdir(parents=True)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs", dest / "docs")
    (dest / "seeds").mkdir()
    bases = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    for i in range(count):
        base = bases[i % len(bases)]
        slug = f"{base}-{i + 1:04d}"
        shutil.copy(ROOT / "seeds" / f"{base}.txt", dest / "seeds" / f"{slug}.txt")
        meta = yaml.safe_load((ROOT / "seeds" / f"{base}.yml").read_text(encoding="utf-8"))
        meta["title"] = f"{meta['title']} (archive copy {i + 1})"
        if isinstance(meta.get("source"), dict):  # the received page it was derived from
            received = f"{slug}.source{Path(meta['source']['file']).suffix}"
            shutil.copy(ROOT / "seeds" / meta["source"]["file"], dest / "seeds" / received)
            meta["source"]["file"] = received
        dump(meta, dest / "seeds" / f"{slug}.yml")
        folder = dest / "annotations" / slug
        folder.mkdir(parents=True)
        for path in sorted((ROOT / "annotations" / base).glob("*.yml")):  # (none: skipped)
            note = yaml.safe_load(path.read_text(encoding="utf-8"))
            note["title"] = f"{note['title']} (copy {i + 1})"
            note["body"] = note["body"].rstrip("\n") + f"\n\nChecked again for copy {i + 1}.\n"
            dump(note, folder / path.name)
    return dest


def dump(data: dict[str, Any], path: Path) -> None:
    def dates_as_text(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: dates_as_text(v) for k, v in value.items()}
        if isinstance(value, list):
            return [dates_as_text(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value

    path.write_text(yaml.safe_dump(dates_as_text(data), allow_unicode=True, sort_keys=False,
                                   width=100), encoding="utf-8")


def change_one_annotation(project: Path, round_: int) -> None:
    """Save one annotation with a new sentence, as a contributor would."""
    path = sorted((project / "annotations").glob("*/*.yml"))[0]
    note = yaml.safe_load(path.read_text(encoding="utf-8"))
    note["body"] = note["body"].rstrip("\n") + f"\n\nEdited, round {round_}.\n"
    dump(note, path)


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
        start = time.perf_counter()
        dossier, _problems, _site = build(project, pdf=False)
        result["site"] = time.perf_counter() - start
        with tempfile.TemporaryDirectory(dir=root / "build") as tmp:
            start = time.perf_counter()
            run_mkdocs(project, root / "build" / "docs", Path(tmp) / "site",
                       nav(dossier, pdf=False))
            result["mkdocs"] = time.perf_counter() - start
    elif name == "check":
        start = time.perf_counter()
        check(project)
        result["check"] = time.perf_counter() - start
    result["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def sizes(site: Path) -> dict[str, float]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=gz)
    index = [p for p in files if p.parent.name == "search" and p.suffix in (".json", ".js")]
    return {"site_bytes": sum(p.stat().st_size for p in files), "files": len(files),
            "page": gz(largest), "page_name": str(largest.relative_to(site)),  # type: ignore
            "index": max((gz(p) for p in index), default=0)}


def measure(size: int, work: Path) -> dict[str, Any]:
    project = generate(work / f"dossier-{size}", size)
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
        print(f"  {size} articles, run {round_ + 1}/{runs}: check {figures['check_cold'][-1]:.2f}"
              f" s, site {site['site']:.1f} s, mkdocs {site['mkdocs']:.1f} s", file=sys.stderr)
    result: dict[str, Any] = {k: statistics.median(v) if not k.endswith("rss") else max(v)
                              for k, v in figures.items()}
    result.update(sizes(project / "build" / "site"))
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


TIMES, DASH = "\u00d7", "\u2013"
Row = tuple[str, Callable[[dict[str, Any]], str], str]

ROWS: list[Row] = [
    ("`dossier check`, cold", lambda r: seconds(r["check_cold"]), "2 s"),
    ("`dossier check`, warm, nothing changed", lambda r: seconds(r["check_warm"]), "0.3 s"),
    ("`dossier check`, one annotation changed", lambda r: seconds(r["check_one"]), "0.3 s"),
    ("site alone (no PDF), in process", lambda r: seconds(r["site"]), ""),
    ("bare MkDocs build of the same pages", lambda r: seconds(r["mkdocs"]), ""),
    ("ratio of the two", lambda r: f"{r['site'] / r['mkdocs']:.2f}{TIMES}", f"1.2{TIMES}"),
    ("`dossier build` (`make site`) cold, with every article's PDFs (1 run)",
     lambda r: seconds(r["build_cold"]) if "build_cold" in r else "not run", "3 min"),
    ("`dossier build` after one annotation changed (1 run)",
     lambda r: seconds(r["build_one"]) if "build_one" in r else "not run", "10 s"),
    ("peak memory: `dossier build` with the PDFs",
     lambda r: mb(r["build_rss"]) if "build_rss" in r else "not run", "600 MB"),
    ("peak memory: `dossier check`", lambda r: mb(r["check_rss"]), ""),
    ("peak memory: site build (no PDF)", lambda r: mb(r["site_rss"]), ""),
    ("site size", lambda r: f"{mb(r['site_bytes'])} in {r['files']:,} files", ""),
    ("largest page (gzipped)", lambda r: f"{kb(r['page'])} ({r['page_name']})", "300 KB"),
    ("search index (gzipped)", lambda r: kb(r["index"]), ""),
    ("runs (median)", lambda r: str(r["runs"]), ""),
]


def table(results: dict[int, dict[str, Any]]) -> str:
    sizes_ = sorted(results)
    head = ["step", *[f"{n:,} article{'s' if n != 1 else ''}" for n in sizes_],
            "target at 100"]
    lines = ["| " + " | ".join(head) + " |",
             "| --- | " + " | ".join("---:" for _ in sizes_) + " | ---: |"]
    for label, cell, target in ROWS:
        lines.append("| " + " | ".join([label, *(cell(results[n]) for n in sizes_),
                                         target or DASH]) + " |")
    return "\n".join(lines)


def main() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="dossier-scale-") as tmp:
        for size in SIZES:
            print(f"scale: {size} articles ({runs_for(size)} runs)", file=sys.stderr)
            results[size] = measure(size, Path(tmp))
    write("scale", table(results))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--step":
        step(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
