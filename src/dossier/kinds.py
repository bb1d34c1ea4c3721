"""How each kind of annotation and each rating is named and drawn.

Kinds are told apart by an icon and a word, never by colour alone.  The
icons are Material Design SVGs shipped inside the mkdocs-material wheel,
inlined at build time so the site loads nothing from elsewhere (the sprite
and icon macros in ``templates/components.html`` draw them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from markupsafe import Markup


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

# What a cited source is (model.SOURCE_TYPES), strongest first: a word and an icon for readers.
SOURCE_TYPE_LOOKS = {
    "primary": Look("Primary source", "Primary sources", "file-document-outline",
                    "The statement, transcript, document or data itself."),
    "news": Look("News report", "News reports", "newspaper-variant-outline",
                 "An established news organisation's own reporting."),
    "reference": Look("Reference", "References", "bookshelf",
                      "An encyclopaedia, a catalogue or a library record."),
    "reprint": Look("Reprint", "Reprints", "content-copy",
                    "A copy of another outlet's story, carried by a different site."),
}


ICON_PREFIX = "dz-icon-"


@dataclass(frozen=True)
class Symbol:
    """One Material icon, for the page's sprite: its box and its SVG ``<path>`` elements."""

    name: str
    view_box: str
    paths: Markup  # from the mkdocs-material package itself, never from contributors


@cache
def symbol(name: str) -> Symbol:
    svg = (resources.files("material") / "templates" / ".icons" / "material" / f"{name}.svg"
           ).read_text(encoding="utf-8").strip()
    paths = re.findall(r"<path\b[^<>]*/>", svg)
    found = re.search(r'viewBox="([^"]+)"', svg)
    return Symbol(name, found.group(1) if found else "0 0 24 24", Markup("".join(paths)))


def icons_used(html: str) -> list[str]:
    """The icons a page's HTML refers to, by name."""
    return sorted(set(re.findall(rf'href="#{ICON_PREFIX}([a-z0-9-]+)"', html)))
