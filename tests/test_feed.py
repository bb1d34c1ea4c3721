"""The Atom feed of corrections and updates, read back with feedparser."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import feedparser
import pytest

from conftest import FAKE_SLUG, ROOT, Built
from dossier.config import Settings
from dossier.formats.feed import atom, entry_date, first_day
from dossier.model import Annotation, Target
from dossier.pipeline import check
from dossier.project import Project


def note(kind: str, **fields: str) -> Annotation:
    return Annotation(id="x", article="a", kind=kind, title="T", body="B", target=Target("q"),
                      sources=(), path="annotations/a/x.yml", **fields)  # type: ignore[arg-type]


def test_partial_dates_stand_for_their_first_day() -> None:
    assert first_day("2024-12") == dt.datetime(2024, 12, 1, tzinfo=dt.UTC)
    assert first_day("2024") == dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    assert first_day("2024-12-03") == dt.datetime(2024, 12, 3, tzinfo=dt.UTC)


def test_the_date_is_updated_then_an_updates_date_then_the_last_commit() -> None:
    assert entry_date(note("update", date="2024-12", updated="2025-01-02"), "2026-01-01") \
        == "2025-01-02"
    assert entry_date(note("update", date="2024-12"), "2026-01-01") == "2024-12"
    assert entry_date(note("correction"), "2026-01-01") == "2026-01-01"
    assert entry_date(note("correction", updated="2025-05-05"), "2026-01-01") == "2025-05-05"


def test_the_docs_say_what_a_partial_date_means() -> None:
    method = " ".join((ROOT / "docs" / "method.md").read_text().split())
    assert "A partial date, such as `2024-12` or `2024`, stands for its first day" in method


@pytest.mark.site
def test_the_site_feed_has_one_entry_per_correction_and_update(built: Built) -> None:
    parsed = feedparser.parse(built.page("feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "Annotated dossier: corrections and updates"
    assert parsed.feed.id.startswith("tag:github.com,")
    wanted = {(a.article, a.id) for a in built.dossier.annotations
              if a.kind in ("correction", "update")}
    assert len(wanted) >= 4
    got = []
    for entry in parsed.entries:
        slug, _, ident = entry.link.removeprefix("articles/").partition(".html#")
        got.append((slug, ident))
        assert entry.id.startswith("tag:github.com,") and entry.id.endswith(entry.link)
        assert f'id="{ident}"' in built.page(f"articles/{slug}.html")
        assert entry.title.split(":")[0] in ("Correction", "Update")
        assert entry.summary and entry.content[0].value
    assert sorted(got) == sorted(wanted) and len(got) == len(wanted)
    dates = [e.updated_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    friday = next(e for e in parsed.entries if e.link.endswith("#friday-update"))
    assert friday.updated.startswith("2024-03-08T00:00:00")  # an update's own date


@pytest.mark.site
def test_every_page_links_the_feed(built: Built) -> None:
    for name in ("index.html", "corrections.html", f"articles/{FAKE_SLUG}.html"):
        head = built.page(name).split("</head>", 1)[0]
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" '
                         r'href="(\.\./)?feed\.xml"', head), name
    assert 'href="feed.xml" type="application/atom+xml"' in built.page("corrections.html")


def test_absolute_addresses_with_a_site_url(make_project: Callable[..., Project]) -> None:
    dossier, _ = check(make_project(real=False))
    xml = atom(dossier, Settings(site_name="Checks", site_url="https://checks.example.org/d/"),
               lambda a: "2024-03-09", "2024-03-10")
    parsed = feedparser.parse(xml)
    assert not parsed.bozo
    assert parsed.feed.id == "https://checks.example.org/d/feed.xml"
    assert [e.link for e in parsed.entries] == [
        f"https://checks.example.org/d/articles/{FAKE_SLUG}.html#mayor-name",
        f"https://checks.example.org/d/articles/{FAKE_SLUG}.html#friday-update"]
    assert [e.id for e in parsed.entries] == [e.link for e in parsed.entries]
    assert parsed.entries[0].updated.startswith("2024-03-09")  # the last commit's date
