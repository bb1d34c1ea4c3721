"""The check cache may only make `dossier check` faster, never different.

Each input of the key is changed in turn, after a run that filled the
cache; the problems then reported must be exactly those of a run without
the cache, and the files the change touches must be checked afresh.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import FAKE_SLUG, REAL_SLUG
from dossier import cache, checkrun, load, parallel, pipeline, schema, yamlsafe
from dossier.model import Annotation
from dossier.pipeline import check
from dossier.problems import Problem
from dossier.project import Project

Outcome = tuple[list[str], list[str], dict[str, list[tuple[str, int, int]]]]


def outcome(project: Project, *, use_cache: bool = True, strict: bool = False) -> Outcome:
    dossier, problems = check(project, cache=use_cache, strict=strict)
    anchors = {slug: [(a.annotation.id, a.start, a.end) for a in found]
               for slug, found in dossier.anchors.items()}
    return ([p.format() for p in problems], sorted(a.path for a in dossier.annotations),
            anchors)


def cache_files(project: Project) -> list[Path]:
    """The per-file cache's files (``build/.cache/check/``: one an article, one for the
    entries of no article)."""
    return sorted((project.build / ".cache" / "check").glob("*.pickle"))


def cached_entries(project: Project) -> dict[str, bytes]:
    entries: dict[str, bytes] = {}
    for path in cache_files(project):
        with open(path, "rb") as f:
            entries.update(pickle.load(f)["entries"])
    return entries


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    project = make_project()
    outcome(project)  # fills the cache
    assert [p.name for p in cache_files(project)] == [
        f"a-{REAL_SLUG}.pickle", f"a-{FAKE_SLUG}.pickle", "none.pickle"]
    return project


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The files checked afresh (not taken from the cache)."""
    seen: list[str] = []
    real = load.load_annotation

    def counting(project: Project, path: Path, *args: Any
                 ) -> tuple[Annotation | None, list[Problem]]:
        seen.append(project.display(path))
        return real(project, path, *args)

    monkeypatch.setattr(pipeline, "load_annotation", counting)
    yield seen


def same_with_and_without_cache(project: Project, **kwargs: bool) -> Outcome:
    cached = outcome(project, **kwargs)
    assert cached == outcome(project, use_cache=False, **kwargs)
    return cached


def rewrite_article(project: Project, change: Callable[[str], str]) -> None:
    """The article's text changed, and its provenance's recorded SHA-256 with it."""
    text = project.seeds / f"{FAKE_SLUG}.txt"
    old = text.read_text(encoding="utf-8")
    new = change(old)
    text.write_text(new, encoding="utf-8")
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        hashlib.sha256(old.encode()).hexdigest(), hashlib.sha256(new.encode()).hexdigest()),
        encoding="utf-8")


def add_received_source(project: Project, content: bytes, *, recorded: bytes) -> Path:
    """A received source file, named in the provenance with the hash of ``recorded``."""
    source = project.seeds / f"{FAKE_SLUG}.source.md"
    source.write_bytes(content)
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + (
        f"source:\n  file: {FAKE_SLUG}.source.md\n"
        f"  sha256: {hashlib.sha256(recorded).hexdigest()}\n"
        "  media_type: text/markdown\n"), encoding="utf-8")
    return source


def test_a_warm_run_checks_nothing_again_and_reports_the_same(project: Project,
                                                               calls: list[str]) -> None:
    assert same_with_and_without_cache(project)[1]  # annotations were loaded
    assert calls == sorted(calls) and len(calls) == 36  # only the run without cache
    calls.clear()
    outcome(project)
    assert calls == []


def test_an_edited_annotation(project: Project, calls: list[str]) -> None:
    before = outcome(project)
    path = project.annotations / FAKE_SLUG / "mayor-name.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "body: The article", 'body: "TODO: check. The article', 1).replace(
        "*John Smith*.", '*John Smith*."'), encoding="utf-8")
    calls.clear()
    after = same_with_and_without_cache(project)
    assert calls[0] == f"annotations/{FAKE_SLUG}/mayor-name.yml" and len(calls) == 1 + 36
    assert after != before
    assert any("placeholder" in p and "mayor-name.yml" in p for p in after[0])


