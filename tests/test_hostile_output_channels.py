"""What a hostile file can print: nothing that a CI runner reads as a workflow command.

``dossier check`` echoes paths, keys and values from contributors' files.  A
newline in a key or in a file name must not start a new output line (GitHub
reads a line beginning ``::`` as a workflow command: ``::stop-commands::``
would switch off the real error annotations, ``::notice::`` would add fake
ones), and the GitHub format must follow the workflow-command escaping rules.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FAKE_SLUG
from dossier.cli import github_data, github_property, main
from dossier.problems import Problem, printable
from dossier.project import Project

GOOD = (b"kind: context\ntitle: A plain title\ntarget:\n  exact: approved a budget\n"
        b"body: A plain body of ten or more characters.\nsources:\n"
        b"  - url: https://example.org/page\n    title: A page\n    publisher: Example\n"
        b"    published: 2024-01-01\n    accessed: 2024-01-02\n"
        b"    archive_url: https://web.archive.org/web/2024/https://example.org/page\n")

COMMAND = re.compile(r"^::(error|warning) file=[^:,\r\n]*,line=\d+,col=\d+::[^\r\n]*$")


def _run(project: Project, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    status = main(["-C", str(project.root), "check"])
    out, err = capsys.readouterr()
    assert status == 1
    lines = (out + err).split("\n")
    for line in lines:
        assert not line.startswith("::") or COMMAND.match(line), line
        assert "\r" not in line
    return lines


def test_a_newline_in_a_key_cannot_inject_a_workflow_command(
        make_project: Callable[..., Project], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(real=False, fake_annotations=False)
    (project.annotations / FAKE_SLUG / "key.yml").write_bytes(
        GOOD + b'"x\\n::stop-commands::token\\r\\n::notice::All checks passed": 1\n')
    lines = _run(project, capsys, monkeypatch)
    assert (f"annotations/{FAKE_SLUG}/key.yml:13:1: error: unknown field "
            "'x\\x0a::stop-commands::token\\x0d\\x0a::notice::All checks passed'") in lines
    assert any(line.startswith("::error file=annotations/") and
               "unknown field 'x%0A::stop-commands::token%0D%0A::notice::All checks passed'"
               in line for line in lines)


def test_a_newline_in_a_file_name_cannot_inject_a_workflow_command(
        make_project: Callable[..., Project], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(real=False, fake_annotations=False)
    name = "a\n::notice::All checks passed\n.yml"
    (project.annotations / FAKE_SLUG / name).write_bytes(GOOD)
    lines = _run(project, capsys, monkeypatch)
    shown = f"annotations/{FAKE_SLUG}/a\\x0a::notice::All checks passed\\x0a.yml"
    assert any(line.startswith(f"{shown}:1:1: error: annotation id ") for line in lines), lines
    assert any(line.startswith(
        f"::error file=annotations/{FAKE_SLUG}/a%0A%3A%3Anotice%3A%3AAll checks passed%0A.yml,"
        "line=1,col=1::") for line in lines), lines


def test_github_escaping_follows_the_workflow_command_rules() -> None:
    assert github_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert github_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"


def test_text_output_escapes_controls_and_separators() -> None:
    assert printable("a\nb\rc\x1b[31md\u2028e\u202ef") == (
        "a\\x0ab\\x0dc\\x1b[31md\\u2028e\\u202ef")
    problem = Problem("x\n::error::y.yml", 1, 1, "bad\n::notice::ok", "first\n::warning::x")
    lines = problem.format().split("\n")
    assert lines == ["x\\x0a::error::y.yml:1:1: error: bad\\x0a::notice::ok",
                     "  help: first", "  help: ::warning::x"]


def test_every_code_point_is_escaped_exactly_when_its_category_says() -> None:
    """printable's quick path (str.isprintable) lets nothing through that must be escaped."""
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        escaped = unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        assert (printable(f"a{ch}b") != f"a{ch}b") == escaped, hex(code)


@pytest.mark.parametrize("where", ["annotations", "seeds", "article-folder"])
def test_symlinked_folders_are_refused(where: str, make_project: Callable[..., Project],
                                       tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(real=False, fake_annotations=False)
    outside = tmp_path / "outside"
    if where == "article-folder":
        outside.mkdir()
        (outside / "secret.yml").write_bytes(GOOD.replace(b"A plain title", b"SECRET VALUE"))
        folder = project.annotations / FAKE_SLUG
        folder.rmdir()
        os.symlink(outside, folder)
        shown = f"annotations/{FAKE_SLUG}"
    else:
        folder = project.root / where
        os.rename(folder, outside)
        os.symlink(outside, folder)
        shown = where
    assert main(["-C", str(project.root), "check"]) == 1
    out = capsys.readouterr().out
    assert f"{shown}:1:1: error: folder is a symbolic link" in out.splitlines()
    assert "SECRET" not in out
