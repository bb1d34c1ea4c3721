"""Plain prose skips Python-Markdown (``markup._plain``), with the HTML it would have made.

Any text is compared: ``_plain`` either declines it or gives Python-Markdown's HTML to
the byte, for generated text made of the pieces that make Markdown do something, and for
every body in the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import nh3
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dossier import markup
from dossier.yamlsafe import load_mapping

ROOT = Path(__file__).resolve().parents[1]
# What is not plain prose (markup._not_plain), as one pattern: the definition the quick
# search is held to.
NOT_PLAIN = re.compile(r"[`\\\[\]<>&*_\x00-\x09\x0b-\x1f\x7f-\x9f]|[^\S \n]|^[-+=# ]|^\d+\. | $",
                       re.M)


def _markdown(text: str) -> str:
    return markup._renderer(markup._needed(text)).reset().convert(text)


# What makes Python-Markdown do something (blocks, inline patterns, whitespace it strips or
# changes), and prose around it.
MARKUP = ["- ", "+ ", "* ", "1. ", "2) ", "# ", "> ", "    ", "   ", " ", "  \n", "---", "===",
          "***", "___", "*", "_", "`", "\\", "[x](https://a.example)", "[x]", "![y]", "<b>",
          "<", ">", "&", "&amp;", "\t", "\r", "\r\n", "\x02", "\x03", "\x00", "\x0c", "\x85",
          "\u00a0", "\u2003", "\u2028", "\u200b", "\ufeff", "!", "~", "|", "=", "#", "+", "-"]
PROSE = ["a", "Word", "1", "2024", "2024.", ".", ",", "(", ")", "\u2019", "\u201c", "\u201d",
         "é", "Ж", "\u2014", " ", "\n", "\n\n", "\n\n\n", "'", '"', ":", ";", "?", "%", "$", "/",
         "@", "{", "}"]
TEXTS = st.lists(st.sampled_from(PROSE + MARKUP) | st.text(max_size=4),
                 max_size=40).map("".join)
PROSE_TEXTS = st.lists(st.sampled_from(PROSE), max_size=60).map("".join)


@given(st.one_of(TEXTS, PROSE_TEXTS))
@settings(max_examples=4000, deadline=None)
@example("One sentence.\nAnother.\n\n\nA second paragraph.\n")
@example("\n\nA\n")
@example("a\n\n")
@example("\n")
@example("")
def test_plain_prose_is_rendered_as_python_markdown_renders_it(text: str) -> None:
    plain = markup._plain(text)
    if plain is not None:
        assert plain == _markdown(text)


# Lists and strong emphasis (``_prose_and_lists``): their markers, and what could make them
# something else (a loose list, a nested one, a quotation inside an item, other emphasis).
LIST_MARKUP = ["- ", "\n- ", "\n  ", "\n   ", "\n    ", "\n\n- ", "**", "**a**", "** ", " **",
               "*", "***", "\n\n", "\n", "  ", "-", "+ ", "* ", "1. ", "> ", "# ", "---", ":"]
LIST_TEXTS = st.lists(st.sampled_from(LIST_MARKUP + PROSE + ["**23 October 2024:**"]),
                      max_size=40).map("".join)
# The same pieces in the shape of paragraphs and lists (most of them then accepted, so that
# the comparison is made on lists, not only on refusals): lines of words, items with their
# markers and continuation lines with their indentation, each of them sometimes off.
_WORDS = st.sampled_from(["a", "Word", "2024", "2024.", "a:", "b,", "\u201cc", "\u00e9", "**a b**",
                          "**23 October:**"] * 8 + ["*", "**", "-", "", ">", "1.", "#", "_", "+"])
_LINE = st.lists(_WORDS, min_size=1, max_size=6).map(" ".join)
_ITEM = st.tuples(st.sampled_from(["- "] * 6 + ["-  ", "* ", "+ ", "1. ", "  - ", "-"]), _LINE,
                  st.lists(st.tuples(st.sampled_from(["  "] * 6 + ["", " ", "   ", "    "]),
                                     _LINE), max_size=3)
                  ).map(lambda i: i[0] + i[1] + "".join(f"\n{s}{line}" for s, line in i[2]))
_BLOCK = st.one_of(st.lists(_LINE, min_size=1, max_size=3).map("\n".join),
                   st.lists(_ITEM, min_size=1, max_size=4).map("\n".join))
SHAPED_TEXTS = st.tuples(st.lists(_BLOCK, min_size=1, max_size=4),
                         st.sampled_from(["\n\n"] * 4 + ["\n", "\n\n\n"])
                         ).map(lambda b: b[1].join(b[0]) + "\n")


@given(st.one_of(SHAPED_TEXTS, LIST_TEXTS, TEXTS))
@settings(max_examples=4000, deadline=None)
@example("Intro:\n\n- **23 Oct:** the White House said\n  training sites.\n- **29 Oct:** the"
         " Pentagon\n  confirmed.\n\nAfter.\n")
@example("- a\n\n- b")
@example("- a\n\nb\n\n- c")
@example("- a\n  - b")
@example("- a\n  > b")
@example("- ****")
@example("**> ---**")
@example("- **a <b>**")
def test_prose_and_lists_are_rendered_as_python_markdown_renders_them(text: str) -> None:
    rendered = markup._prose_and_lists(text)
    if rendered is not None:
        assert rendered == _markdown(text)


def test_a_timeline_takes_the_list_way_and_other_lists_do_not() -> None:
    timeline = ("Before:\n\n- **23 October 2024:** the White House said\n  it did not know.\n"
                "- **28 October:** the Pentagon said so.\n\nAfter.\n")
    assert markup._prose_and_lists(timeline) == (
        "<p>Before:</p>\n<ul>\n<li><strong>23 October 2024:</strong> the White House said\n"
        "  it did not know.</li>\n<li><strong>28 October:</strong> the Pentagon said so.</li>"
        "\n</ul>\n<p>After.</p>")
    for text in ("- a\n\n- b", "* a", "1. a", "- a\n  - b", "- a\n  > b", "- a\nb",
                 "- *a*", "- **a*b**", "- ** a**", "- a\n   b", "- `a`", "- [a](https://a.example)"):
        assert markup._prose_and_lists(text) is None, text


def test_prose_takes_the_plain_way_and_markup_does_not() -> None:
    assert markup._plain("One sentence,\nwrapped.\n\nA second \u201cparagraph\u201d.") == (
        "<p>One sentence,\nwrapped.</p>\n<p>A second \u201cparagraph\u201d.</p>")
    assert markup._plain("Signed on\n19 June 2024.") == "<p>Signed on\n19 June 2024.</p>"
    assert markup._plain("up to\n13.5 trillion") == "<p>up to\n13.5 trillion</p>"
    for text in ("- a list", "1. a list", "a\n2. b", "a\n10.\tb", "a *word*",
                 "a\n  b", "a  \nb", "# heading", "> quote", "a\n---", "a\n===", "a\tb",
                 "x & y", "a <b>", "`code`", "[link](https://a.example)", "snake_case",
                 "a\u00a0b"):
        assert markup._plain(text) is None, text


def test_every_body_in_the_repository_renders_as_before() -> None:
    bodies = []
    for path in sorted([*ROOT.glob("annotations/**/*.yml"),
                        *ROOT.glob("tests/example-files/**/*.yml")]):
        doc, _problems = load_mapping(path.read_bytes(), str(path))
        body = doc.data.get("body") if doc is not None and isinstance(doc.data, dict) else None
        if isinstance(body, str):
            bodies.append(body)
    plain = [b for b in bodies if markup._plain(b) is not None]
    assert len(bodies) > 30 and len(plain) * 3 > len(bodies)  # (most bodies are prose)
    listed = [b for b in bodies if markup._plain(b) is None and markup._prose_and_lists(b)]
    assert len(listed) >= 10  # (the timelines)
    for body in bodies:
        reference = nh3.clean(_markdown(body), tags=markup.BODY_TAGS,
                              attributes=markup.BODY_ATTRIBUTES,
                              url_schemes=markup.URL_SCHEMES,
                              attribute_filter=markup._only_absolute,
                              link_rel="noopener noreferrer", strip_comments=True).strip()
        assert markup._body_html.__wrapped__(body) == reference


@given(st.one_of(TEXTS, SHAPED_TEXTS, st.text(max_size=30)))
@settings(max_examples=3000, deadline=None)
@example(" ")
@example("a \nb")
@example("a\n1. b")
@example("1. a")
@example("\u2003")
def test_the_quick_search_for_markup_is_the_pattern_itself(text: str) -> None:
    assert markup._not_plain(text) == (NOT_PLAIN.search(text) is not None)


def test_its_characters_are_the_patterns_at_every_code_point() -> None:
    one = re.compile(NOT_PLAIN.pattern.partition("|^")[0])  # (the character part)
    assert one.pattern.endswith(r"[^\S \n]")
    differ = [hex(code) for code in range(0x110000)
              if (markup._NOT_PLAIN_CHARACTER.match(chr(code)) is None)
              != (one.match(chr(code)) is None)]
    assert differ == []