def test_a_broken_annotation_and_its_repair(project: Project) -> None:
    path = project.annotations / FAKE_SLUG / "mayor-name.yml"
    good = path.read_bytes()
    path.write_bytes(good + b"title: again\n")
    broken = same_with_and_without_cache(project)
    assert any("duplicate key 'title'" in p for p in broken[0])
    path.write_bytes(good)
    assert same_with_and_without_cache(project) == outcome(project, use_cache=False)


def test_a_new_version_of_the_article(project: Project, calls: list[str]) -> None:
    before = outcome(project)
    text = project.seeds / f"{FAKE_SLUG}.txt"
    new = text.read_text(encoding="utf-8") + "\nA paragraph added later.\n"
    text.write_text(new, encoding="utf-8")
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    old_sha = hashlib.sha256(new.removesuffix("\nA paragraph added later.\n")
                             .encode()).hexdigest()
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        old_sha, hashlib.sha256(new.encode()).hexdigest()), encoding="utf-8")
    calls.clear()
    after = same_with_and_without_cache(project)
    assert after != before
    assert any("the article has changed since this annotation was written" in p
               for p in after[0])
    # With the cache, no annotation file is read again (anchoring and review, which
    # read the article, run after the cache); then all 36 without.
    assert len(calls) == 36


def test_the_provenance_alone(project: Project) -> None:
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("title: ", "title: New ", 1),
                    encoding="utf-8")
    after = same_with_and_without_cache(project)
    assert any(path.startswith(f"annotations/{FAKE_SLUG}/") for path in after[1])


def test_the_schemas(project: Project, monkeypatch: pytest.MonkeyPatch,
                     calls: list[str]) -> None:
    before = outcome(project)
    stricter = copy.deepcopy(schema.load_schema(schema.ANNOTATION_SCHEMA))
    stricter["properties"]["title"]["maxLength"] = 20
    original = schema.load_schema
    monkeypatch.setattr(schema, "load_schema", lambda name: stricter
                        if name == schema.ANNOTATION_SCHEMA else original(name))
    monkeypatch.setattr(schema, "_validator", functools.cache(schema._validator.__wrapped__))
    monkeypatch.setattr(schema, "_compiled", functools.cache(schema._compiled.__wrapped__))
    calls.clear()
    after = same_with_and_without_cache(project)
    assert len(calls) == 2 * 36
    assert after != before and any("'title' is too long" in p for p in after[0])


def test_the_settings(project: Project, calls: list[str]) -> None:
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    calls.clear()
    same_with_and_without_cache(project)
    assert len(calls) == 2 * 36


def test_strict(project: Project, calls: list[str]) -> None:
    calls.clear()
    same_with_and_without_cache(project, strict=True)
    assert len(calls) == 2 * 36


def test_the_dossier_version(project: Project, monkeypatch: pytest.MonkeyPatch,
                             calls: list[str]) -> None:
    monkeypatch.setattr(cache, "__version__", "99.0")
    calls.clear()
    same_with_and_without_cache(project)
    assert len(calls) == 2 * 36


def test_the_dossier_code(project: Project, monkeypatch: pytest.MonkeyPatch,
                          calls: list[str]) -> None:
    monkeypatch.setattr(pipeline, "code_version", lambda *_: "an edited checkout")
    calls.clear()
    same_with_and_without_cache(project)
    assert len(calls) == 2 * 36


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps({"format": 0})])
def test_a_damaged_cache_file_is_ignored(project: Project, damage: bytes,
                                         calls: list[str]) -> None:
    for path in cache_files(project):
        path.write_bytes(damage)
    calls.clear()
    same_with_and_without_cache(project)
    assert len(calls) == 2 * 36


