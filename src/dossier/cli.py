"""The ``dossier`` command: a thin layer that turns library results into output.

Every command returns an exit status: 0 when all is well, 1 when the
input has problems, 2 when the command line itself is wrong, 3 on an
internal error (reported in one line; DOSSIER_DEBUG=1 shows the traceback).  Problems are
printed compiler-style (``path:line:col: error: message``) so editors and
CI can jump to them.

Each command imports the stages it runs where it runs them: ``dossier check``
with nothing changed answers from one cache entry (``checkrun.py``), and
importing every stage (YAML, Markdown, JSON Schema) cost more than that.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .checkrun import check_report
from .problems import DossierError, Problem, Severity, summarised
from .project import Project, ProjectNotFound
from .vocabulary import KINDS


def _counts(problems: list[Problem]) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def github_data(value: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped (GitHub's rules)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: str) -> str:
    """A workflow command's property value: as data, and ``:`` and ``,`` too."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


def _github(p: Problem) -> str:
    text = p.message + (f" ({p.help})" if p.help else "")
    kind = "error" if p.severity is Severity.ERROR else "warning"
    return (f"::{kind} file={github_property(p.path)},line={p.line},col={p.col}"
            f"::{github_data(text)}")


def _only(project: Project, paths: list[str], problems: list[Problem]
          ) -> tuple[list[Problem], list[str]]:
    """The problems in the named files (or folders), and the names that do not exist."""
    wanted, missing = [], []
    for name in paths:
        path = Path(name)
        if not path.exists():
            missing.append(name)
        shown = project.display(path.resolve()).rstrip("/")
        wanted.append(shown)
        if shown.startswith("seeds/") and shown.endswith(".txt"):
            wanted.append(shown.removesuffix(".txt") + ".yml")  # its coverage, its provenance
    return [p for p in problems
            if any(p.path == w or p.path.startswith(w + "/") for w in wanted)], missing


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    report = check_report(project, strict=args.strict, cache=not args.no_cache)
    problems = report.problems
    if args.paths:
        problems, missing = _only(project, args.paths, problems)
        if missing:
            print(f"dossier check: no such file: {', '.join(missing)}", file=sys.stderr)
            return 2
    failing = [p for p in problems
               if p.severity is Severity.ERROR or args.strict]
    if args.format == "json":
        print(json.dumps({"ok": not failing, "problems": [p.as_dict() for p in problems]},
                         indent=2))
        return 1 if failing else 0
    for p in (problems if args.verbose else summarised(problems)):
        print(p.format())
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for p in problems:
            print(_github(p))
    if failing:
        sys.stdout.flush()
        print(f"dossier check: {_counts(problems)}", file=sys.stderr)
        return 1
    articles = report.articles
    print(f"dossier check: ok: {report.annotations} annotations on {articles} "
          f"article{'s' if articles != 1 else ''}"
          + (f" ({_counts(problems)})" if problems else ""))
    return 0


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    from .config import load_settings
    from .pipeline import build
    from .shards import Shard

    out = Path(args.out).resolve() if args.out else None
    try:
        shard = Shard.parse(args.shard) if args.shard else None
        dossier, problems, site = build(project, out=out, shard=shard)
    except DossierError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        print(f"dossier build: failed with {_counts(exc.problems)}; "
              "the previous build was left as it was", file=sys.stderr)
        return 1
    _mention_warnings("build", problems)
    if load_settings(project).site_url is None:
        print("dossier build: note: mkdocs.yml sets no site_url, so the feed's links "
              "(feed.xml) are relative and its ids are tag: URIs", file=sys.stderr)
    print(f"dossier build: {len(dossier.annotations)} annotations on "
          f"{len(dossier.articles)} article(s) -> {project.display(site)}")
    return 0


def cmd_join(project: Project, args: argparse.Namespace) -> int:
    from .pipeline import build

    out = Path(args.out).resolve() if args.out else None
    try:
        dossier, problems, site = build(project, out=out,
                                        join=[Path(d).resolve() for d in args.shards])
    except DossierError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        print(f"dossier join: failed with {_counts(exc.problems)}; "
              "the previous build was left as it was", file=sys.stderr)
        return 1
    _mention_warnings("join", problems)
    print(f"dossier join: {len(args.shards)} shards, {len(dossier.articles)} article(s) "
          f"-> {project.display(site)}")
    return 0


