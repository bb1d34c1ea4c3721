"""How each kind of annotation and each rating is named and drawn.

Kinds are told apart by an icon and a word, never by colour alone.  The
icons are Material Design SVGs shipped inside the mkdocs-material wheel,
inlined at build time so the site loads nothing from elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Look:
    label: str
    plural: str
    icon: str
    meaning: str


KIND_LOOKS = {
    "correction": Look("Correction", "Corrections", "pencil",
                       "An error in the text. The original stays, struck through; "
                       "the corrected wording is shown beside it."),
    "claim": Look("Claim check", "Claim checks", "scale-balance",
                  "A checkable statement, rated on the dossier's scale."),
    "context": Look("Context", "Context notes", "information-outline",
                    "Background the article leaves out."),
    "update": Look("Update", "Updates", "update",
                   "What happened after the article was published."),
    "source": Look("Source", "Sources", "link-variant",
                   "Where a statement or quotation comes from."),
}

RATING_LOOKS = {
    "accurate": Look("Accurate", "Accurate", "check-circle-outline",
                     "The statement matches the sources."),
    "inaccurate": Look("Inaccurate", "Inaccurate", "close-circle-outline",
                       "The statement is wrong."),
    "imprecise": Look("Imprecise", "Imprecise", "alert-circle-outline",
                      "Broadly right, but wrong or loose in a detail that matters."),
    "needs-context": Look("Needs context", "Needs context", "information-outline",
                          "True as far as it goes, but misleading without what it leaves out."),
    "unverified": Look("Unverified", "Unverified", "help-circle-outline",
                       "No source could confirm or refute it."),
}


ICON_PREFIX = "dz-icon-"


def icon(name: str) -> str:
    """A use of the page's icon sprite, hidden from assistive technology (a label says it)."""
    return (f'<svg aria-hidden="true" focusable="false" class="dz-icon" viewBox="0 0 24 24">'
            f'<use href="#{ICON_PREFIX}{name}"></use></svg>')


@cache
def _symbol(name: str) -> str:
    svg = (resources.files("material") / "templates" / ".icons" / "material" / f"{name}.svg"
           ).read_text(encoding="utf-8").strip()
    paths = re.findall(r"<path\b[^>]*/>", svg)
    found = re.search(r'viewBox="([^"]+)"', svg)
    view_box = found.group(1) if found else "0 0 24 24"
    return (f'<symbol id="{ICON_PREFIX}{name}" viewBox="{view_box}">' + "".join(paths)
            + "</symbol>")


def sprite(html: str) -> str:
    """The symbols a page's HTML uses, defined once at its top (not once per marker)."""
    names = sorted(set(re.findall(rf'href="#{ICON_PREFIX}([a-z0-9-]+)"', html)))
    if not names:
        return ""
    # Not display:none or [hidden], which SVG ignores: a zero-size box off the page.
    return ('<svg class="dz-sprite" aria-hidden="true" focusable="false" width="0" '
            'height="0">'
            + "".join(_symbol(n) for n in names) + "</svg>")