def test_on_two_cores_the_results_are_the_same(project: Project,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    serial = outcome(project, use_cache=False)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("DOSSIER_JOBS", "2")
    monkeypatch.setattr(pipeline, "parallel_map", functools.partial(parallel.parallel_map,
                                                                    min_items=1))
    monkeypatch.setattr(pipeline, "MIN_PARALLEL_ARTICLES", 1)  # each article in a worker
    assert outcome(project, use_cache=False) == serial
    shutil.rmtree(project.build / ".cache")
    assert outcome(project) == serial  # the workers' entries, kept
    assert outcome(project) == serial  # and read back


def test_the_cache_file_holds_only_what_the_last_run_used(project: Project) -> None:
    (project.annotations / FAKE_SLUG / "mayor-name.yml").unlink()
    anchored = sum(len(found) for found in outcome(project)[2].values())
    # 35 annotation files, each with its sources checked and (if anchored) reviewed;
    # 2 articles, each with its received source's name, anchoring and coverage; and
    # the duplicate sources across files; and for each article, the marker that its
    # files were checked (pipeline._prefetch)
    assert len(cached_entries(project)) == 35 * 2 + anchored + 2 * 4 + 1 + 2


def test_a_removed_article_leaves_no_cache_file(project: Project) -> None:
    for suffix in (".txt", ".yml"):
        (project.seeds / f"{FAKE_SLUG}{suffix}").unlink()
    shutil.rmtree(project.annotations / FAKE_SLUG)
    same_with_and_without_cache(project)
    assert [p.name for p in cache_files(project)] == [f"a-{REAL_SLUG}.pickle", "none.pickle"]


@pytest.fixture
def stages(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[str]]]:
    """The later stages run afresh (not taken from the cache), with what they ran on."""
    seen: dict[str, list[str]] = {"sources": [], "duplicates": [], "anchor": [], "review": []}

    def counting(name: str, real: Callable[..., Any], what: Callable[..., list[str]]
                 ) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            seen[name] += what(*args)
            return real(*args, **kwargs)
        return run

    monkeypatch.setattr(pipeline, "source_problems", counting(
        "sources", pipeline.source_problems, lambda a: [a.path]))
    monkeypatch.setattr(pipeline, "duplicate_sources", counting(
        "duplicates", pipeline.duplicate_sources, lambda notes: ["all"]))
    monkeypatch.setattr(pipeline, "anchor_versions", counting(
        "anchor", pipeline.anchor_versions, lambda articles, _notes: [articles[0].slug]))
    monkeypatch.setattr(pipeline, "review", counting(
        "review", pipeline.review, lambda _article, anchor: [anchor.annotation.path]))
    yield seen


def test_a_warm_run_anchors_and_reviews_nothing_again(
        project: Project, stages: dict[str, list[str]]) -> None:
    outcome(project)
    assert stages == {"sources": [], "duplicates": [], "anchor": [], "review": []}


def test_one_edited_annotation_is_reviewed_again_alone(
        project: Project, stages: dict[str, list[str]]) -> None:
    path = project.annotations / FAKE_SLUG / "mayor-name.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "body: The article", 'body: "TODO: check. The article', 1).replace(
        "*John Smith*.", '*John Smith*."'), encoding="utf-8")
    outcome(project)
    name = f"annotations/{FAKE_SLUG}/mayor-name.yml"
    assert stages == {"sources": [name], "duplicates": ["all"], "anchor": [FAKE_SLUG],
                      "review": [name]}
    assert same_with_and_without_cache(project)[0] == outcome(project, use_cache=False)[0]


def test_every_span_moved_by_new_words_at_the_start(project: Project,
                                                    stages: dict[str, list[str]]) -> None:
    """The review's key holds the span and its words: an earlier paragraph moves them all."""
    before = outcome(project)
    rewrite_article(project, lambda old: old.replace(
        "\n", "\nA paragraph put in later, above all the others.\n", 1))
    after = same_with_and_without_cache(project)
    assert after[2][FAKE_SLUG] != before[2][FAKE_SLUG]  # every span moved
    assert FAKE_SLUG in stages["anchor"]
    assert len(stages["review"]) >= len(after[2][FAKE_SLUG])


def test_the_received_source_the_provenance_names(project: Project) -> None:
    source = add_received_source(project, b"# Riverton\n", recorded=b"# Riverton\n")
    assert not any("source.md" in p for p in same_with_and_without_cache(project)[0])
    source.write_text("# Riverton, edited\n", encoding="utf-8")
    after = same_with_and_without_cache(project)
    assert any("source.md does not match its recorded SHA-256" in p for p in after[0])


# -- the run-level entry (checkrun.py): the whole check's answer under every file's hash ---

Report = tuple[list[str], int, int]


