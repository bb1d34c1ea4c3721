"""`dossier add`: pages, Markdown, text, addresses in; the source, text and provenance out."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES
from dossier.cli import main
from dossier.importing import Options, add
from dossier.pipeline import check
from dossier.problems import DossierError, Severity, summarised
from dossier.project import Project
from dossier.text import blocks, shown

PAGE = FIXTURES / "import" / "news-page.html"
BRIEFING = FIXTURES / "import" / "briefing.md"
TODAY = dt.date(2026, 11, 29)
SLUG = "harbour-bridge-reopens-after-two-year-repair"


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    return make_project(real=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def provenance(project: Project, slug: str) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load((project.seeds / f"{slug}.yml").read_text())
    return data


def test_a_saved_news_page_imports_its_paragraphs_and_metadata(project: Project) -> None:
    planned = add(project, str(PAGE), today=TODAY)
    assert planned.slug == SLUG
    assert sorted(planned.files) == [f"{SLUG}.source.html", f"{SLUG}.txt", f"{SLUG}.yml"]
    assert (project.seeds / f"{SLUG}.source.html").read_bytes() == PAGE.read_bytes()
    text = (project.seeds / f"{SLUG}.txt").read_text(encoding="utf-8")
    found = [(b.kind, shown(text, b.start, b.end, b.hidden)) for b in blocks(text, "paragraphs")]
    assert found == [
        ("headline", "Harbour Bridge Reopens After Two-Year Repair"),
        ("paragraph", "The Old Harbour Bridge reopened to traffic on Tuesday morning, two years "
                      "after engineers closed it when cracks were found in two of its steel "
                      "piers."),
        ("paragraph", "The repair cost 14 million pounds, four million more than the council "
                      "budgeted in 2022, according to figures published by the county's "
                      "highways department."),
        ("paragraph", '"We promised the town its bridge back and we have kept that promise," '
                      "said council leader Marion Smyth, who cut a ribbon at the eastern end "
                      "shortly after six o'clock."),
        ("heading", "Weight limit stays"),
        ("paragraph", "Lorries over 18 tonnes will still have to use the ring road until load "
                      "tests finish in the autumn, the highways department said."),
        ("paragraph", "Nobody should be surprised if the limit stays until next spring."),
        ("paragraph", "Local businesses on Quay Street say they lost up to a third of their "
                      "trade while the bridge was shut.")]
    for unwanted in ("Advertisement", "energy supplier", "About time", "Most read", "cookies",
                     "Skip to content", "Read more", "Photo: Lee Okafor"):
        assert unwanted not in text
    assert provenance(project, SLUG) == {
        "title": "Harbour Bridge Reopens After Two-Year Repair",
        "publisher": "The Riverton Example",
        "author": "Dana Whitfield",
        "url": "https://news.example.org/riverton/harbour-bridge-reopens",
        "published": "2024-05-14",
        "retrieved": TODAY,
        "language": "en-GB",
        "format": "paragraphs",
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "source": {"file": f"{SLUG}.source.html",
                   "sha256": hashlib.sha256(PAGE.read_bytes()).hexdigest(),
                   "media_type": "text/html"},
        "coverage": {"status": "pending", "people": [], "not_annotated": []}}
    meta = (project.seeds / f"{SLUG}.yml").read_text()
    assert 'title: "Harbour Bridge Reopens After Two-Year Repair"  # JSON-LD' in meta


def test_markdown_with_front_matter_keeps_the_body_as_the_text(project: Project) -> None:
    planned = add(project, str(BRIEFING), Options(publisher="Riverton Town Hall"), today=TODAY)
    slug = planned.slug
    assert slug == "press-briefing-by-the-riverton-harbour-master"
    source = BRIEFING.read_bytes()
    assert (project.seeds / f"{slug}.source.md").read_bytes() == source
    text = (project.seeds / f"{slug}.txt").read_bytes()
    assert source.endswith(text) and not text.startswith(b"---")
    data = provenance(project, slug)
    assert {k: data[k] for k in ("title", "publisher", "author", "url", "published",
                                 "language", "format")} == {
        "title": "Press Briefing by the Riverton Harbour Master",
        "publisher": "Riverton Town Hall", "author": "unknown",
        "url": "https://town.example.org/briefings/2024-05-15",
        "published": "2024-05-15", "language": "unknown", "format": "transcript"}


def test_the_new_article_checks_and_reads_as_turns(project: Project) -> None:
    planned = add(project, str(BRIEFING), Options(publisher="Riverton Town Hall",
                                                  language="en"), today=TODAY)
    dossier, problems = check(project)
    article = dossier.article(planned.slug)
    assert [b.kind for b in article.blocks] == ["paragraph", "turn", "turn", "turn", "turn"]
    assert [p.format() for p in summarised(problems)] == [
        f"seeds/{planned.slug}.yml:22:1: warning: 3 statements of seeds/{planned.slug}.txt "
        "with a number, a quotation or a named person have no annotation yet\n"
        "  help: annotate it, or list it under coverage.not_annotated with a reason; coverage "
        "is pending review (coverage.status: pending)\n"
        "  help: 'dossier check --verbose' lists each one"]


def test_plain_text_one_paragraph_per_line(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "wire.txt"
    source.write_text("Ferry Timetable Cut For Summer\nThe ferry will run twice a day.\n")
    planned = add(project, str(source), today=TODAY)
    assert planned.slug == "ferry-timetable-cut-for-summer"
    data = provenance(project, planned.slug)
    assert (data["title"], data["format"], data["url"], data["published"]) == (
        "Ferry Timetable Cut For Summer", "lines", "unknown", "unknown")


def refused(project: Project, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    before = snapshot(project.seeds)
    status = main(["-C", str(project.root), "add", *argv])
    out, err = capsys.readouterr()
    assert (status, out) == (1, "")
    assert snapshot(project.seeds) == before
    assert not list(project.seeds.glob(".*"))
    return err


def test_refusals_say_why_and_write_nothing(project: Project, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    assert refused(project, capsys, str(empty)) == (
        f"{empty}:1:1: error: the source is empty\n  help: nothing to import\n"
        "dossier add: nothing was written\n")
    binary = tmp_path / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    assert refused(project, capsys, str(binary)) == (
        f"{binary}:1:1: error: the source is binary, not a web page or text\n"
        "  help: give a saved page (.html), a Markdown (.md) or a text (.txt) file\n"
        "dossier add: nothing was written\n")
    index = tmp_path / "index.html"
    index.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert refused(project, capsys, str(index)) == (
        f"{index}:1:1: error: no article text could be found in the page\n"
        "  help: save the article's own page (not a home or index page), or copy its text "
        "into a .txt file and add that\n"
        "dossier add: nothing was written\n")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\u00e9 news\nIt opened.\n".encode("latin-1"))
    assert refused(project, capsys, str(latin1)) == (
        f"{latin1}:1:1: error: the source is not UTF-8 text (byte 0xe9 at offset 3)\n"
        "  help: save it as UTF-8 and add it again\ndossier add: nothing was written\n")


def test_an_existing_slug_is_refused(project: Project,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(project, capsys, str(PAGE), "--slug", "riverton-budget") == (
        "seeds/riverton-budget.txt:1:1: error: an article named 'riverton-budget' already "
        "exists\n  help: choose another name with --slug\ndossier add: nothing was written\n")


def test_a_title_with_markup_is_refused(project: Project, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(PAGE.read_text().replace(
        '"headline": "Harbour Bridge Reopens After Two-Year Repair"',
        '"headline": "Bridge <img src=x onerror=alert(1)> reopens"'))
    assert refused(project, capsys, str(page), "--slug", "hostile") == (
        f"{page}:1:1: error: the source's title is not plain text: 'title' contains raw HTML "
        "(a tag) and an event-handler attribute (on\u2026=)\n"
        "  help: give the title yourself with --title\ndossier add: nothing was written\n")
    assert main(["-C", str(project.root), "add", str(page), "--slug", "hostile",
                 "--title", "Bridge reopens"]) == 0


def test_a_title_with_a_hidden_character_is_refused(project: Project, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The text policy applies to what `add` writes, as `check` would apply it after."""
    page = tmp_path / "hidden.html"
    page.write_text(PAGE.read_text().replace(
        '"headline": "Harbour Bridge Reopens After Two-Year Repair"',
        '"headline": "Harbour Bridge Reopens After \u202eriaper Two-Year"'))
    assert refused(project, capsys, str(page), "--slug", "hidden") == (
        f"{page}:1:1: error: the source's title is not plain text: hidden character "
        "U+202E RIGHT-TO-LEFT OVERRIDE\n"
        "  help: give the title yourself with --title\ndossier add: nothing was written\n")


