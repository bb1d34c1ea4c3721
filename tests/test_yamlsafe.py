"""The strict YAML loader: what PyYAML would accept silently is refused, at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier import yamlsafe
from dossier.yamlsafe import load_mapping

ROOT = Path(__file__).resolve().parents[1]


def problems(raw: bytes) -> list[str]:
    doc, found = load_mapping(raw, "a.yml")
    assert doc is None
    return [p.format() for p in found]


def test_positions_of_keys_and_values() -> None:
    doc, found = load_mapping(b"kind: context\ntarget:\n  exact: words\n", "a.yml")
    assert not found and doc is not None
    assert doc.data == {"kind": "context", "target": {"exact": "words"}}
    assert doc.where(("target", "exact")) == (3, 10)
    assert doc.where(("target", "exact"), key=True) == (3, 3)
    assert doc.where(("target", "missing")) == (2, 1)


def test_dates_stay_text() -> None:
    doc, _ = load_mapping(b"published: 2024-10-23\n", "a.yml")
    assert doc is not None and doc.data == {"published": "2024-10-23"}


def test_duplicate_key_is_reported_at_the_second_one() -> None:
    assert problems(b"title: one\nbody: x\ntitle: two\n") == [
        "a.yml:3:1: error: duplicate key 'title' (first written at line 1); "
        "YAML would silently keep only this one\n"
        "  help: keep one 'title' and merge the two values"
    ]


def test_alias_and_anchor_are_refused() -> None:
    assert problems(b"a: &x hello\nb: *x\n") == [
        "a.yml:1:4: error: YAML anchor '&x' is not allowed\n"
        "  help: remove the anchor and write each value out in full"
    ]
    assert problems(b"a: hello\nb: *x\n")[0].startswith("a.yml:2:4: error: ")


def test_tab_indentation() -> None:
    assert problems(b"target:\n\texact: words\n") == [
        "a.yml:2:1: error: tab character in indentation\n"
        "  help: indent with spaces; YAML does not allow tabs"
    ]


def test_not_utf8() -> None:
    assert problems(b"title: caf\xe9\n") == [
        "a.yml:1:11: error: byte 0xe9 is not valid UTF-8\n"
        "  help: save the file as UTF-8 (most editors: 'Save with encoding')"
    ]


@pytest.mark.parametrize(("raw", "what"), [
    (b"- kind: context\n", "a list"),
    (b"just words\n", "a single value"),
])
def test_top_level_must_be_a_mapping(raw: bytes, what: str) -> None:
    assert problems(raw) == [
        f"a.yml:1:1: error: the file holds {what}; it must hold fields (key: value)\n"
        "  help: start each top-level line with a field name, e.g. 'kind: context'"
    ]


def test_empty_file() -> None:
    assert problems(b"# only a comment\n") == [
        "a.yml:1:1: error: file is empty\n"
        "  help: fill in the fields (see CONTRIBUTING.md), or delete the file"
    ]


def test_bom_and_crlf_are_harmless() -> None:
    doc, found = load_mapping(b"\xef\xbb\xbftitle: x\r\nbody: y\r\n", "a.yml")
    assert not found and doc is not None and doc.data == {"title": "x", "body": "y"}
    assert doc.where(("body",)) == (2, 7)


def test_binary_file() -> None:
    assert problems(b"\x89PNG\r\n\x1a\n\x00\x00") == [
        "a.yml:1:1: error: file is binary, not YAML text\n"
        "  help: save it as UTF-8 text, or remove it"
    ]


def test_syntax_error_has_its_line() -> None:
    found = problems(b"title: x\nbody: [unclosed\n")
    assert len(found) == 1 and found[0].startswith("a.yml:3:1: error: YAML syntax:")


def test_syntax_errors_say_what_to_do_in_plain_words() -> None:
    _doc, problems = load_mapping(b'kind: context\ntitle: "Kirby" said it\n', "a.yml")
    assert [p.format() for p in problems] == [
        "a.yml:2:16: error: YAML syntax: the value of 'title' starts with a quotation mark, "
        "so YAML reads only up to the closing one and stops at the words after it\n"
        "  help: a value that starts with a quotation mark must be quoted as a whole: "
        'title: "\\"Kirby\\" said it" (inside double quotes, write \\" for a quotation mark)']
    _doc, problems = load_mapping(b"title: Kirby: a spokesman\n", "a.yml")
    assert [p.format() for p in problems] == [
        "a.yml:1:13: error: YAML syntax: the value of 'title' contains a colon followed by a "
        "space, which YAML reads as the start of another field\n"
        '  help: put the whole value in double quotes: title: "Kirby: a spokesman"']


def test_merge_keys_and_tags_are_refused_at_their_place() -> None:
    assert problems(b"title: x\n<<: {a: 1}\n") == [
        "a.yml:2:1: error: YAML merge key '<<' is not allowed\n"
        "  help: write the merged fields out in full"
    ]
    assert problems(b"a: !!python/object:os.system x\n")[0].startswith(
        "a.yml:1:4: error: YAML tag '!!python/object:os.system' is not allowed")


def test_a_syntax_error_below_a_duplicate_key_is_the_one_reported() -> None:
    assert problems(b"a: 1\na: 2\nb: @x\n")[0].startswith(
        "a.yml:3:4: error: YAML syntax: while scanning for the next token: "
        "found character '@' that cannot start any token")


def test_libyaml_is_used_here() -> None:
    # The locked PyYAML wheel ships libyaml; without it check is several times slower.
    assert yamlsafe.LIBYAML


CORPUS = [
    *sorted(p.read_bytes() for p in ROOT.glob("annotations/*/*.yml")),
    *sorted(p.read_bytes() for p in ROOT.glob("tests/example-files/*/*.yml")),
    b"a: 1\nb: [1, 2\n", b"a: b: c\n", b"a: \"\\x\"\n", b"- a\nb: c\n", b"key: [a, b]]\n",
    b"a: " + b"[" * 2000 + b"]" * 2000 + b"\n", b"x: 0x10\ny: 1e3\nz: ~\nw: yes\n",
    b"\"a\": 'b'\n1: 2\ntrue: x\n", b"a: 1\n---\nb: 2\n", b"? [a]\n: 1\n", b"a: !!str 1\n",
]


@pytest.mark.parametrize("raw", CORPUS, ids=range(len(CORPUS)))
def test_libyaml_and_pure_python_agree(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    def outcome() -> object:
        doc, found = load_mapping(raw, "a.yml")
        return (doc and (doc.data, doc.positions, doc.key_positions), [p.format() for p in found])

    with_libyaml = outcome()
    monkeypatch.setattr(yamlsafe, "_StrictLoader", yamlsafe._PyStrictLoader)
    monkeypatch.setattr(yamlsafe, "LIBYAML", False)
    assert outcome() == with_libyaml


@pytest.mark.parametrize("raw", CORPUS, ids=range(len(CORPUS)))
def test_the_text_values_recorded_while_composing_are_those_of_the_data(raw: bytes) -> None:
    doc, _found = load_mapping(raw, "a.yml")
    if doc is None:
        return
    assert doc.texts is not None  # recorded by the composer, not walked afterwards
    walked = list(yamlsafe.Document(doc.data).strings())
    assert list(doc.strings()) == walked
    assert list(doc.strings()) == walked  # (and again: strings() can be asked for twice)
    assert all(path in doc.positions for path, _text in walked)


def test_text_values_in_order_with_their_paths() -> None:
    doc, _found = load_mapping(b"a: x\nb:\n  - y\n  - c: z\nd: ''\n", "a.yml")
    assert doc is not None
    assert list(doc.strings()) == [(("a",), "x"), (("b", 0), "y"), (("b", 1, "c"), "z"),
                                   (("d",), "")]
