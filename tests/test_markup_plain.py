"""Plain prose skips Python-Markdown (``markup._plain``), with the HTML it would have made.

Any text is compared: ``_plain`` either declines it or gives Python-Markdown's HTML to
the byte, for generated text made of the pieces that make Markdown do something, and for
every body in the repository.
"""

from __future__ import annotations

from pathlib import Path

import nh3
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dossier import markup
from dossier.yamlsafe import load_mapping

ROOT = Path(__file__).resolve().parents[1]


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


def test_prose_takes_the_plain_way_and_markup_does_not() -> None:
    assert markup._plain("One sentence,\nwrapped.\n\nA second \u201cparagraph\u201d.") == (
        "<p>One sentence,\nwrapped.</p>\n<p>A second \u201cparagraph\u201d.</p>")
    assert markup._plain("Signed on\n19 June 2024.") == "<p>Signed on\n19 June 2024.</p>"
    for text in ("- a list", "1. a list", "a\n2. b", "a\n10.\tb", "a\n3.b", "a *word*",
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
    for body in bodies:
        reference = nh3.clean(_markdown(body), tags=markup.BODY_TAGS,
                              attributes=markup.BODY_ATTRIBUTES,
                              url_schemes=markup.URL_SCHEMES,
                              attribute_filter=markup._only_absolute,
                              link_rel="noopener noreferrer", strip_comments=True).strip()
        assert markup._body_html.__wrapped__(body) == reference
