"""Run a function over many items on every core, results in order.

Checking files and laying out PDFs are independent per item and CPU-bound
(pure Python holds the GIL), so they go to worker processes.  Workers are
forked, so they start with the modules already imported and with
``shared`` (e.g. the articles) without pickling it; only the items and
the results cross between processes.  Small jobs stay in this process,
where starting workers would cost more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 64  # below this, one process is quicker
_shared: tuple[Callable[[Any, Any], Any], Any] | None = None
_in_worker = False  # a worker runs its items in itself: no pool inside a pool


def workers() -> int:
    """How many processes to use: DOSSIER_JOBS if set, else the cores this process may use."""
    wanted = os.environ.get("DOSSIER_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _run_chunk(chunk: list[Any]) -> list[Any]:
    global _in_worker
    assert _shared is not None
    _in_worker = True
    func, shared = _shared
    return [func(shared, item) for item in chunk]


def parallel_map(func: Callable[[Any, T], R], items: Sequence[T], shared: Any = None,
                 *, min_items: int = MIN_ITEMS, chunk: int = 0) -> list[R]:
    """``[func(shared, item) for item in items]``, spread over worker processes.

    Items go to the workers in chunks of ``chunk`` (by default a quarter of
    each worker's share, for many cheap items).  For few costly items, such as
    PDFs of seconds each, ``chunk=1`` keeps every core busy to the end: a
    worker takes the next item when it is done, so given the largest first,
    the last ones to finish are small.
    """
    global _shared
    jobs = min(workers(), len(items))
    if jobs < 2 or len(items) < min_items or _in_worker:
        return [func(shared, item) for item in items]
    # Imported only here: a check after one changed file has no pool to start, and these
    # were a tenth of its start-up.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return [func(shared, item) for item in items]
    size = chunk or max(1, len(items) // (jobs * 4))
    chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
    _shared = (func, shared)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for chunk in pool.map(_run_chunk, chunks) for result in chunk]
    finally:
        _shared = None
