"""``dossier add``: a web page, a Markdown file, a text or an address in; an article out.

This stage runs before ``load``.  It keeps what was received byte for byte
(``seeds/<slug>.source.html``, ``.source.md`` or ``.source.txt``), derives
the article text that annotations quote (``seeds/<slug>.txt``), and writes
the provenance (``seeds/<slug>.yml``) with every field taken from the source
or recorded as ``unknown``: nothing is guessed.  Everything read from a page
is hostile input; the provenance is checked with the same markup policy as
annotations before anything is written, and the files appear together or
not at all.

``plan`` is a plain function from what was received to the files to write,
so other commands (a new version of an article, say) can reuse it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .anchoring import one_line, yaml_quote
from .load import SLUG, slugify
from .policy import findings, markup_problems, text_problems
from .problems import DossierError, Problem
from .project import Project
from .text import FORMATS, blocks, detect_format, shown
from .yamlsafe import load_mapping

MAX_BYTES = 20 * 1024 * 1024
MIN_WORDS = 25  # less is a menu, a teaser or an error page, not an article
TIMEOUT = 20.0
UNKNOWN = "unknown"
_SUFFIX = {"text/html": "html", "text/markdown": "md", "text/plain": "txt"}
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


class ImportRefused(DossierError):
    """The source cannot become an article; nothing was written."""

    def __init__(self, source: str, message: str, help: str = ""):
        super().__init__([Problem(source, 1, 1, message, help)])
        self.message = message


@dataclass(frozen=True)
class Received:
    """What came in, exactly: the bytes, what they are, and where from."""

    data: bytes
    media_type: str  # text/html, text/markdown or text/plain
    name: str  # the file or address, as given
    address: str | None = None  # the http(s) address, when fetched


@dataclass(frozen=True)
class Options:
    """What the command line supplies where the source is silent (or to override it)."""

    slug: str | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    format: str | None = None
    version: int = 1  # 2 and up: a new text of an existing article (seeds/<slug>.v<n>.*)


@dataclass
class Extracted:
    text: str
    meta: dict[str, str] = field(default_factory=dict)  # field -> value found in the source
    origin: dict[str, str] = field(default_factory=dict)  # field -> where it was found


# --- receiving -------------------------------------------------------------------------


def receive(source: str, timeout: float = TIMEOUT) -> Received:
    """The bytes of a local file or an http(s) address; refused if they cannot be text."""
    if re.match(r"^https?://", source, re.I):
        received = _fetch(source, timeout)
    else:
        path = Path(source)
        if not path.is_file():
            raise ImportRefused(source, "no such file", "give a saved page (.html), a Markdown "
                                "(.md) or text (.txt) file, or an http(s):// address")
        if path.stat().st_size > MAX_BYTES:
            raise ImportRefused(source, f"the file is larger than {MAX_BYTES // 2**20} MB",
                                "is this really one article?")
        data = path.read_bytes()
        received = Received(data, _media_type_of_file(path, data), source)
    _refuse_unreadable(received)
    return received


def _media_type_of_file(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return "text/html"
    if suffix in (".md", ".markdown"):
        return "text/markdown"
    if suffix == ".txt":
        return "text/plain"
    head = data[:512].lstrip().lower()
    return "text/html" if head.startswith((b"<!doctype html", b"<html")) else "text/plain"


def _fetch(address: str, timeout: float) -> Received:
    request = urllib.request.Request(address, headers={
        "User-Agent": "dossier-add (+https://github.com/; fact-checking archive)",
        "Accept": "text/html, text/plain;q=0.9, text/markdown;q=0.9"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            if kind not in ("text/html", "application/xhtml+xml", "text/plain",
                            "text/markdown"):
                raise ImportRefused(address, f"the address answered with {kind}, not a web "
                                    "page or text", "save the article's page or text and add "
                                    "the file")
            data = response.read(MAX_BYTES + 1)
            final = response.geturl()
    except urllib.error.HTTPError as exc:
        raise ImportRefused(address, f"the address answered HTTP {exc.code} {exc.reason}",
                            "check the address, or save the page in a browser and add "
                            "the file") from None
    except TimeoutError:
        raise ImportRefused(address, f"no answer from the address within {timeout:g} seconds",
                            "try again later, or save the page in a browser and add the "
                            "file") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise ImportRefused(address, f"no answer from the address within {timeout:g} "
                                "seconds", "try again later, or save the page in a browser "
                                "and add the file") from None
        raise ImportRefused(address, f"the address could not be reached ({reason})",
                            "check the address and the connection") from None
    if len(data) > MAX_BYTES:
        raise ImportRefused(address, f"the page is larger than {MAX_BYTES // 2**20} MB")
    media = "text/html" if kind == "application/xhtml+xml" else kind
    return Received(data, media, address, address=final)


def _refuse_unreadable(received: Received) -> None:
    if not received.data.strip():
        raise ImportRefused(received.name, "the source is empty", "nothing to import")
    if b"\0" in received.data[:65536]:
        raise ImportRefused(received.name, "the source is binary, not a web page or text",
                            "give a saved page (.html), a Markdown (.md) or a text (.txt) "
                            "file")
    if received.media_type != "text/html":
        try:
            received.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportRefused(received.name, f"the source is not UTF-8 text (byte "
                                f"0x{received.data[exc.start]:02x} at offset {exc.start})",
                                "save it as UTF-8 and add it again") from None


# --- extracting ------------------------------------------------------------------------


def extract(received: Received) -> Extracted:
    """The article text and the metadata the source itself gives."""
    if received.media_type == "text/html":
        return _from_html(received)
    text = received.data.decode("utf-8").removeprefix("\ufeff")
    if received.media_type == "text/markdown":
        return _from_markdown(received, text)
    return Extracted(text)


def _from_markdown(received: Received, text: str) -> Extracted:
    match = re.match(r"---[ \t]*\r?\n(.*?\r?\n)---[ \t]*(?:\r?\n|$)", text, re.S)
    if not match:
        return Extracted(text)
    body = text[match.end():]
    doc, problems = load_mapping(match.group(1).encode("utf-8"), received.name)
    if doc is None:
        raise ImportRefused(received.name, "the front matter is not readable YAML: "
                            + problems[0].message, problems[0].help)
    data = doc.data
    found = Extracted(body)
    picks = {"title": ("title",), "url": ("source_url", "url", "canonical_url"),
             "published": ("published_time", "date"), "author": ("author",),
             "publisher": ("publisher", "site_name"), "language": ("lang", "language")}
    for name, keys in picks.items():
        for key in keys:
            value = data.get(key)
            if isinstance(value, (dt.date, dt.datetime)):
                value = value.isoformat()
            if isinstance(value, str) and value.strip():
                found.meta[name] = value
                found.origin[name] = f"front matter '{key}'"
                break
    return found


def _from_html(received: Received) -> Extracted:
    import lxml.html  # type: ignore[import-untyped]
    import trafilatura

    try:
        tree = lxml.html.document_fromstring(received.data)
    except Exception:  # lxml raises several kinds on garbage; all mean "not a page"
        tree = None
    markdown = trafilatura.extract(
        received.data, output_format="markdown", include_comments=False,
        include_tables=False, include_images=False, include_links=False,
        with_metadata=False)
    if not markdown or len(markdown.split()) < MIN_WORDS:
        raise ImportRefused(received.name, "no article text could be found in the page",
                            "save the article's own page (not a home or index page), or "
                            "copy its text into a .txt file and add that")
    found = Extracted(markdown.strip() + "\n")
    sources: list[tuple[str, dict[str, str]]] = []
    if tree is not None:
        sources += [("JSON-LD", _json_ld(tree)), ("OpenGraph", _open_graph(tree))]
        lang = (tree.get("lang") or "").strip()
        if lang:
            sources.append(("the page's lang attribute", {"language": lang}))
    doc = trafilatura.bare_extraction(
        received.data, with_metadata=True, include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is not None:
        get = doc.get if isinstance(doc, dict) else lambda name: getattr(doc, name, None)
        meta = {"title": get("title"), "author": get("author"), "published": get("date"),
                "publisher": get("sitename"), "url": get("url")}
        sources.append(("the page's metadata (trafilatura)",
                        {k: v for k, v in meta.items() if isinstance(v, str) and v.strip()}))
    for origin, values in sources:
        for name, value in values.items():
            if name not in found.meta and value and value.strip():
                found.meta[name] = value.strip()
                found.origin[name] = origin
    return found


def _json_ld(tree: Any) -> dict[str, str]:
    """The page's own schema.org Article (or NewsArticle, ...) description."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        for item in _ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(isinstance(k, str) and k.endswith("Article") for k in kinds):
                continue
            out = {"title": item.get("headline") or item.get("name"),
                   "published": item.get("datePublished"),
                   "author": _names(item.get("author")),
                   "publisher": _names(item.get("publisher")),
                   "url": item.get("url") or _id(item.get("mainEntityOfPage")),
                   "language": item.get("inLanguage")}
            return {k: v for k, v in out.items() if isinstance(v, str) and v.strip()}
    return {}


