"""One text policy for every field: no character a reader cannot see.

A reviewer reads the YAML diff; a reader reads the page.  Characters that
draw nothing or reorder what is around them (bidi controls, format
characters, fillers, unassigned code points) make the two differ: a
correction can read "3,000" in the diff and "000,3" on the page.  So no field
may hold one, whether typed, written as a YAML escape or as an HTML entity:
the policy is applied to the text as readers get it, decoded.

Refused: every bidi control (the isolates included); Unicode category Cf;
every Default_Ignorable_Code_Point; the Hangul fillers and U+2800 BRAILLE
PATTERN BLANK; unassigned code points; control characters other than tab,
line feed and carriage return.  Allowed: a byte-order mark at the very start
of a file, and ZWJ/ZWNJ between two letters of a script that needs them
(Arabic, Persian, the Indic scripts, ...).

The article text is never refused (it is kept as received): ``render`` shows
such characters visibly instead, as a marked ``⟨U+200B⟩``.

``hidden_characters`` is the policy as a function, for any module that takes
text from outside (the importer runs imported titles and names through it).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# Default_Ignorable_Code_Point, from Unicode's DerivedCoreProperties.txt (Python's
# unicodedata does not expose it).
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
ZERO_WIDTH_JOINERS = frozenset("\u200c\u200d")
ALLOWED_CONTROLS = frozenset("\t\n\r")
_NOT_PLAIN = re.compile(r"[^\t\n\r\x20-\x7e]")  # all that is_refused may refuse
# Scripts whose spelling needs ZWJ/ZWNJ between letters (by the first word of the name).
JOINING_SCRIPTS = frozenset({
    "ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "DEVANAGARI", "BENGALI", "GURMUKHI",
    "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "KHMER",
    "MYANMAR", "TIBETAN", "THAANA", "BALINESE", "JAVANESE",
})

FIX = ("delete it: it shows nothing (or reorders the text around it), so readers and "
       "reviewers would see different things")


@dataclass(frozen=True)
class Hidden:
    """One refused character: where it is in the text, and its name."""

    offset: int
    char: str

    @property
    def name(self) -> str:
        return describe(self.char)

    @property
    def marker(self) -> str:
        """How readers are shown it in the article text."""
        return f"\u27e8U+{ord(self.char):04X}\u27e9"


def describe(char: str) -> str:
    """``U+2067 RIGHT-TO-LEFT ISOLATE``, or ``U+2065 (unassigned)``."""
    code = f"U+{ord(char):04X}"
    if unicodedata.category(char) == "Cn":
        return f"{code} (unassigned)"
    name = unicodedata.name(char, "")
    if not name and unicodedata.category(char) == "Cc":
        name = "control character"
        return f"{code} ({name})"
    return f"{code} {name}" if name else code


def _ignorable(code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in _DEFAULT_IGNORABLE)


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def _joins_letters(text: str, i: int) -> bool:
    """ZWJ/ZWNJ between two letters (or a letter and a mark) of a joining script."""
    if i == 0 or i + 1 >= len(text):
        return False
    before, after = text[i - 1], text[i + 1]
    return (unicodedata.category(before)[0] in "LM" and unicodedata.category(after)[0] in "LM"
            and _script(before) in JOINING_SCRIPTS and _script(after) in JOINING_SCRIPTS)


@cache
def is_refused(char: str) -> bool:
    """Refused anywhere (before the ZWJ/ZWNJ and byte-order-mark exceptions).

    Kept per character for the process: texts repeat the same few non-ASCII
    characters (quotation marks, dashes) thousands of times."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return char not in ALLOWED_CONTROLS
    if code < 0xA0:
        return False  # printable ASCII: the common case, decided quickly
    category = unicodedata.category(char)
    return (char in BIDI_CONTROLS or char in FILLERS or category in ("Cf", "Cn", "Cs",
                                                                      "Zl", "Zp")
            or _ignorable(code))


def hidden_characters(text: str, *, start_of_file: bool = False) -> list[Hidden]:
    """Every refused character in ``text``, in order.  One pass, linear in the text.

    Printable ASCII, tab and line breaks are never refused: a regex skips them in
    C, and only the other characters are looked at one by one."""
    found = []
    for match in _NOT_PLAIN.finditer(text):
        char = match.group()
        if not is_refused(char):
            continue
        i = match.start()
        if char in ZERO_WIDTH_JOINERS and _joins_letters(text, i):
            continue
        if char == "\ufeff" and i == 0 and start_of_file:
            continue
        found.append(Hidden(i, char))
    return found


def decoded(value: str) -> str:
    """The text as readers get it: HTML character references decoded."""
    return html.unescape(value) if "&" in value else value
