"""Hidden text: one policy for every field, on the text as readers get it (decoded).

A character that draws nothing or reorders the text makes the reviewer's
diff and the reader's page disagree ("000,01" in one, "10,000" in the
other).  Every field refuses them, typed, as YAML escapes or as HTML
entities; the article text keeps them (it is kept as received) and shows
each as a marked ``⟨U+200B⟩``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

from conftest import FAKE_SLUG
from dossier.buildinfo import BuildInfo
from dossier.load import sha256_text
from dossier.pdf import render_pdf
from dossier.pipeline import check
from dossier.project import Project
from dossier.render import render
from dossier.textpolicy import describe, hidden_characters
from htmltext import visible_text

FIX = ("delete it: it shows nothing (or reorders the text around it), so readers and "
       "reviewers would see different things")

# The thirteen "accepted in titles", the bidi controls and isolates, and others.
REFUSED = {
    "\u061c": "U+061C ARABIC LETTER MARK",
    "\u180e": "U+180E MONGOLIAN VOWEL SEPARATOR",
    "\U000e0041": "U+E0041 TAG LATIN CAPITAL LETTER A",
    "\ufe0f": "U+FE0F VARIATION SELECTOR-16",
    "\u3164": "U+3164 HANGUL FILLER",
    "\u034f": "U+034F COMBINING GRAPHEME JOINER",
    "\u2800": "U+2800 BRAILLE PATTERN BLANK",
    "\u115f": "U+115F HANGUL CHOSEONG FILLER",
    "\uffa0": "U+FFA0 HALFWIDTH HANGUL FILLER",
    "\U0001d173": "U+1D173 MUSICAL SYMBOL BEGIN BEAM",
    "\u206a": "U+206A INHIBIT SYMMETRIC SWAPPING",
    "\u2065": "U+2065 (unassigned)",
    "\ufff9": "U+FFF9 INTERLINEAR ANNOTATION ANCHOR",
    "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "\u2067": "U+2067 RIGHT-TO-LEFT ISOLATE",
    "\u2068": "U+2068 FIRST STRONG ISOLATE",
    "\u2069": "U+2069 POP DIRECTIONAL ISOLATE",
    "\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "\u200b": "U+200B ZERO WIDTH SPACE",
    "\u200d": "U+200D ZERO WIDTH JOINER",
    "\u00ad": "U+00AD SOFT HYPHEN",
}


def _annotation(project: Project, name: str, text: str) -> str:
    path = project.annotations / FAKE_SLUG / name
    path.write_text(text, encoding="utf-8")
    return f"annotations/{FAKE_SLUG}/{name}"


BASE = ("kind: {kind}\ntitle: {title}\ntarget:\n  exact: approved a budget\n{extra}"
        "body: {body}\nsources:\n"
        "  - url: https://example.org/page\n    title: A page\n    publisher: Example\n"
        "    type: news\n    published: 2024-01-01\n    accessed: 2024-01-02\n"
        "    archive_url: https://web.archive.org/web/2024/https://example.org/page\n")


def _file(title: str = "A plain title", body: str = "A plain body of ten or more characters.",
          kind: str = "context", extra: str = "") -> str:
    return BASE.format(kind=kind, title=title, body=body, extra=extra)


def _errors(project: Project) -> list[str]:
    _, problems = check(project)
    return [p.format() for p in problems]


@pytest.mark.parametrize("char", sorted(REFUSED), ids=lambda c: f"U+{ord(c):04X}")
def test_each_hidden_character_in_a_title_is_refused_at_its_column(
        char: str, make_project: Callable[..., Project]) -> None:
    project = make_project(real=False, fake_annotations=False)
    shown = _annotation(project, "t.yml", _file(title=f"Three{char}thousand"))
    assert f"{shown}:2:13: error: hidden character {REFUSED[char]}\n  help: {FIX}" in \
        _errors(project)


def test_an_override_written_as_entities_in_a_body_is_refused(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False, fake_annotations=False)
    shown = _annotation(project, "b.yml",
                        _file(body="'Troops: &#x202E;000,01&#x202C; in all.'"))
    errors = _errors(project)
    assert (f"{shown}:5:7: error: 'body' contains U+202E RIGHT-TO-LEFT OVERRIDE, written as "
            f"an HTML character reference\n  help: {FIX}") in errors
    assert (f"{shown}:5:7: error: 'body' contains U+202C POP DIRECTIONAL FORMATTING, written "
            f"as an HTML character reference\n  help: {FIX}") in errors


def test_isolates_written_as_yaml_escapes_in_a_correction_are_refused(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False, fake_annotations=False)
    shown = _annotation(project, "c.yml", _file(
        kind="correction", extra='correction: "\\u20673,000 not 10,000\\u2069 by the West"\n'))
    errors = _errors(project)
    for name in ("U+2067 RIGHT-TO-LEFT ISOLATE", "U+2069 POP DIRECTIONAL ISOLATE"):
        assert (f"{shown}:5:13: error: 'correction' contains {name}, written as an escape\n"
                f"  help: {FIX}") in errors


def test_hidden_characters_in_the_provenance_file_are_refused(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False, fake_annotations=False)
    path = project.seeds / f"{FAKE_SLUG}.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "publisher: The Riverton Example", "publisher: The Riverton\u2067 Example"),
        encoding="utf-8")
    line = next(i for i, x in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
                if x.startswith("publisher:"))
    assert (f"seeds/{FAKE_SLUG}.yml:{line}:24: error: hidden character "
            f"U+2067 RIGHT-TO-LEFT ISOLATE\n  help: {FIX}") in _errors(project)


def test_joiners_between_letters_of_scripts_that_use_them_are_allowed(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False, fake_annotations=False)
    # Persian "mi-khaham" with ZWNJ; Devanagari "kṣa" half-form with ZWJ; a BOM at the start.
    _annotation(project, "ok.yml", "\ufeff" + _file(title="می\u200cخواهم and क्\u200dष"))  # noqa: RUF001
    assert [e for e in _errors(project) if "hidden" in e or "error" in e] == []


def test_a_joiner_between_latin_letters_is_refused() -> None:
    assert [(h.offset, h.name) for h in hidden_characters("ab\u200dcd \u0628\u200c\u067e")] \
        == [(2, "U+200D ZERO WIDTH JOINER")]


def test_the_policy_is_a_function_other_modules_call() -> None:
    assert describe("\u2067") == "U+2067 RIGHT-TO-LEFT ISOLATE"
    assert describe("\u2065") == "U+2065 (unassigned)"
    assert hidden_characters("plain text, Korean 조선, Russian Россия") == []
    assert [h.marker for h in hidden_characters("a\u200bb")] == ["\u27e8U+200B\u27e9"]


def _with_hidden_article_text(project: Project) -> Project:
    txt = project.seeds / f"{FAKE_SLUG}.txt"
    text = txt.read_text(encoding="utf-8").replace("approved a", "approved\u200b a").replace(
        "5-2", "\u202e5-2\u202c")
    txt.write_text(text, encoding="utf-8")
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    old = sha256_text((Path(__file__).parent / "fixtures" / "articles" /
                       f"{FAKE_SLUG}.txt").read_text(encoding="utf-8"))
    meta.write_text(meta.read_text(encoding="utf-8").replace(old, sha256_text(text)),
                    encoding="utf-8")
    return project


def test_the_article_text_is_never_refused_but_warned_about_at_the_character(
        make_project: Callable[..., Project]) -> None:
    project = _with_hidden_article_text(make_project(real=False, fake_annotations=False))
    _, problems = check(project)
    shown = [p.format().split("\n")[0] for p in problems]
    assert shown == [
        f"seeds/{FAKE_SLUG}.txt:2:38: warning: hidden character U+200B ZERO WIDTH SPACE in "
        "the article text",
        f"seeds/{FAKE_SLUG}.txt:3:61: warning: hidden character U+202E RIGHT-TO-LEFT "
        "OVERRIDE in the article text",
        f"seeds/{FAKE_SLUG}.txt:3:65: warning: hidden character U+202C POP DIRECTIONAL "
        "FORMATTING in the article text",
    ]


def test_hidden_characters_in_the_article_are_shown_marked_on_the_page_and_in_the_pdf(
        make_project: Callable[..., Project]) -> None:
    project = _with_hidden_article_text(make_project(real=False, fake_annotations=False))
    dossier, _ = check(project)
    page = render(dossier)[f"articles/{FAKE_SLUG}.md"]
    text = visible_text(page.split("---\n\n", 1)[1])
    assert "approved\u27e8U+200B\u27e9 a budget" in text
    assert "was \u27e8U+202E\u27e95-2\u27e8U+202C\u27e9 - a" in text
    assert "\u202e" not in page and "\u200b" not in page
    assert ('<span class="dz-hidden-char" title="U+202E RIGHT-TO-LEFT OVERRIDE">'
            "\u27e8U+202E\u27e9</span>") in page
    pdf = render_pdf(dossier, BuildInfo("test", 1_700_000_000)).reader
    words = " ".join(" ".join(p.extract_text().split())
                     for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "approved\u27e8U+200B\u27e9 a budget" in words
    assert "\u27e8U+202E\u27e95-2\u27e8U+202C\u27e9" in words