class _Remote(http.server.BaseHTTPRequestHandler):
    """Plays the remote side: a page, a missing page, a PDF and a server that hangs."""

    release = threading.Event()  # set when the test is over: the hanging answer ends

    def do_GET(self) -> None:
        if self.path == "/slow":
            self.release.wait(30)
            return  # the client gave up long ago: answer nothing
        if self.path == "/missing":
            self.send_error(404, "Not Found")
            return
        body, kind = PAGE.read_bytes(), "text/html; charset=utf-8"
        if self.path == "/report.pdf":
            body, kind = b"%PDF-1.7\n", "application/pdf"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True  # server_close() waits for every answer: nothing outlives the test

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (the timeout test) is expected, not news


@pytest.fixture
def remote() -> Iterator[str]:
    _Remote.release.clear()
    server = _Server(("127.0.0.1", 0), _Remote)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _Remote.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


def test_an_address_is_fetched_and_kept(project: Project, remote: str) -> None:
    planned = add(project, f"{remote}/riverton/bridge", today=TODAY)
    assert (project.seeds / f"{planned.slug}.source.html").read_bytes() == PAGE.read_bytes()
    data = provenance(project, planned.slug)
    assert data["source"] == {"file": f"{planned.slug}.source.html",
                              "sha256": hashlib.sha256(PAGE.read_bytes()).hexdigest(),
                              "media_type": "text/html",
                              "address": f"{remote}/riverton/bridge"}
    assert data["url"] == "https://news.example.org/riverton/harbour-bridge-reopens"


