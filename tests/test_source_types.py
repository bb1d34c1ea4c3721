"""Readers see what each source is: on the article pages, the sources page and in the PDF.

Checked on the real build of both articles (the ``built`` fixture): every
cited source carries its type as a word and as an icon whose text
alternative is that word, and the sources page groups them by type, then by
publisher, with how many annotations cite each.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter

import pypdf

from conftest import Built
from dossier.buildinfo import BuildInfo
from dossier.kinds import SOURCE_TYPE_LOOKS
from dossier.model import SOURCE_TYPES
from dossier.pdf import render_pdf
from dossier.render import source_groups


def _badge(kind: str) -> str:
    label = SOURCE_TYPE_LOOKS[kind].label
    return (f'<span class="dz-stype dz-stype--{kind}"><svg role="img" aria-label="{label}" '
            f'class="dz-icon" viewBox="0 0 24 24"><title>{label}</title>')


def test_every_note_shows_each_source_type(built: Built) -> None:
    for article in built.dossier.articles:
        page = built.page(f"articles/{article.slug}.html")
        expected = Counter(s.type for anchor in built.dossier.anchors_for(article.slug)
                           for s in anchor.annotation.sources)
        for kind in SOURCE_TYPES:
            assert page.count(_badge(kind)) == expected[kind], (article.slug, kind)
            if expected[kind]:
                word = f'aria-hidden="true">{SOURCE_TYPE_LOOKS[kind].label}</span>'
                assert word in page
                # The icon the badge uses is defined in the page's own sprite.
                assert f'<symbol id="dz-icon-{SOURCE_TYPE_LOOKS[kind].icon}"' in page


def _merged(items: list[str]) -> list[str]:
    """Headings repeated where a page continues the previous one's group, said once."""
    return [x for i, x in enumerate(items) if i == 0 or items[i - 1] != x]


def test_sources_page_groups_by_type_then_publisher_with_counts(built: Built) -> None:
    pages = [page.split('class="dz-stype-summary"', 1)[1] for page in built.paged("sources")]
    page = "".join(pages)
    groups = source_groups(built.dossier)
    headings = _merged(re.findall(r'<h2 id="type-([a-z]+)"', page))
    assert headings == [g.type for g in groups]
    assert headings == [t for t in SOURCE_TYPES if t in headings]  # strongest first
    users: dict[str, set[str]] = {}
    for a in built.dossier.annotations:
        for s in a.sources:
            users.setdefault(s.key, set()).add(a.id)
    sections: dict[str, str] = {}
    for section in re.split(r'<h2 id="type-', page)[1:]:
        kind = section.split('"', 1)[0]
        sections[kind] = sections.get(kind, "") + section
    for group in groups:
        section = sections[group.type]
        publishers = _merged([html.unescape(p) for p in re.findall(
            r'<h3 class="dz-bibliography__publisher">(.*?)</h3>', section)])
        assert publishers == [p.publisher for p in group.publishers]
        assert publishers == sorted(publishers, key=str.casefold)
        for p in group.publishers:
            for cited in p.sources:
                assert cited.source.type == group.type
                n = len(users[cited.source.key])
                assert len(cited.users) == n
                assert f"Cited by {n} annotation{'s' if n != 1 else ''}:" in section
    assert page.count('class="dz-bibliography__item"') == len(users)
    for whole in built.paged("sources"):
        assert f"<p>{len(users)} sources cited by the annotations" in whole


def test_the_pdf_names_each_source_type(built: Built) -> None:
    reader = pypdf.PdfReader(io.BytesIO(
        render_pdf(built.dossier, BuildInfo.of(built.project.root)).reader))
    text = "".join(page.extract_text() for page in reader.pages)
    cited = {s.type for a in built.dossier.annotations for s in a.sources}
    for kind in cited:
        assert f"{SOURCE_TYPE_LOOKS[kind].label}:" in text, kind
