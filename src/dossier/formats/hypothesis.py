"""Hypothesis, both ways: its API's search response in, the same format out.

Hypothesis (https://web.hypothes.is) stores an annotation as a row with a
``target[].selector`` list, Markdown ``text``, ``tags``, ``user``,
``created`` and ``uri``.  Importing maps a row to the dossier's fields:

- the kind and the rating come from tags (``claim``, ``rating:inaccurate``);
- the sources are the links in the text;
- the author is the Hypothesis user (``acct:alice@hypothes.is`` -> ``alice@hypothes.is``);
- the target is the TextQuoteSelector's words, with the shortest context that
  singles out the place the TextPositionSelector (or prefix) points at.

What a row cannot supply (a title, a source's title, publisher, type or date) gets
a marked placeholder (``TODO:``) that ``dossier check`` reports as a warning.
Exporting writes every field Hypothesis has no place for into a YAML block
at the end of ``text``, so importing the dossier's own export gives back the
same files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..anchoring import fold_article, fold_quote, occurrences
from ..model import KINDS, RATINGS, Annotation, Article, Dossier
from ..problems import DossierError
from ..review import PLACEHOLDER

BLOCK_START = "```yaml\n# dossier: fields Hypothesis has no place for\n"
BLOCK = re.compile(r"```yaml\n# dossier: fields Hypothesis has no place for\n(.*?)```\s*\Z",
                   re.S)
LINK = re.compile(r"\[[^\[\]]*\]\((https?://[^)\s]+)\)|<(https?://[^>\s]+)>|(https?://[^\s)<>\]]+)")
AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
NO_AUTHOR = "acct:unknown@dossier.invalid"


class RowError(Exception):
    """A row that cannot become an annotation; the message says why."""


@dataclass(frozen=True)
class Imported:
    """One row, converted: the annotation's id, its file's text, and its placeholders."""

    row_id: str
    article: str
    id: str
    text: str
    placeholders: int


# --- export -----------------------------------------------------------------------------

def _source(s: Any) -> dict[str, str]:
    data = {"url": s.url, "title": s.title, "publisher": s.publisher, "type": s.type}
    for key in ("via", "original_url"):
        if getattr(s, key):
            data[key] = getattr(s, key)
    data.update(published=s.published, accessed=s.accessed)
    if s.archive_url:
        data["archive_url"] = s.archive_url
    return data


def _extra(a: Annotation) -> dict[str, Any]:
    """The dossier's fields that no Hypothesis field holds exactly."""
    target = {"exact": a.target.exact}
    if a.target.prefix:
        target["prefix"] = a.target.prefix
    if a.target.suffix:
        target["suffix"] = a.target.suffix
    extra: dict[str, Any] = {"id": a.id, "title": a.title, "target": target}
    for key in ("correction", "rating_reason", "date", "article_sha256", "updated", "author"):
        value = getattr(a, key)
        if value is not None:
            extra[key] = value
    extra["sources"] = [_source(s) for s in a.sources]
    return extra


def export_row(a: Annotation, article: Article, start: int, end: int, when: str
               ) -> dict[str, Any]:
    tags = [a.kind] + ([f"rating:{a.rating}"] if a.rating else [])
    block = yaml.safe_dump(_extra(a), allow_unicode=True, sort_keys=False, width=100)
    text = a.body.rstrip("\n")
    stamp = f"{when}T00:00:00+00:00"
    return {
        "id": f"dossier-{a.article}-{a.id}",
        "created": stamp,
        "updated": stamp,
        "user": f"acct:{a.author}" if a.author and "@" in a.author else NO_AUTHOR,
        "uri": article.url,
        "text": f"{text}\n\n{BLOCK_START}{block}```\n",
        "tags": tags,
        "group": "__world__",
        "permissions": {"read": ["group:__world__"]},
        "target": [{"source": article.url, "selector": [
            {"type": "TextPositionSelector", "start": start, "end": end},
            {"type": "TextQuoteSelector", "exact": article.text[start:end],
             "prefix": article.text[max(0, start - 32):start],
             "suffix": article.text[end:end + 32]},
        ]}],
        "document": {"title": [article.title]},
        "links": {},
    }


