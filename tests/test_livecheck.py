"""The check the preview keeps in its process (``livecheck.KeptCheck``): after each kind of
change, the dossier and the problems are exactly those of a check from nothing, and only
the changed article was checked again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from conftest import FAKE_SLUG, REAL_SLUG
from dossier.livecheck import KeptCheck
from dossier.model import Dossier
from dossier.pipeline import check
from dossier.problems import Problem
from dossier.project import Project
from test_cache import add_received_source, rewrite_article


def fresh(project: Project) -> tuple[str, list[str]]:
    dossier, problems = check(project, cache=False)
    return shown(dossier, problems)


def shown(dossier: Dossier, problems: list[Problem]) -> tuple[str, list[str]]:
    return repr(dossier), [p.format() for p in problems]


def kept(checker: KeptCheck, project: Project) -> tuple[str, list[str]]:
    return shown(*checker(project))


def test_the_kept_check_after_each_kind_of_change(make_project: Callable[..., Project]
                                                   ) -> None:
    project = make_project()
    checker = KeptCheck()
    assert kept(checker, project) == fresh(project)
    assert sorted(checker.checked) == sorted([REAL_SLUG, FAKE_SLUG])
    assert kept(checker, project) == fresh(project)
    assert checker.checked == []  # nothing changed: every part kept

    note = sorted((project.annotations / FAKE_SLUG).glob("*.yml"))[0]
    note.write_text(note.read_text(encoding="utf-8").replace("body: ", "body: Edited. ", 1),
                    encoding="utf-8")
    assert kept(checker, project) == fresh(project)
    assert "Edited. " in kept(checker, project)[0]
    assert checker.checked == []
    note.write_text(note.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert kept(checker, project) == fresh(project)
    assert checker.checked == [FAKE_SLUG]

    rewrite_article(project, lambda text: "New words first. " + text)  # every span moves
    assert kept(checker, project) == fresh(project)
    assert checker.checked == [FAKE_SLUG]

    note.unlink()  # an annotation removed
    assert kept(checker, project) == fresh(project)
    assert checker.checked == [FAKE_SLUG]


def test_the_received_source_and_an_error(make_project: Callable[..., Project]) -> None:
    project = make_project()
    checker = KeptCheck()
    source = add_received_source(project, b"# Riverton\n", recorded=b"# Riverton\n")
    assert kept(checker, project) == fresh(project)
    source.write_text("# Riverton, edited\n", encoding="utf-8")  # its hash no longer matches
    after = kept(checker, project)  # an error: the build stops on the problems alone
    assert after[1] == fresh(project)[1]
    assert any("source.md does not match its recorded SHA-256" in p for p in after[1])
    source.write_text("# Riverton\n", encoding="utf-8")  # as before
    assert kept(checker, project) == fresh(project)
    assert checker.checked == [FAKE_SLUG]
    source.write_text("# Riverton again\n", encoding="utf-8")
    meta = project.seeds / f"{FAKE_SLUG}.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        hashlib.sha256(b"# Riverton\n").hexdigest(),
        hashlib.sha256(b"# Riverton again\n").hexdigest()), encoding="utf-8")
    assert kept(checker, project) == fresh(project)
    assert checker.checked == [FAKE_SLUG]
