"""Counts by kind and rating: the numbers the summary, the index and the PDF show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from conftest import REAL_SLUG
from dossier.pipeline import check
from dossier.project import Project
from dossier.tally import FILTER_KEYS, filter_key, tally


def test_counts_match_the_annotation_files(make_project: Callable[..., Project]) -> None:
    project = make_project(fake=False)
    dossier, _ = check(project)
    t = tally(dossier.annotations_for(REAL_SLUG))
    files = list((project.annotations / REAL_SLUG).glob("*.yml"))
    kinds = Counter(line.split(":", 1)[1].strip() for f in files
                    for line in f.read_text(encoding="utf-8").splitlines()
                    if line.startswith("kind:"))
    ratings = Counter(line.split(":", 1)[1].strip() for f in files
                      for line in f.read_text(encoding="utf-8").splitlines()
                      if line.startswith("rating:"))
    assert t.total == len(files)
    assert {k: n for k, n in t.by_kind.items() if n} == dict(kinds)
    assert {r: n for r, n in t.by_rating.items() if n} == dict(ratings)
    assert sum(t.by_key().values()) == t.total
    assert list(t.by_key()) == list(FILTER_KEYS)
    assert sum(s.count for s in t.segments()) == t.claims
    assert abs(sum(s.percent for s in t.segments()) - 100) < 0.1
    dates = [a.date for a in dossier.annotations_for(REAL_SLUG) if a.kind == "update"]
    assert t.latest_update == max(d for d in dates if d)


def test_every_annotation_has_one_filter_key(make_project: Callable[..., Project]) -> None:
    dossier, _ = check(make_project())
    for a in dossier.annotations:
        key = filter_key(a)
        assert key in FILTER_KEYS
        assert (key == a.rating) == (a.kind == "claim")


def test_an_article_without_annotations() -> None:
    t = tally([])
    assert t.total == 0 and t.claims == 0 and t.segments() == [] and t.latest_update is None
