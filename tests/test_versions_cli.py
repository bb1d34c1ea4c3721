"""A new version of the first article, end to end: add, check, rebase, and the files on disk."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REAL_SLUG
from dossier.cli import main
from dossier.load import load_annotations, load_articles
from dossier.pipeline import check
from dossier.project import Project

FIGURE = ("With at least 3,000 North Korean troops", "With at least 10,000 North Korean troops")
WORD = ("a move the U.S. government sees as a desperate act",
        "a move the U.S. government regards as a desperate act")
NOTE = "Editor's note: this story was updated with new troop estimates.\n"
ANNOTATIONS = f"annotations/{REAL_SLUG}"


def run(capsys: pytest.CaptureFixture[str], project: Project, *argv: str
        ) -> tuple[int, str, str]:
    status = main(["-C", str(project.root), *argv])
    out, err = capsys.readouterr()
    return status, out, err


def edited(text: str, *changes: tuple[str, str], insert: str = NOTE) -> str:
    for old, new in changes:
        assert text.count(old) == 1
        text = text.replace(old, new)
    first = text.index("\n") + 1
    return text[:first] + insert + text[first:]


@pytest.fixture
def versioned(make_project: Callable[..., Project], tmp_path: Path,
              capsys: pytest.CaptureFixture[str]) -> Project:
    """The real dossier with version 2 of the first article added by the command."""
    project = make_project(fake=False)
    text = (project.seeds / f"{REAL_SLUG}.txt").read_text(encoding="utf-8")
    source = tmp_path / "cbn-edited.txt"
    source.write_text(edited(text, FIGURE, WORD), encoding="utf-8")
    status, out, err = run(capsys, project, "add", str(source), "--slug", REAL_SLUG,
                           "--new-version")
    assert (status, err) == (0, ""), err
    assert f"seeds/{REAL_SLUG}.v2.txt" in out
    return project


def changed_paths(problems: list[dict[str, object]]) -> set[str]:
    return {str(p["path"]) for p in problems
            if "publisher changed" in str(p["message"]) or "no longer in" in str(p["message"])}


def test_add_new_version_keeps_every_earlier_file(versioned: Project) -> None:
    seeds = versioned.seeds
    original = (Path(__file__).parents[1] / "seeds" / f"{REAL_SLUG}.txt").read_bytes()
    assert (seeds / f"{REAL_SLUG}.txt").read_bytes() == original
    assert (seeds / f"{REAL_SLUG}.v2.txt").read_text(encoding="utf-8").count("10,000") >= 1
    meta = (seeds / f"{REAL_SLUG}.v2.yml").read_text(encoding="utf-8")
    assert 'publisher: "CBN News"  # the previous version' in meta
    assert "status: complete" in meta  # the coverage review is carried over
    articles, _problems = load_articles(versioned)
    article = next(a for a in articles if a.slug == REAL_SLUG)
    assert [v.number for v in article.versions] == [1, 2]
    assert article.text == (seeds / f"{REAL_SLUG}.v2.txt").read_text(encoding="utf-8")


def test_check_reports_exactly_the_changed_quotes(versioned: Project,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, versioned, "check", "--format", "json")
    assert status == 0
    problems = json.loads(out)["problems"]
    assert changed_paths(problems) == {f"{ANNOTATIONS}/troop-number.yml",
                                       f"{ANNOTATIONS}/later-troop-estimates.yml",
                                       f"{ANNOTATIONS}/us-desperation.yml"}
    by_path = {p["path"]: p for p in problems if "publisher changed" in p["message"]}
    figure = by_path[f"{ANNOTATIONS}/troop-number.yml"]
    assert figure["message"] == (
        'the publisher changed "3,000", "10,000" inside the quote in version 2: '
        '"at least 3,000" is now "at least 10,000"; the meaning may have changed')
    assert figure["help"].startswith("a person must decide")
    word = by_path[f"{ANNOTATIONS}/us-desperation.yml"]
    assert word["message"] == (
        'the publisher changed the quoted words in version 2: "a move the U.S. government '
        'sees as a desperate act by Russian President Putin" is now "a move the U.S. '
        'government regards as a desperate act by Russian President Putin" (96% alike)')
    assert not any("has changed since this annotation" in p["message"] for p in problems)


def test_rebase_accepts_the_word_and_leaves_the_figure(versioned: Project,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    folder = versioned.annotations / REAL_SLUG
    before = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    status, out, _err = run(capsys, versioned, "rebase", REAL_SLUG)
    assert status == 0
    assert out.splitlines()[-1] == (f"dossier rebase: {REAL_SLUG} version 2: 28 kept, "
                                    "1 moved, 2 to review, 0 gone")
    after = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    new_sha = load_articles(versioned)[0][0].sha256
    # The figure change is left for a person: those files are untouched.
    for name in ("troop-number.yml", "later-troop-estimates.yml"):
        assert after[name] == before[name]
    # The word change is accepted: new words and hash, and nothing else changed.
    assert after["us-desperation.yml"] == before["us-desperation.yml"].replace(
        "sees as a desperate", "regards as a desperate").replace(
        "article_sha256: 00cfbc80cba0096e481cffe8da5beb2bd1075a80924ef5107f327c89adb80870",
        f"article_sha256: {new_sha}")
    # Every other file only records the new hash.
    for name, text in after.items():
        if name not in ("troop-number.yml", "later-troop-estimates.yml", "us-desperation.yml"):
            assert text == before[name].replace(
                "00cfbc80cba0096e481cffe8da5beb2bd1075a80924ef5107f327c89adb80870", new_sha)


def test_rebasing_twice_gives_the_same_files(versioned: Project,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = versioned.annotations / REAL_SLUG
    run(capsys, versioned, "rebase", REAL_SLUG)
    once = {p.name: p.read_bytes() for p in folder.iterdir()}
    run(capsys, versioned, "rebase", REAL_SLUG)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == once


def test_every_other_annotation_keeps_its_place(versioned: Project) -> None:
    dossier, _problems = check(versioned)
    article = dossier.article(REAL_SLUG)
    on_newest = {a.annotation.id: article.text[a.start:a.end]
                 for a in dossier.anchors_for(REAL_SLUG)}
    annotations, _ = load_annotations(versioned, [article])
    for a in annotations:
        if a.article != REAL_SLUG or a.id in ("troop-number", "later-troop-estimates"):
            continue
        expected = a.target.exact.replace("sees as", "regards as")
        assert on_newest[a.id].replace("\u2019", "'") == expected.replace("\u2019", "'"), a.id
    stay = {a.annotation.id for a in dossier.anchors_on(REAL_SLUG, 1)}
    assert stay == {"troop-number", "later-troop-estimates"}


@pytest.mark.parametrize(("argv", "message"), [
    (["--new-version"], "--new-version needs --slug"),
    (["--new-version", "--slug", "no-such-article"], "no article named 'no-such-article'"),
])
def test_new_version_refusals(make_project: Callable[..., Project], tmp_path: Path,
                              capsys: pytest.CaptureFixture[str], argv: list[str],
                              message: str) -> None:
    project = make_project(fake=False)
    source = tmp_path / "x.txt"
    source.write_text("Headline\n" + "Some words of an article. " * 20 + "\n", encoding="utf-8")
    before = sorted(p.name for p in project.seeds.iterdir())
    status, _out, err = run(capsys, project, "add", str(source), *argv)
    assert status == 1
    assert message in err
    assert sorted(p.name for p in project.seeds.iterdir()) == before


def test_the_same_text_again_is_refused(make_project: Callable[..., Project],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(fake=False)
    before = sorted(p.name for p in project.seeds.iterdir())
    copy = project.root / "same.txt"
    shutil.copy(project.seeds / f"{REAL_SLUG}.txt", copy)
    status, _out, err = run(capsys, project, "add", str(copy), "--slug", REAL_SLUG,
                            "--new-version")
    assert status == 1
    assert "the text is the same as version 1" in err
    assert sorted(p.name for p in project.seeds.iterdir()) == before


def test_the_site_and_pdf_show_both_versions_and_the_diff(versioned: Project) -> None:
    from pypdf import PdfReader

    from dossier.pipeline import build

    _dossier, _problems, site = build(versioned)
    page = (site / "articles" / f"{REAL_SLUG}.html").read_text(encoding="utf-8")
    assert '<section class="dz-changes" id="changes"' in page
    assert "Version 1, retrieved 28 November 2026" in page
    assert "Version 2, retrieved" in page
    assert f'<a href="{REAL_SLUG}/v1.html">read version 1</a>' in page
    assert "With at least <del>3,000</del><ins>10,000</ins> North Korean troops" in page
    assert "<del>sees</del><ins>regards</ins>" in page
    assert "<ins>Editor&#39;s note: this story was updated with new troop estimates.</ins>" in page
    # The annotations whose figure changed stay on version 1's own page, and say so.
    assert f'href="{REAL_SLUG}/v1.html#troop-number"' in page
    old = (site / "articles" / REAL_SLUG / "v1.html").read_text(encoding="utf-8")
    assert "This is version 1, as retrieved on 28 November 2026" in old
    assert 'id="troop-number"' in old and 'id="later-troop-estimates"' in old
    assert 'id="us-desperation"' not in old  # moved to the newest version
    assert 'id="us-desperation"' in page
    import feedparser

    feed = feedparser.parse((site / "feed.xml").read_bytes())
    changed = [e for e in feed.entries if e.tags[0].term == "publisher-change"]
    assert [e.title for e in changed] == [
        "The publisher changed the article: North Korean Troops Helping Russia in Ukraine: "
        "What's the Quid Pro Quo? (version 2)"]
    assert changed[0].link.endswith(f"articles/{REAL_SLUG}.html#changes-v2")
    assert "1 change by the publisher" in (site / "corrections.html").read_text("utf-8")
    log = (site / "articles" / REAL_SLUG / "corrections.html").read_text(encoding="utf-8")
    assert "The publisher changed the article</strong>: version 2" in log
    assert f'href="../{REAL_SLUG}.html#changes-v2"' in log
    pdf = site / "pdf" / f"{REAL_SLUG}.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Appendix: changes by the publisher" in text
    assert "With at least 3,000 10,000 North Korean troops" in " ".join(text.split())
