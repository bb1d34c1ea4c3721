"""How each kind of annotation and each rating is named and drawn.

Kinds are told apart by an icon and a word, never by colour alone.  The
icons are Material Design SVGs shipped inside the mkdocs-material wheel,
inlined at build time so the site loads nothing from elsewhere.
"""

from __future__ import annotations

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


@cache
def icon(name: str) -> str:
    """An inline SVG, hidden from assistive technology (the label says it in words)."""
    svg = (resources.files("material") / "templates" / ".icons" / "material" / f"{name}.svg"
           ).read_text(encoding="utf-8").strip()
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" class="dz-icon" ', 1)
