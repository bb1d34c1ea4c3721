"""Python's cycle collector, kept off the objects a piece of work did not make.

The collector runs after every 700 new container objects, and now and then goes
over every object of the process.  The stages make many short-lived objects
(a checked annotation: its parser's events, its values, its positions; a PDF
layout: millions of boxes) while the process holds many long-lived ones (the
modules, and in a worker forked for the work, its copy of the parent's data).
Going over those again and again was about a tenth of the CPU of an article's
PDF editions and of its check.  So one item of work (an article) runs with the
objects made before set aside, and with the collector paused; its own few
cycles are collected once, on the way out.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collecting_only_new() -> Iterator[None]:
    """Inside, the cycle collector goes over the objects made inside only.

    The objects made before are set aside (``gc.freeze``; in a forked worker this
    also keeps the collector from writing to, and so copying, the parent's memory);
    what was made inside is collected on the way out, so its garbage is not kept
    until the next full collection, and the objects set aside are given back.  If
    something else had set objects aside, nothing changes.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.collect()  # the work's cycles (what it made and dropped is unreachable now)
        gc.unfreeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Inside, the cycle collector does not run on its own (``gc.collect`` still does).

    Even kept off what existed before (``collecting_only_new``), it ran hundreds of
    times an article, going over the work's live objects again and again; the
    cycles are few (a PDF worker's peak memory is the same without it), and
    ``collecting_only_new`` collects them once on its way out.  For one article's
    work, not for the whole dossier's, whose garbage would pile up.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def one_item() -> Iterator[None]:
    """Both: one article's work, collected once, over what it made."""
    with collecting_only_new(), collector_paused():
        yield
