"""How long `dossier check` takes on hostile 1 MB files, shape by shape.

Each shape is the worst of its kind that fits in the 1 MB file limit: blank
lines in a body, square brackets, links never closed, nesting (YAML and
Markdown), keys, one long line, one huge scalar; then the worst body within
the limits (200 square brackets left open for 2,000 characters, rendered by
check as build renders it) and an article text of
1 MB.  Each must be refused (or accepted) by check in under 2 s.  The tests
assert the work limits (tests/test_hostile_limits.py, test_hostile_regex.py);
this measures the time.  Run with `make bench`; the table goes into
docs/benchmarks.md.
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write

from dossier.load import sha256_text
from dossier.pipeline import check
from dossier.project import Project

ROOT = Path(__file__).resolve().parents[1]
SLUG = "north-korean-troops-quid-pro-quo"
MB = 1_000_000
HEAD = ("kind: context\ntitle: A plain title\ntarget:\n  exact: at least 3,000\n"
        "sources:\n  - url: https://example.org/page\n    title: A page\n"
        "    publisher: Example\n    type: news\n    published: 2024-01-01\n"
        "    accessed: 2024-01-02\n")


def shapes() -> dict[str, str]:
    """Annotation files, each just under 1 MB."""
    room = MB - len(HEAD) - 100
    return {
        "blank lines in a body": HEAD + "body: |\n  x\n" + "\n" * room + "  y\n",
        "square brackets": HEAD + "body: '" + "[" * room + "'\n",
        "links opened, never closed": HEAD + "body: '" + "[a](" * (room // 4) + "'\n",
        "nesting (YAML flow lists)": HEAD + "body: x\nextra: " + "[" * (room // 2)
        + "]" * (room // 2) + "\n",
        "nesting (Markdown quotations)": HEAD + "body: '" + "> " * (room // 2) + "x'\n",
        "nesting (Markdown lists)": HEAD + "body: '" + "- " * (room // 2) + "x'\n",
        "keys": HEAD + "body: x\n" + "".join(f"k{i}: v\n" for i in range(room // 12)),
        "one long line": HEAD + "body: " + "word " * (room // 5) + "\n",
        "one huge scalar": HEAD + "body: x\ntitle2: '" + "9" * room + "'\n",
        "tags opened, never closed": HEAD + "body: '" + "<a:" * (room // 3) + "'\n",
        "the worst body within the limits": HEAD + "body: '" + "x" * 18_010 + "[" * 200
        + "x" * 1_790 + "'\n",
    }


def _article(dest: Path, size: int) -> str:
    """The first article's text grown to ``size`` bytes, paragraph by paragraph."""
    original = (ROOT / "seeds" / f"{SLUG}.txt").read_text(encoding="utf-8")
    paragraph = "A paragraph of a very long article, with a number (3,000) in it. " * 40
    text = original
    while len(text.encode()) + len(paragraph) + 1 < size:
        text += "\n" + paragraph
    (dest / "seeds" / f"{SLUG}.txt").write_text(text, encoding="utf-8")
    meta = dest / "seeds" / f"{SLUG}.yml"
    meta.write_text(re.sub(r"sha256: \w+", f"sha256: {sha256_text(text)}",
                           meta.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    return text


def _time(project: Project, name: str) -> tuple[float, float, str]:
    walls, cpus = [], []
    problems = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        _, problems = check(project, cache=False)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    first = next((p for p in problems if p.path.endswith(name)
                  and p.severity.value == "error"), None)
    verdict = first.message[:70] if first else "accepted"
    return statistics.median(walls), statistics.median(cpus), verdict


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp)
        for name in ("mkdocs.yml", "CONTRIBUTING.md"):
            shutil.copy(ROOT / name, dest / name)
        shutil.copytree(ROOT / "seeds", dest / "seeds")
        (dest / "annotations" / SLUG).mkdir(parents=True)
        project = Project(dest)
        path = dest / "annotations" / SLUG / "hostile.yml"
        for shape, text in shapes().items():
            path.write_text(text, encoding="utf-8")
            wall, cpu, verdict = _time(project, "hostile.yml")
            rows.append(f"| {shape} | {len(text.encode()):,} | {wall:.2f} s | {cpu:.2f} s | "
                        f"{'yes' if cpu < 2 else 'NO'} | {verdict} |")
        path.unlink()
        text = _article(dest, MB - 1)
        wall, cpu, verdict = _time(project, f"{SLUG}.txt")
        rows.append(f"| article text at the limit (seeds/{SLUG}.txt) | "
                    f"{len(text.encode()):,} | {wall:.2f} s | {cpu:.2f} s | "
                    f"{'yes' if cpu < 2 else 'NO'} | {verdict} |")
    write("hostile", "| 1 MB file of | bytes | `check`, median of 3 | CPU | CPU under 2 s | "
                     "first error |\n| --- | ---: | ---: | ---: | --- | --- |\n"
          + "\n".join(rows))


if __name__ == "__main__":
    main()