def report(project: Project, *, use_cache: bool = True, strict: bool = False) -> Report:
    found = checkrun.check_report(project, cache=use_cache, strict=strict)
    return [p.format() for p in found.problems], found.articles, found.annotations


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Each time an entry missed and pipeline.check ran: with its cache or not (True or
    False), or, for the articles whose entries missed, only those (their slugs: checked
    with ``only``, or each on its own by ``check_apart``)."""
    seen: list[Any] = []
    real, real_apart = pipeline.check, pipeline.check_apart

    def counting(project: Project, **kwargs: Any) -> Any:
        only = kwargs.get("only")
        seen.append(sorted(only) if only is not None else kwargs.get("cache", True))
        return real(project, **kwargs)

    def counting_apart(project: Project, slugs: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(sorted(slugs))
        return real_apart(project, slugs, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check", counting)
    monkeypatch.setattr(pipeline, "check_apart", counting_apart)
    yield seen


def same_report_with_and_without_cache(project: Project, **kwargs: bool) -> Report:
    """The run-level answer, as it was kept or computed, equals a run without any cache,
    and the whole check's own answer (problems and counts)."""
    cached = report(project, **kwargs)
    assert cached == report(project, use_cache=False, **kwargs)
    dossier, problems = check(project, cache=False, **kwargs)
    assert cached == ([p.format() for p in problems], len(dossier.articles),
                      len(dossier.annotations))
    return cached


@pytest.fixture
def warm(project: Project) -> Project:
    """A project whose run-level entry is filled."""
    report(project)
    assert (project.build / ".cache" / "check-run.pickle").is_file()
    return project


def test_a_warm_run_reads_one_entry(warm: Project, full_checks: list[Any]) -> None:
    assert same_report_with_and_without_cache(warm)[2] == 36
    assert full_checks == [False]  # only the run without cache
    assert report(warm) == report(warm, use_cache=False)
    assert full_checks == [False, False]


def _edit_annotation(project: Project) -> None:
    path = project.annotations / FAKE_SLUG / "mayor-name.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "body: The article", 'body: "TODO: check. The article', 1).replace(
        "*John Smith*.", '*John Smith*."'), encoding="utf-8")


def _new_article_text(project: Project) -> None:
    rewrite_article(project, lambda old: old + "\nA paragraph added later.\n")


def _received_source(project: Project) -> None:
    add_received_source(project, b"# Riverton\n", recorded=b"# Riverton, as received")


