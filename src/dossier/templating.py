"""The one place HTML is made: Jinja2 templates with autoescape on.

Every value a template shows is escaped for where it lands (text or
attribute) unless it is already ``Markup``: HTML that this package made
itself from a template, sanitised body HTML from nh3, or the icon sprite
from the Material package.  Contributors' strings are never ``Markup``, so a
title, a publisher or a quote cannot become markup, however it is written.

Templates live in ``templates/``: one per page type (``article.html``,
``annotations.html``, ...), ``print.html`` for the PDF, and the shared
components as macros in ``components.html``.  Python code can call a macro
directly with :func:`macro`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from . import dates
from .kinds import ICON_PREFIX, KIND_LOOKS, RATING_LOOKS, SOURCE_TYPE_LOOKS, icons_used, symbol
from .markup import body_html, safe_url
from .tally import filter_key

__all__ = ["Markup", "escape", "macro", "render", "sprite"]


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dossier", "templates"),
        autoescape=True,  # every template, whatever its name
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        # The templates are this package's own files, loaded once a process: not checked
        # for changes on disk at every use (a stat a call, a third of rendering a block).
        auto_reload=False,
    )
    env.globals.update(
        kind_looks=KIND_LOOKS,
        rating_looks=RATING_LOOKS,
        source_type_looks=SOURCE_TYPE_LOOKS,
        symbol=symbol,
        icon_prefix=ICON_PREFIX,
        human=dates.human,
        filter_key=filter_key,
        safe_url=safe_url,
    )
    env.filters["body_html"] = lambda value: Markup(body_html(value))  # nh3-sanitised
    return env


def keep_compiled(folder: Path) -> None:
    """Keep the compiled templates in ``folder`` (Jinja's bytecode cache, checked against
    each template's source), one subfolder per Jinja version: a build that renders only
    one changed article no longer compiles the article's templates first."""
    where = folder / f"jinja-{jinja2.__version__}"
    where.mkdir(parents=True, exist_ok=True)
    env = environment()
    kept = env.bytecode_cache
    if not (isinstance(kept, jinja2.FileSystemBytecodeCache)
            and kept.directory == str(where)):
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(where))


def render(name: str, **context: Any) -> str:
    """A whole template, rendered with ``context``."""
    return environment().get_template(name).render(**context)


@cache
def macro(name: str, template: str = "components.html") -> Any:
    """A template's macro, callable from Python; it returns ``Markup``.  Looked up once a
    process (the templates are not reloaded: ``environment``): a block of an article's
    text calls one."""
    return getattr(environment().get_template(template).module, name)


def sprite(html: str) -> Markup:
    """The icon symbols a page's HTML uses, defined once at its top (not once per marker)."""
    return Markup(macro("sprite")([symbol(name) for name in icons_used(html)]))
