"""What re-sourcing must not change: each annotation's kind, rating and key figures.

``tests/snapshots/annotation-facts.json`` was recorded before the citations
were re-sourced (issue 16).  A better source may change a finding; then the
change is declared in ``annotation-facts-changes.yml`` with the words of the
annotation's body that tell readers why, and this test checks that those
words are really there.  The snapshot is rewritten only on purpose, with
``DOSSIER_RECORD_FACTS=1`` (not by ``--update-golden``, which is run after
every rebase and would silently accept the change).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from conftest import ROOT

SNAPSHOT = ROOT / "tests" / "snapshots" / "annotation-facts.json"
CHANGES = ROOT / "tests" / "snapshots" / "annotation-facts-changes.yml"
_URL = re.compile(r"\]\([^)]*\)|https?://\S+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def figures(*texts: str | None) -> list[str]:
    """The numbers in the texts (thousands separators dropped), each once, sorted."""
    found = set()
    for value in texts:
        for number in _NUMBER.findall(_URL.sub(" ", value or "")):
            found.add(re.sub(r",(?=\d{3}\b)", "", number).rstrip(".,"))
    return sorted(found, key=lambda n: (float(n.replace(",", "")), n))


def facts(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {"kind": data["kind"], "rating": data.get("rating"),
            "figures": figures(data.get("title"), data.get("body"), data.get("rating_reason"))}


def current() -> dict[str, dict[str, Any]]:
    return {f"{p.parent.name}/{p.stem}": facts(p)
            for p in sorted((ROOT / "annotations").glob("*/*.yml"))}


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def test_figures_are_read_as_a_reader_would() -> None:
    assert figures("At least 3,000 soldiers, then 10,000 to 12,000; 13.5 trillion.",
                   "See [it](https://example.org/2024/10/23) on 23 October 2024.") == \
        ["13.5", "23", "2024", "3000", "10000", "12000"]


def test_kinds_ratings_and_figures_are_unchanged_unless_the_note_says_why() -> None:
    now = current()
    if os.environ.get("DOSSIER_RECORD_FACTS") == "1":
        SNAPSHOT.write_text("{\n" + ",\n".join(  # one line per annotation, for review
            f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
            for key, value in now.items()) + "\n}\n", "utf-8")
    before: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    declared: dict[str, Any] = (yaml.safe_load(CHANGES.read_text(encoding="utf-8"))
                                if CHANGES.exists() else None) or {}
    unexplained = []
    for key, old in before.items():
        new = now.get(key)
        if new == old:
            assert key not in declared, f"{key}: declared as changed, but it is unchanged"
            continue
        change = declared.get(key)
        if change is None or change.get("now") != new:
            unexplained.append(f"{key}: was {old}, now {new}")
            continue
        path = ROOT / "annotations" / f"{key}.yml"
        body = yaml.safe_load(path.read_text("utf-8"))["body"] if path.exists() else ""
        assert _squeezed(change["body_says"]) in _squeezed(body), (
            f"{key}: the body does not say why: {change['body_says']!r}")
    assert unexplained == [], (
        "kind, rating or key figures changed without a declared reason (add each to "
        f"{CHANGES.relative_to(ROOT)} with 'now' and the 'body_says' sentence):\n"
        + "\n".join(unexplained))
