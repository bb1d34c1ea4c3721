"""`dossier new`: a file that anchors, that never overwrites, and that check accepts once filled."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import FAKE_SLUG
from dossier.cli import main
from dossier.pipeline import check
from dossier.problems import Severity
from dossier.project import Project

FOLDER = f"annotations/{FAKE_SLUG}"


def run(capsys: pytest.CaptureFixture[str], project: Project, *argv: str) -> tuple[int, str,
                                                                                      str]:
    status = main(["-C", str(project.root), "new", FAKE_SLUG, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def fill(text: str) -> str:
    return (text.replace('title: ""', "title: Filled in")
            .replace("body: |\n  \n", "body: |\n  A body that says enough.\n")
            .replace("  []\n", "  - url: https://example.org/a\n    title: A page\n"
                     "    publisher: Example\n    type: news\n    published: 2024-01-01\n"
                     "    accessed: 2024-01-02\n"
                     "    archive_url: https://web.archive.org/web/2024/https://example.org/a\n"))


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    return make_project(real=False, fake_annotations=False)


def test_new_file_passes_check_once_title_body_and_sources_are_written(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, project, "--kind", "context", "--quote", "approved a budget") == (
        0, f"dossier new: wrote {FOLDER}/approved-a-budget.yml (the only occurrence); fill in "
           "the title, body and sources, then run 'dossier check'\n", "")
    path = project.annotations / FAKE_SLUG / "approved-a-budget.yml"
    text = path.read_text()
    modeline = text.splitlines()[0]
    assert modeline.startswith("# yaml-language-server: $schema=")
    schema = (path.parent / modeline.split("=", 1)[1]).resolve()
    assert schema.name == "annotation.schema.json" and '"$schema"' in schema.read_text()
    _dossier, problems = check(project)
    assert sorted(p.message for p in problems) == [
        "'body' is empty", "'sources' needs at least 1 item(s)", "'title' is empty"]
    path.write_text(fill(text))
    dossier, problems = check(project)
    assert problems == [] and [a.id for a in dossier.annotations] == ["approved-a-budget"]


def test_every_kind_scaffolds(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    for kind in ("context", "source", "correction", "update", "claim"):
        assert run(capsys, project, "--kind", kind, "--quote", "the parks")[0] == 0
    for path in (project.annotations / FAKE_SLUG).glob("*.yml"):
        path.write_text(fill(path.read_text()))
    dossier, problems = check(project)
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    assert sorted(a.kind for a in dossier.annotations) == sorted(
        ["context", "source", "correction", "update", "claim"])
    # What still needs a human is flagged, not silently accepted.
    assert sorted(p.message for p in problems) == [
        "'rating_reason' still holds a placeholder",
        "the correction repeats the article's words"]


def test_ambiguous_quote_gets_a_disambiguating_context(project: Project,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    assert run(capsys, project, "--kind", "context", "--quote", "Smyth said")[0] == 0
    assert run(capsys, project, "--kind", "context", "--quote", "Smyth said",
               "--occurrence", "2")[0] == 0
    first = (project.annotations / FAKE_SLUG / "smyth-said.yml").read_text()
    second = (project.annotations / FAKE_SLUG / "smyth-said-2.yml").read_text()
    assert 'suffix: ". The"' in first  # the shorter of the prefix and the suffix
    assert 'suffix: "the"' in second
    for name in ("smyth-said.yml", "smyth-said-2.yml"):
        path = project.annotations / FAKE_SLUG / name
        path.write_text(fill(path.read_text()))
    dossier, problems = check(project)
    assert problems == []
    starts = sorted(a.start for a in dossier.anchors_for(FAKE_SLUG))
    text = (project.seeds / f"{FAKE_SLUG}.txt").read_text()
    assert [text[s:s + 10] for s in starts] == ["Smyth said", "Smyth said"]


def test_quote_not_found_stops_with_the_nearest_match(project: Project,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    assert run(capsys, project, "--kind", "context", "--quote", "budget of 12 milion") == (
        1, "",
        f'seeds/{FAKE_SLUG}.txt:1:1: error: the quote is not in the article: '
        '"budget of 12 milion"\n'
        '  help: nearest match (95% alike) on line 2 of the article: exact: '
        '"budget of $12 million"\n'
        "dossier new: no file written\n")
    assert list((project.annotations / FAKE_SLUG).iterdir()) == []


def test_unknown_article(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["-C", str(project.root), "new", "nope", "--kind", "context",
                   "--quote", "x"])
    assert status == 1
    assert capsys.readouterr().err == (
        f"dossier new: no article named 'nope' (known: {FAKE_SLUG})\n")


def test_new_says_which_occurrence_it_chose_and_why(project: Project,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, project, "--kind", "context", "--quote", "Smyth said")
    assert status == 0
    assert out.startswith(
        f"dossier new: wrote {FOLDER}/smyth-said.yml (occurrence 1 of 2, on line 3; suffix "
        "added; --occurrence N picks another); fill in")
    status, out, _ = run(capsys, project, "--kind", "context", "--quote", "Smyth said",
                         "--occurrence", "2")
    assert "(occurrence 2 of 2, on line 5, as asked; suffix added); fill in" in out


def test_new_refuses_a_quote_across_paragraphs(project: Project,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, project, "--kind", "context", "--quote",
               "Smyth. \"We have done the work,\"") == (
        1, "",
        f"seeds/{FAKE_SLUG}.txt:2:1: error: the quote runs across two paragraphs\n"
        "  help: it starts on line 2 of the article and ends on line 3, in another paragraph; "
        "split it into one annotation per paragraph, or shorten it\n"
        "dossier new: no file written\n")
    assert list((project.annotations / FAKE_SLUG).iterdir()) == []


def test_new_writes_a_wrapped_quote_on_one_line_that_anchors(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """A quote across a line break inside a paragraph: `exact:` is one line, and anchors."""
    import hashlib

    text = ("Budget night\n\nThe council met on\nTuesday, and \u201cvoted\u201d 5\u20132.\n\n"
            "It adjourned.\n")
    (project.seeds / "wrapped.txt").write_text(text, encoding="utf-8")
    (project.seeds / "wrapped.yml").write_text(
        "title: Budget night\npublisher: Example\nurl: https://example.org/w\n"
        "published: 2024-01-01\nretrieved: 2024-01-02\nlanguage: en\nformat: paragraphs\n"
        f"sha256: {hashlib.sha256(text.encode()).hexdigest()}\n")
    status = main(["-C", str(project.root), "new", "wrapped", "--kind", "context",
                   "--quote", 'met on Tuesday, and "voted" 5-2'])
    assert status == 0, capsys.readouterr()
    written = (project.annotations / "wrapped" / "met-on-tuesday-and-voted-52.yml").read_text()
    assert '  exact: "met on Tuesday, and \\u201cvoted\\u201d 5\\u20132"' not in written
    assert '  exact: "met on Tuesday, and \u201cvoted\u201d 5\u20132"\n' in written
    (project.annotations / "wrapped" / "met-on-tuesday-and-voted-52.yml").write_text(
        fill(written))
    dossier, problems = check(project)
    assert problems == []
    (anchor,) = dossier.anchors_for("wrapped")
    assert text[anchor.start:anchor.end] == "met on\nTuesday, and \u201cvoted\u201d 5\u20132"