def export(dossier: Dossier, dates: dict[str, str]) -> dict[str, Any]:
    """Every annotation as a Hypothesis search response (``total`` and ``rows``)."""
    rows = [export_row(x.annotation, article, x.start, x.end,
                       dates.get(x.annotation.path) or "1970-01-01")
            for article in dossier.articles for x in dossier.anchors_for(article.slug)]
    return {"total": len(rows), "rows": rows}


# --- import -----------------------------------------------------------------------------

def _split(text: str) -> tuple[str, dict[str, Any]]:
    """The Markdown before the dossier's YAML block, and the block's fields (if any)."""
    # Matched from the last block's start only: searched for, the pattern would read
    # to the end of the text from every line break (quadratic in line breaks).
    start = text.rfind(BLOCK_START)
    match = BLOCK.match(text, start) if start >= 0 else None
    if not match:
        return text.strip(), {}
    try:
        extra = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise RowError(f"the dossier block at the end of 'text' is not YAML: {exc}") from None
    if not isinstance(extra, dict):
        raise RowError("the dossier block at the end of 'text' does not hold fields")
    return text[:match.start()].strip(), {str(k): v for k, v in extra.items()}


def _selectors(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    targets = row.get("target")
    if not isinstance(targets, list) or not targets:
        raise RowError("no 'target': a page note, not an annotation on words")
    selectors = targets[0].get("selector") if isinstance(targets[0], dict) else None
    if not isinstance(selectors, list):
        raise RowError("the target has no selectors")
    quote = next((s for s in selectors if isinstance(s, dict)
                  and s.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in selectors if isinstance(s, dict)
                     and s.get("type") == "TextPositionSelector"), None)
    if not quote or not isinstance(quote.get("exact"), str) or not quote["exact"].strip():
        raise RowError("the target has no TextQuoteSelector with the quoted words")
    return quote, position


def _target(article: Article, quote: dict[str, Any], position: dict[str, Any] | None
            ) -> dict[str, str]:
    """The quoted words, and the shortest context that picks the place Hypothesis pointed at."""
    from ..scaffold import target_for  # the same rule as `dossier new`

    folded = fold_article(article)
    exact = fold_quote(quote["exact"])
    hits = occurrences(folded.text, exact)
    if not hits:
        raise RowError(f"the quoted words are not in {article.path}: {quote['exact']!r}")
    index = 0
    if len(hits) > 1:
        # The words around the quote first (positions on the live page include its
        # menus and headers), then the position, to choose among several places.
        prefix = fold_quote(quote.get("prefix") or "") if isinstance(quote.get("prefix"),
                                                                     str) else ""
        suffix = fold_quote(quote.get("suffix") or "") if isinstance(quote.get("suffix"),
                                                                     str) else ""
        start = position.get("start") if position else None
        starts = [folded.original(h, h + len(exact))[0] for h in hits]

        def score(i: int) -> tuple[int, int]:
            before = _common(folded.text[:hits[i]][::-1], prefix[::-1])
            after = _common(folded.text[hits[i] + len(exact):], suffix)
            near = -abs(starts[i] - start) if isinstance(start, int) else 0
            return before + after, near

        index = max(range(len(hits)), key=score)
    try:
        target, _why = target_for(article, quote["exact"], index + 1)
    except DossierError as exc:
        raise RowError("; ".join(p.message for p in exc.problems)) from None
    return target


def _common(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start (white space folded)."""
    a, b = " ".join(a.split()), " ".join(b.split())
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _links(text: str) -> list[str]:
    seen: list[str] = []
    for match in LINK.finditer(text):
        url = next(g for g in match.groups() if g).rstrip(".,;:")
        if url not in seen:
            seen.append(url)
    return seen


def _placeholder(what: str) -> str:
    return f"{PLACEHOLDER} {what}"


def convert(row: Any, articles: list[Article], taken: set[str]) -> tuple[str, dict[str, Any]]:
    """One row as (article slug, annotation fields in file order); RowError if it cannot be."""
    from ..scaffold import readable_id

    if not isinstance(row, dict):
        raise RowError("the row is not an object")
    uri = row.get("uri")
    article = next((a for a in articles if _same_page(a.url, uri)), None)
    if article is None:
        raise RowError(f"no article in seeds/ has the address {uri!r}")
    text = str(row["text"]) if isinstance(row.get("text"), str) else ""
    body, extra = _split(text)
    # Hypothesis renders <https://…> as a link; the dossier's bodies use [text](address).
    body = AUTOLINK.sub(lambda m: f"[{m.group(1)}]({m.group(1)})", body)
    tags = [t for t in row.get("tags") or [] if isinstance(t, str)]
    kinds = [t for t in tags if t in KINDS]
    if len(kinds) > 1:
        raise RowError(f"more than one kind in its tags: {', '.join(kinds)}")
    kind = kinds[0] if kinds else "context"
    ratings = [t.split(":", 1)[1] for t in tags if t.startswith("rating:")]
    if any(r not in RATINGS for r in ratings) or len(ratings) > 1:
        raise RowError(f"the rating tag must be one of rating:{', rating:'.join(RATINGS)}")
    if ratings and kind != "claim":
        raise RowError("a rating tag needs the tag 'claim'")
    if "target" in extra:
        target = {k: str(v) for k, v in extra["target"].items()}
    else:
        target = _target(article, *_selectors(row))
    if len(body) < 10:
        raise RowError("the text is empty or shorter than 10 characters")
    ident = str(extra.get("id") or readable_id(target["exact"], taken))
    if ident in taken:
        raise RowError(f"annotations/{article.slug}/{ident}.yml already exists")
    user = row.get("user")
    author = extra.get("author") or (user.removeprefix("acct:") if isinstance(user, str)
                                     and user != NO_AUTHOR else None)
    updated = extra.get("updated")
    created = str(row["created"]) if isinstance(row.get("created"), str) else ""
    data: dict[str, Any] = {
        "kind": kind,
        "title": extra.get("title") or _placeholder("one line: what a reader should know"),
        "target": target,
    }
    if kind == "correction":
        data["correction"] = extra.get("correction") or _placeholder("the corrected wording")
    if kind == "claim":
        data["rating"] = ratings[0] if ratings else "unverified"
        data["rating_reason"] = (extra.get("rating_reason")
                                 or _placeholder("one line saying why"))
    if kind == "update":
        data["date"] = extra.get("date") or _placeholder("when it happened (YYYY-MM-DD)")
    data["article_sha256"] = extra.get("article_sha256") or article.sha256
    if author:
        data["author"] = author
    if updated:
        data["updated"] = updated
    data["body"] = body + "\n"
    if "sources" in extra:
        data["sources"] = extra["sources"]
    else:
        accessed = created[:10] if re.match(r"\d{4}-\d{2}-\d{2}", created) else None
        data["sources"] = [
            {"url": url, "title": _placeholder("the page's own title"),
             "publisher": _placeholder("who published it"),
             "type": _placeholder("primary, news, reference or reprint"),
             "published": _placeholder("YYYY-MM-DD, YYYY-MM, YYYY or unknown"),
             "accessed": accessed or _placeholder("when it was read (YYYY-MM-DD)")}
            for url in _links(body)
        ] or [{"url": "https://example.invalid/", "title": _placeholder("add a source"),
               "publisher": _placeholder("who published it"),
               "type": _placeholder("primary, news, reference or reprint"),
               "published": _placeholder("YYYY-MM-DD, YYYY-MM, YYYY or unknown"),
               "accessed": accessed or _placeholder("when it was read (YYYY-MM-DD)")}]
    return article.slug, {"__id__": ident, **data}


def _same_page(a: str, b: Any) -> bool:
    def norm(u: str) -> str:
        return re.sub(r"^https?://(www\.)?", "", u.strip()).split("#")[0].rstrip("/").lower()
    return isinstance(b, str) and norm(a) == norm(b)


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # lists indented under their key, as elsewhere


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def file_text(data: dict[str, Any], schema: str) -> str:
    """The annotation file: the schema line for editors, then the fields in the usual order."""
    fields = {k: v for k, v in data.items() if k != "__id__"}
    body = yaml.dump(fields, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"# yaml-language-server: $schema={schema}\n{body}"


def rows_of(data: Any) -> list[Any]:
    """The rows of a search response (or a bare list of rows)."""
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        return list(data["rows"])
    if isinstance(data, list):
        return data
    raise RowError("not a Hypothesis search response: expected an object with 'rows'")
