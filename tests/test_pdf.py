"""The PDF edition, read back from the real built file."""

from __future__ import annotations

import gc
import io
import json
import re
import shutil
import subprocess
import weakref
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from conftest import FAKE_SLUG, REAL_SLUG, ROOT, Built
from dossier import collector, pdf
from dossier.buildinfo import BuildInfo
from dossier.editions import one_article
from dossier.kinds import KIND_LOOKS
from dossier.pdf import render_pdf
from tools import need

ARTIFACTS = ROOT / "test-artifacts" / "pdf"
_LABELS = "|".join(re.escape(k.label) for k in KIND_LOOKS.values())
FOOTNOTE = re.compile(rf"^\d+\. ({_LABELS}): ", re.M)


@pytest.fixture(scope="module")
def whole(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole-dossier edition (`dossier pdf --all`), reader's and archival."""
    folder = tmp_path_factory.mktemp("whole")
    editions = render_pdf(built.dossier, BuildInfo.of(built.project.root))
    (folder / "dossier.pdf").write_bytes(editions.reader)
    (folder / "dossier-archival.pdf").write_bytes(editions.archival)
    return folder / "dossier.pdf"


@pytest.fixture(scope="module")
def reader(whole: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(whole)


@pytest.fixture(scope="module")
def text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_each_article_has_its_own_editions_linked_from_its_page(built: Built) -> None:
    for article in built.dossier.articles:
        reader = pypdf.PdfReader(built.site / "pdf" / f"{article.slug}.pdf")
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        assert article.title in text and article.sha256 in text
        others = [a.title for a in built.dossier.articles if a is not article]
        assert not any(title in text for title in others)
        assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged, as the whole edition
        archival = pypdf.PdfReader(built.site / "pdf" / f"{article.slug}-archival.pdf")
        assert b'pdfaid:part="3"' in archival.trailer["/Root"]["/Metadata"].get_object(
            ).get_data()
        assert len(json.loads(archival.attachments["annotations.json"][0])["first"]["items"]
                   ) == len(built.dossier.anchors_for(article.slug))
        page = built.page(f"articles/{article.slug}.html")
        assert f'href="../pdf/{article.slug}.pdf"' in page
        assert f'href="../pdf/{article.slug}-archival.pdf"' in page
    assert not (built.site / "dossier.pdf").exists()  # the whole edition is on request only


def test_text_has_corrections_titles_and_the_article(built: Built, text: str) -> None:
    flat = " ".join(text.split())
    assert "Kim Jong Un" in flat and "Kim Jung Un" in flat
    for a in built.dossier.annotations:
        assert " ".join(a.title.split()) in flat, a.title
    assert "an insuperable wound in the international body" in flat


def test_every_source_is_a_clickable_link(built: Built, reader: pypdf.PdfReader) -> None:
    links = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                links.add(str(action["/URI"]))
    urls = {s.url for a in built.dossier.annotations for s in a.sources}
    assert urls <= links, sorted(urls - links)


def test_one_footnote_per_anchored_annotation(built: Built, text: str) -> None:
    anchored = sum(len(built.dossier.anchors_for(a.slug)) for a in built.dossier.articles)
    numbers = [int(m.group(0).split(".")[0]) for m in FOOTNOTE.finditer(text)]
    assert len(numbers) == anchored
    # Numbering restarts with each article.
    per_article = [len(built.dossier.anchors_for(a.slug)) for a in built.dossier.articles]
    assert numbers == [n for count in per_article for n in range(1, count + 1)]


def test_outline_lists_each_article_and_section(built: Built,
                                                reader: pypdf.PdfReader) -> None:
    def titles(items: list[object], depth: int = 0) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for item in items:
            if isinstance(item, list):
                out += titles(item, depth + 1)
            else:
                out.append((depth, item.title))  # type: ignore[attr-defined]
        return out

    outline = titles(reader.outline)
    for article in built.dossier.articles:
        at = outline.index((0, article.title))
        sections = [t for d, t in outline[at + 1:] if d == 1][:4]
        assert sections == ["The article as published", "Annotations in full", "Corrections",
                            "Sources"]


def test_metadata(reader: pypdf.PdfReader, built: Built) -> None:
    meta = reader.metadata
    assert meta is not None
    assert meta.title and built.dossier.article(REAL_SLUG).title in meta.title
    assert meta.author and meta.subject and "CBN News" in str(meta.get("/Keywords"))
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_fonts_are_embedded_and_cover_every_character(built: Built,
                                                      reader: pypdf.PdfReader) -> None:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
            names.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert names and all(n.startswith("Dossier-") for n in names), names
    fonts = Path(__import__("dossier").__file__).parent / "fonts"
    covered: set[int] = set()
    for f in fonts.glob("*.woff"):
        covered |= set(TTFont(f).getBestCmap())
    used = "".join(a.text for a in built.dossier.articles) + "".join(
        a.title + a.body + "".join(s.title + s.publisher for s in a.sources)
        for a in built.dossier.annotations)
    missing = {ch for ch in used if not ch.isspace() and ord(ch) not in covered}
    assert not missing
    assert {0xAC00, 0xD7A3, ord("Ж"), ord("\u201c")} <= covered  # Hangul, Cyrillic, quotes


def test_tagged_for_assistive_technology(reader: pypdf.PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_archival_edition_carries_the_annotations(built: Built, whole: Path) -> None:
    archival = pypdf.PdfReader(whole.with_name("dossier-archival.pdf"))
    files = archival.attachments
    assert list(files) == ["annotations.json"]
    data = json.loads(files["annotations.json"][0])
    items = data["first"]["items"]
    assert data["total"] == len(items) == len(built.dossier.annotations)
    assert {i["id"] for i in items} == {f"annotations/{a.article}/{a.id}"
                                        for a in built.dossier.annotations}
    by_id = {i["id"]: i for i in items}
    for a in built.dossier.annotations:
        item = by_id[f"annotations/{a.article}/{a.id}"]
        assert item["dossier:title"] == a.title
        article = built.dossier.article(a.article)
        assert item["target"]["source"] == article.url
        quote, position = item["target"]["selector"]
        # Both selectors point at the same words of the text as published.
        assert quote["exact"] == article.text[position["start"]:position["end"]]
        assert article.text[:position["start"]].endswith(quote["prefix"])
        assert article.text[position["end"]:].startswith(quote["suffix"])
    xmp = archival.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp


def test_two_builds_are_byte_identical(built: Built, whole: Path) -> None:
    info = BuildInfo.of(built.project.root)
    first = render_pdf(built.dossier, info)
    second = render_pdf(built.dossier, info)
    assert first.reader == second.reader
    assert first.archival == second.archival
    assert first.reader == whole.read_bytes()


def test_writing_each_object_once_gives_the_same_bytes(built: Built,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """pdf.write_once keeps each object's bytes for the identifier's hash: the same file."""
    single = one_article(built.dossier, FAKE_SLUG)
    info = BuildInfo("content test", 1730000000)
    kept = render_pdf(single, info)
    monkeypatch.setattr(pdf, "write_once", lambda document, written: None)
    plain = render_pdf(single, info)
    assert kept.reader == plain.reader
    assert kept.archival == plain.archival


def _gray_pixels(pgm: bytes) -> bytes:
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    assert header, "not a binary PGM"
    return pgm[header.end():]


def test_pages_render_and_are_not_blank(whole: Path, reader: pypdf.PdfReader) -> None:
    pdftoppm = need("pdftoppm", "poppler-utils")
    with_footnotes = next(i for i, p in enumerate(reader.pages, 1)
                          if FOOTNOTE.search(p.extract_text()))
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    for page in (1, with_footnotes):
        subprocess.run([pdftoppm, "-r", "60", "-png", "-f", str(page), "-l", str(page),
                        "-singlefile", str(whole),
                        str(ARTIFACTS / f"page-{page}")], check=True)
        gray = subprocess.run([pdftoppm, "-r", "30", "-gray", "-f", str(page), "-l",
                               str(page), "-singlefile",
                               str(whole)],
                              check=True, capture_output=True).stdout
        pixels = _gray_pixels(gray)
        dark = sum(1 for value in pixels if value < 128)
        assert dark > len(pixels) * 0.005, f"page {page} looks blank"
        assert (ARTIFACTS / f"page-{page}.png").stat().st_size > 5000


def test_every_article_starts_a_new_page_with_its_provenance(built: Built,
                                                             reader: pypdf.PdfReader) -> None:
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    starts = []
    for article in built.dossier.articles:
        first = next(i for i, text in enumerate(pages)
                     if article.title in text and "SHA-256 of the text" in text)
        assert article.sha256 in pages[first]
        assert pages[first].startswith("Publisher Original address")  # top of a fresh page
        starts.append(first)
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_sources_show_their_archived_copy(built: Built, reader: pypdf.PdfReader,
                                          text: str) -> None:
    links = {str(annot.get_object()["/A"]["/URI"]) for page in reader.pages
             for annot in page.get("/Annots") or []
             if annot.get_object().get("/A") and "/URI" in annot.get_object()["/A"]}
    archived = {s.archive_url for a in built.dossier.annotations for s in a.sources
                if s.archive_url}
    assert archived and archived <= links, sorted(archived - links)
    assert " ".join(text.split()).count("Archived copy") >= len(archived)
def test_each_article_has_its_summary_under_the_headline(built: Built,
                                                         reader: pypdf.PdfReader) -> None:
    from collections import Counter

    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    for article in built.dossier.articles:
        page = next(t for t in pages if article.sha256 in t)
        annotations = built.dossier.annotations_for(article.slug)
        kinds = Counter(a.kind for a in annotations)
        headline = " ".join(article.title.split())
        assert page.index(headline) < page.index("At a glance") < page.index(
            "The article as published")
        n = kinds["correction"]
        assert f"{n} correction{'' if n == 1 else 's'} to the text" in page
        n = kinds["claim"]
        assert f"{n} claim{'' if n == 1 else 's'} checked" in page
        for rating, count in Counter(a.rating for a in annotations if a.rating).items():
            assert f"{count} {rating.replace('-', ' ')}" in page
        n = kinds["update"]
        assert f"{n} update{'' if n == 1 else 's'} since publication" in page


def test_painting_each_page_once_gives_the_same_bytes(built: Built,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """pdf.PaintOnce: the archival edition takes the reader's painted pages, and is
    byte for byte the file that painting every page again gives."""
    single = one_article(built.dossier, REAL_SLUG)
    info = BuildInfo("content test", 1730000000)
    used: list[pdf.PaintOnce] = []

    class Counted(pdf.PaintOnce):
        def __init__(self, document: object) -> None:
            super().__init__(document)
            used.append(self)

    monkeypatch.setattr(pdf, "PaintOnce", Counted)
    once = render_pdf(single, info)
    assert len(used) == 1 and used[0].reused == len(used[0].painted) > 1  # every page taken
    monkeypatch.setattr(Counted, "replay", Counted.record)  # paint the second edition again
    twice = render_pdf(single, info)
    assert used[1].reused == 0
    assert once.reader == twice.reader
    assert once.archival == twice.archival
    roots = [pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
             for data in (once.reader, once.archival)]
    assert [str(root["/OutputIntents"][0]["/S"]) if "/OutputIntents" in root else None
            for root in roots] == [None, "/GTS_PDFA1"]  # still two editions


def test_the_collector_sets_aside_only_for_the_layout() -> None:
    """collector.collecting_only_new: what existed before is set aside while laying out, the
    layout's garbage (cycles) is collected on the way out, and all is given back."""
    assert gc.get_freeze_count() == 0
    before = len(gc.get_objects())
    gc.disable()  # only the explicit collection may free the cycle
    try:
        _collect_inside(before)
    finally:
        gc.enable()
    gc.freeze()  # set aside by someone else: left as it was
    try:
        frozen = gc.get_freeze_count()
        with collector.collecting_only_new():
            pass
        # Left set aside: giving it back would empty the permanent generation. (A frozen
        # object freed meanwhile, by another test's thread that is still tidying up, leaves
        # it: so the count may fall by a few, never to nothing.)
        assert frozen - 1_000 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


class _Node:
    other: object = None


def _collect_inside(before: int) -> None:
    with collector.collecting_only_new():
        assert gc.get_freeze_count() >= before  # every object made before is set aside
        assert len(gc.get_objects()) < before
        inside = _Node()
        inside.other = _Node()
        inside.other.other = inside  # a cycle, as WeasyPrint's boxes make
        gone = weakref.ref(inside)
        del inside
        assert gone() is not None  # the automatic collector is off
    assert gone() is None  # collected on the way out
    assert gc.get_freeze_count() == 0


def test_icons_drawn_once_and_footnotes_measured_give_the_same_bytes(
        built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    """pdf.DrawIconsOnce (each distinct icon drawn once, its drawing copied where it recurs)
    and footnotearea.measured_footnotes (the footnote area's height summed from each
    footnote's, not laid out again for every footnote) give the file WeasyPrint gives."""
    import contextlib

    from dossier import footnotearea

    single = one_article(built.dossier, REAL_SLUG)
    info = BuildInfo("content test", 1730000000)
    icons: list[pdf.DrawIconsOnce] = []
    measured: list[object] = []

    class Counted(pdf.DrawIconsOnce):
        def __init__(self) -> None:
            super().__init__()
            icons.append(self)

    real_measure = footnotearea._measure

    def measure(*args: object) -> object:
        result = real_measure(*args)  # type: ignore[arg-type]
        measured.append(result)
        return result

    monkeypatch.setattr(pdf, "DrawIconsOnce", Counted)
    monkeypatch.setattr(footnotearea, "_measure", measure)
    fast = render_pdf(single, info)
    assert icons[0].copied > 10 and len(icons[0].drawn) < icons[0].copied  # icons recur
    assert len(measured) > 10 and None not in measured  # every footnote summed
    monkeypatch.setattr(Counted, "drawing", lambda self: contextlib.nullcontext())
    monkeypatch.setattr(pdf, "measured_footnotes", contextlib.nullcontext)
    plain = render_pdf(single, info)
    assert icons[1].copied == 0
    assert fast.reader == plain.reader
    assert fast.archival == plain.archival
