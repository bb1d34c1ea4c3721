"""Hypothesis both ways: its API's search response imported, and the dossier exported to it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FAKE_SLUG, FIXTURES
from dossier.cli import main
from dossier.project import Project

FIXTURE = FIXTURES / "hypothesis" / "riverton-search.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def files(project: Project) -> dict[str, str]:
    folder = project.annotations / FAKE_SLUG
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


@pytest.fixture
def empty(make_project: Callable[..., Project]) -> Project:
    return make_project(real=False, fake_annotations=False)


def test_the_fixture_imports_to_files_that_pass_the_check(
        empty: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "-C", str(empty.root), "import", "hypothesis", str(FIXTURE))
    assert status == 0, out
    written = files(empty)
    assert sorted(written) == ["smyth-will-present-it-on-friday.yml", "smyth.yml",
                               "the-council-s-vote-was-5-2.yml", "the-library-and-the-parks.yml"]
    claim = written["the-council-s-vote-was-5-2.yml"]
    assert "kind: claim\n" in claim and "rating: imprecise\n" in claim
    assert "author: ana_checks@hypothes.is\n" in claim
    assert "- url: https://council.example.org/minutes/2024-03-05\n" in claim
    assert "accessed: '2024-03-07'" in claim  # the day the annotator read it
    # "Smyth" occurs four times: the row's prefix picks the third, and the file says so.
    assert "  exact: Smyth\n  prefix: parks.\n" in written["smyth.yml"]
    assert "kind: update\n" in written["smyth-will-present-it-on-friday.yml"]
    assert "[https://council.example.org/budget/2024#spending]" in written[
        "the-library-and-the-parks.yml"]
    status, out, _ = run(capsys, "-C", str(empty.root), "check")
    assert status == 0
    assert "warning: 'title' still holds a placeholder" in out
    assert "warning: 'published' still holds a placeholder" in out
    assert "warning: 'type' still holds a placeholder" in out
    assert "warning: 'rating_reason' still holds a placeholder" in out
    assert "warning: 'date' still holds a placeholder" in out
    assert run(capsys, "-C", str(empty.root), "check", "--strict")[0] == 1


def test_export_then_import_gives_the_same_files(
        empty: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        make_project: Callable[..., Project]) -> None:
    assert run(capsys, "-C", str(empty.root), "import", "hypothesis", str(FIXTURE))[0] == 0
    first = files(empty)
    exported = tmp_path / "export.json"
    assert run(capsys, "-C", str(empty.root), "export", "hypothesis", "-o", str(exported))[0] \
        == 0
    data = json.loads(exported.read_text())
    assert data["total"] == len(data["rows"]) == 4
    row = data["rows"][0]
    assert {"id", "created", "updated", "user", "uri", "text", "tags", "target"} <= set(row)
    assert row["target"][0]["selector"][1]["type"] == "TextQuoteSelector"
    shutil.rmtree(empty.annotations / FAKE_SLUG)
    (empty.annotations / FAKE_SLUG).mkdir()
    assert run(capsys, "-C", str(empty.root), "import", "hypothesis", str(exported))[0] == 0
    assert files(empty) == first


def test_the_dossiers_own_files_survive_the_round_trip(
        make_project: Callable[..., Project], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Hand-written files: every field comes back, from the kind to the archive copies."""
    project = make_project(real=False)
    from dossier.pipeline import check

    before, _ = check(project)
    exported = tmp_path / "export.json"
    assert run(capsys, "-C", str(project.root), "export", "hypothesis", "-o", str(exported))[0] \
        == 0
    shutil.rmtree(project.annotations / FAKE_SLUG)
    (project.annotations / FAKE_SLUG).mkdir()
    assert run(capsys, "-C", str(project.root), "import", "hypothesis", str(exported))[0] == 0
    after, _ = check(project)

    def fields(d: object) -> list[tuple[object, ...]]:
        return sorted((a.id, a.kind, a.title, a.body.rstrip(), a.target, a.sources, a.correction,
                       a.rating, a.rating_reason, a.date, a.author, a.updated, a.article_sha256)
                      for a in d.annotations)  # type: ignore[attr-defined]

    assert fields(after) == fields(before)


def test_bad_rows_are_reported_with_their_id_and_nothing_is_left(
        empty: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = json.loads(FIXTURE.read_text())["rows"][0]
    page_note = {**good, "id": "PageNote01", "target": [{"source": good["uri"]}]}
    elsewhere = {**good, "id": "Elsewhere1", "uri": "https://other.example.org/story"}
    missing = json.loads(json.dumps(good))
    missing["id"] = "NotInText1"
    missing["target"][0]["selector"][2]["exact"] = "the council voted 7-0"
    breaks = {**good, "id": "BadBody001", "text": "A body with <script>alert(1)</script> in it."}
    source = tmp_path / "rows.json"
    source.write_text(json.dumps({"total": 4, "rows": [page_note, elsewhere, missing, breaks]}))
    status, out, err = run(capsys, "-C", str(empty.root), "import", "hypothesis", str(source))
    assert status == 1
    assert "row 1 (id PageNote01): the target has no selectors" in out
    assert "row 2 (id Elsewhere1): no article in seeds/ has the address " in out
    assert "row 3 (id NotInText1): the quoted words are not in seeds/riverton-budget.txt" in out
    assert "row 4 (id BadBody001): the annotation it gives does not pass 'dossier check'" in out
    assert "error: 'body' contains raw HTML" in out
    assert files(empty) == {}  # nothing written, nothing half-written
    assert "0 annotation file(s) written" in err


def test_not_json_is_refused_cleanly(empty: Project, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "broken.json"
    source.write_text('{"rows": [\n  {"id": }\n]}')
    status, _, err = run(capsys, "-C", str(empty.root), "import", "hypothesis", str(source))
    assert status == 1
    assert ":2:10: error: not JSON: Expecting value" in err
    assert err.endswith("dossier import: nothing written\n")
