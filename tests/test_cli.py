"""The dossier command: exact output and exit status."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import FAKE_SLUG
from dossier.cli import main
from dossier.project import Project

BAD = f"annotations/{FAKE_SLUG}/bad.yml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    return make_project(real=False)


def break_it(project: Project) -> None:
    (project.annotations / FAKE_SLUG / "bad.yml").write_text(
        "kind: context\ntitle: Tuesday\ntarget:\n  exact: on Wednesday\nbody: It was Tuesday.\n"
        "sources:\n  - url: https://example.org/x\n    title: X page\n    publisher: Xpub\n"
        "    type: news\n    published: 2024-13-01\n    accessed: 2024-03-06\n")


def test_check_ok(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "-C", str(project.root), "check") == (
        0, "dossier check: ok: 5 annotations on 1 article\n", "")


def test_check_reports_every_problem(project: Project,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    break_it(project)
    assert run(capsys, "-C", str(project.root), "check") == (
        1,
        f"{BAD}:11:16: error: 'sources[0].published' is not a real date: '2024-13-01'\n"
        "  help: check the month (01-12) and the day of the month\n",
        "dossier check: 1 error\n")
    (project.annotations / FAKE_SLUG / "bad.yml").write_text(
        (project.annotations / FAKE_SLUG / "bad.yml").read_text().replace("2024-13-01",
                                                                         "2024-03-01"))
    assert run(capsys, "-C", str(project.root), "check") == (
        1,
        f'{BAD}:4:10: error: quote not found in seeds/{FAKE_SLUG}.txt: "on Wednesday"\n'
        '  help: nearest match (73% alike) on line 2 of the article: exact: "on Tuesday"\n',
        "dossier check: 1 error\n")


def test_check_json(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    break_it(project)
    status, out, err = run(capsys, "-C", str(project.root), "check", "--format", "json")
    assert (status, err) == (1, "")
    assert json.loads(out) == {"ok": False, "problems": [{
        "path": BAD, "line": 11, "col": 16, "severity": "error",
        "message": "'sources[0].published' is not a real date: '2024-13-01'",
        "help": "check the month (01-12) and the day of the month"}]}


def test_check_on_github_actions(project: Project, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    break_it(project)
    status, out, _err = run(capsys, "-C", str(project.root), "check")
    assert status == 1
    assert out.splitlines()[-1] == (
        f"::error file={BAD},line=11,col=16::'sources[0].published' is not a real date: "
        "'2024-13-01' (check the month (01-12) and the day of the month)")


def test_warnings_fail_only_with_strict(project: Project,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = project.annotations / FAKE_SLUG / "mayor-role.yml"
    path.write_text(path.read_text().replace("https://council.example.org/charter",
                                             "http://council.example.org/charter"))
    warning = (f"annotations/{FAKE_SLUG}/mayor-role.yml:8:10: warning: 'sources[0].url' "
               "uses http://, not https://\n  help: use the https:// address if the site has "
               "one\n")
    assert run(capsys, "-C", str(project.root), "check") == (
        0, warning + "dossier check: ok: 5 annotations on 1 article (0 errors, 1 warning)\n",
        "")
    assert run(capsys, "-C", str(project.root), "check", "--strict") == (
        1, warning, "dossier check: 0 errors, 1 warning\n")


def test_build(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "-C", str(project.root), "build") == (
        0, "dossier build: 5 annotations on 1 article(s) -> build/site\n",
        "dossier build: note: mkdocs.yml sets no site_url, so the feed's links (feed.xml) "
        "are relative and its ids are tag: URIs\n")
    assert (project.build / "site" / "articles" / f"{FAKE_SLUG}.html").is_file()


def test_build_with_a_site_address_says_nothing_of_the_feed(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    with (project.root / "mkdocs.yml").open("a") as config:
        config.write("\nsite_url: https://checks.example.org/dossier/\n")
    assert run(capsys, "-C", str(project.root), "build") == (
        0, "dossier build: 5 annotations on 1 article(s) -> build/site\n", "")
    feed = (project.build / "site" / "feed.xml").read_text()
    assert "<id>https://checks.example.org/dossier/feed.xml</id>" in feed


def test_build_fails_cleanly(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    break_it(project)
    assert run(capsys, "-C", str(project.root), "build") == (
        1, "",
        f"{BAD}:11:16: error: 'sources[0].published' is not a real date: '2024-13-01'\n"
        "  help: check the month (01-12) and the day of the month\n"
        "dossier build: failed with 1 error; the previous build was left as it was\n")


def test_not_a_project(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "-C", str(tmp_path), "check")
    assert (status, out) == (2, "")
    assert err.startswith("dossier: no dossier project at or above ")


def test_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["chekc"])
    assert exit.value.code == 2
    assert "invalid choice: 'chekc'" in capsys.readouterr().err


def test_an_internal_error_is_one_line_not_a_traceback(
        project: Project, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import dossier.pipeline

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dossier.pipeline, "build", broken)  # (the command imports it as it runs)
    status, out, err = run(capsys, "-C", str(project.root), "build")
    assert (status, out) == (3, "")
    assert err == ("dossier: internal error (OSError: [Errno 28] No space left on device); "
                   "nothing was lost. Rerun with DOSSIER_DEBUG=1 to see where, and please "
                   "report it.\n")


def test_repeated_warnings_are_one_line_unless_verbose(
        make_project: Callable[..., Project], capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(fake=False)
    status, out, _ = run(capsys, "-C", str(project.root), "check")
    assert status == 0
    assert out.count("have no archive_url") == 1
    assert ": warning: 31 annotations cite sources that have no archive_url (31 files)\n" in out
    assert "  help: 'dossier check --verbose' lists each one\n" in out
    _, out, _ = run(capsys, "-C", str(project.root), "check", "--verbose")
    assert out.count("have no archive_url") == 31


def test_check_paths_reports_only_those_files(project: Project,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    break_it(project)
    other = project.annotations / FAKE_SLUG / "mayor-name.yml"
    status, out, _ = run(capsys, "-C", str(project.root), "check", str(other))
    assert (status, out) == (0, "dossier check: ok: 5 annotations on 1 article\n")
    status, out, _ = run(capsys, "-C", str(project.root), "check",
                         str(project.annotations / FAKE_SLUG / "bad.yml"))
    assert status == 1 and out.startswith(f"{BAD}:")
    article = project.seeds / f"{FAKE_SLUG}.txt"
    (project.seeds / f"{FAKE_SLUG}.yml").write_text(
        (project.seeds / f"{FAKE_SLUG}.yml").read_text().replace("language: en", "language: EN"))
    status, out, _ = run(capsys, "-C", str(project.root), "check", str(article))
    assert status == 1 and out.startswith(f"seeds/{FAKE_SLUG}.yml:")
    assert run(capsys, "-C", str(project.root), "check", "nope.yml") == (
        2, "", "dossier check: no such file: nope.yml\n")
