"""Where a dossier project keeps its parts, found from its root folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import Problem


class ProjectNotFound(Exception):
    pass


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    def display(self, path: Path) -> str:
        text, root = str(path), str(self.root)
        if text.startswith(root + "/") and "/.." not in text:  # the common case, quickly
            return text[len(root) + 1:]
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above ``start`` that holds mkdocs.yml and seeds/."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "mkdocs.yml").is_file() and (folder / "seeds").is_dir():
                return cls(folder)
        raise ProjectNotFound(
            f"no dossier project at or above {here} "
            "(a project has mkdocs.yml and a seeds/ folder)"
        )

    def missing_parts(self) -> list[Problem]:
        return [
            Problem(self.display(p), 1, 1, f"'{self.display(p)}' is missing",
                    "run the command from the dossier's folder")
            for p in (self.config, self.seeds)
            if not p.exists()
        ]
