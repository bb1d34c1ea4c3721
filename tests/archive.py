"""A generated archive: many articles, copies of this repository's own, each varied.

The tests use it small; bench/scale.py uses it at 10, 100 and 1,000 articles. The
copies differ in their titles and every annotation's title and body, so that
no two pages are alike and every dossier-wide list grows with the count.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from dossier.project import Project

ROOT = Path(__file__).resolve().parents[1]  # not from conftest: the benchmarks import this


def dump(data: dict[str, Any], path: Path) -> None:
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value

    path.write_text(yaml.safe_dump(plain(data), allow_unicode=True, sort_keys=False,
                                   width=100), encoding="utf-8")


def generate(dest: Path, count: int) -> Project:
    """A project of ``count`` articles (``<base>-0001``, ...), copies of the real ones."""
    dest.mkdir(parents=True)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs", dest / "docs")
    (dest / "seeds").mkdir()
    bases = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt") if "." not in p.stem)
    for i in range(count):
        base = bases[i % len(bases)]
        slug = f"{base}-{i + 1:04d}"
        shutil.copy(ROOT / "seeds" / f"{base}.txt", dest / "seeds" / f"{slug}.txt")
        meta = yaml.safe_load((ROOT / "seeds" / f"{base}.yml").read_text(encoding="utf-8"))
        meta["title"] = f"{meta['title']} (archive copy {i + 1})"
        if isinstance(meta.get("source"), dict):
            received = f"{slug}.source{Path(meta['source']['file']).suffix}"
            shutil.copy(ROOT / "seeds" / meta["source"]["file"], dest / "seeds" / received)
            meta["source"]["file"] = received
        dump(meta, dest / "seeds" / f"{slug}.yml")
        folder = dest / "annotations" / slug
        folder.mkdir(parents=True)
        for path in sorted((ROOT / "annotations" / base).glob("*.yml")):
            note = yaml.safe_load(path.read_text(encoding="utf-8"))
            note["title"] = f"{note['title']} (copy {i + 1})"
            note["body"] = note["body"].rstrip("\n") + f"\n\nChecked again for copy {i + 1}.\n"
            dump(note, folder / path.name)
    return Project(dest)


def edit_annotation(path: Path, sentence: str) -> None:
    """Save one annotation with a sentence added to its body, as a contributor would."""
    note = yaml.safe_load(path.read_text(encoding="utf-8"))
    note["body"] = note["body"].rstrip("\n") + f"\n\n{sentence}\n"
    dump(note, path)
