"""The real dossier's content: coverage of the article, and sourcing rules."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from conftest import REAL_SLUG
from dossier.coverage import coverage_problems, statements
from dossier.model import KINDS, RATINGS
from dossier.pipeline import check
from dossier.problems import Problem, Severity, summarised
from dossier.project import Project
from dossier.sourcing import listed_host

# Addresses the fact pack flags as mirrors, proxies or re-posts: `dossier check` refuses
# them through the never-cite list, and this keeps them on it.
FLAGGED_HOSTS = ("paperai.life", "wikimili.com", "leeido.eu.org", "diogeneslight.com",
                 "stonewallreview.com", "aroundvicenza.club", "fmimalta.com", "xyrm.com")


@pytest.fixture(scope="module")
def real() -> tuple[object, list[object]]:
    from conftest import ROOT

    dossier, problems = check(Project(ROOT))
    return dossier, problems


def test_the_real_dossier_checks_clean_but_for_archive_copies(real: tuple) -> None:
    """No errors; the only warnings ask for archived copies, which this dossier lacks,
    for the originals of reprints kept because no original could be read, or for
    annotations on an article whose coverage is still pending review."""
    dossier, problems = real
    pending = {a.path for a in dossier.articles if a.coverage and a.coverage.pending}
    assert [p.format() for p in problems
            if not is_archive_warning(p) and not is_kept_reprint(p)
            and not is_pending_gap(p, pending)] == []


def is_archive_warning(p: Problem) -> bool:
    return p.severity is Severity.WARNING and p.message.endswith("have no archive_url")


def is_kept_reprint(p: Problem) -> bool:
    """A reprint kept because no original could be found and read (its note says so)."""
    return p.severity is Severity.WARNING and p.message.endswith(
        "is a reprint without the original's address")


def is_pending_gap(p: Problem, pending: set[str]) -> bool:
    return p.severity is Severity.WARNING and p.group.startswith(
        tuple(f"statements of {path} " for path in pending))


def test_every_statement_is_annotated_or_exempt_with_a_reason(real: tuple) -> None:
    """Complete coverage: no gap at all. Pending coverage: the gaps are a warning here too,
    in the very words `dossier check` uses, so the test run and the check agree."""
    dossier, _ = real
    for article in dossier.articles:
        # This dossier reviews every article's coverage ('dossier add' writes the section);
        # `dossier check` lets a dossier without the practice leave it out.
        assert article.coverage is not None, (
            f"seeds/{article.slug}.yml: add 'coverage:' with 'status: pending', 'people: []' "
            "and 'not_annotated: []', as 'dossier add' writes it")
        gaps = coverage_problems(article, dossier.anchors_for(article.slug))
        if article.coverage.pending:
            assert {p.severity for p in gaps} <= {Severity.WARNING}
            for summary in summarised(gaps):
                warnings.warn(PendingCoverage(summary.format()), stacklevel=1)
        else:
            assert [p.format() for p in gaps] == []


class PendingCoverage(UserWarning):
    """An article whose coverage review is still to be done: reported, not failed."""


def test_coverage_fails_when_a_statement_is_neither(
        make_project: Callable[..., Project]) -> None:
    project = make_project(fake=False)
    for name in ("kirby-title.yml", "kirby-quote.yml"):
        (project.annotations / REAL_SLUG / name).unlink()
    _dossier, problems = check(project)
    errors = [p.message for p in problems if p.severity is Severity.ERROR]
    assert errors == [
        "line 6 of the article has a statement with no annotation: \u201c\"That he has to "
        "farm out the fighting to a foreign country I think speaks volum\u2026\u201d",
        "line 6 of the article has a statement with no annotation: \u201cWhite House "
        "spokesman John Kirby agreed.\u201d"]


def test_a_stale_exemption_is_an_error(make_project: Callable[..., Project]) -> None:
    project = make_project(fake=False)
    meta = project.seeds / f"{REAL_SLUG}.yml"
    meta.write_text(meta.read_text().replace("all out in his effort", "all in"))
    _dossier, problems = check(project)
    assert [(p.severity, p.message) for p in problems
            if not is_archive_warning(p) and not is_kept_reprint(p)] == [
        (Severity.ERROR, "line 7 of the article has a statement with no annotation: "
                           "\u201cPutin is still going all out in his effort to defeat "
                           "Ukraine.\u201d"),
        (Severity.ERROR, "this statement is not in the article")]


def test_statements_keep_quotations_whole_and_skip_abbreviations() -> None:
    text = ("Headline\n"
            'The U.S. said so. U.S. officials agreed, "It is. It was." He left.\n'
            '"One. Two," he said.')
    assert [s.text for s in statements(text)] == [
        "The U.S. said so.", 'U.S. officials agreed, "It is. It was."', "He left.",
        '"One. Two," he said.']


def test_sources_follow_the_sourcing_rules(real: tuple) -> None:
    dossier, _ = real
    for a in dossier.annotations:
        assert a.sources, a.path
        for s in a.sources:
            parts = urlsplit(s.url)
            assert parts.scheme == "https", (a.path, s.url)
            assert listed_host(s.url) is None, (a.path, s.url)
            assert s.publisher and s.published, (a.path, s.url)


def test_every_kind_and_rating_is_used_and_defined_on_the_method_page(real: tuple) -> None:
    from conftest import ROOT

    dossier, _ = real
    assert {a.kind for a in dossier.annotations} == set(KINDS)
    method = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    for rating in RATINGS:
        label = rating.replace("-", " ").capitalize()
        assert f"| **{label}** |" in method, rating
    for a in dossier.annotations:
        if a.kind == "claim":
            assert a.rating in RATINGS and a.rating_reason, a.path


def test_the_misspelling_is_corrected_and_the_later_spelling_left_alone(real: tuple) -> None:
    dossier, _ = real
    fixes = {a.target.exact: a.correction for a in dossier.annotations
             if a.kind == "correction"}
    assert fixes["Kim Jung Un"] == "Kim Jong Un"
    assert "Kim Jong Un" not in fixes


def test_every_annotation_file_names_the_schema(real: tuple) -> None:
    from conftest import ROOT

    for path in sorted((ROOT / "annotations").glob("*/*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == ("# yaml-language-server: "
                         "$schema=../../src/dossier/schemas/annotation.schema.json"), path


def test_a_short_exemption_reason_is_an_error_at_its_line(
        make_project: Callable[..., Project]) -> None:
    """The rule the content tests once kept to themselves, now `dossier check`'s own."""
    project = make_project(fake=False)
    meta = project.seeds / f"{REAL_SLUG}.yml"
    lines = meta.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("reason:"))
    indent = len(lines[at]) - len(lines[at].lstrip())
    end = at + 1  # the folded reason's continuation lines go with it
    while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    lines[at:end] = [" " * indent + "reason: a headline\n"]
    meta.write_text("".join(lines), encoding="utf-8")
    _dossier, problems = check(project)
    (short,) = [p for p in problems if p.severity is Severity.ERROR]
    assert (short.path, short.line) == (f"seeds/{REAL_SLUG}.yml", at + 1)
    assert "at least 40 characters" in short.message + short.help, short.format()