def _mention_warnings(command: str, problems: list[Problem]) -> None:
    """Builds only count warnings; `dossier check` is where they are read."""
    if problems:
        print(f"dossier {command}: {_counts(problems).split(', ', 1)[-1]}; "
              "run 'dossier check' to see them", file=sys.stderr)


def cmd_pdf(project: Project, args: argparse.Namespace) -> int:
    from .pipeline import build_pdf

    out = None
    if args.all:
        out = Path(args.out).resolve() if args.out else project.build / "dossier.pdf"
    elif args.out:
        print("dossier pdf: -o names the whole-dossier edition; add --all", file=sys.stderr)
        return 2
    try:
        dossier, problems, written = build_pdf(project, out)
    except DossierError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        print(f"dossier pdf: failed with {_counts(exc.problems)}", file=sys.stderr)
        return 1
    _mention_warnings("pdf", problems)
    where = (project.display(written[0]) if out else
             f"{len(written)} files in {project.display(project.build / 'pdf')}/")
    print(f"dossier pdf: {len(dossier.annotations)} annotations -> {where}")
    return 0


def cmd_new(project: Project, args: argparse.Namespace) -> int:
    from .load import load_articles
    from .scaffold import new_annotation

    articles, _problems = load_articles(project)
    article = next((a for a in articles if a.slug == args.article), None)
    if article is None:
        known = ", ".join(a.slug for a in articles) or "none"
        print(f"dossier new: no article named {args.article!r} (known: {known})",
              file=sys.stderr)
        return 1
    try:
        path, why = new_annotation(project, article, args.kind, args.quote, args.occurrence)
    except DossierError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        print("dossier new: no file written", file=sys.stderr)
        return 1
    print(f"dossier new: wrote {project.display(path)} ({why}); fill in the title, body and "
          "sources, then run 'dossier check'")
    return 0


def cmd_add(project: Project, args: argparse.Namespace) -> int:
    from .importing import Options, add, add_version

    options = Options(slug=args.slug, title=args.title, publisher=args.publisher,
                      author=args.author, published=args.published, language=args.language,
                      format=args.format)
    try:
        if args.new_version:
            planned = add_version(project, args.source, options, timeout=args.timeout)
        else:
            planned = add(project, args.source, options, timeout=args.timeout)
    except DossierError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        print("dossier add: nothing was written", file=sys.stderr)
        return 1
    unknown = [k for k, v in planned.meta.items() if v == "unknown"]
    print(f"dossier add: wrote {', '.join(f'seeds/{n}' for n in planned.files)} "
          f"({planned.format})")
    if unknown:
        them = "them" if len(unknown) > 1 else "it"
        print(f"dossier add: the source does not give: {', '.join(unknown)} (recorded as "
              f"unknown; supply {them} with --" + ", --".join(unknown) + f" if you know {them} "
              "from the source)")
    if args.new_version:
        print(f"dossier add: next, 'dossier check' lists the annotations whose words changed; "
              f"'dossier rebase {planned.slug}' moves the others to the new text")
    else:
        print(f"dossier add: next, 'dossier check', then annotate with 'dossier new "
              f"{planned.slug} --kind context --quote \"…\"'")
    return 0