EDITS: dict[str, Callable[[Project], object]] = {
    "an annotation": _edit_annotation,
    "a new annotation file": lambda p: (p.annotations / FAKE_SLUG / "new.yml").write_bytes(
        (p.annotations / FAKE_SLUG / "mayor-name.yml").read_bytes()),
    "a removed annotation file": lambda p: (p.annotations / FAKE_SLUG / "mayor-name.yml"
                                            ).unlink(),
    "a stray file": lambda p: (p.annotations / "notes.txt").write_text("x", encoding="utf-8"),
    "a hidden file": lambda p: (p.annotations / FAKE_SLUG / ".draft.yml").write_text(
        "x", encoding="utf-8"),
    "an empty folder": lambda p: (p.annotations / "no-such-article").mkdir(),
    "the article's text": _new_article_text,
    "the provenance": lambda p: (p.seeds / f"{FAKE_SLUG}.yml").write_text(
        (p.seeds / f"{FAKE_SLUG}.yml").read_text(encoding="utf-8").replace(
            "title: ", "title: New ", 1), encoding="utf-8"),
    "the received source": _received_source,
    "a provenance without its text": lambda p: (p.seeds / "orphan.yml").write_text(
        "title: x\n", encoding="utf-8"),
    "the settings": lambda p: (p.root / "mkdocs.yml").write_text(
        (p.root / "mkdocs.yml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"),
    "an article that no longer loads": lambda p: (p.seeds / f"{FAKE_SLUG}.txt").write_text(
        (p.seeds / f"{FAKE_SLUG}.txt").read_text(encoding="utf-8") + "\nAdded.\n",
        encoding="utf-8"),
}


BOTH = sorted([FAKE_SLUG, REAL_SLUG])
# Which articles are checked again after each edit: only the article whose files changed;
# none when only what spans articles changed (its checks run on the articles' entries).
CHECKED_AGAIN: dict[str, list[str]] = {
    "an annotation": [FAKE_SLUG], "a new annotation file": [FAKE_SLUG],
    "a removed annotation file": [FAKE_SLUG], "a stray file": [], "a hidden file": [FAKE_SLUG],
    "an empty folder": [], "the article's text": [FAKE_SLUG], "the provenance": [FAKE_SLUG],
    "the received source": [FAKE_SLUG], "a provenance without its text": [],
    "the settings": BOTH, "an article that no longer loads": [FAKE_SLUG],
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_each_input_of_the_run_level_key(warm: Project, edit: str,
                                         full_checks: list[Any]) -> None:
    before = report(warm)
    EDITS[edit](warm)
    after = same_report_with_and_without_cache(warm)
    # The entry missed: only the changed article was checked again (with its own cache),
    # then the checks without cache (the comparison above)
    assert full_checks == ([CHECKED_AGAIN[edit]] if CHECKED_AGAIN[edit] else []) + [False]
    if edit not in ("a hidden file", "the settings", "the provenance"):  # (same problems)
        assert after != before
    full_checks.clear()
    assert report(warm) == after and full_checks == []  # and is kept for the next run


@pytest.mark.parametrize("in_workers", [False, True])
@pytest.mark.parametrize("edit", list(EDITS))
def test_each_article_apart_is_its_part_of_the_run_of_all(
        project: Project, edit: str, in_workers: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """``pipeline.check_apart`` (each article's stages on their own, in workers or not) gives
    each article the part that the run of the stages over all of them gives it: the same
    problems in the same order, counts, citations and received files, whatever the edit."""
    EDITS[edit](project)
    if in_workers:
        monkeypatch.setattr(pipeline, "MIN_PARALLEL_ARTICLES", 1)
        monkeypatch.setattr(parallel, "workers", lambda: 2)
    slugs = sorted({p.name.split(".")[0] for p in project.seeds.glob("*.txt")})
    parts = []
    for checked in (None, []):  # apart, then together (the dossier wanted: livecheck's way)
        shutil.rmtree(project.build, ignore_errors=True)
        hashes = cache.FileHashes(None)
        parts.append(checkrun._check_articles(project, False, slugs, hashes, [], checked))
    assert parts[0] is not None
    assert parts[0] == parts[1]
    assert sum(len(part.problems) for part in parts[0].values()) > 0


def test_strict_has_its_own_entries(warm: Project, full_checks: list[Any]) -> None:
    strict = same_report_with_and_without_cache(warm, strict=True)
    assert full_checks[0] == BOTH
    assert strict == report(warm, use_cache=False, strict=True)
    full_checks.clear()
    _edit_annotation(warm)
    assert same_report_with_and_without_cache(warm, strict=True) != strict
    assert full_checks[0] == [FAKE_SLUG]
    # (each cache file holds one salt: a run without --strict after it checks all again)
    same_report_with_and_without_cache(warm)


def test_the_version_and_the_code(warm: Project, monkeypatch: pytest.MonkeyPatch,
                                  full_checks: list[Any]) -> None:
    monkeypatch.setattr(cache, "__version__", "99.0")
    same_report_with_and_without_cache(warm)
    assert full_checks[0] == BOTH
    full_checks.clear()
    monkeypatch.setattr(checkrun, "code_version", lambda hashes: "an edited checkout")
    same_report_with_and_without_cache(warm)
    assert full_checks[0] == BOTH


# -- each article's entry (checkrun.py): only the changed articles are checked again ------

def _source_of(path: Path, number: int) -> dict[str, str]:
    source: dict[str, str] = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"][number]
    return source


def test_a_duplicate_source_across_two_articles(warm: Project, full_checks: list[Any]) -> None:
    """The duplicate is found from the articles' entries, and says where the first citation
    is (its line found again when that article's file moves it)."""
    first = warm.annotations / REAL_SLUG / "article-provenance.yml"
    cited = _source_of(first, 0)
    mine = warm.annotations / FAKE_SLUG / "mayor-name.yml"
    mine.write_text(mine.read_text(encoding="utf-8").replace(
        "title: Minutes of the council meeting of 5 March 2024",
        f"title: {json.dumps(cited['title'])}").replace(
        "publisher: City of Riverton", f"publisher: {cited['publisher']}"), encoding="utf-8")
    after = same_report_with_and_without_cache(warm)
    duplicate = [p for p in after[0] if "possible duplicate" in p]
    assert len(duplicate) == 1 and duplicate[0].startswith(
        f"annotations/{FAKE_SLUG}/mayor-name.yml:") and f"{first.name}:" in duplicate[0]
    assert full_checks[0] == [FAKE_SLUG]
    full_checks.clear()
    lines = first.read_text(encoding="utf-8").split("\n", 1)
    first.write_text(f"{lines[0]}\n# a comment\n{lines[1]}", encoding="utf-8")
    moved = same_report_with_and_without_cache(warm)
    assert full_checks[0] == [REAL_SLUG]  # the other article's entry gives the duplicate
    assert [p for p in moved[0] if "possible duplicate" in p] != duplicate


def test_a_new_article_and_a_removed_one(warm: Project, full_checks: list[Any]) -> None:
    copy_ = f"{FAKE_SLUG}-copy"
    for suffix in (".txt", ".yml"):
        shutil.copy(warm.seeds / f"{FAKE_SLUG}{suffix}", warm.seeds / f"{copy_}{suffix}")
    shutil.copytree(warm.annotations / FAKE_SLUG, warm.annotations / copy_)
    added = same_report_with_and_without_cache(warm)
    assert added[1:] == (3, 36 + 5) and full_checks[0] == [copy_]
    full_checks.clear()
    (warm.seeds / f"{REAL_SLUG}.txt").unlink()  # its provenance and annotations stay
    removed = same_report_with_and_without_cache(warm)
    assert full_checks == [False]  # nothing to check again: the rest spans articles
    assert any("no article text next to it" in p for p in removed[0])
    assert any(f"no article named '{REAL_SLUG}'" in p and copy_ in p for p in removed[0])


def test_annotations_of_no_article_then_its_article(warm: Project,
                                                   full_checks: list[Any]) -> None:
    ghost = warm.annotations / "ghost"
    ghost.mkdir()
    shutil.copy(warm.annotations / FAKE_SLUG / "mayor-name.yml", ghost)
    assert any("no article named 'ghost'" in p for p in same_report_with_and_without_cache(
        warm)[0])
    assert full_checks == [False]
    full_checks.clear()
    (warm.seeds / "ghost.txt").write_text("An article without its provenance.\n",
                                          encoding="utf-8")
    after = same_report_with_and_without_cache(warm)
    assert full_checks[0] == ["ghost"]
    assert any("seeds/ghost.yml" in p and "provenance file is missing" in p for p in after[0])
    assert not any("no article named" in p for p in after[0])


def test_a_run_for_one_article_keeps_only_what_a_whole_run_would(warm: Project) -> None:
    """The per-file entries: the other articles' are kept, the changed article's unused
    ones dropped, as a whole run would keep them (but the duplicates' entry, of no article)."""
    def written() -> dict[str, int]:
        return {path.as_posix(): path.stat().st_mtime_ns for folder in ("check", "check-articles")
                for path in (warm.build / ".cache" / folder).iterdir()}

    _edit_annotation(warm)
    before = written()
    report(warm)
    after = written()
    # only the changed article's files were written (its per-file entries, its result)
    assert sorted(path.rsplit("/", 2)[1] + "/" + path.rsplit("/", 1)[1] for path in after
                  if after[path] != before.get(path)) == [
        f"check-articles/a-{FAKE_SLUG}.pickle", f"check/a-{FAKE_SLUG}.pickle"]

    def of_articles() -> set[str]:
        return {k for k in cached_entries(warm) if not k.startswith("/")}

    kept = of_articles()
    shutil.rmtree(warm.build / ".cache" / "check")
    check(warm)
    assert kept == of_articles()


def test_the_code_version_covers_every_file_of_the_package(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Data files too (never-cite.yml decides warnings), not only code and schemas."""
    copy_ = tmp_path / "dossier"
    shutil.copytree(Path(cache.__file__).parent, copy_,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "__file__", str(copy_ / "cache.py"))
    hashes = cache.FileHashes(tmp_path / "files.pickle")
    before = cache.code_version(hashes)
    assert cache.code_version(cache.FileHashes(None)) == before
    hashes.save()
    data = copy_ / "data" / "never-cite.yml"
    data.write_text(data.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert cache.code_version(cache.FileHashes(tmp_path / "files.pickle")) != before


def test_a_link_in_the_folders_turns_the_entry_off(warm: Project,
                                                   full_checks: list[Any]) -> None:
    (warm.annotations / FAKE_SLUG / "linked.yml").symlink_to(
        warm.annotations / FAKE_SLUG / "mayor-name.yml")
    same_report_with_and_without_cache(warm)
    full_checks.clear()
    report(warm)
    assert full_checks == [True]  # no entry kept: the check runs every time


@pytest.mark.parametrize("name", ["check-run.pickle", "files.pickle"])
@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps({"format": 0})])
def test_a_damaged_run_level_file_is_ignored(warm: Project, name: str, damage: bytes) -> None:
    (warm.build / ".cache" / name).write_bytes(damage)
    same_report_with_and_without_cache(warm)


def test_a_file_whose_stat_is_unchanged_is_not_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", -10**12)  # trust even a file written just now
    path, store = tmp_path / "a.yml", tmp_path / "files.pickle"
    path.write_bytes(b"one")
    hashes = cache.FileHashes(store)
    assert hashes.of(path) == hashlib.sha256(b"one").hexdigest()
    hashes.save()
    reads: list[str] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda name, *a, **k: (
        reads.append(str(name)), real_open(name, *a, **k))[1])
    assert cache.FileHashes(store).of(path) == hashlib.sha256(b"one").hexdigest()
    assert reads == [str(store)]  # the stored stats, not the file


def test_a_rewrite_with_the_same_size_and_mtime_is_read_again(tmp_path: Path) -> None:
    """Git's racy case: the stat of a file changed within the clock's resolution before it
    was hashed is not kept, so an edit that keeps its size and mtime is still seen."""
    path, store = tmp_path / "a.yml", tmp_path / "files.pickle"
    path.write_bytes(b"one")
    hashes = cache.FileHashes(store)
    hashes.of(path)
    hashes.save()
    st = path.stat()
    path.write_bytes(b"two")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.FileHashes(store).of(path) == hashlib.sha256(b"two").hexdigest()


def test_a_rewrite_after_the_stat_was_kept_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept stat holds the ctime, which a later write changes and no tool can set back."""
    monkeypatch.setattr(cache, "RACY_NS", -10**12)
    path, store = tmp_path / "a.yml", tmp_path / "files.pickle"
    path.write_bytes(b"one")
    hashes = cache.FileHashes(store)
    hashes.of(path)
    hashes.save()
    st = path.stat()
    time.sleep(0.05)  # past the ctime clock's resolution
    path.write_bytes(b"two")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.FileHashes(store).of(path) == hashlib.sha256(b"two").hexdigest()


def test_a_damaged_entry_is_computed_again(project: Project, calls: list[str]) -> None:
    """Each entry is its own pickle, read only when asked for: one that cannot be read is
    a miss, never an error and never trusted."""
    path = project.build / ".cache" / "check" / f"a-{FAKE_SLUG}.pickle"
    with open(path, "rb") as f:
        stored = pickle.load(f)
    damaged = next(key for key, data in stored["entries"].items()
                   if b"mayor-name.yml" in data and b"Annotation" in data)
    stored["entries"][damaged] = b"not a pickle"
    path.write_bytes(pickle.dumps(stored))
    calls.clear()
    same_with_and_without_cache(project)
    assert calls[0] == f"annotations/{FAKE_SLUG}/mayor-name.yml" and len(calls) == 1 + 36


def test_a_file_saved_during_the_run_and_put_back(
        warm: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Results are kept only if every file is as it was when the keys were made: else a key
    made from the bytes before could hold results of the bytes read during the run."""
    path = warm.annotations / FAKE_SLUG / "mayor-name.yml"
    before = path.read_bytes()
    real = load.load_annotation

    def saved_meanwhile(project: Project, file: Path, *args: Any
                        ) -> tuple[Annotation | None, list[Problem]]:
        if file == path and path.read_bytes() == before:
            _edit_annotation(project)  # saved after the keys were made, before it was read
        return real(project, file, *args)

    (warm.root / "mkdocs.yml").write_text(  # (so that the whole check runs again)
        (warm.root / "mkdocs.yml").read_text(encoding="utf-8") + "\n# edited\n",
        encoding="utf-8")
    monkeypatch.setattr(pipeline, "load_annotation", saved_meanwhile)
    assert any("placeholder" in p for p in report(warm)[0])  # what it read
    monkeypatch.setattr(pipeline, "load_annotation", real)
    path.write_bytes(before)  # put back as it was when the keys were made
    assert same_report_with_and_without_cache(warm) == report(warm)
    assert not any("placeholder" in p for p in report(warm)[0])


def test_a_compiled_schema_is_kept_and_read_back(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """schema.keep_compiled: the validator's code is read back, not generated again, and
    judges as the one generated did; a damaged file is generated again, never trusted."""
    import fastjsonschema

    def verdicts(validate: Callable[[Any], Any]) -> list[bool]:
        doc, _problems = yamlsafe.load_mapping((Path(__file__).parents[1] / "annotations"
                                                / REAL_SLUG / "austin-quote.yml").read_bytes(), "")
        assert doc is not None
        good = doc.data
        found = []
        for data in (good, {}, {**good, "kind": "no such kind"}, {**good, "title": 3}):
            try:
                validate(data)
                found.append(True)
            except fastjsonschema.JsonSchemaException:
                found.append(False)
        return found

    monkeypatch.setattr(schema, "_compiled", functools.cache(schema._compiled.__wrapped__))
    monkeypatch.setattr(schema, "_kept_in", tmp_path)
    fresh = verdicts(schema._compiled(schema.ANNOTATION_SCHEMA))
    assert fresh == [True, False, False, False]
    kept = tmp_path / "schema-annotation.marshal"
    assert kept.is_file()
    generate = fastjsonschema.compile_to_code
    monkeypatch.setattr(fastjsonschema, "compile_to_code", lambda *a, **k: pytest.fail(
        "generated again"))
    schema._compiled.cache_clear()
    assert verdicts(schema._compiled(schema.ANNOTATION_SCHEMA)) == fresh
    monkeypatch.setattr(fastjsonschema, "compile_to_code", generate)
    kept.write_bytes(b"not marshalled code")
    schema._compiled.cache_clear()
    assert verdicts(schema._compiled(schema.ANNOTATION_SCHEMA)) == fresh


def test_another_article_saved_during_a_run_for_one(warm: Project,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that checks one article again looks again only at the files it read: another
    article's results come from its entry, under the hash its key and the run's key hold;
    a file of that other article saved meanwhile is seen by the next run."""
    _edit_annotation(warm)
    other = warm.annotations / REAL_SLUG / "austin-quote.yml"
    good = other.read_bytes()
    real = pipeline.check_apart  # (how the run checks the articles whose entries missed)
    checked: list[list[str]] = []

    def saved_meanwhile(project: Project, slugs: Any, *args: Any, **kwargs: Any) -> Any:
        checked.append(sorted(slugs))
        if other.read_bytes() == good:
            other.write_bytes(good + b"title: again\n")
        return real(project, slugs, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_apart", saved_meanwhile)
    during = report(warm)
    assert checked == [[FAKE_SLUG]]
    assert not any("duplicate key 'title'" in p for p in during[0])  # the other's entry
    after = report(warm)
    assert checked == [[FAKE_SLUG], [REAL_SLUG]]  # seen, and only it checked again
    monkeypatch.setattr(pipeline, "check_apart", real)
    assert after == report(warm, use_cache=False)
    assert any("austin-quote.yml" in p and "duplicate key 'title'" in p for p in after[0])


def test_a_file_is_hashed_whole_whatever_its_size_said(tmp_path: Path) -> None:
    """FileHashes reads through the descriptor, expecting the size its stat gave: a file
    that grew since, or one that says it has no size (as /proc's do), is read to its end."""
    data = bytes(range(256)) * 1000
    path = tmp_path / "grown.bin"
    path.write_bytes(data)
    for size in (0, 10, len(data) - 1, len(data), len(data) + 5):
        assert cache._read_all(str(path), size) == data
    assert cache.FileHashes(None).of(path) == hashlib.sha256(data).hexdigest()
    if Path("/proc/self/status").exists():  # (Linux)
        assert cache._read_all("/proc/self/status", 0).startswith(b"Name:")
