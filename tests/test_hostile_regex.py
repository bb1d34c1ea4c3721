"""Every regular expression in src/dossier, run on adversarial input of growing size.

The review is this table: each pattern the package holds is found in its
source (so a new one cannot be missed), run the way its code runs it
(``search`` for finditer, sub, split and findall; ``match``; ``fullmatch``)
on texts of 200 and 400 repetitions of units chosen to make it backtrack,
and its work counted in steps (``regexwork.py``), never timed.  Doubling the
input may at most double the work, give or take the constant: 2.6 times
allows that, a quadratic pattern does 4 times.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dossier import markup, policy, text
from dossier.formats import hypothesis
from regexwork import Work

SRC = Path(__file__).resolve().parents[1] / "src" / "dossier"
FLAGS_AT = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "findall": 2, "finditer": 2,
            "split": 3, "sub": 4}  # where each function takes its flags

# Patterns built at run time, with the value they are built from here.
DYNAMIC = {
    'r"\\b(?:" + "|".join(map(re.escape, names)) + r")\\b"': r"\b(?:Kim\ Jong\ Un|A\.B)\b",
    "_SCHEMES_BACKWARDS": policy._SCHEMES_BACKWARDS,
    "rf'href=\"#{ICON_PREFIX}([a-z0-9-]+)\"'": r'href="#dz-icon-([a-z0-9-]+)"',
}
# Compiled once and only ever used with .match (each at a line or block start).
ANCHORED = {text._HEADING.pattern, text._QUOTE.pattern, text._ITEM.pattern,
            text._SPEAKER.pattern, policy._LEVEL.pattern, "^[\\w][\\w .,'()$%/-]*$",
            r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+(.*)$",
            "^[A-Za-z0-9][A-Za-z0-9:/._~%?&=+\\-@!$'()*,;#]*$", hypothesis.BLOCK.pattern,
            markup._NOT_PLAIN_START.pattern}

GENERIC = [" ", "\n", "\t", "a", "A", "1", "<", "<a", "<a:", "<a b", "[", "[a", "[a](", "](",
           "\\u", "on", "ona", "-", "- ", "> ", ". ", "A.", "A:", "1.", "1,", "&#", "%2",
           "\n\n", " \n", "\n ", "\n[", "\n[a]:", "```", "`", "*", "_", "#", ":", ":1",
           "http://", "<path", "\"", "'"]


def _calls() -> list[tuple[str, str, str, int]]:
    """(where, pattern, mode, flags) for each re.<method>(...) call in the package."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in FLAGS_AT and node.args):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                pattern = first.value
            else:
                segment = ast.get_source_segment(source, first) or ""
                assert segment in DYNAMIC, f"{path.name}:{node.lineno}: add {segment} to DYNAMIC"
                pattern = DYNAMIC[segment]
            at = FLAGS_AT[node.func.attr]
            flags_arg = (node.args[at] if len(node.args) > at
                         else next((k.value for k in node.keywords if k.arg == "flags"), None))
            flags = eval(compile(ast.Expression(flags_arg), "<flags>", "eval"),
                         {"re": re}) if flags_arg is not None else 0
            mode = {"match": "match", "fullmatch": "fullmatch"}.get(node.func.attr, "search")
            if node.func.attr == "compile" and pattern in ANCHORED:
                mode = "match"
            found.append((f"{path.relative_to(SRC)}:{node.lineno}", pattern, mode, int(flags)))
    return found


CALLS = _calls()


def _units(pattern: str) -> list[str]:
    """Generic backtracking bait, and each character the pattern names, alone and followed."""
    literal = sorted({ch for ch in re.sub(r"\\.", "", pattern) if not ch.isalnum()}
                     | set(re.findall(r"[A-Za-z_]{2,}", pattern)))
    return list(dict.fromkeys(GENERIC + [u + tail for u in literal for tail in ("", "a", " ")]))


def test_the_review_found_every_pattern() -> None:
    """The package's own patterns, as a sanity check of the search above."""
    patterns = {p for _where, p, _mode, _flags in CALLS}
    assert policy._MD_LINK.pattern in patterns and text._SPEAKER.pattern in patterns
    assert len(CALLS) >= 40


@pytest.mark.parametrize("where, pattern, mode, flags", CALLS,
                         ids=[where for where, *_rest in CALLS])
def test_no_pattern_does_more_than_linear_work(where: str, pattern: str, mode: str,
                                               flags: int) -> None:
    work = Work(re.compile(pattern, flags))
    worst = []
    for unit in _units(pattern):
        for shape in (lambda u, n: u * n, lambda u, n: "<" + u * n + "\x00\n"):
            small, large = work.count(shape(unit, 200), mode), work.count(shape(unit, 400), mode)
            worst.append((large / max(small, 1), small, large, repr(shape(unit, 3))))
    ratio, small, large, sample = max(worst)
    assert ratio <= 2.6, f"{pattern!r}: {small:,} -> {large:,} steps on {sample} x 200 -> x 400"


@pytest.mark.parametrize("old, new, bait", [
    (r"<\s*[/!?]?\s*[a-z]", policy._TAG.pattern, "<" + " " * 600),
    (r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$", policy._MD_LINK.pattern, "\n" * 600),
    (r"<([a-z][a-z0-9+.-]*:[^>\s]*)>", policy._MD_LINK.pattern, "<a:" * 600),
    (r"[ \t]*\n[ \t]*", None, " " * 600 + "x"),
])
def test_the_counter_sees_the_quadratic_patterns_that_were_fixed(
        old: str, new: str | None, bait: str) -> None:
    """The issue's quadratic patterns: the counter must see them, or it proves nothing."""
    flags = re.I | re.M
    before = Work(re.compile(old, flags))
    small, large = before.count(bait[: len(bait) // 2]), before.count(bait)
    assert large / small > 3.5
    if new is not None:
        after = Work(re.compile(new, flags))
        assert after.count(bait) / after.count(bait[: len(bait) // 2]) <= 2.6


def test_shown_joins_lines_in_linear_work() -> None:
    """``text.shown`` no longer uses the pattern above; it still joins lines the same way."""
    assert text.shown("a  \n  b\n\nc  ", 0, 12) == "a b  c  "
    assert text.shown(" " * 50_000 + "x", 0, 50_001) == " " * 50_000 + "x"


@pytest.mark.parametrize("where, pattern, mode, flags", CALLS[:60:3],
                         ids=[where for where, *_rest in CALLS[:60:3]])
def test_the_counter_finds_what_re_finds(where: str, pattern: str, mode: str,
                                         flags: int) -> None:
    compiled = re.compile(pattern, flags)
    work = Work(compiled)
    for sample in ("", "a [b](http://c.d) <e:f> on=1 \n\n[g]: h\n1. i", "MR. KIRBY: Q 3,000.",
                   "utm_source", "2024-10-23 x", "- a\n> b\n# c"):
        work.count(sample, mode)
        if mode == "search":
            expected = [m.span() for m in compiled.finditer(sample)]
        else:
            found = (compiled.match if mode == "match" else compiled.fullmatch)(sample)
            expected = [found.span()] if found else []
        assert work.matches == expected, sample
