"""Write a benchmark's table into its marked region of docs/benchmarks.md."""

from __future__ import annotations

import platform
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "docs" / "benchmarks.md", ROOT / "README.md")


def machine() -> str:
    import os

    return f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"


def write(name: str, table: str) -> None:
    """Replace the marked region in every document that has one (at least the first)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{table.strip()}\n\n_Measured on {machine()}._\n{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    for i, doc in enumerate(DOCS):
        text = doc.read_text(encoding="utf-8")
        if not pattern.search(text):
            if i == 0:
                raise SystemExit(f"{doc}: no {start} ... {end} region")
            continue
        doc.write_text(pattern.sub(lambda _m: block, text), encoding="utf-8")
    print(table)
