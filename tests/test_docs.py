"""Documentation that cannot drift from the tool: README examples and command list."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from conftest import REAL_SLUG, ROOT
from dossier.cli import main, parser
from dossier.project import Project

README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_readme_check_example_is_real_output(make_project: Callable[..., Project],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    shown = re.search(r"```\n(annotations/.*?kirby\.yml:.*?)\n```", README, re.S)
    assert shown, "the README's example of check output is missing"
    project = make_project(fake=False)
    (project.annotations / REAL_SLUG / "kirby.yml").write_text(
        "kind: context\ntitle: Kirby's title\ntarget:\n"
        "  exact: White House spokesperson John Kirby\n"
        "body: John Kirby was the National Security Communications Adviser.\n"
        "sources:\n  - url: https://example.org/a\n    title: A page\n"
        "    publisher: Example\n    type: news\n    published: 2024-01-01\n"
        "    accessed: 2024-01-02\n")
    main(["-C", str(project.root), "check"])
    out = capsys.readouterr().out
    assert shown.group(1) in out


@pytest.mark.parametrize("command", sorted(parser()._subparsers._group_actions[0].choices))  # type: ignore[union-attr]
def test_every_command_is_documented(command: str) -> None:
    assert f"dossier {command}" in README + GUIDE, command


def test_two_commands_for_a_fresh_machine() -> None:
    assert "make site" in README and "make test" in README


def test_the_readme_shows_each_machine_format() -> None:
    section = README.split("## What the dossier publishes for machines", 1)[1].split("\n## ", 1)[0]
    for sign in ('"@type": "ClaimReview"', '"type": "TextQuoteSelector"', "<entry>",
                 '"tags": ["claim", "rating:accurate"]', "$ .venv/bin/dossier archive"):
        assert sign in section, sign
