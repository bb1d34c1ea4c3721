"""Write a benchmark's table into its marked region of docs/benchmarks.md."""

from __future__ import annotations

import platform
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def machine() -> str:
    import os

    return f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"


def write(name: str, table: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{table.strip()}\n\n_Measured on {machine()}._\n{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{DOC}: no {start} ... {end} region")
    DOC.write_text(pattern.sub(lambda _m: block, text), encoding="utf-8")
    print(table)
