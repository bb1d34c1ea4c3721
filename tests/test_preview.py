"""The preview's rebuilds in one long-lived process: what it keeps between them never shows.

The preview (``serve.rebuild``) keeps more than a build from the command line:
the pages that span articles under what they show of each article (not the
annotations' bodies), and the theme's Jinja environment in the process.  After
each kind of change, the preview is byte for byte a clean build of the same
files: a change a kept part should have seen and did not would show here.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FAKE_SLUG
from dossier.project import Project
from dossier.serve import preview_folder, rebuild
from test_incremental import inodes, snapshot


def edit(project: Project, name: str, old: str, new: str) -> None:
    path = project.annotations / FAKE_SLUG / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def clean(project: Project, folder: str) -> dict[str, bytes]:
    """The same files built from nothing (a new output folder has no last build), in a
    process of its own: nothing this one keeps (the theme, the encoded search files) is
    in it."""
    code = ("import sys; from pathlib import Path; from dossier.pipeline import build; "
            "from dossier.project import Project; "
            "build(Project(Path(sys.argv[1])), Path(sys.argv[2]), pdf=False)")
    subprocess.run([sys.executable, "-c", code, str(project.root), str(project.build / folder)],
                   check=True, capture_output=True)
    return snapshot(project.build / folder)


# (file, old, new, where the new words must show): each kind of change in turn, applied
# one after the other to one project.
CHANGES = [
    # a body: shown on the article's page only, not on the indexes or the sources pages
    ("mayor-role.yml", "votes only to break a tie", "votes only when the council is tied",
     f"articles/{FAKE_SLUG}.html"),
    # a title: shown on the sources pages and the article's annotations page
    ("mayor-role.yml", "title: The mayor chairs the council",
     "title: The mayor presides over the council", "sources.html"),
    # a source's publisher: the sources pages group by it
    ("mayor-role.yml", "publisher: City of Riverton", "publisher: Riverton City Council",
     "sources.html"),
    # a rating: counted on the articles index
    ("budget-figure.yml", "rating: accurate", "rating: imprecise", "articles/index.html"),
    # a correction's body, and an update's date: shown in the feed
    ("mayor-name.yml", "council minutes give", "council records give", "feed.xml"),
    ("friday-update.yml", "date: 2024-03-08", "date: 2024-03-07", "feed.xml"),
]


def test_the_preview_after_each_kind_of_change_is_a_clean_build(
        make_project: Callable[..., Project]) -> None:
    project = make_project(real=False)
    preview = preview_folder(project)
    rebuild(project)
    for number, (name, old, new, shown) in enumerate(CHANGES):
        edit(project, name, old, new)
        written = rebuild(project)
        words = new.split(": ", 1)[-1]
        assert words in (preview / shown).read_text("utf-8"), (name, shown)
        assert shown in written
        assert snapshot(preview) == clean(project, f"clean-{number}"), (name, old)
    # An annotation removed: it goes from every index and from the sources pages.
    (project.annotations / FAKE_SLUG / "friday-update.yml").unlink()
    rebuild(project)
    assert "Mayor presents budget" not in (preview / "sources.html").read_text("utf-8")
    assert snapshot(preview) == clean(project, "clean-removed")


def test_a_body_edit_keeps_the_indexes_rendered_before(
        make_project: Callable[..., Project]) -> None:
    """The pages that span articles come from the render cache after a body edit (their
    key leaves bodies out) and are the pages ``dossier_pages`` gives afresh."""
    from dossier.pipeline import _render, check
    from dossier.render import Context, dossier_pages

    project = make_project(real=False)
    context = Context(built="2024-03-09")
    dossier, _ = check(project)
    _render(project, dossier, context)
    edit(project, "mayor-role.yml", "votes only to break a tie", "votes to break a tie")
    dossier, _ = check(project)
    pages, _files = _render(project, dossier, context)
    assert "votes to break a tie" in pages[f"articles/{FAKE_SLUG}.md"]
    wide = dossier_pages(dossier)
    assert {name: pages[name] for name in wide} == wide
    edit(project, "mayor-role.yml", "title: The mayor chairs the council",
         "title: The mayor leads the council")
    dossier, _ = check(project)
    pages, _files = _render(project, dossier, context)
    assert "The mayor leads the council" in pages["sources.md"]
    assert {name: pages[name] for name in dossier_pages(dossier)} == dossier_pages(dossier)


def test_the_theme_kept_in_the_process_follows_the_settings(
        make_project: Callable[..., Project]) -> None:
    """The theme's Jinja environment is kept between the preview's rebuilds: a theme
    folder added in the settings (``custom_dir``, whose templates come first) is seen."""
    project = make_project(real=False)
    preview = preview_folder(project)
    rebuild(project)
    assert "Overridden for the preview" not in (preview / "index.html").read_text("utf-8")
    (project.root / "overrides" / "partials").mkdir(parents=True)
    (project.root / "overrides" / "partials" / "copyright.html").write_text(
        "<div>Overridden for the preview</div>\n", encoding="utf-8")
    settings = project.config.read_text(encoding="utf-8")
    assert "  name: material\n" in settings
    project.config.write_text(settings.replace("  name: material\n",
                                               "  name: material\n  custom_dir: overrides\n"),
                              encoding="utf-8")
    rebuild(project)
    assert "Overridden for the preview" in (preview / "index.html").read_text("utf-8")
    assert snapshot(preview) == clean(project, "clean")


def test_the_staged_files_hashes_are_those_read_back(
        make_project: Callable[..., Project], tmp_path: Path) -> None:
    """``stage_docs`` gives the hashes of what it wrote from memory (the build does not
    read them back): they are the hashes of the files on disk."""
    from dossier.incremental import tree_hashes
    from dossier.site import stage_docs

    project = make_project(real=False)
    dest = tmp_path / "staged"
    pages = {"articles/a.md": "# Ünïcode\r\nline\n", "b.md": "plain\n"}
    files = {"feed.xml": b"<feed/>\n", "assets/x.bin": bytes(range(256))}
    known = stage_docs(project, pages, dest, files)
    assert set(known) == {*pages, *files, "contributing.md"}
    read = tree_hashes(dest)
    assert {name: read[name] for name in known} == known
    assert tree_hashes(dest, known) == read


def test_the_search_files_are_linked_only_from_the_previews_own_last_site(
        make_project: Callable[..., Project]) -> None:
    """The preview links the search files that did not change from the site it swapped in
    last; a site another process put in its place since is never linked from."""
    project = make_project(real=False)
    preview = preview_folder(project)
    rebuild(project)
    before = inodes(preview)
    edit(project, "mayor-role.yml", "votes only to break a tie", "votes to break a tie")
    rebuild(project)
    after = inodes(preview)
    kept = [name for name in after if name.startswith("search/dz/") and after[name] == before[name]]
    assert kept  # linked: the same files
    assert snapshot(preview) == clean(project, "clean")
    # Another process builds the preview with an edit; this one then builds it with the
    # edit undone: its own last site had those bytes, the one in place has not.
    edit(project, "mayor-role.yml", "votes to break a tie", "votes when the council is tied")
    code = ("import sys; from pathlib import Path; from dossier.serve import rebuild; "
            "from dossier.project import Project; rebuild(Project(Path(sys.argv[1])))")
    subprocess.run([sys.executable, "-c", code, str(project.root)], check=True,
                   capture_output=True)
    edit(project, "mayor-role.yml", "votes when the council is tied", "votes to break a tie")
    rebuild(project)
    assert snapshot(preview) == clean(project, "clean-again")


def test_the_render_kept_in_the_process_follows_what_is_not_in_the_objects(
        make_project: Callable[..., Project], monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview's render keeps each article's key while its checked objects are the same
    ones (``pipeline._render``'s ``keep``): a change of authorship, of the build date or of
    an article's objects still makes its pages again, as a render from nothing gives them."""
    from dossier import pipeline
    from dossier.history import Authorship
    from dossier.render import Context

    project = make_project(real=False)
    dossier, _ = pipeline.check(project)
    made: list[int] = []
    real = pipeline._article_outputs
    monkeypatch.setattr(pipeline, "_article_outputs",
                        lambda shared, index: made.append(index) or real(shared, index))
    context = Context(built="2024-03-09")
    first = pipeline._render(project, dossier, context, keep=True)
    assert pipeline._render(project, dossier, context, keep=True) == first
    assert made == [0]  # made once, then kept
    path = dossier.annotations[0].path
    signed = Context(authorship={path: Authorship("A. Checker", "2024-03-10")},
                     built="2024-03-09")
    again = pipeline._render(project, dossier, signed, keep=True)
    assert made == [0, 0]
    assert again != first
    assert again == pipeline._render(project, dossier, signed)  # (from nothing: no keep)
    dated = Context(authorship=signed.authorship, built="2024-03-11")
    assert pipeline._render(project, dossier, dated, keep=True) == pipeline._render(
        project, dossier, dated)
    checked_again, _ = pipeline.check(project)  # equal objects, not the same ones
    assert pipeline._render(project, checked_again, dated, keep=True) == pipeline._render(
        project, dossier, dated)
    assert made[-1] == 0


def test_once_tidied_the_folders_a_rebuild_replaced_are_gone(
        make_project: Callable[..., Project], monkeypatch: pytest.MonkeyPatch) -> None:
    """``site.tidied`` waits for the deletions the preview leaves to a thread (the bench
    times a save made once the preview is idle): after it, only the preview's own site and
    no replaced or temporary folder is left in ``build/``, however slow the deleting."""
    import time

    from dossier import site

    remove = site._remove

    def slow(folders: list[Path]) -> None:
        time.sleep(0.5)
        remove(folders)

    monkeypatch.setattr(site, "_remove", slow)
    project = make_project(real=False)
    rebuild(project)
    edit(project, "mayor-role.yml", "votes only to break a tie", "votes to break a tie")
    rebuild(project)
    site.tidied()
    left = sorted(p.name for p in project.build.iterdir() if p.name.startswith("."))
    assert left == [".cache", ".lock"], left
    assert (preview_folder(project) / "index.html").is_file()
