"""Live preview: rebuild what depends on an article, annotation or page when it changes.

MkDocs' own ``serve`` only watches its docs folder; here the generated
pages depend on ``seeds/`` and ``annotations/`` too, so the preview runs
the pipeline on every change, using MkDocs' live-reload server only to
serve files and tell the browser to reload.  The check comes from its
cache for every unchanged file, and the site build is incremental: it
writes only the pages whose sources changed (``site.py``), so one saved
annotation rebuilds its article's pages and the indexes that show it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from .livecheck import KeptCheck
from .pipeline import build
from .problems import DossierError
from .project import Project


def preview_folder(project: Project) -> Path:
    return project.build / "preview"


# The check kept by the preview's process between rebuilds, by project (``livecheck.py``).
_CHECKS: dict[Path, KeptCheck] = {}


def kept_check(project: Project) -> KeptCheck:
    """The preview's check of ``project``, kept in the process (``livecheck.py``)."""
    return _CHECKS.setdefault(project.root.resolve(), KeptCheck())


def rebuild(project: Project) -> list[str]:
    """One preview build, as after a saved file: the paths it wrote in the preview's folder.

    What ``bench/scale.py`` times as "one annotation saved -> rebuilt".
    """
    written: list[str] = []
    build(project, out=preview_folder(project), pdf=False, written=written, tidy_later=True,
          checker=kept_check(project))
    return written


def make_builder(project: Project, out: Path, report: Callable[[str], None]) -> Callable[[], None]:
    def builder() -> None:
        written: list[str] = []
        try:
            dossier, problems, _site = build(project, out=out, pdf=False, written=written,
                                            tidy_later=True, checker=kept_check(project))
        except DossierError as exc:
            for p in exc.problems:
                report(p.format())
            report(f"preview not updated: {len(exc.problems)} problem(s); "
                   "the last good preview is still served")
            return
        for p in problems:
            report(p.format())
        pages = sum(1 for name in written if name.endswith(".html"))
        report(f"preview rebuilt: {len(dossier.annotations)} annotations, "
               f"{pages} page{'s' if pages != 1 else ''} written")

    return builder


def serve(project: Project, host: str = "127.0.0.1", port: int = 8000) -> None:
    from mkdocs.livereload import LiveReloadServer

    out = preview_folder(project)
    builder = make_builder(project, out, lambda line: print(line, file=sys.stderr, flush=True))
    builder()
    out.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = LiveReloadServer(builder=builder, host=host, port=port, root=str(out))
    for path in (project.seeds, project.annotations, project.docs, project.config):
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