def test_address_failures_are_refused(project: Project, remote: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(project, capsys, f"{remote}/missing") == (
        f"{remote}/missing:1:1: error: the address answered HTTP 404 Not Found\n"
        "  help: check the address, or save the page in a browser and add the file\n"
        "dossier add: nothing was written\n")
    assert refused(project, capsys, f"{remote}/report.pdf") == (
        f"{remote}/report.pdf:1:1: error: the address answered with application/pdf, not a "
        "web page or text\n  help: save the article's page or text and add the file\n"
        "dossier add: nothing was written\n")
    assert refused(project, capsys, f"{remote}/slow", "--timeout", "0.5") == (
        f"{remote}/slow:1:1: error: no answer from the address within 0.5 seconds\n"
        "  help: try again later, or save the page in a browser and add the file\n"
        "dossier add: nothing was written\n")


def test_the_command_says_what_it_wrote(project: Project,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(project.root), "add", str(BRIEFING)]) == 0
    out, err = capsys.readouterr()
    slug = "press-briefing-by-the-riverton-harbour-master"
    assert (out, err) == (
        f"dossier add: wrote seeds/{slug}.source.md, seeds/{slug}.txt, seeds/{slug}.yml "
        "(transcript)\n"
        "dossier add: the source does not give: publisher, author, language (recorded as "
        "unknown; supply them with --publisher, --author, --language if you know them from "
        "the source)\n"
        f"dossier add: next, 'dossier check', then annotate with 'dossier new {slug} --kind "
        "context --quote \"\u2026\"'\n", "")


def test_the_importer_is_a_plain_function_of_its_source(project: Project, tmp_path: Path
                                                         ) -> None:
    """Same bytes in, same files out: a later command can plan a new version with it."""
    from dossier.importing import plan, receive

    one = plan(receive(str(PAGE)), Options(), TODAY)
    copy = tmp_path / "copy.html"
    shutil.copy(PAGE, copy)
    assert plan(receive(str(copy)), Options(), TODAY) == one
    with pytest.raises(DossierError):
        plan(receive(str(PAGE)), Options(published="last Tuesday"), TODAY)
    assert Severity.WARNING  # (imported for the summary assertion above)


def test_check_and_the_tests_give_the_same_summarised_coverage_warning(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """A new article with no annotations passes `dossier check`, with one coverage line,
    the line test_content.py passes on to pytest as a warning."""
    from dossier.coverage import coverage_problems

    planned = add(project, str(BRIEFING), Options(publisher="Riverton Town Hall",
                                                  language="en"), today=TODAY)
    capsys.readouterr()
    status = main(["-C", str(project.root), "check"])
    out, _err = capsys.readouterr()
    dossier, _ = check(project)
    article = dossier.article(planned.slug)
    (summary,) = summarised(coverage_problems(article, []))
    assert status == 0
    assert summary.format() + "\n" in out
    assert out.endswith("dossier check: ok: 5 annotations on 2 articles (0 errors, "
                        "3 warnings)\n")


def test_markdown_without_front_matter(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "notes.md"
    source.write_text("# Quay Street Traders Count Their Losses\n\nShops lost a third of "
                      "their trade,\nthe traders' association said.\n")
    planned = add(project, str(source), today=TODAY)
    assert planned.slug == "quay-street-traders-count-their-losses"
    assert (project.seeds / f"{planned.slug}.txt").read_bytes() == source.read_bytes()
    data = provenance(project, planned.slug)
    assert (data["title"], data["format"], data["publisher"]) == (
        "Quay Street Traders Count Their Losses", "paragraphs", "unknown")


def test_an_address_that_is_no_plain_address_is_recorded_as_unknown(
        project: Project, tmp_path: Path) -> None:
    page = tmp_path / "odd.html"
    page.write_text(PAGE.read_text()
                    .replace('"@id": "https://news.example.org/riverton/harbour-bridge-reopens"',
                             '"@id": "https://news.example.org/x\\"onmouseover=alert(1)"'))
    planned = add(project, str(page), Options(slug="odd"), today=TODAY)
    assert provenance(project, planned.slug)["url"] == "unknown"
