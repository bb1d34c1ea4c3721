"""Live preview: rebuild the whole dossier when an article, annotation or page changes.

MkDocs' own ``serve`` only watches its docs folder; here the generated
pages depend on ``seeds/`` and ``annotations/`` too, so the preview runs
the full pipeline on every change, using MkDocs' live-reload server only
to serve files and tell the browser to reload.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from .pipeline import build
from .problems import DossierError
from .project import Project


def make_builder(project: Project, out: Path, report: Callable[[str], None]) -> Callable[[], None]:
    def builder() -> None:
        try:
            dossier, problems, _site = build(project, out=out, pdf=False)
        except DossierError as exc:
            for p in exc.problems:
                report(p.format())
            report(f"preview not updated: {len(exc.problems)} problem(s); "
                   "the last good preview is still served")
            return
        for p in problems:
            report(p.format())
        report(f"preview rebuilt: {len(dossier.annotations)} annotations")

    return builder


def serve(project: Project, host: str = "127.0.0.1", port: int = 8000) -> None:
    from mkdocs.livereload import LiveReloadServer

    out = project.build / "preview"
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
