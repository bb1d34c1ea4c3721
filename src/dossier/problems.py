"""Problems found in contributors' input, collected and reported together.

The library never prints and never exits: every stage returns or raises
``Problem`` records, and the CLI decides how to show them.  Collecting
instead of stopping at the first problem is what lets a contributor fix a
whole pull request in one pass.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def printable(text: str) -> str:
    """``text`` on one terminal line: control, line-breaking and format characters as escapes.

    Paths, keys and values in messages come from contributors' files.  Shown raw,
    a newline in a key or a file name would start a new output line, one that a
    CI runner could read as a workflow command (``::stop-commands::``), and a
    bidi control could reorder what the reviewer reads.
    """
    if text.isprintable():  # no Cc, Cf, Zl or Zp (nor any other escape): most messages
        return text
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at the place the contributor typed it."""

    path: str
    line: int
    col: int
    message: str
    help: str = ""
    severity: Severity = Severity.ERROR
    # Warnings of one sort, in the plural ("annotations cite a source with no archive
    # copy"): when many share it, `dossier check` shows them as one line.
    group: str = ""

    def format(self) -> str:
        """Compiler-style text; every line starts with the path or with '  help:'."""
        text = (f"{printable(self.path)}:{self.line}:{self.col}: {self.severity.value}: "
                f"{printable(self.message)}")
        if self.help:
            text += "".join(f"\n  help: {printable(line)}" for line in self.help.split("\n"))
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "message": self.message,
            "help": self.help,
        }


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


class DossierError(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=_sort_key)

    def __reduce__(self) -> tuple[Any, ...]:  # (raised in a worker process, told here)
        return (DossierError, (self.problems,))


def _sort_key(p: Problem) -> tuple[str, int, int, str]:
    return (p.path, p.line, p.col, p.message)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=_sort_key)


def display_path(path: Path, root: Path) -> str:
    """The path as the contributor knows it: relative to the project, with slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


SUMMARY_THRESHOLD = 3


def summarised(problems: list[Problem]) -> list[Problem]:
    """Warnings that share a group, when there are many, as one line each group.

    A contributor's own errors then stand out instead of being buried under
    thirty copies of the same reminder; ``dossier check --verbose`` lists them all.
    """
    groups: dict[str, list[Problem]] = {}
    for p in problems:
        if p.group and p.severity is Severity.WARNING:
            groups.setdefault(p.group, []).append(p)
    out: list[Problem] = []
    for p in problems:
        members = groups.get(p.group, []) if p.severity is Severity.WARNING else []
        if len(members) < SUMMARY_THRESHOLD:
            out.append(p)
        elif p is members[0]:
            files = len({m.path for m in members})
            where = f" ({files} files)" if files > 1 else ""
            out.append(Problem(
                p.path, p.line, p.col, f"{len(members)} {p.group}{where}",
                f"{p.help}\n'dossier check --verbose' lists each one", Severity.WARNING,
                p.group))
    return out
