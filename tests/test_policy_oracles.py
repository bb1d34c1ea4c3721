"""policy.open_span, policy._visible and textpolicy.hidden_characters (each now a
regex that finds the few characters that matter) against the loops over every
character they replaced, on random text."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dossier import policy, textpolicy
from dossier.policy import MAX_LINK_SPAN, open_span


def open_span_by_character(text: str) -> tuple[str, int, int] | None:
    square: list[int] = []
    round_: list[int] = []
    escaped = False
    worst: tuple[str, int, int] | None = None

    def closed(kind: str, start: int, end: int) -> None:
        nonlocal worst
        if end - start > MAX_LINK_SPAN and (worst is None or start < worst[1]):
            worst = (kind, start, end - start)

    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            square.append(i)
        elif ch == "]" and square:
            closed("[", square.pop(), i)
        elif ch == "(" and (round_ or (i and text[i - 1] == "]")):
            round_.append(i)
        elif ch == ")" and round_:
            closed("(", round_.pop(), i)
    for kind, stack in (("[", square), ("(", round_)):
        for start in stack:
            closed(kind, start, len(text))
    return worst


PIECES = st.sampled_from(["[", "]", "(", ")", "\\", "\\\\", "\n", "a", "](", "x" * 700])
TEXTS = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(TEXTS)
def test_open_span_is_the_loop_over_every_character(text: str) -> None:
    assert open_span(text) == open_span_by_character(text)


def test_the_property_sees_escapes() -> None:
    text = "\\[" + "x" * (MAX_LINK_SPAN + 5)
    assert open_span(text) is None and open_span_by_character(text) is None
    assert open_span("a](" + "x" * (MAX_LINK_SPAN + 5)) == ("(", 2, MAX_LINK_SPAN + 6)
    assert policy._BRACKET.pattern  # the one regex the property exercises


def hidden_by_character(text: str, *, start_of_file: bool = False) -> list[textpolicy.Hidden]:
    found = []
    for i, char in enumerate(text):
        if " " <= char < "\x7f" or not textpolicy.is_refused(char):
            continue
        if char in textpolicy.ZERO_WIDTH_JOINERS and textpolicy._joins_letters(text, i):
            continue
        if char == "\ufeff" and i == 0 and start_of_file:
            continue
        found.append(textpolicy.Hidden(i, char))
    return found


CHARS = st.one_of(st.sampled_from([*"\t\n\r a<\x00\x1f\x7f\x85\u00ad\u200b\u200c\u200d\u202e"
                                   "\u2066\ufeff\u3164\u2800\u0628\u0915\u0301\u2028",
                                   "\U000e0001", "\U0001f642"]),
                  st.characters())
MIXED = st.lists(CHARS, max_size=40).map("".join)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(MIXED, st.booleans())
def test_hidden_characters_is_the_loop_over_every_character(text: str, start: bool) -> None:
    assert (textpolicy.hidden_characters(text, start_of_file=start)
            == hidden_by_character(text, start_of_file=start))
    expected = ("".join(c for c in text if not textpolicy.is_refused(c))
                if not text.isascii() else text)
    assert policy._visible(text) == expected


# policy.findings looks for the character each pattern needs before running it, and
# skips decoding a value with nothing to decode: the same answers as running every
# pattern on every value, decoded the long way.
_PLAIN_MARKDOWN = re.compile(r"!\[|\]\(")
_SCRIPT_URL = re.compile(r"(?:java|vb|live|ecma|j)script:|data:|file:|mhtml:", re.I)
_SPACE = re.compile(r"\s+")


def squeezed(text: str) -> str:
    return _SPACE.sub("", text)

_IMAGE = re.compile(r"!\[")


def unmask_the_long_way(value: str) -> str:
    text = value
    for _ in range(3):
        decoded = html.unescape(unquote(text))
        decoded = policy._ESCAPE_U.sub(lambda m: chr(int(m.group(1), 16)), decoded)
        if decoded == text:
            break
        text = decoded
    text = unicodedata.normalize("NFKC", text)
    return policy._visible(policy._INVISIBLE.sub("", text))


def findings_every_pattern(value: str, kind: str) -> list[str]:
    text = unmask_the_long_way(value)
    found: list[str] = []
    if policy._TAG.search(text):
        found.append("raw HTML (a tag)")
    if policy._HANDLER.search(text):
        found.append("an event-handler attribute (on…=)")
    if _SCRIPT_URL.search(squeezed(text)):
        found.append("a script, data or file address")
    if kind == "plain" and _PLAIN_MARKDOWN.search(text):
        found.append("Markdown, which a plain-text field shows as typed")
    if kind == "url" and policy._NOT_IN_URL.search(text):
        found.append("characters that cannot appear in a web address")
    if kind == "markdown":
        if _IMAGE.search(text):
            found.append("an image")
        for match in policy._MD_LINK.finditer(text):
            target = next(g for g in match.groups() if g is not None)
            scheme = target.split(":", 1)[0].lower() if ":" in target else ""
            if scheme and scheme not in policy.BODY_SCHEMES:
                found.append(f"a link to a {scheme}: address")
    return list(dict.fromkeys(found))


MARKUP = st.sampled_from(["<", ">", "=", ":", "!", "[", "]", "(", ")", "&", "%", "\\",
                          "&lt;", "%3C", "\\u003c", "&#x3C;", "\uff1c", "\u200b", "\x00",
                          "onclick", "javascript", "java script", "data", "https://x.org",
                          "[ref]: ", "\n", " ", "a", "é", "\u2019", "<a:b>", "![x](y)", "FILE",
                          "mhtml", "VBScript", "\t", "\u3000", "\uff24\uff21\uff34\uff21", "T",
                          "j", "live", "ecma", "vb", "Script", "s cript"])
VALUES = st.lists(MARKUP, max_size=25).map("".join)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(VALUES, st.sampled_from(["plain", "markdown", "url"]))
@example("see jscript:alert(1)", "markdown")  # each scheme, split by white space
@example("LIVE script :x", "plain")
@example("ecma\tscript\n:x", "plain")
@example("v b script: x", "plain")
@example("m h t m l :x", "url")
@example("a file\u3000: b", "plain")
def test_findings_are_those_of_every_pattern_on_every_value(value: str, kind: str) -> None:
    assert policy.findings(value, kind) == findings_every_pattern(value, kind)


def lines_the_long_way(source: str) -> list[tuple[int, str]]:
    return [(number, line) for number, line in enumerate(source.split("\n"), 1)
            if policy._UNUSUAL.search(line)]


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["a", "\n", "\r", "\r\n", " ", "\u2019", "\u00e9", "\u200b",
                                 "\ufeff", "\t"]), max_size=40).map("".join))
@example("\u2019")
@example("a\n\nb\u2019c\u2019\nd\n\u200b")
def test_the_lines_with_unusual_characters_are_those_of_every_line_searched(source: str
                                                                              ) -> None:
    assert list(policy._unusual_lines(source)) == lines_the_long_way(source)