def cmd_rebase(project: Project, args: argparse.Namespace) -> int:
    from .load import load_annotations, load_articles
    from .versions import Outcome, plan_rebase
    from .yamledit import edit_file

    articles, problems = load_articles(project)
    article = next((a for a in articles if a.slug == args.article), None)
    if article is None:
        for p in problems:
            print(p.format(), file=sys.stderr)
        print(f"dossier rebase: no article named '{args.article}' "
              f"(known: {', '.join(a.slug for a in articles) or 'none'})", file=sys.stderr)
        return 1
    annotations, problems = load_annotations(project, [article])
    plans = plan_rebase(article, [a for a in annotations if a.article == article.slug])
    counts = {o: 0 for o in Outcome}
    try:
        for plan in plans:
            counts[plan.outcome] += 1
            if plan.edits:
                edit_file(project.root / plan.path, plan.edits)
            verb = {Outcome.KEPT: "kept", Outcome.MOVED: "moved to the new words",
                    Outcome.REVIEW: "left for a person (the meaning may have changed)",
                    Outcome.GONE: "left on its version (the words are gone)"}[plan.outcome]
            print(f"{plan.path}: {verb}")
    except ValueError as exc:
        print(f"dossier rebase: {exc}; that file was left as it was", file=sys.stderr)
        return 1
    print(f"dossier rebase: {article.slug} version {article.number}: "
          f"{counts[Outcome.KEPT]} kept, {counts[Outcome.MOVED]} moved, "
          f"{counts[Outcome.REVIEW]} to review, {counts[Outcome.GONE]} gone")
    return 0


def cmd_import(project: Project, args: argparse.Namespace) -> int:
    from .exchange import import_hypothesis

    try:
        result = import_hypothesis(project, Path(args.file))
    except DossierError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        print("dossier import: nothing written", file=sys.stderr)
        return 1
    for p in result.problems:
        print(p.format())
    failing = [p for p in result.problems if p.severity is Severity.ERROR or args.strict]
    for path in result.written:
        print(f"dossier import: wrote {project.display(path)}")
    print(f"dossier import: {len(result.written)} annotation file(s) written"
          + (f"; {_counts(result.problems)}" if result.problems else ""),
          file=sys.stderr if failing else sys.stdout)
    return 1 if failing else 0


