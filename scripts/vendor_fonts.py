"""Rebuild the PDF fonts in src/dossier/fonts/ from the Fontsource npm packages.

The PDF must embed fonts that cover every character of the articles and
annotations (Latin, Cyrillic, Korean names), on any machine, without
system fonts.  Fontsource ships each font split into unicode-range subsets;
this script merges the subsets of each style into one WOFF file (WOFF, not
WOFF2: WeasyPrint decodes WOFF2 in pure Python, which costs seconds per build).

    cd build && npm pack @fontsource/noto-serif@5.3.0 @fontsource/nanum-myeongjo@5.3.0
    for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    .venv/bin/python scripts/vendor_fonts.py build

Both fonts are under the SIL Open Font License 1.1 (src/dossier/fonts/OFL.txt).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parents[1] / "src" / "dossier" / "fonts"
NOTO_SUBSETS = ("latin", "latin-ext", "cyrillic", "cyrillic-ext", "greek")
STYLES = {"Regular": "400-normal", "Bold": "700-normal", "Italic": "400-italic",
          "BoldItalic": "700-italic"}


def merge(files: list[Path], target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plain = []
        for f in files:
            font = TTFont(f)
            font.flavor = None
            out = Path(tmp) / (f.stem + ".ttf")
            font.save(out)
            plain.append(str(out))
        merged = Merger().merge(plain)
        merged.flavor = "woff"
        merged.save(target)
    print(f"{target.name}: {len(files)} subsets, {target.stat().st_size:,} bytes")


def main(packs: Path) -> None:
    noto = next(packs.glob("fontsource-noto-serif-*/package/files"))
    nanum = next(packs.glob("fontsource-nanum-myeongjo-*/package/files"))
    for name, style in STYLES.items():
        merge([noto / f"noto-serif-{s}-{style}.woff" for s in NOTO_SUBSETS],
              OUT / f"NotoSerif-{name}.woff")
    merge(sorted(nanum.glob("nanum-myeongjo-*-400-normal.woff")),
          OUT / "NanumMyeongjo-Regular.woff")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
