"""The Jinja2 environment for HTML pieces: every value is escaped by default.

Templates live in ``templates/`` inside the package.  Autoescape is on for
every template, so a value only reaches a page unescaped if a template says
so on purpose; ``tojson`` escapes ``<``, ``>``, ``&`` and ``'`` as JSON
``\\u`` escapes, which keeps JSON inert inside a ``<script>`` element.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2


@cache
def environment() -> jinja2.Environment:
    import jinja2  # only when a page is rendered: `dossier check` starts faster

    return jinja2.Environment(
        loader=jinja2.PackageLoader("dossier", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


def render(name: str, **values: Any) -> str:
    """The template ``name`` filled with ``values``, as HTML."""
    return environment().get_template(name).render(**values)
