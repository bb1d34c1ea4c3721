"""Hostile input: every XSS payload in every field is reported; hostile files fail cleanly.

Speed is not asserted here (a loaded machine would fail it): ``bench/hostile.py``
times the worst shapes; these tests check what is refused and where.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import FAKE_SLUG
from dossier.cli import main
from dossier.pipeline import check
from dossier.problems import Severity
from dossier.project import Project
from hostile_corpus import FIELDS, PAYLOADS, annotation_with


def test_the_corpus_is_large_enough() -> None:
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=lambda i: f"payload-{i:03d}")
def test_check_reports_the_payload_in_every_field(index: int, tmp_path: Path,
                                                  make_project: Callable[..., Project]
                                                  ) -> None:
    payload = PAYLOADS[index]
    project = make_project(real=False, fake_annotations=False)
    folder = project.annotations / FAKE_SLUG
    for i, field in enumerate(FIELDS):
        (folder / f"f{i}.yml").write_text(
            yaml.safe_dump(annotation_with(field, payload), allow_unicode=True,
                           sort_keys=False), encoding="utf-8")
    dossier, problems = check(project)
    flagged = {p.path for p in problems if p.severity is Severity.ERROR}
    missed = [FIELDS[i] for i in range(len(FIELDS))
              if f"annotations/{FAKE_SLUG}/f{i}.yml" not in flagged]
    assert missed == [], f"not reported in {missed}: {payload!r}"
    assert dossier.anchors_for(FAKE_SLUG) == []  # nothing hostile reaches the renderer


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


GOOD = (b"kind: context\ntitle: A plain title\ntarget:\n  exact: approved a budget\n"
        b"body: A plain body of ten or more characters.\nsources:\n"
        b"  - url: https://example.org/page\n    title: A page\n    publisher: Example\n"
        b"    type: news\n"
        b"    published: 2024-01-01\n    accessed: 2024-01-02\n"
        b"    archive_url: https://web.archive.org/web/2024/https://example.org/page\n")

FILE_CASES: dict[str, tuple[str, bytes, str]] = {
    # name: (file name, content, expected first line of output, or "" when accepted)
    "alias-bomb": ("bomb.yml", b"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                   + b"".join(b"%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n"
                              % ((98 + i,) * 2 + (97 + i,) * 9) for i in range(8)),
                   "bomb.yml:1:4: error: YAML anchor '&a' is not allowed"),
    "ten-megabytes": ("big.yml", b"body: '" + b"x" * 10_000_000 + b"'\n",
                      "big.yml:1:1: error: file is 10,000,009 bytes; an annotation file may "
                      "be at most 1,000,000"),
    "deep-nesting": ("deep.yml", b"a: " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
                     "deep.yml:1:23: error: nested more than 20 levels deep"),
    "duplicate-keys": ("dup.yml", GOOD + b"title: Another title\n",
                       "dup.yml:14:1: error: duplicate key 'title' (first written at line 2);"
                       " YAML would silently keep only this one"),
    "invalid-utf8": ("latin1.yml", GOOD.replace(b"A plain title", b"Caf\xe9 title"),
                     "latin1.yml:2:11: error: byte 0xe9 is not valid UTF-8"),
    "byte-order-mark": ("bom.yml", b"\xef\xbb\xbf" + GOOD, ""),
    "crlf": ("crlf.yml", GOOD.replace(b"\n", b"\r\n"), ""),
    "tabs": ("tabs.yml", GOOD.replace(b"  exact:", b"\texact:"),
             "tabs.yml:4:1: error: tab character in indentation"),
    "empty": ("empty.yml", b"", "empty.yml:1:1: error: file is empty"),
    "list-at-top": ("list.yml", b"- kind: context\n",
                    "list.yml:1:1: error: the file holds a list; it must hold fields "
                    "(key: value)"),
    "scalar-at-top": ("scalar.yml", b"just a sentence\n",
                      "scalar.yml:1:1: error: the file holds a single value; it must hold "
                      "fields (key: value)"),
    "binary": ("binary.yml", bytes(range(256)) * 40,
               "binary.yml:1:1: error: file is binary, not YAML text"),
    "space-in-name": ("my note.yml", GOOD,
                      "my note.yml:1:1: error: annotation id 'my note' is not a slug"),
    "unicode-name": ("조선-note.yml", GOOD,
                     "조선-note.yml:1:1: error: annotation id '조선-note' is not a slug"),
}


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_hostile_files_fail_cleanly(case: str, make_project: Callable[..., Project],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    name, content, expected = FILE_CASES[case]
    project = make_project(real=False, fake_annotations=False)
    write(project.annotations / FAKE_SLUG / name, content)
    status = main(["-C", str(project.root), "check"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if expected:
        assert status == 1
        assert out.splitlines()[0] == f"annotations/{FAKE_SLUG}/{expected}"
    else:
        assert status == 0, out


def test_a_symlink_out_of_the_repository_is_refused(make_project: Callable[..., Project],
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    secret = write(tmp_path / "outside.yml", GOOD)
    project = make_project(real=False, fake_annotations=False)
    os.symlink(secret, project.annotations / FAKE_SLUG / "link.yml")
    assert main(["-C", str(project.root), "check"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"annotations/{FAKE_SLUG}/link.yml:1:1: error: file is a symbolic link")
