"""The second article, the White House briefing, as it was imported: kept, checked, readable."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import yaml

from conftest import ROOT, new_project
from dossier.pipeline import build
from dossier.problems import has_errors
from htmltext import visible_text

SLUG = "white-house-briefing-2024-10-23"
SEEDS = ROOT / "seeds"


def test_the_transcript_is_kept_as_received_and_its_text_is_the_body() -> None:
    source = (SEEDS / f"{SLUG}.source.md").read_bytes()
    text = (SEEDS / f"{SLUG}.txt").read_bytes()
    meta = yaml.safe_load((SEEDS / f"{SLUG}.yml").read_text(encoding="utf-8"))
    assert source.startswith(b"---\n") and source.endswith(text)
    assert meta["sha256"] == hashlib.sha256(text).hexdigest()
    assert meta["source"]["sha256"] == hashlib.sha256(source).hexdigest()
    assert (meta["publisher"], meta["published"], meta["format"], meta["author"]) == (
        "The White House", "2024-10-23", "transcript", "unknown")
    assert meta["url"].startswith("https://bidenwhitehouse.archives.gov/briefing-room/")


def test_its_page_reads_as_paragraphs_with_the_speakers_marked(tmp_path: Path) -> None:
    project = new_project(tmp_path / "project", real=False, fake=False)
    for name in (f"{SLUG}.source.md", f"{SLUG}.txt", f"{SLUG}.yml"):
        shutil.copy(SEEDS / name, project.seeds / name)
    if (ROOT / "annotations" / SLUG).is_dir():
        shutil.copytree(ROOT / "annotations" / SLUG, project.annotations / SLUG)
    _dossier, problems, site = build(project, pdf=False)
    assert not has_errors(problems)
    page = (site / "articles" / f"{SLUG}.html").read_text(encoding="utf-8")
    speakers = re.findall(r'<strong class="dz-speaker">([^<]*)</strong>', page)
    assert speakers[:5] == ["MS. JEAN-PIERRE:", "Q", "MS. JEAN-PIERRE:", "MR. KIRBY:", "Q"]
    assert len(speakers) > 50
    assert "<p>---" not in page and "source_url" not in page
    words = visible_text(page)
    # One paragraph, its wrapped lines joined by spaces:
    assert ("These new ARPA-H awardees will spur innovation and advance bold solutions to "
            "diseases and conditions that affect women uniquely, disproportionately, and "
            "differently.") in words
