"""The README's figures on sources: the share of citations of each type.

Computed from the annotation files; ``pytest --update-golden`` rewrites the
README block between ``<!-- sources:types -->`` markers (review the diff).
"""

from __future__ import annotations

import re
from collections import Counter

from conftest import ROOT
from dossier.load import load_annotations, load_articles
from dossier.model import SOURCE_TYPES
from dossier.project import Project

README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- sources:types -->\n)(.*?)(<!-- /sources:types -->)", re.S)


def type_counts() -> tuple[Counter[str], int]:
    """Citations by type (one source cited by two annotations counts twice)."""
    project = Project(ROOT)
    articles, _ = load_articles(project)
    annotations, _ = load_annotations(project, articles)
    return Counter(s.type for a in annotations for s in a.sources), len(annotations)


def type_table() -> str:
    counts, annotations = type_counts()
    total = sum(counts.values())
    rows = ["| type | citations | share |", "| --- | ---: | ---: |"]
    rows += [f"| {t} | {counts[t]} | {100 * counts[t] / total:.1f} % |" for t in SOURCE_TYPES]
    strong = counts["primary"] + counts["news"]
    rows.append(f"| **primary or news** | **{strong}** | **{100 * strong / total:.1f} %** |")
    return (f"{total} citations in {annotations} annotations:\n\n" + "\n".join(rows)
            + "\n")


def test_readme_states_the_share_of_each_source_type(update_golden: bool) -> None:
    readme = README.read_text(encoding="utf-8")
    found = BLOCK.search(readme)
    assert found, "README.md has no <!-- sources:types --> block"
    table = type_table()
    if update_golden:
        README.write_text(BLOCK.sub(lambda m: m.group(1) + table + m.group(3), readme),
                          encoding="utf-8")
        found = BLOCK.search(README.read_text(encoding="utf-8"))
        assert found
    assert found.group(2) == table, "README figures are out of date; run pytest " \
        "tests/test_source_figures.py --update-golden"


def test_most_citations_are_primary_records_or_news_reports() -> None:
    """Issue 16's bar: at least 80 % of all citations are primary or news."""
    counts, _ = type_counts()
    assert (counts["primary"] + counts["news"]) / sum(counts.values()) >= 0.8, counts
