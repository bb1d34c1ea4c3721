"""Reader-safety warnings: valid markup that could still mislead a reader.

A link whose text is one address and whose target is another; a correction
whose only changes are look-alike characters; a quote that begins or ends
inside a word.  Each is a warning at its line and column with the fix, and
``--strict`` fails on it (the split word becomes an error).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml

from conftest import FAKE_SLUG, ROOT
from dossier.cli import main
from dossier.load import sha256_text
from dossier.pipeline import check
from dossier.project import Project
from dossier.readersafety import confusable_changes, shown_host

SOURCE = {"url": "https://example.org/page", "title": "A page", "publisher": "Example",
          "type": "news", "published": "2024-01-01", "accessed": "2024-01-02",
          "archive_url": "https://web.archive.org/web/2024/https://example.org/p"}


def _write(project: Project, name: str, **fields: object) -> str:
    data = {"kind": "context", "title": "A plain title",
            "target": {"exact": "approved a budget"},
            "body": "A plain body of ten or more characters.", **fields,
            "sources": [SOURCE], "article_sha256": sha256_text(
                (project.seeds / f"{FAKE_SLUG}.txt").read_text(encoding="utf-8"))}
    (project.annotations / FAKE_SLUG / f"{name}.yml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**9),
        encoding="utf-8")
    return f"annotations/{FAKE_SLUG}/{name}.yml"


def _check(project: Project, capsys: pytest.CaptureFixture[str], *options: str
           ) -> tuple[int, list[str]]:
    status = main(["-C", str(project.root), "check", "--no-cache", "--verbose", *options])
    out, err = capsys.readouterr()
    return status, (out + err).splitlines()


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    return make_project(real=False, fake_annotations=False)


# --- link text that shows another address ----------------------------------------------

def test_link_text_showing_another_address_is_a_located_warning(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    shown = _write(project, "phish",
                   body="See [https://www.state.gov/statement](https://evil.example/phish).")
    status, lines = _check(project, capsys)
    assert status == 0
    assert lines[lines.index(
        f"{shown}:5:12: warning: the link text 'https://www.state.gov/statement' shows the "
        "address of state.gov, but the link goes to evil.example") + 1] == (
        "  help: make the link's text the address it goes to (https://evil.example/phish), "
        "or words that are not an address")
    assert _check(project, capsys, "--strict")[0] == 1


def test_a_bare_domain_as_link_text_counts_too(project: Project,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    shown = _write(project, "domain")
    path = project.root / shown
    path.write_text(path.read_text(encoding="utf-8").replace(
        "body: A plain body of ten or more characters.\n",
        "body: |\n  Said on\n  [state.gov](https://evil.example/x) today.\n"), encoding="utf-8")
    _status, lines = _check(project, capsys)
    assert (f"{shown}:7:4: warning: the link text 'state.gov' shows the address of "
            "state.gov, but the link goes to evil.example") in lines


@pytest.mark.parametrize("body", [
    "[state.gov](https://www.state.gov/statement)",
    "[https://www.state.gov/statement](https://www.state.gov/statement)",
    "[www.state.gov](https://2021-2025.state.gov/briefing)",  # the shown site's own sub-site
    "[the State Department's statement](https://evil.example/phish)",  # words, not an address
    "[U.S.](https://www.state.gov/) and [3.5](https://example.org/)",
])
def test_honest_links_are_not_warned_about(body: str, project: Project,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _write(project, "honest", body=body)
    status, lines = _check(project, capsys, "--strict")
    assert status == 0, lines


def test_what_reads_as_an_address() -> None:
    assert shown_host("https://www.State.gov/statement") == "state.gov"
    assert shown_host("<www.state.gov>") == "state.gov"
    assert shown_host("bücher.example") == "xn--bcher-kva.example"
    assert [shown_host(t) for t in ("U.S.", "e.g.", "3.5", "the statement", "Mr. Smith")] == [
        None] * 5


# --- a correction that only swaps look-alike characters -------------------------------------

def test_a_correction_of_look_alike_letters_only_is_a_located_warning(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    shown = _write(project, "lookalike", kind="correction", target={"exact": "Jon Smyth"},
                   correction="J\u043en Smyth")
    status, lines = _check(project, capsys)
    assert status == 0
    warning = (f"{shown}:6:13: warning: the correction differs from the article's words only "
               "by look-alike characters: '\u043e' (U+043E CYRILLIC SMALL LETTER O) for 'o' "
               "(U+006F LATIN SMALL LETTER O)")
    assert lines[lines.index(warning) + 1] == (
        "  help: readers cannot see this change: type the correction with the letters it "
        "means, or correct what is really wrong")
    assert _check(project, capsys, "--strict")[0] == 1


def test_a_real_correction_is_not_warned_about(project: Project,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    _write(project, "real", kind="correction", target={"exact": "Jon Smyth"},
           correction="John Smith")
    status, lines = _check(project, capsys, "--strict")
    assert status == 0, lines


def test_which_changes_are_look_alike_swaps() -> None:
    assert confusable_changes("10,000", "10,OOO") == [("0", "O")] * 3
    assert confusable_changes("modern", "rnodern") == [("m", "rn")]
    assert confusable_changes("Jon", "John") == []  # a letter added: a real change
    assert confusable_changes("Jon", "Jan") == []
    assert confusable_changes("Jon", "Jon") == []


# --- a quote that begins or ends inside a word ---------------------------------------------

def test_a_quote_inside_words_is_a_warning_and_with_strict_an_error(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    shown = _write(project, "split", target={"exact": "ity council of Riv"})
    status, lines = _check(project, capsys)
    assert status == 0
    message = ("the quote 'ity council of Riv' begins inside the word 'city' and ends inside "
               "the word 'Riverton'")
    assert lines[lines.index(f"{shown}:4:10: warning: {message}") + 1] == (
        "  help: quote whole words: exact: city council of Riverton")
    status, lines = _check(project, capsys, "--strict")
    assert status == 1
    assert f"{shown}:4:10: error: {message}" in lines


@pytest.mark.parametrize("exact, message", [
    ("ll go", None),  # not in this article: the quote is not found, an error of its own
    ("ouncil of", "the quote 'ouncil of' begins inside the word 'council'"),
    ("council of R", "the quote 'council of R' ends inside the word 'Riverton'"),
    ("$12 million", None),
    ("5-2", None),
    ("the city's history", None),
])
def test_where_a_quote_splits_a_word(exact: str, message: str | None, project: Project) -> None:
    _write(project, "q", target={"exact": exact})
    _dossier, problems = check(project, cache=False)
    split = [p.message for p in problems if "inside the word" in p.message]
    assert split == ([message] if message else [])


def test_the_real_articles_trip_none_of_the_warnings() -> None:
    _dossier, problems = check(Project(ROOT), strict=True, cache=False)
    assert [p.format() for p in problems
            if "inside the word" in p.message or "look-alike" in p.message
            or "shows the address" in p.message] == []


def test_the_look_alike_table_is_the_librarys_confusables_both_ways() -> None:
    from confusable_homoglyphs import confusables

    from dossier.readersafety import _looks_alike

    pairs: dict[str, set[str]] = {}
    for char, homoglyphs in confusables.confusables_data.items():
        for glyph in homoglyphs:
            other = glyph["c"].strip("\u200e\u200f")
            pairs.setdefault(char, set()).add(other)
            pairs.setdefault(other, set()).add(char)
    assert len(pairs) > 5000 and _looks_alike() == pairs
