"""Write a benchmark's table into its marked region of docs/benchmarks.md."""

from __future__ import annotations

import platform
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "docs" / "benchmarks.md", ROOT / "README.md")


def reference() -> float:
    """The CPU seconds of a fixed pure-Python workload (the same in every run, whatever the
    project's code): this shared machine's speed varies by about 1.5 times over a day,
    without showing in the load average, and this says how quick it was when a table was
    written, so tables taken hours apart can be compared."""
    start = time.process_time()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    words = [str(i) for i in range(200_000)]
    total += len(sorted(words, key=lambda w: w[::-1]))
    return time.process_time() - start


def machine() -> str:
    """The machine, and how busy and how quick it was: on a shared machine every time is
    longer."""
    import os

    load = os.getloadavg()[0]
    return (f"Python {platform.python_version()}, {os.cpu_count()} cores, "
            f"{platform.machine()}; load average {load:.1f} when written; reference "
            f"workload (`bench/_report.py`) {reference():.2f} s of CPU")


def write(name: str, table: str, readme: str | None = None) -> None:
    """Replace the marked region in every document that has one (at least the first).

    With ``readme``, the README's region gets that (a summary) instead of the table.
    """
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    for i, doc in enumerate(DOCS):
        content = readme if readme is not None and doc.name == "README.md" else table
        block = f"{start}\n{content.strip()}\n\n_Measured on {machine()}._\n{end}"
        text = doc.read_text(encoding="utf-8")
        if not pattern.search(text):
            if i == 0:
                raise SystemExit(f"{doc}: no {start} ... {end} region")
            continue
        start_at, end_at = pattern.search(text).span()  # type: ignore[union-attr]
        doc.write_text(text[:start_at] + block + text[end_at:], encoding="utf-8")
    print(table)
