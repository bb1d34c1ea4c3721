"""The contributor workflow around the forge: workflows, templates, hooks, yamllint."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import FAKE_SLUG, ROOT
from dossier.project import Project

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_workflows_validate_against_the_github_workflow_schema() -> None:
    assert len(WORKFLOWS) == 2
    result = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows",
                 *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_workflow_is_caught(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[0].read_text().replace("runs-on:", "run-on:"))
    result = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows",
                 broken)
    assert result.returncode == 1


def test_pull_requests_check_test_and_upload_a_preview() -> None:
    pr = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())
    assert "pull_request" in pr[True]  # YAML 1.1 reads the key `on` as true
    steps = pr["jobs"]["check-and-test"]["steps"]
    commands = [s.get("run", "") for s in steps]
    assert any("make check" in c for c in commands)
    assert any("make test" in c for c in commands)
    uploads = [s["with"]["path"] for s in steps if "upload-artifact" in s.get("uses", "")]
    assert any("build/site" in p for p in uploads)  # each article's PDFs are in build/site/pdf/
    assert not any("dossier.pdf" in p for p in uploads)  # the whole-dossier edition is not built


def test_main_deploys_to_pages() -> None:
    deploy = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text())
    assert deploy[True]["push"]["branches"] == ["main"]
    build_steps = deploy["jobs"]["build"]["steps"]
    assert any(s.get("run") == "make site" for s in build_steps)
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact")
               and s["with"]["path"] == "build/site" for s in build_steps)
    assert deploy["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_pull_request_template_has_the_reviewers_checklist() -> None:
    template = (ROOT / ".github" / "pull_request_template.md").read_text()
    assert template.count("- [ ]") >= 6 and "dossier check" in template


def test_the_reusable_hook_runs_dossier_check(make_project: Callable[..., Project]) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "dossier-check")
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    command = shlex.split(hook["entry"])
    project = make_project(real=False)
    assert run(BIN / command[0], *command[1:], cwd=project.root).returncode == 0
    (project.annotations / FAKE_SLUG / "bad.yml").write_text("kind: [\n")
    failed = run(BIN / command[0], *command[1:], cwd=project.root)
    assert failed.returncode == 1
    assert failed.stdout.startswith(f"annotations/{FAKE_SLUG}/bad.yml:2:1: error: ")


def test_this_repositorys_hooks() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["dossier-check"]["entry"] == "make check"
    assert "-c" in hooks["yamllint"]["args"] and ".yamllint.yml" in hooks["yamllint"]["args"]


def test_yamllint_accepts_the_dossier_and_agrees_with_the_schema(tmp_path: Path) -> None:
    result = run(BIN / "yamllint", "--strict", "-c", ROOT / ".yamllint.yml",
                 ROOT / "annotations", ROOT / "seeds")
    assert result.returncode == 0, result.stdout
    for name in ("duplicate-key.yml", "tab.yml"):
        example = ROOT / "tests" / "example-files" / "negative" / name
        shutil.copy(example, tmp_path / name)
        assert run(BIN / "yamllint", "-c", ROOT / ".yamllint.yml",
                   tmp_path / name).returncode == 1, name


@pytest.mark.parametrize("path", sorted((ROOT / "annotations").glob("*/*.yml")),
                         ids=lambda p: p.stem)
def test_annotation_files_name_the_schema_for_editors(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (path.parent / first.split("=", 1)[1]).resolve().is_file()


def test_pull_requests_run_in_debian_with_its_chromium() -> None:
    """Ubuntu's chromium is a snap that often cannot start in CI: use Debian's package."""
    pr = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())
    job = pr["jobs"]["check-and-test"]
    assert job["container"]["image"].startswith("debian:")
    assert job["env"]["DOSSIER_CHROMIUM"] == "/usr/bin/chromium"
    install = next(s["run"] for s in job["steps"] if "apt-get install" in s.get("run", ""))
    assert "chromium" in install.split() and "sudo" not in install
    assert "snap" not in yaml.safe_dump(job)
    steps = [s.get("uses", s.get("run", "")) for s in job["steps"]]
    assert steps.index(next(s for s in steps if "apt-get install" in s)) < steps.index(
        next(s for s in steps if s.startswith("actions/checkout")))  # git before checkout
