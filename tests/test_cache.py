"""The check cache may only make `dossier check` faster, never different.

Each input of the key is changed in turn, after a run that filled the
cache; the problems then reported must be exactly those of a run without
the cache, and the files the change touches must be checked afresh.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import FAKE_SLUG
from dossier import cache, load, parallel, pipeline, schema
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


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    project = make_project()
    outcome(project)  # fills the cache
    assert (project.build / ".cache" / "check.pickle").is_file()
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
    monkeypatch.setattr(pipeline, "code_version", lambda: "an edited checkout")
    calls.clear()
    same_with_and_without_cache(project)
    assert len(calls) == 2 * 36


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps({"format": 0})])
def test_a_damaged_cache_file_is_ignored(project: Project, damage: bytes,
                                         calls: list[str]) -> None:
    (project.build / ".cache" / "check.pickle").write_bytes(damage)
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
    assert outcome(project, use_cache=False) == serial


def test_the_cache_file_holds_only_what_the_last_run_used(project: Project) -> None:
    (project.annotations / FAKE_SLUG / "mayor-name.yml").unlink()
    anchored = sum(len(found) for found in outcome(project)[2].values())
    with open(project.build / ".cache" / "check.pickle", "rb") as f:
        # 35 annotation files, each with its sources checked and (if anchored) reviewed;
        # 2 articles, each with its received source's name, anchoring and coverage; and
        # the duplicate sources across files
        assert len(pickle.load(f)["entries"]) == 35 * 2 + anchored + 2 * 4 + 1


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
    text = project.seeds / f"{FAKE_SLUG}.txt"
    old = text.read_text(encoding="utf-8")
    lines = old.split("\n", 1)
    new = lines[0] + "\nA paragraph put in later, above all the others.\n" + lines[1]
    text.write_text(new, encoding="utf-8")
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        hashlib.sha256(old.encode()).hexdigest(), hashlib.sha256(new.encode()).hexdigest()),
        encoding="utf-8")
    after = same_with_and_without_cache(project)
    assert after[2][FAKE_SLUG] != before[2][FAKE_SLUG]  # every span moved
    assert FAKE_SLUG in stages["anchor"]
    assert len(stages["review"]) >= len(after[2][FAKE_SLUG])


def test_the_received_source_the_provenance_names(project: Project) -> None:
    source = project.seeds / f"{FAKE_SLUG}.source.md"
    source.write_text("# Riverton\n", encoding="utf-8")
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + (
        f"source:\n  file: {FAKE_SLUG}.source.md\n"
        f"  sha256: {hashlib.sha256(source.read_bytes()).hexdigest()}\n"
        "  media_type: text/markdown\n"), encoding="utf-8")
    assert not any("source.md" in p for p in same_with_and_without_cache(project)[0])
    source.write_text("# Riverton, edited\n", encoding="utf-8")
    after = same_with_and_without_cache(project)
    assert any("source.md does not match its recorded SHA-256" in p for p in after[0])