def _ld_items(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [x for d in data for x in _ld_items(d)]
    if isinstance(data, dict):
        return [data, *_ld_items(data.get("@graph", []))]
    return []


def _names(value: Any) -> str | None:
    items = value if isinstance(value, list) else [value]
    found = [i if isinstance(i, str) else i.get("name") for i in items
             if isinstance(i, (str, dict))]
    names = [n for n in found if isinstance(n, str) and n.strip()]
    return ", ".join(names) or None


def _id(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    return value.get("@id") if isinstance(value, dict) else None


def _open_graph(tree: Any) -> dict[str, str]:
    def meta(name: str) -> str | None:
        found = tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content')
        return str(found[0]) if found else None

    locale = meta("og:locale")
    out = {"title": meta("og:title"), "publisher": meta("og:site_name"), "url": meta("og:url"),
           "published": meta("article:published_time"),
           "language": locale.replace("_", "-") if locale else None}
    author = meta("article:author")
    if author and not re.match(r"^https?://", author):
        out["author"] = author  # often a profile address, which is no name
    return {k: v for k, v in out.items() if v and v.strip()}


# --- planning --------------------------------------------------------------------------


def slug_from(title: str, fallback: str) -> str:
    """A readable slug from the title's first words (or the file name)."""
    return slugify(title, 60) or slugify(fallback, 60) or "article"


def _date(value: str | None) -> str | None:
    match = _DATE.match(value.strip()) if value else None
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def _language(value: str | None) -> str | None:
    if not value:
        return None
    tag = value.strip().replace("_", "-")
    primary, _, rest = tag.partition("-")
    tag = primary.lower() + (f"-{rest}" if rest else "")
    return tag if re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", tag) else None


@dataclass(frozen=True)
class Plan:
    """The files an import writes into seeds/, by name, and what they say."""

    slug: str
    files: dict[str, bytes]
    format: str
    meta: dict[str, str]


def plan(received: Received, options: Options, today: dt.date,
         previous: dict[str, str] | None = None, coverage: str | None = None) -> Plan:
    """From what was received to the three files, all in memory: nothing is written here.

    ``previous``: for a new version, the earlier version's fields, used where
    the new source is silent; ``coverage``: its coverage section, carried over.
    """
    found = extract(received)
    text = found.text
    if not text.strip():
        raise ImportRefused(received.name, "no article text could be found in the source",
                            "nothing to import")
    fmt = options.format or detect_format(text)
    if fmt not in FORMATS:
        raise ImportRefused(received.name, f"unknown format {fmt!r}",
                            f"use one of: {', '.join(FORMATS)}")
    meta, origin = dict(found.meta), dict(found.origin)
    first = next(iter(blocks(text, fmt)), None)
    if "title" not in meta and first is not None and first.kind == "headline":
        meta["title"] = shown(text, first.start, first.end, first.hidden)
        origin["title"] = "the text's first line" if fmt == "lines" else "the text's heading"
    for name in ("title", "publisher", "author", "published", "language"):
        given = getattr(options, name)
        if given:
            meta[name], origin[name] = given, "the command line"
    for name, value in (previous or {}).items():
        if name not in meta and value != UNKNOWN:
            meta[name], origin[name] = value, "the previous version"
    meta = {k: one_line(v) for k, v in meta.items()}
    published = _date(meta.get("published"))
    if meta.get("published") and not published:
        if origin.get("published") == "the command line":
            raise ImportRefused(received.name, f"--published {meta['published']!r} is not a "
                                "date", "write it as YYYY-MM-DD")
        origin["published"] = f"not a date in {origin['published']}: {meta['published']!r}"
    language = _language(meta.get("language"))
    url = meta.get("url") or received.address
    if url and (not re.match(r"^https?://\S+$", url) or findings(url, "url")):
        url = None  # not an address a reader could safely be sent to: unknown
    if url and "url" not in origin:
        origin["url"] = "the address it was fetched from"
    title = meta.get("title", UNKNOWN)
    slug = options.slug or slug_from(title if title != UNKNOWN else "",
                                     Path(received.name).stem)
    if not SLUG.match(slug) or len(slug) > 80:
        raise ImportRefused(received.name, f"'{slug}' is not a slug",
                            "use lower-case letters, digits and hyphens, e.g. --slug "
                            "white-house-briefing-2024-10-23")
    stem = slug if options.version == 1 else f"{slug}.v{options.version}"
    source_name = f"{stem}.source.{_SUFFIX[received.media_type]}"
    values = {"title": title, "publisher": meta.get("publisher") or UNKNOWN,
              "author": meta.get("author") or UNKNOWN, "url": url or UNKNOWN,
              "published": published or UNKNOWN, "language": language or UNKNOWN}
    text_bytes = text.encode("utf-8")
    yml = _provenance(stem, values, origin, fmt, today, text_bytes, received, source_name,
                      coverage)
    doc, problems = load_mapping(yml.encode("utf-8"), f"seeds/{slug}.yml")
    if doc is not None:  # the provenance file's policies, as `dossier check` applies them
        problems += markup_problems(doc, f"seeds/{slug}.yml", article=True)
        problems += text_problems(yml, doc, f"seeds/{slug}.yml")
    if problems:
        refused = problems[0]
        field_name = next((k for k in ("title", "publisher", "author")
                           if f"'{k}'" in refused.message
                           or (doc is not None and doc.where((k,))[0] == refused.line)),
                          "a field")
        raise ImportRefused(received.name, f"the source's {field_name} is not plain text: "
                            + problems[0].message,
                            f"give the {field_name} yourself with --{field_name}"
                            if field_name != "a field" else problems[0].help)
    return Plan(slug, {source_name: received.data, f"{stem}.txt": text_bytes,
                       f"{stem}.yml": yml.encode("utf-8")}, fmt, values)


def _provenance(slug: str, values: dict[str, str], origin: dict[str, str], fmt: str,
                today: dt.date, text: bytes, received: Received, source_name: str,
                coverage: str | None = None) -> str:
    def line(name: str) -> str:
        value = values[name]
        said = origin.get(name, "not given by the source")
        where = said if value != UNKNOWN or said.startswith("not ") else "not given"
        return f"{name}: {yaml_quote(value)}  # {where}"

    lines = [
        "# yaml-language-server: $schema=../src/dossier/schemas/article.schema.json",
        f"# Provenance of {slug}.txt, written by 'dossier add' from {source_name}.",
        f"# {slug}.txt is derived from it and never edited; a field the source does",
        "# not give is unknown. Correct a field only from evidence, and say which.",
        line("title"), line("publisher"), line("author"), line("url"), line("published"),
        f"retrieved: {today.isoformat()}",
        line("language"),
        f"format: {fmt}  # {', '.join(FORMATS)}",
        f"sha256: {hashlib.sha256(text).hexdigest()}",
        "source:",
        f"  file: {source_name}",
        f"  sha256: {hashlib.sha256(received.data).hexdigest()}",
        f"  media_type: {received.media_type}",
    ]
    if received.address:
        lines.append(f"  address: {yaml_quote(received.address)}")
    if coverage is not None:
        return "\n".join([*lines, "", coverage.rstrip("\n")]) + "\n"
    lines += [
        "",
        "# Coverage is pending review: statements with a number, a quotation or one of",
        "# the people below that have no annotation are warnings. Once reviewed, set",
        "# status: complete, and every such statement is an error.",
        "coverage:",
        "  status: pending",
        "  people: []",
        "  not_annotated: []",
    ]
    return "\n".join(lines) + "\n"


# --- writing ---------------------------------------------------------------------------


def write(project: Project, planned: Plan) -> list[Path]:
    """Write the planned files into seeds/, all or none; never over an existing file."""
    seeds = project.seeds
    existing = [name for name in planned.files if (seeds / name).exists()]
    new_version = f"{planned.slug}.txt" not in planned.files
    if new_version and existing:
        raise ImportRefused(f"seeds/{existing[0]}", f"{existing[0]} already exists",
                            "another import of this version is already there; check git status")
    if not new_version and (existing or (seeds / f"{planned.slug}.txt").exists()):
        raise ImportRefused(f"seeds/{planned.slug}.txt",
                            f"an article named '{planned.slug}' already exists",
                            "choose another name with --slug")
    seeds.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    temps: list[Path] = []
    try:
        for name, data in planned.files.items():
            temp = seeds / f".{name}.adding-{os.getpid()}"
            temps.append(temp)
            with open(temp, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for name, temp in zip(planned.files, temps, strict=True):
            os.link(temp, seeds / name)  # fails, rather than overwrites, if it exists
            written.append(seeds / name)
    except FileExistsError:
        for path in written:
            path.unlink()
        raise ImportRefused(f"seeds/{planned.slug}.txt",
                            f"an article named '{planned.slug}' already exists",
                            "choose another name with --slug") from None
    except BaseException:
        for path in written:
            path.unlink()
        raise
    finally:
        for temp in temps:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    return written


def add(project: Project, source: str, options: Options | None = None,
        today: dt.date | None = None, timeout: float = TIMEOUT) -> Plan:
    """Receive, plan and write: the whole of ``dossier add``."""
    received = receive(source, timeout)
    planned = plan(received, options or Options(), today or dt.date.today())
    write(project, planned)
    return planned


# --- a new version of an article --------------------------------------------------------


def _coverage_block(text: str) -> str | None:
    """The provenance file's ``coverage:`` section, as written (comments above it too)."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("coverage:")), None)
    if start is None:
        return None
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    end = start + 1
    while end < len(lines) and (not lines[end] or lines[end][0] in " #-"):
        end += 1
    return "\n".join(lines[start:end]).rstrip("\n") + "\n"


def add_version(project: Project, source: str, options: Options,
                today: dt.date | None = None, timeout: float = TIMEOUT) -> Plan:
    """``dossier add SOURCE --slug S --new-version``: the next text of an existing article.

    The earlier versions' files stay as they are; the new one is written as
    ``seeds/<slug>.v<n>.txt`` with its own provenance and received bytes.
    Fields the new source does not give, and the coverage review, are carried
    over from the newest earlier version.
    """
    from .load import load_articles  # the articles as the build sees them

    slug = options.slug
    if not slug:
        raise ImportRefused(source, "--new-version needs --slug",
                            "name the article this is a new version of")
    articles, _problems = load_articles(project)
    article = next((a for a in articles if a.slug == slug), None)
    if article is None:
        raise ImportRefused(f"seeds/{slug}.txt", f"no article named '{slug}' to add a version to",
                            "known articles: " + (", ".join(a.slug for a in articles) or "none"))
    received = receive(source, timeout)
    previous = {"title": article.title, "publisher": article.publisher,
                "author": article.author or UNKNOWN, "url": article.url,
                "language": article.language, "format": article.format,
                "published": article.published.date or UNKNOWN}
    fmt = options.format or article.format
    number = article.number + 1
    meta_text = (project.root / article.path).with_suffix(".yml").read_text(encoding="utf-8")
    planned = plan(received, replace(options, version=number, format=fmt),
                   today or dt.date.today(),
                   {k: v for k, v in previous.items() if k != "format"},
                   _coverage_block(meta_text))
    text = planned.files[f"{slug}.v{number}.txt"].decode("utf-8")
    if text == article.text:
        raise ImportRefused(source, f"the text is the same as version {article.number} of "
                            f"'{slug}'", "nothing changed; nothing to record")
    write(project, planned)
    return planned
