"""How re-anchoring on a new version of an article grows with the article's length.

A new version is the old text with three edits (a figure changed inside a
quote, a word changed inside another, a paragraph inserted near the top);
100 annotations are moved to it with one diff of the two texts.  The cost
should be linear in the text: the diff runs over paragraphs first and over
words only inside the paragraphs that changed.  Run with `make bench`; the
table goes into docs/benchmarks.md.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write

from dossier.versions import Outcome, land_all

WORDS = ["troops", "training", "budget", "treaty", "ratified", "minister", "rubles",
         "defence", "official", "statement", "according", "reported", "Kursk", "Pyongyang",
         "Moscow", "Seoul", "estimate", "3,000", "10,000", "said", "the", "of", "in"]
ANNOTATIONS = 100
SIZES_KB = (12, 50, 200, 800)


def texts(size_kb: int, rng: random.Random) -> tuple[str, str, list[tuple[int, int]]]:
    paragraphs = ["Headline"]
    while sum(len(p) + 1 for p in paragraphs) < size_kb * 1024:
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
        words[0] = f"P{len(paragraphs)}"  # each paragraph's opening is unique
        paragraphs.append(" ".join(words) + ".")
    old = "\n".join(paragraphs)
    step = max(1, (len(paragraphs) - 1) // ANNOTATIONS)
    spans = []
    for i in range(ANNOTATIONS):
        p = 1 + (i * step) % (len(paragraphs) - 1)
        start = old.index(paragraphs[p] + "\n" if p + 1 < len(paragraphs) else paragraphs[p])
        spans.append((start, start + len(" ".join(paragraphs[p].split()[:6]))))
    edited = list(paragraphs)
    edited.insert(2, "Editor's note: this article was updated after publication.")
    figure = 1 + step * (ANNOTATIONS // 3) % (len(paragraphs) - 1)
    words = edited[figure + 1].split()
    words[1] = "12,000"
    edited[figure + 1] = " ".join(words)
    word = 1 + step * (2 * ANNOTATIONS // 3) % (len(paragraphs) - 1)
    words = edited[word + 1].split()
    words[2] = "roughly"
    edited[word + 1] = " ".join(words)
    return old, "\n".join(edited), spans


def timed(size_kb: int) -> tuple[int, float, dict[Outcome, int]]:
    old, new, spans = texts(size_kb, random.Random(size_kb))
    runs = []
    outcomes: dict[Outcome, int] = {}
    for _ in range(5):
        start = time.perf_counter()
        landings = land_all(old, new, spans)
        runs.append(time.perf_counter() - start)
        outcomes = {o: sum(x.outcome is o for x in landings) for o in Outcome}
    return len(old), statistics.median(runs), outcomes


def main() -> None:
    rows = ["| article size | annotations | re-anchoring (median of 5) | per KB | "
            "kept / moved / review / gone |",
            "| ---: | ---: | ---: | ---: | :---: |"]
    points = []
    for size_kb in SIZES_KB:
        size, seconds, outcomes = timed(size_kb)
        points.append((size / 1024, seconds))
        rows.append(f"| {size / 1024:,.0f} KB | {ANNOTATIONS} | {seconds * 1000:,.1f} ms | "
                    f"{seconds * 1000 / (size / 1024):.2f} ms | "
                    + " / ".join(str(outcomes[o]) for o in Outcome) + " |")
    (x0, y0), (x1, y1) = points[0], points[-1]
    slope = (y1 - y0) * 1000 / (x1 - x0)
    rows.append("")
    rows.append(f"Slope from {x0:,.0f} KB to {x1:,.0f} KB: {slope:.2f} ms per KB "
                f"({x1 / x0:.0f} times the text, {y1 / y0:.1f} times the time).")
    write("versions", "\n".join(rows))


if __name__ == "__main__":
    main()
