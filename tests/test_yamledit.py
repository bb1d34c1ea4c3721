"""In-place YAML edits keep every other byte of the file."""

from __future__ import annotations

import pytest
import yaml

from dossier.yamledit import remove_key, set_value

FILE = """\
# yaml-language-server: $schema=../../src/dossier/schemas/annotation.schema.json
kind: claim   # a comment that must survive
title: "At least 3,000"
target:
  exact: at least 3,000
  suffix: North Korean
article_sha256: 00cfbc80
body: |
  Kirby said "at least 3,000".
sources:
  - url: https://example.org/a
"""


def test_replacing_a_value_changes_only_that_value() -> None:
    out = set_value(FILE, ("target", "exact"), 'With "at least" 10,000')
    assert out == FILE.replace("  exact: at least 3,000",
                               '  exact: "With \\"at least\\" 10,000"')
    assert yaml.safe_load(out)["target"]["exact"] == 'With "at least" 10,000'


def test_a_missing_key_is_added_at_the_end_of_its_mapping() -> None:
    out = set_value(FILE, ("target", "prefix"), "With")
    assert out == FILE.replace("  suffix: North Korean\n",
                               '  suffix: North Korean\n  prefix: With\n')


def test_top_level_value_and_comment_survive() -> None:
    out = set_value(FILE, ("article_sha256",), "ffff")
    assert "# a comment that must survive" in out
    assert out.splitlines()[0].startswith("# yaml-language-server")
    assert yaml.safe_load(out)["article_sha256"] == "ffff"


@pytest.mark.parametrize("value", ["line\nbreak", "tab\there", "\u2028", "# not a comment",
                                   "'single'", "x: y", "\\back"])
def test_any_string_reads_back(value: str) -> None:
    assert yaml.safe_load(set_value(FILE, ("title",), value))["title"] == value


def test_a_list_cannot_be_set() -> None:
    with pytest.raises(ValueError):
        set_value(FILE, ("sources",), "x")


def test_removing_a_key_removes_its_line_only() -> None:
    out = remove_key(FILE, ("target", "suffix"))
    assert out == FILE.replace("  suffix: North Korean\n", "")


def test_removing_a_missing_key_changes_nothing() -> None:
    assert remove_key(FILE, ("target", "prefix")) == FILE
