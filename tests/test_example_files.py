"""Good and bad annotation files, collected from tests/example-files/.

Each negative file is checked alone against the made-up Riverton article,
and what ``dossier check`` reports must equal its ``.expected`` file to the
character (``pytest --update-golden`` rewrites them; review the diff).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FAKE_SLUG, new_project
from dossier.cli import main
from dossier.pipeline import check
from dossier.problems import Severity

EXAMPLES = Path(__file__).parent / "example-files"
POSITIVE = sorted((EXAMPLES / "positive").glob("*.yml"))
NEGATIVE = sorted((EXAMPLES / "negative").glob("*.yml"))
# Negative examples that only warn: check reports them but exits 0 (1 with --strict).
WARNING_ONLY = {"possible-duplicate", "plain-http-source"}


def check_alone(example: Path, tmp_path: Path) -> list[str]:
    project = new_project(tmp_path / "p", real=False, fake_annotations=False)
    shutil.copy(example, project.annotations / FAKE_SLUG / example.name)
    _dossier, problems = check(project)
    return [p.format() for p in problems]


@pytest.mark.parametrize("example", POSITIVE, ids=lambda p: p.stem)
def test_positive(example: Path, tmp_path: Path) -> None:
    assert check_alone(example, tmp_path) == []


@pytest.mark.parametrize("example", NEGATIVE, ids=lambda p: p.stem)
def test_negative(example: Path, tmp_path: Path, update_golden: bool) -> None:
    found = "\n".join(check_alone(example, tmp_path)) + "\n"
    expected = example.with_suffix(".expected")
    if update_golden:
        expected.write_text(found, encoding="utf-8")
    assert found.strip(), "a negative example must produce at least one problem"
    assert f"annotations/{FAKE_SLUG}/{example.name}:" in found
    assert (": error: " in found) == (example.stem not in WARNING_ONLY)
    assert found == expected.read_text(encoding="utf-8")


def test_every_negative_has_its_expected_output() -> None:
    assert NEGATIVE
    missing = [p.name for p in NEGATIVE if not p.with_suffix(".expected").exists()]
    assert not missing


def test_fixture_annotations_are_clean(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    dossier, problems = check(project)
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    assert len(dossier.annotations) == len(list(project.annotations.glob("*/*.yml")))


@pytest.mark.parametrize("example", NEGATIVE, ids=lambda p: p.stem)
@pytest.mark.parametrize("form", ["json", "github"])
def test_negative_in_machine_formats(example: Path, form: str, tmp_path: Path,
                                     update_golden: bool, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The same problems, as JSON and as GitHub workflow commands, to the character."""
    project = new_project(tmp_path / "p", real=False, fake_annotations=False)
    shutil.copy(example, project.annotations / FAKE_SLUG / example.name)
    argv = ["-C", str(project.root), "check"]
    if form == "json":
        argv += ["--format", "json"]
    else:
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
    only_warnings = example.stem in WARNING_ONLY
    assert main(argv) == (0 if only_warnings else 1)
    out = capsys.readouterr().out
    if form == "github":
        out = "".join(line + "\n" for line in out.splitlines() if line.startswith("::"))
    expected = example.with_suffix(f".expected.{form}")
    if update_golden:
        expected.write_text(out, encoding="utf-8")
    assert out == expected.read_text(encoding="utf-8")
