"""Sourcing rules: is each citation the strongest one there is, and cited cleanly?

The schema says what a source must hold; these rules judge what it holds.
A claim, correction or update stands on at least one primary record or news
report; a reprint says who carries the copy; no address is on the list of
hosts never to cite (``data/never-cite.yml``, with the reason for each); an
address carries no default port, trailing dot or tracking parameters; and one
page is not cited under two addresses.  Each problem is reported at the line
the contributor wrote, and the fix is given, never applied: the files are the
contributor's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

import yaml

from .model import Annotation
from .problems import Problem, Severity
from .review import PLACEHOLDER

STRONG = ("primary", "news")
NEEDS_STRONG = ("claim", "correction", "update")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that say how a reader arrived, not which page it is.
TRACKING = re.compile(
    r"^(?:utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ns_[a-z_]+|ito|maca|"
    r"traffic_source|ocid|cmpid|smid|at_medium|at_campaign|_ga|igshid|yclid)$", re.I)


@dataclass(frozen=True)
class ListedHost:
    host: str
    category: str
    reason: str


@cache
def never_cite() -> dict[str, ListedHost]:
    """The hosts never to cite, from the list kept in the package."""
    text = resources.files("dossier").joinpath("data", "never-cite.yml").read_text("utf-8")
    # libyaml's loader where installed: the pure-Python one took longer than the rest of a
    # check after one changed file spends on sources
    data: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {host: ListedHost(host, entry["category"], entry["reason"])
            for host, entry in data["hosts"].items()}


def listed_host(url: str) -> ListedHost | None:
    """The most specific listed host that ``url`` is on (the host itself or under it)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    listed = never_cite()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        entry = listed.get(".".join(labels[i:]))
        if entry:
            return entry
    return None


def normalised(url: str) -> tuple[str, list[str]]:
    """The address without a default port, a trailing dot or tracking parameters,
    and what was wrong.  The rest of the address is kept exactly as written."""
    parts = urlsplit(url)
    wrong: list[str] = []
    netloc = parts.netloc
    userinfo, _, hostport = netloc.rpartition("@")
    host, port = hostport, ""
    match = re.fullmatch(r"(.*?)(?::(\d*))?", hostport)
    if match and not hostport.endswith("]"):
        host, port = match.group(1), match.group(2) or ""
    if port and DEFAULT_PORTS.get(parts.scheme.lower()) == int(port):
        wrong.append(f"the default port :{port}")
        port = ""
    if host.endswith("."):
        wrong.append("a trailing dot in the host")
        host = host.rstrip(".")
    query = parts.query
    if query:
        kept: list[str] = []
        dropped: list[str] = []
        for pair in query.split("&"):
            name = pair.split("=", 1)[0]
            (dropped if TRACKING.match(name) else kept).append(pair)
        if dropped:
            names = ", ".join(p.split("=", 1)[0] for p in dropped)
            wrong.append(f"tracking parameters ({names})")
            query = "&".join(kept)
    netloc = (f"{userinfo}@" if userinfo else "") + host + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)), wrong


def _at(a: Annotation, path: tuple[str | int, ...], message: str, help: str = "",
        severity: Severity = Severity.ERROR, *, key: bool = False) -> Problem:
    line, col = a.where(*path, key=key)
    return Problem(a.path, line, col, message, help, severity)


