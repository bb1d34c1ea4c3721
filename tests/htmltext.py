"""Read what a reader would read out of built HTML, for assertions on real output."""

from __future__ import annotations

from html.parser import HTMLParser


class _Text(HTMLParser):
    def __init__(self, skip: set[str], skip_classes: set[str]):
        super().__init__(convert_charrefs=True)
        self.skip, self.skip_classes = skip, skip_classes
        self.depth = 0
        self.stack: list[bool] = []
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "meta", "link", "input", "hr", "path"}:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = tag in self.skip or bool(classes & self.skip_classes)
        self.stack.append(skipped)
        self.depth += skipped

    def handle_endtag(self, tag: str) -> None:
        if tag in {"br", "img", "meta", "link", "input", "hr", "path"}:
            return
        if self.stack:
            self.depth -= self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.out.append(data)


def visible_text(html: str, skip: set[str] = frozenset(), skip_classes: set[str] = frozenset()
                 ) -> str:
    parser = _Text({"script", "style", *skip}, set(skip_classes))  # never shown
    parser.feed(html)
    return "".join(parser.out)


def between(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i:html.index(end, i) + len(end)]
