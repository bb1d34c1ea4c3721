"""Sharding, simulated: two shards built apart and joined give a single build's bytes.

On a CI engine each shard is a job of a matrix (docs/benchmarks.md); here the
two shards are built one after the other into their own folders, each with
only its articles' pages and PDFs, and the join builds what spans articles.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archive import generate
from dossier.pipeline import build
from dossier.problems import DossierError
from dossier.shards import Shard
from test_incremental import snapshot

DOSSIER = Path(sys.executable).parent / "dossier"


def test_two_shards_joined_equal_one_build(tmp_path: Path) -> None:
    project = generate(tmp_path / "project", 4)
    slugs = sorted(p.stem for p in project.seeds.glob("*.txt"))
    for k in (1, 2):  # as two jobs of a matrix would
        subprocess.run([str(DOSSIER), "-C", str(project.root), "build", "--shard", f"{k}/2"],
                       check=True, capture_output=True)
    held = {}
    for k in (1, 2):
        folder = project.build / "shards" / str(k)
        held[k] = {s for s in slugs if (folder / "articles" / f"{s}.html").is_file()}
        assert held[k] == {s for s in slugs if Shard(k, 2).holds(s)}
        for slug in held[k]:
            assert (folder / "pdf" / f"{slug}.pdf").is_file()
            assert (folder / "articles" / slug / "annotations.html").is_file()
        # A shard holds its articles' pages and files, nothing dossier-wide.
        assert not (folder / "index.html").exists() and not (folder / "search").exists()
    assert held[1] and held[2] and held[1] | held[2] == set(slugs) and not held[1] & held[2]

    written: list[str] = []
    _d, _p, joined = build(project, project.build / "joined", written=written,
                           join=[project.build / "shards" / "1", project.build / "shards" / "2"])
    # The join built what spans articles, and no article's own page.
    assert "annotations.html" in written and "index.html" in written
    assert not [n for n in written if n.startswith("articles/") and n != "articles/index.html"]
    _d, _p, single = build(project, project.build / "single")
    assert snapshot(joined) == snapshot(single)


def test_a_shard_is_written_k_of_n(tmp_path: Path) -> None:
    assert Shard.parse("2/3") == Shard(2, 3)
    for bad in ("0/2", "3/2", "1", "a/b"):
        with pytest.raises(DossierError):
            Shard.parse(bad)


def test_joining_a_folder_that_is_no_shard_fails_cleanly(tmp_path: Path) -> None:
    project = generate(tmp_path / "project", 1)
    (tmp_path / "empty").mkdir()
    with pytest.raises(DossierError) as failure:
        build(project, pdf=False, join=[tmp_path / "empty"])
    assert "not a shard's folder" in failure.value.problems[0].message
    assert not (project.build / "site").exists()