def cmd_export(project: Project, args: argparse.Namespace) -> int:
    from .exchange import export_hypothesis
    from .site import write_file

    try:
        data = export_hypothesis(project)
    except DossierError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        print(f"dossier export: failed with {_counts(exc.problems)}", file=sys.stderr)
        return 1
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        write_file(Path(args.out).resolve(), text.encode("utf-8"))
        print(f"dossier export: {data['total']} annotations -> {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_archive(project: Project, args: argparse.Namespace) -> int:
    from .archive import Endpoints, archive, has_failures
    from .pipeline import check

    dossier, _ = check(project)
    report = archive(project, dossier.annotations, save=args.save,
                     endpoints=Endpoints.from_environment(), timeout=args.timeout,
                     interval=args.interval)
    for path, index, url in report.recorded:
        print(f"{path}: source {index}: archive_url: {url}")
    for p in report.problems:
        print(p.format())
    failed = has_failures(report)
    print(f"dossier archive: {len(report.recorded)} archived cop"
          f"{'y' if len(report.recorded) == 1 else 'ies'} recorded"
          + (f", {len(report.problems)} failure(s)" if report.problems else ""),
          file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    from .serve import serve

    serve(project, host=args.host, port=args.port)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="dossier",
        description="Publish a news article, kept verbatim, with YAML annotations on top.")
    root.add_argument("--version", action="version", version=f"dossier {__version__}")
    root.add_argument("-C", "--project", metavar="DIR",
                      help="the dossier's folder (default: found from the current folder)")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("check", help="validate seeds and annotations; report every problem")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list every warning, also those summarised in one line")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="report only on these files or folders (the whole dossier is "
                   "still read, since annotations need their article)")
    p.add_argument("--no-cache", action="store_true",
                   help="check every file afresh (results are kept in build/.cache/)")
    p.set_defaults(run=cmd_check)

    p = commands.add_parser("build", help="build the site into build/site/")
    p.add_argument("-o", "--out", metavar="DIR", help="where to put the site")
    p.add_argument("--shard", metavar="K/N", help="build only the articles of shard K of N "
                   "(their pages and PDFs) into build/shards/K/; 'dossier join' puts the "
                   "shards together")
    p.set_defaults(run=cmd_build)

    p = commands.add_parser("join", help="build the site from shards' folders "
                            "('dossier build --shard K/N'): only what spans articles is built")
    p.add_argument("shards", nargs="+", metavar="DIR", help="the shards' folders")
    p.add_argument("-o", "--out", metavar="DIR", help="where to put the site")
    p.set_defaults(run=cmd_join)

    p = commands.add_parser("pdf", help="build each article's PDF editions into build/pdf/")
    p.add_argument("--all", action="store_true",
                   help="instead, the whole dossier in one PDF (slow for a large dossier)")
    p.add_argument("-o", "--out", metavar="PATH", help="with --all: where to write it "
                   "(default: build/dossier.pdf, the archival edition beside it)")
    p.set_defaults(run=cmd_pdf)

    p = commands.add_parser("new", help="start an annotation file for a quote")
    p.add_argument("article", help="the article's slug (its name in seeds/)")
    p.add_argument("--kind", required=True, choices=list(KINDS))
    p.add_argument("--quote", required=True, help="the article's words, copied")
    p.add_argument("--occurrence", type=int, metavar="N",
                   help="which occurrence, when the words occur more than once (default 1)")
    p.set_defaults(run=cmd_new)

    p = commands.add_parser("rebase", help="move an article's annotations to its newest "
                            "version where their words still apply")
    p.add_argument("article", help="the article's slug")
    p.set_defaults(run=cmd_rebase)

    p = commands.add_parser("add", help="import an article: a saved page, a Markdown or text "
                            "file, or an http(s) address")
    p.add_argument("source", help="a .html, .md or .txt file, or an http(s):// address")
    p.add_argument("--slug", help="the article's name in seeds/ (default: from its title)")
    p.add_argument("--title", help="the title, when the source gives none")
    p.add_argument("--publisher", help="the publisher, when the source gives none")
    p.add_argument("--author", help="the author, when the source gives none")
    p.add_argument("--published", metavar="YYYY-MM-DD",
                   help="the publication date, when the source gives none")
    p.add_argument("--language", metavar="TAG", help="the text's language (en, fr, ko), "
                   "when the source gives none")
    p.add_argument("--format", choices=["lines", "paragraphs", "transcript"],
                   help="how the text is laid out (default: detected)")
    p.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS",
                   help="for an address: how long to wait for it (default 20)")
    p.add_argument("--new-version", action="store_true",
                   help="record a new text of the existing article --slug (earlier versions "
                   "are kept)")
    p.set_defaults(run=cmd_add)

    p = commands.add_parser("import", help="write annotation files from another tool's export")
    p.add_argument("format", choices=["hypothesis"])
    p.add_argument("file", help="Hypothesis API search response (JSON)")
    p.add_argument("--strict", action="store_true",
                   help="fail on warnings too (placeholders left to fill in)")
    p.set_defaults(run=cmd_import)

    p = commands.add_parser("export", help="the annotations in another tool's format")
    p.add_argument("format", choices=["hypothesis"])
    p.add_argument("-o", "--out", metavar="PATH", help="write to a file (default: stdout)")
    p.set_defaults(run=cmd_export)

    p = commands.add_parser("archive", help="record a Wayback Machine copy for every source "
                            "that has no archive_url")
    p.add_argument("--save", action="store_true",
                   help="first ask Save Page Now to capture each page")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="time-out of each request (default 30)")
    p.add_argument("--interval", type=float, default=5.0, metavar="SECONDS",
                   help="pause between requests, to be polite (default 5)")
    p.set_defaults(run=cmd_archive)

    p = commands.add_parser("serve", help="live preview that rebuilds on every change")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(run=cmd_serve)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        project = Project.find(Path(args.project) if args.project else None)
    except ProjectNotFound as exc:
        print(f"dossier: {exc}", file=sys.stderr)
        return 2
    try:
        status: int = args.run(project, args)
    except KeyboardInterrupt:
        print("dossier: interrupted; the previous build was left as it was", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: say so plainly, trace only on request
        if os.environ.get("DOSSIER_DEBUG"):
            raise
        print(f"dossier: internal error ({type(exc).__name__}: {exc}); nothing was lost. "
              "Rerun with DOSSIER_DEBUG=1 to see where, and please report it.",
              file=sys.stderr)
        return 3
    return status


if __name__ == "__main__":
    sys.exit(main())
