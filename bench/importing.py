"""How long `dossier add` takes to turn a source into its three files (nothing written).

The saved news page goes through trafilatura (main text, metadata), the
page's JSON-LD and OpenGraph; the transcript is Markdown with front matter.
Both are then laid out as blocks, the step every later stage reuses.
Run with `make bench`; the table goes into docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import ROOT, write

from dossier.importing import Options, plan, receive
from dossier.text import blocks

SOURCES = [
    ("saved news page (.html)", ROOT / "tests" / "fixtures" / "import" / "news-page.html",
     Options()),
    ("White House transcript (.md)",
     ROOT / "seeds" / "white-house-briefing-2024-10-23.source.md",
     Options(publisher="The White House", language="en")),
]


def median_ms(run: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    rows = ["| source | size | import (median of 5) | blocks | laying out the blocks |",
            "| --- | ---: | ---: | ---: | ---: |"]
    today = dt.date(2026, 11, 29)
    for label, path, options in SOURCES:
        received = receive(str(path))
        planned = plan(received, options, today)
        text = planned.files[f"{planned.slug}.txt"].decode("utf-8")
        found = blocks(text, planned.format)
        rows.append(
            f"| {label} | {len(received.data) / 1024:.0f} KB "
            f"| {median_ms(lambda r=received, o=options: plan(r, o, today)):.1f} ms "
            f"| {len(found)} ({planned.format}) "
            f"| {median_ms(lambda t=text, f=planned.format: blocks(t, f)):.2f} ms |")
    write("importing", "\n".join(rows))


if __name__ == "__main__":
    main()
