"""Problems found in contributors' input, collected and reported together.

The library never prints and never exits: every stage returns or raises
``Problem`` records, and the CLI decides how to show them.  Collecting
instead of stopping at the first problem is what lets a contributor fix a
whole pull request in one pass.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


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

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"
        if self.help:
            text += "".join(f"\n  help: {line}" for line in self.help.splitlines())
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
