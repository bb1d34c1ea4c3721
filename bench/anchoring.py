"""How anchoring time grows with the article's length and the number of annotations.

Anchoring should be linear in each: one scan of the article per annotation.
Run with `make bench`; the table goes into docs/benchmarks.md.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write

from dossier.anchoring import anchor_all
from dossier.model import Annotation, Article, Published, Target

WORDS = ["troops", "training", "budget", "treaty", "ratified", "minister", "rubles",
         "defence", "official", "statement", "according", "reported", "Kursk", "Pyongyang",
         "Moscow", "Seoul", "estimate"]


def article(paragraphs: int, rng: random.Random) -> Article:
    lines = ["Headline"]
    for p in range(paragraphs):
        words = [rng.choice(WORDS) for _ in range(60)]
        words[0] = f"P{p}"  # makes each paragraph's opening unique
        lines.append(" ".join(words) + ".")
    text = "\n".join(lines)
    return Article(slug="a", text=text, title="Headline", publisher="P",
                   url="https://example.org", published=Published("2024-01-01"),
                   retrieved="2024-01-02", language="en", sha256="0" * 64, path="a.txt")


def annotations(n: int, paragraphs: int, art: Article) -> list[Annotation]:
    lines = art.text.split("\n")
    out = []
    for i in range(n):
        p = 1 + i % paragraphs
        words = lines[p].split()
        exact = " ".join(words[: 3 + i // paragraphs])  # nested spans, all unique
        out.append(Annotation(id=f"n{i}", article="a", kind="context", title="t",
                              body="body text.", target=Target(exact=exact), sources=(),
                              path=f"n{i}.yml"))
    return out


def timed(paragraphs: int, n: int) -> tuple[int, float]:
    rng = random.Random(1)
    art = article(paragraphs, rng)
    notes = annotations(n, paragraphs, art)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        _anchors, problems = anchor_all([art], notes)
        runs.append(time.perf_counter() - start)
        assert not problems, problems[:3]
    return len(art.text), statistics.median(runs)


def main() -> None:
    rows = ["| article size | annotations | time (median of 5) | per KB of article |",
            "| ---: | ---: | ---: | ---: |"]
    for paragraphs, n in ((25, 25), (100, 25), (400, 25), (100, 100), (100, 400)):
        size, seconds = timed(paragraphs, n)
        per = seconds * 1000 / (size / 1024)
        rows.append(f"| {size / 1024:,.0f} KB | {n} | {seconds * 1000:,.1f} ms | "
                    f"{per:.2f} ms |")
    write("anchoring", "\n".join(rows))


if __name__ == "__main__":
    main()