def source_problems(a: Annotation) -> list[Problem]:
    """Every sourcing problem in one annotation, each at its own line."""
    found: list[Problem] = []
    # A type still to be chosen (an importer's placeholder) is reported as a placeholder,
    # a warning that --strict fails on; the rule below waits until it is chosen.
    undecided = any(s.type.startswith(PLACEHOLDER) for s in a.sources)
    if a.kind in NEEDS_STRONG and not undecided and not any(s.type in STRONG
                                                            for s in a.sources):
        have = ", ".join(dict.fromkeys(s.type for s in a.sources))
        found.append(_at(a, ("sources",), f"a {a.kind} needs at least one primary or news "
                         f"source; this one has only: {have}",
                         "cite the statement, transcript or document itself (type: primary), "
                         "or an established news organisation's own report (type: news)",
                         key=True))
    for i, s in enumerate(a.sources):
        n = f"sources[{i}]"
        if s.type == "reprint":
            if not s.via:
                found.append(_at(a, ("sources", i, "type"),
                                 f"'{n}' is a reprint but does not say which site carries "
                                 "the copy",
                                 f"add 'via: …' (the site at {urlsplit(s.url).hostname}), "
                                 "and give the original outlet as 'publisher'"))
            if not s.original_url:
                found.append(_at(a, ("sources", i, "type"),
                                 f"'{n}' is a reprint without the original's address",
                                 "add 'original_url: …' when the original can be found, or "
                                 "better, cite the original instead of the copy",
                                 Severity.WARNING))
        else:
            for field in ("via", "original_url"):
                if getattr(s, field):
                    found.append(_at(a, ("sources", i, field),
                                     f"'{n}.{field}' only applies to type: reprint",
                                     f"remove '{field}', or set 'type: reprint' if the page is "
                                     "a copy of another outlet's story"))
        for field in ("url", "original_url"):
            url = getattr(s, field)
            if not url:
                continue
            listed = listed_host(url)
            if listed:
                found.append(_at(a, ("sources", i, field),
                                 f"'{n}.{field}' is on {listed.host}, a host never to cite "
                                 f"({listed.category}: {listed.reason})",
                                 "cite the primary record or the outlet that reported it "
                                 "(see src/dossier/data/never-cite.yml)"))
            clean, wrong = normalised(url)
            if wrong:
                found.append(_at(a, ("sources", i, field),
                                 f"'{n}.{field}' has {' and '.join(wrong)}",
                                 f"write it as: {clean}"))
    return found


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


class Cited(NamedTuple):
    """One citation as ``duplicate_sources`` compares it across files: small enough to be
    kept with an article's check result (``checkrun.py``), so that the comparison runs
    without the annotations.  Where its address was written is asked for only when it
    is part of a duplicate (a cached annotation parses its file again to say where)."""

    title: str  # normalised (``_same``)
    publisher: str  # normalised
    key: str  # ``Source.key``
    url: str
    path: str  # the annotation file
    number: int  # in its ``sources``


Locate = Callable[[str, int], tuple[int, int]]  # (file, index) -> line and column of its url


def cited_sources(a: Annotation) -> list[Cited]:
    """Each of the annotation's sources, as ``duplicates`` compares them."""
    return [Cited(_same(s.title), _same(s.publisher), s.key, s.url, a.path, i)
            for i, s in enumerate(a.sources)]


def duplicate_sources(annotations: list[Annotation]) -> list[Problem]:
    """Warnings for one title and publisher cited under different addresses."""
    by_path = {a.path: a for a in annotations}
    return duplicates([c for a in annotations for c in cited_sources(a)],
                      lambda path, i: by_path[path].where("sources", i, "url"))


def duplicates(cited: Iterable[tuple[str, str, str, str, str, int]], where: Locate
               ) -> list[Problem]:
    """``duplicate_sources`` of the files whose citations are ``cited`` (in their order;
    each a ``Cited``, or a plain tuple of its fields, as ``checkrun`` keeps them)."""
    first: dict[tuple[str, str], tuple[str, str, str, int]] = {}
    found: list[Problem] = []
    for title, publisher, key, url, path, number in cited:
        their_key, their_url, their_path, their_number = first.setdefault(
            (title, publisher), (key, url, path, number))
        if their_key == key:
            continue
        line, _col = where(their_path, their_number)
        found.append(Problem(path, *where(path, number),
                             f"'sources[{number}]' has the same title and publisher as "
                             f"{their_path}:{line} but a different address: a possible "
                             "duplicate",
                             f"if it is the same page, cite one address: {their_url}",
                             Severity.WARNING))
    return found
