"""``dossier archive``: record a web-archive copy for every source that lacks one.

For each source without ``archive_url`` it asks the Wayback Machine's
availability API for the capture nearest the source's ``accessed`` date
and, with ``save=True``, first asks Save Page Now to capture the page.
Requests go one at a time, a polite interval apart, each with a time-out;
every failure (time-out, HTTP 429 or other error, no capture) is reported
and changes nothing for that source.

Files are edited as text, in place: one ``archive_url:`` line is inserted
after the source's last field, at its indentation, so comments, key order
and formatting stay as the contributor wrote them.  The edited text is
parsed again before it replaces the file (atomically), and must give the
same data plus the new addresses.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .anchoring import yaml_quote
from .model import Annotation
from .problems import Problem, Severity
from .project import Project
from .yamlsafe import load_mapping

AVAILABILITY = "https://archive.org/wayback/available"
SAVE = "https://web.archive.org/save/"
USER_AGENT = "dossier-archive/0.1 (+https://github.com/annotated-dossier/dossier)"
PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:/._~%?&=+\-@!$'()*,;#]*$")


@dataclass(frozen=True)
class Endpoints:
    """Where the two APIs are: the Internet Archive, or a local stand-in in tests."""

    availability: str = AVAILABILITY
    save: str = SAVE

    @classmethod
    def from_environment(cls) -> Endpoints:
        return cls(os.environ.get("DOSSIER_WAYBACK_AVAILABILITY", AVAILABILITY),
                   os.environ.get("DOSSIER_WAYBACK_SAVE", SAVE))


@dataclass
class Report:
    recorded: list[tuple[str, int, str]] = field(default_factory=list)  # path, source, address
    problems: list[Problem] = field(default_factory=list)


class _Client:
    """One request at a time, at least ``interval`` seconds apart, each with a time-out."""

    def __init__(self, timeout: float, interval: float,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.timeout, self.interval, self.sleep = timeout, interval, sleep
        self.last: float | None = None

    def get(self, url: str) -> bytes:
        if self.last is not None:
            wait = self.interval - (time.monotonic() - self.last)
            if wait > 0:
                self.sleep(wait)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return bytes(response.read())
        finally:
            self.last = time.monotonic()


class Failed(Exception):
    pass


def _why(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        if exc.code == 429:
            return "the archive is rate limiting (HTTP 429 Too Many Requests); try again later"
        return f"the archive answered HTTP {exc.code} {exc.reason}"
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return f"no answer within {timeout:g} s (time-out)"
    if isinstance(exc, urllib.error.URLError):
        return f"cannot reach the archive: {exc.reason}"
    return f"{type(exc).__name__}: {exc}"


def nearest_capture(client: _Client, endpoints: Endpoints, url: str, accessed: str) -> str:
    """The address of the capture nearest ``accessed``; Failed says why there is none."""
    query = urllib.parse.urlencode({"url": url, "timestamp": accessed.replace("-", "")})
    try:
        data = json.loads(client.get(f"{endpoints.availability}?{query}"))
    except (OSError, urllib.error.URLError) as exc:
        raise Failed(_why(exc, client.timeout)) from None
    except ValueError:
        raise Failed("the availability API did not answer with JSON") from None
    closest = ((data or {}).get("archived_snapshots") or {}).get("closest") or {}
    address = closest.get("url")
    if not closest.get("available") or not isinstance(address, str):
        raise Failed("the Wayback Machine has no capture of this page")
    return re.sub(r"^http://", "https://", address)


def save_page(client: _Client, endpoints: Endpoints, url: str) -> None:
    try:
        client.get(endpoints.save + url)
    except (OSError, urllib.error.URLError) as exc:
        raise Failed("Save Page Now: " + _why(exc, client.timeout)) from None


def insert_archive_urls(text: str, additions: dict[int, str]) -> str:
    """The file's text with ``archive_url`` added to the given sources (by index), in place."""
    doc, problems = load_mapping(text.encode("utf-8"), "annotation")
    if doc is None:
        raise ValueError(problems[0].message if problems else "not YAML")
    lines = text.splitlines(keepends=True)
    inserts: list[tuple[int, str]] = []
    for index, address in additions.items():
        keys = [(pos, path[-1]) for path, pos in doc.key_positions.items()
                if len(path) == 3 and path[:2] == ("sources", index)]
        if not keys:
            raise ValueError(f"source {index + 1} is not written as a block of fields")
        (line, col), _ = max(keys)
        end = line  # the line after the last field's value (block scalars run on, indented)
        while end < len(lines) and lines[end].strip() and \
                len(lines[end]) - len(lines[end].lstrip(" ")) > col - 1:
            end += 1
        value = address if PLAIN.match(address) else yaml_quote(address)
        newline = "\r\n" if lines[line - 1].endswith("\r\n") else "\n"
        inserts.append((end, f"{' ' * (col - 1)}archive_url: {value}{newline}"))
    for at, line_text in sorted(inserts, reverse=True):
        if at == len(lines) and lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.insert(at, line_text)
    result = "".join(lines)
    after, problems = load_mapping(result.encode("utf-8"), "annotation")
    expected = json.loads(json.dumps(doc.data))
    for index, address in additions.items():
        expected["sources"][index]["archive_url"] = address
    if after is None or after.data != expected:
        raise ValueError("the edit would not give the expected fields")
    return result


def _replace(path: Path, text: str) -> None:
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, newline="",
                                     prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(text)
    os.chmod(tmp.name, path.stat().st_mode & 0o777)
    os.replace(tmp.name, path)


def archive(project: Project, annotations: list[Annotation], *, save: bool = False,
            endpoints: Endpoints | None = None, timeout: float = 30.0,
            interval: float = 5.0) -> Report:
    """Find (and with ``save``, first make) an archived copy for each source lacking one."""
    endpoints = endpoints or Endpoints()
    client = _Client(timeout, interval)
    report = Report()
    found: dict[str, str | Failed] = {}  # one look-up per address and date
    for a in annotations:
        additions: dict[int, str] = {}
        for i, s in enumerate(a.sources):
            if s.archive_url:
                continue
            key = f"{s.url} {s.accessed}"
            if key not in found:
                try:
                    if save:
                        save_page(client, endpoints, s.url)
                    found[key] = nearest_capture(client, endpoints, s.url, s.accessed)
                except Failed as exc:
                    found[key] = exc
            result = found[key]
            line, col = a.where("sources", i, "url")
            if isinstance(result, Failed):
                report.problems.append(Problem(a.path, line, col,
                                               f"source {i + 1} ({s.url}): {result}",
                                               "nothing was changed for this source; run "
                                               "'dossier archive' again later"))
            else:
                additions[i] = result
        if not additions:
            continue
        path = project.root / a.path
        try:
            text = insert_archive_urls(path.read_bytes().decode("utf-8"), additions)
        except (OSError, ValueError) as exc:
            report.problems.append(Problem(a.path, 1, 1, f"not edited: {exc}",
                                           "add the archive_url lines by hand"))
            continue
        _replace(path, text)
        report.recorded += [(a.path, i + 1, url) for i, url in sorted(additions.items())]
    return report


def has_failures(report: Report) -> bool:
    return any(p.severity is Severity.ERROR for p in report.problems)
