"""How long the whole site build takes, and how big the site is.

Builds a copy of this repository's dossier (so build/ is left alone) five
times and reports the median. Run with `make bench`; the table goes into
docs/benchmarks.md.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pypdf
from _report import write

from dossier.buildinfo import BuildInfo
from dossier.pdf import render_pdf
from dossier.pipeline import build, check
from dossier.project import Project

ROOT = Path(__file__).resolve().parents[1]


def copy_project(dest: Path) -> Project:
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, dest / name)
    for name in ("docs", "seeds", "annotations"):
        shutil.copytree(ROOT / name, dest / name)
    return Project(dest)


def gzipped(*files: Path) -> int:
    """Bytes on the wire for a reader's first visit (the budget is 300 KB)."""
    return sum(len(gzip.compress(p.read_bytes(), mtime=0)) for p in files)


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp))
        checks, builds, sites, pdfs = [], [], [], []
        for _ in range(5):
            start = time.perf_counter()
            dossier, _problems = check(project)
            checks.append(time.perf_counter() - start)
            start = time.perf_counter()
            editions = render_pdf(dossier, BuildInfo.of(project.root))
            pdfs.append(time.perf_counter() - start)
            start = time.perf_counter()
            build(project, pdf=False)
            sites.append(time.perf_counter() - start)
            start = time.perf_counter()
            dossier, _problems, site = build(project)
            builds.append(time.perf_counter() - start)
        article = site / "articles" / f"{dossier.articles[0].slug}.html"
        wire = gzipped(article, site / "assets" / "dossier.css", site / "assets" / "dossier.js")
        rows = [
            "| step | median of 5 |", "| --- | ---: |",
            f"| `dossier check` (load, validate, anchor; per-file results cached after the "
            f"first run) | {statistics.median(checks):.2f} s |",
            f"| site alone (check, render, MkDocs) | {statistics.median(sites):.2f} s |",
            f"| whole-dossier PDF alone (`dossier pdf --all`: reader's and archival) | "
            f"{statistics.median(pdfs):.2f} s |",
            f"| `dossier build` (site and each article's PDFs, reused from the cache after "
            f"the first run) | {statistics.median(builds):.2f} s |",
            f"| site size | {size_of(site) / 1024 / 1024:.1f} MB in "
            f"{sum(1 for p in site.rglob('*') if p.is_file())} files |",
            f"| article page | {article.stat().st_size / 1024:.0f} KB |",
            f"| article page gzipped, with the dossier's CSS and JavaScript | "
            f"{wire / 1024:.0f} KB |",
            f"| whole-dossier reader's PDF | {len(editions.reader) / 1024:.0f} KB, "
            f"{len(pypdf.PdfReader(io.BytesIO(editions.reader)).pages)} pages |",
            f"| whole-dossier archival PDF (PDF/A-3 with the JSON) | "
            f"{len(editions.archival) / 1024:.0f} KB |",
            f"| annotations | {len(dossier.annotations)} |",
        ]
    write("build", "\n".join(rows))


if __name__ == "__main__":
    main()
