"""The work a regular expression does, counted in steps, for tests that must not time.

Python's ``re`` does not report how much it backtracked, so this runs the same
pattern (as ``re._parser`` reads it) through a small backtracking matcher of
the same kind as ``re``'s, and counts each character it tests.  ``re`` has a
few shortcuts this matcher lacks (it skips to a literal prefix, for one), so
the count is an upper bound of the same order: a pattern that is linear here
is linear there, and one that is quadratic in ``re`` is quadratic here.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

Cont = Callable[[int], "int | None"]


class Work:
    """Steps taken by ``pattern`` over a text, as ``finditer``, ``match`` or ``split`` would."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern
        self.ignore_case = bool(pattern.flags & re.I)
        self.multiline = bool(pattern.flags & re.M)
        self.dotall = bool(pattern.flags & re.S)
        self.tree = _parser.parse(pattern.pattern, pattern.flags)
        self.steps = 0
        self.text = ""
        self.matches: list[tuple[int, int]] = []

    def count(self, text: str, mode: str = "search") -> int:
        """Steps for every match in ``text``, as ``finditer`` (``search``, and ``sub``,
        ``split``, ``findall``), ``match`` (one attempt at the start) or ``fullmatch``."""
        self.steps, self.text, self.matches = 0, text, []
        anchored = mode in ("match", "fullmatch")
        last: Cont = (lambda e: e if e == len(text) else None) if mode == "fullmatch" else (
            lambda e: e)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20 * len(text) + 10_000))
        try:
            pos = 0
            while pos <= len(text):
                end = self._seq(self.tree.data, 0, pos, last)
                if end is not None:
                    self.matches.append((pos, end))
                if anchored:
                    break
                pos = end if end is not None and end > pos else pos + 1
        finally:
            sys.setrecursionlimit(limit)
        return self.steps

    # -- one character ---------------------------------------------------------
    def _char(self, op: Any, av: Any, ch: str) -> bool:
        if op is c.LITERAL:
            return self._same(ch, chr(av))
        if op is c.NOT_LITERAL:
            return not self._same(ch, chr(av))
        if op is c.ANY:
            return self.dotall or ch != "\n"
        if op is c.IN:
            negate = False
            hit = False
            for item_op, item_av in av:
                if item_op is c.NEGATE:
                    negate = True
                elif item_op is c.LITERAL:
                    hit = hit or self._same(ch, chr(item_av))
                elif item_op is c.RANGE:
                    lo, hi = item_av
                    hit = hit or lo <= ord(ch) <= hi or (
                        self.ignore_case and any(lo <= ord(x) <= hi
                                                 for x in (ch.lower(), ch.upper())))
                elif item_op is c.CATEGORY:
                    hit = hit or _category(item_av, ch)
                else:
                    raise NotImplementedError(item_op)
            return hit != negate
        raise NotImplementedError(op)

    def _same(self, a: str, b: str) -> bool:
        return a == b or (self.ignore_case and a.lower() == b.lower())

    @staticmethod
    def _single(sub: Any) -> tuple[Any, Any] | None:
        data = sub.data if hasattr(sub, "data") else sub
        if len(data) == 1 and data[0][0] in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
            return data[0]
        return None

    # -- a sequence, with what follows it as a continuation ---------------------
    def _seq(self, items: list[Any], idx: int, pos: int, k: Cont) -> int | None:
        if idx == len(items):
            return k(pos)
        op, av = items[idx]
        text = self.text

        def rest(end: int) -> int | None:
            return self._seq(items, idx + 1, end, k)

        if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
            self.steps += 1
            if pos < len(text) and self._char(op, av, text[pos]):
                return rest(pos + 1)
            return None
        if op is c.AT:
            self.steps += 1
            return rest(pos) if self._at(av, pos) else None
        if op is c.SUBPATTERN:
            return self._seq(av[-1].data, 0, pos, rest)
        if op is c.BRANCH:
            for alternative in av[1]:
                found = self._seq(alternative.data, 0, pos, rest)
                if found is not None:
                    return found
            return None
        if op in (c.ASSERT, c.ASSERT_NOT):
            direction, sub = av
            start = pos
            if direction < 0:
                width = sub.getwidth()[0]
                start = pos - width
            hit = start >= 0 and self._seq(
                sub.data, 0, start, lambda e: e if direction > 0 or e == pos else None
            ) is not None
            return rest(pos) if hit == (op is c.ASSERT) else None
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            lo, hi, sub = av
            single = self._single(sub)
            if single is not None:
                return self._repeat_one(single, lo, hi, op is c.MAX_REPEAT, pos, rest)
            return self._repeat(sub.data, lo, hi, op is c.MAX_REPEAT, pos, 0, rest)
        raise NotImplementedError(op)

    def _repeat_one(self, single: tuple[Any, Any], lo: int, hi: int, greedy: bool,
                    pos: int, rest: Cont) -> int | None:
        text = self.text
        if greedy:
            n = 0
            while n < hi and pos + n < len(text):
                self.steps += 1
                if not self._char(*single, text[pos + n]):
                    break
                n += 1
            for count in range(n, lo - 1, -1):
                found = rest(pos + count)
                if found is not None:
                    return found
            return None
        count = 0
        while True:
            if count >= lo:
                found = rest(pos + count)
                if found is not None:
                    return found
            if count >= hi or pos + count >= len(text):
                return None
            self.steps += 1
            if not self._char(*single, text[pos + count]):
                return None
            count += 1

    def _repeat(self, data: list[Any], lo: int, hi: int, greedy: bool, pos: int, done: int,
                rest: Cont) -> int | None:
        def again(end: int) -> int | None:
            if end == pos and done >= lo:
                return None  # an empty iteration: stop, as re does
            return self._repeat(data, lo, hi, greedy, end, done + 1, rest)

        if not greedy and done >= lo:
            found = rest(pos)
            if found is not None:
                return found
        if done < hi:
            found = self._seq(data, 0, pos, again)
            if found is not None:
                return found
        if greedy and done >= lo:
            return rest(pos)
        return None

    def _at(self, where: Any, pos: int) -> bool:
        text = self.text
        if where is c.AT_BEGINNING:
            return pos == 0 or (self.multiline and text[pos - 1] == "\n")
        if where is c.AT_BEGINNING_STRING:
            return pos == 0
        if where is c.AT_BEGINNING_LINE:
            return pos == 0 or text[pos - 1] == "\n"
        if where is c.AT_END:
            return (pos == len(text) or (pos == len(text) - 1 and text[pos] == "\n")
                    or (self.multiline and text[pos] == "\n"))
        if where is c.AT_END_LINE:
            return pos == len(text) or text[pos] == "\n"
        if where is c.AT_END_STRING:
            return pos == len(text)
        if where in (c.AT_BOUNDARY, c.AT_NON_BOUNDARY):
            before = pos > 0 and _category(c.CATEGORY_WORD, text[pos - 1])
            after = pos < len(text) and _category(c.CATEGORY_WORD, text[pos])
            return (before != after) == (where is c.AT_BOUNDARY)
        raise NotImplementedError(where)


def _category(which: Any, ch: str) -> bool:
    if which is c.CATEGORY_DIGIT:
        return ch.isdigit()
    if which is c.CATEGORY_NOT_DIGIT:
        return not ch.isdigit()
    if which is c.CATEGORY_SPACE:
        return ch.isspace()
    if which is c.CATEGORY_NOT_SPACE:
        return not ch.isspace()
    if which is c.CATEGORY_WORD:
        return ch.isalnum() or ch == "_"
    if which is c.CATEGORY_NOT_WORD:
        return not (ch.isalnum() or ch == "_")
    raise NotImplementedError(which)
