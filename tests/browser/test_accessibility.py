"""axe-core (vendored from its npm package) finds no WCAG 2.1 AA violation on any page.

Checked in both colour schemes, with every annotation on a page open, so the
notes' own colours are audited too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Built

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: object) -> list[dict[str, object]]:
    page.add_script_tag(content=AXE)  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    found: list[dict[str, object]] = result["violations"]
    return found


def summary(found: list[dict[str, object]]) -> str:
    return json.dumps([{"id": v["id"], "help": v["help"],
                        "nodes": [n["target"] for n in v["nodes"]][:5]}  # type: ignore
                       for v in found], indent=1)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe(server: str, built: Built, new_page: Callable[..., object],
                               scheme: str) -> None:
    page = new_page(color_scheme=scheme)
    names = sorted(p.relative_to(built.site).as_posix() for p in built.site.rglob("*.html"))
    assert len(names) >= 9
    for name in names:
        page.goto(server + name)
        page.evaluate("document.querySelectorAll('[data-dz-note]')"
                      ".forEach(n => { n.hidden = false; })")
        found = violations(page)
        assert found == [], f"{name} ({scheme}):\n{summary(found)}"
