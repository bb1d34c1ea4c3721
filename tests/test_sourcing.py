"""Sourcing rules on their own: listed hosts, address normalisation, duplicates.

The exact messages, located in files, are in tests/example-files/negative/
(source-without-type, reprint-without-via, claim-without-primary-or-news,
listed-host, malformed-address, possible-duplicate).
"""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT
from dossier.sourcing import listed_host, never_cite, normalised


@pytest.mark.parametrize(("url", "clean", "wrong"), [
    ("https://www.uawire.org:443/putin-approves", "https://www.uawire.org/putin-approves",
     ["the default port :443"]),
    ("http://example.org:80/a", "http://example.org/a", ["the default port :80"]),
    ("https://example.org:8443/a", "https://example.org:8443/a", []),
    ("https://nationalinterest.org./blog/buzz/x", "https://nationalinterest.org/blog/buzz/x",
     ["a trailing dot in the host"]),
    ("https://www.dw.com/en/x/live-70563279?maca=en-rss-en-top-1022-xml-atom",
     "https://www.dw.com/en/x/live-70563279", ["tracking parameters (maca)"]),
    ("https://example.org/a?id=7&utm_source=rss&UTM_Medium=x&fbclid=1#part",
     "https://example.org/a?id=7#part", ["tracking parameters (utm_source, UTM_Medium, fbclid)"]),
    ("https://example.org/search?q=a%20b&page=2", "https://example.org/search?q=a%20b&page=2", []),
])
def test_normalised_changes_only_the_defect(url: str, clean: str, wrong: list[str]) -> None:
    assert normalised(url) == (clean, wrong)


@pytest.mark.parametrize(("url", "host"), [
    ("https://img2-azcdn.newser.com/story/358270/x.html", "img2-azcdn.newser.com"),
    ("https://www.newser.com/story/358270/x.html", "newser.com"),
    ("https://www.devdiscourse.com/article/politics/1", "devdiscourse.com"),
    ("https://townhall.com./tipsheet/x", "townhall.com"),
    ("https://notdevdiscourse.com/a", None),
    ("https://www.reuters.com/world/", None),
])
def test_listed_host_matches_the_host_and_hosts_under_it(url: str, host: str | None) -> None:
    found = listed_host(url)
    assert (found.host if found else None) == host


def test_every_listed_host_has_a_category_and_a_reason() -> None:
    raw = yaml.safe_load((ROOT / "src" / "dossier" / "data" / "never-cite.yml")
                         .read_text(encoding="utf-8"))["hosts"]
    assert set(raw) == set(never_cite())
    for host, entry in raw.items():
        assert host == host.lower() and not host.startswith("www."), host
        assert entry["category"] in ("aggregator", "content-farm", "image-cdn", "mirror",
                                     "proxy", "re-post", "retailer")
        assert len(entry["reason"]) > 20, host


def test_the_fact_packs_flagged_hosts_are_listed() -> None:
    """Mirrors, proxies and re-posts the research flagged: `dossier check` refuses them."""
    from test_content import FLAGGED_HOSTS

    for host in FLAGGED_HOSTS:
        found = listed_host(f"https://sub.{host}/page")
        assert found is not None and found.host == host, host


def test_the_issue_hosts_are_listed() -> None:
    for host in ("devdiscourse.com", "newsbytesapp.com", "globalbankingandfinance.com",
                 "upday.com", "townhall.com", "img2-azcdn.newser.com", "prissmart.no",
                 "everand.com"):
        assert host in never_cite(), host


def test_no_annotation_cites_a_listed_host() -> None:
    cited = [(path.name, source["url"])
             for path in sorted((ROOT / "annotations").glob("*/*.yml"))
             for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
             if listed_host(source["url"])]
    assert cited == []
