"""An article's structure: blocks read out of the kept text, anchoring across wrapped lines."""

from __future__ import annotations

from markupsafe import Markup

from dossier.anchoring import anchor_all
from dossier.layout import block_html, paragraphs
from dossier.model import Anchor, Annotation, Article, Published, Target
from dossier.text import blocks, detect_format, shown

TRANSCRIPT = (" \n"
              "James S. Brady Press Briefing Room\n"
              "\n"
              "MR. KIRBY:  So, just before I kick off on those issues, I do want to\n"
              "start off by extending our thoughts to the victims \u2014 in Ankara.\n"
              "\n"
              "Q    Good afternoon.\n"
              "\n"
              "MR. KIRBY:  We\u2019re \u201cconcerned\u201d about it.  At least 3,000\n"
              "troops \u2014 at least.\n")

MARKDOWN = ("# Budget night\n"
            "\n"
            "## Tuesday\n"
            "\n"
            "The council met on\n"
            "Tuesday.\n"
            "\n"
            "> The budget is\n"
            "> balanced, said Smyth.\n"
            "\n"
            "- first item\n"
            "- second item\n")


def article(text: str, fmt: str) -> Article:
    return Article(slug="a", text=text, title="A title", publisher="P", url="https://x.org",
                   published=Published("2024-01-01"), retrieved="2024-01-02", language="en",
                   sha256="0" * 64, path="seeds/a.txt", format=fmt)


def ann(exact: str, id: str = "n") -> Annotation:
    return Annotation(id=id, article="a", kind="context", title="t", body="b" * 10,
                      target=Target(exact=exact), sources=(), path=f"{id}.yml")


def test_formats_are_detected() -> None:
    assert detect_format(TRANSCRIPT) == "transcript"
    assert detect_format(MARKDOWN) == "paragraphs"
    assert detect_format("Headline\nFirst paragraph.\nSecond paragraph.\n") == "lines"


def test_transcript_blocks_join_wrapped_lines_and_mark_speakers() -> None:
    found = blocks(TRANSCRIPT, "transcript")
    assert [(b.kind, b.line) for b in found] == [
        ("paragraph", 2), ("turn", 4), ("turn", 7), ("turn", 9)]
    kirby = found[1]
    assert TRANSCRIPT[kirby.start:kirby.speaker_end] == "MR. KIRBY:"
    assert TRANSCRIPT[found[2].start:found[2].speaker_end] == "Q"
    assert shown(TRANSCRIPT, kirby.start, kirby.end) == (
        "MR. KIRBY:  So, just before I kick off on those issues, I do want to start off by "
        "extending our thoughts to the victims \u2014 in Ankara.")


def test_markdown_headings_quotes_and_items() -> None:
    found = blocks(MARKDOWN, "paragraphs")
    assert [(b.kind, shown(MARKDOWN, b.start, b.end, b.hidden)) for b in found] == [
        ("headline", "Budget night"),
        ("heading", "Tuesday"),
        ("paragraph", "The council met on Tuesday."),
        ("quote", "The budget is balanced, said Smyth."),
        ("item", "first item"),
        ("item", "second item")]
    assert found[1].level == 2


def test_one_paragraph_per_line_keeps_working() -> None:
    text = "Headline\nFirst paragraph.\n\nSecond paragraph.\n"
    assert [(b.kind, b.line) for b in blocks(text, "lines")] == [
        ("headline", 1), ("paragraph", 2), ("paragraph", 4)]


def spans(text: str, fmt: str, *quotes: str) -> tuple[list[str], list[str]]:
    annotations = [ann(q, id=f"n{i}") for i, q in enumerate(quotes)]
    anchors, problems = anchor_all([article(text, fmt)], annotations)
    return ([text[a.start:a.end] for a in anchors["a"]],
            [f"{p.message} ({p.help})" for p in problems])


def test_a_quote_typed_as_a_reader_would_anchors_across_a_line_break() -> None:
    found, problems = spans(TRANSCRIPT, "transcript",
                            'We\'re "concerned" about it. At least 3,000 troops - at least',
                            "I do want to start off")
    assert problems == []
    assert found == ["I do want to\nstart off",
                     "We\u2019re \u201cconcerned\u201d about it.  At least 3,000\n"
                     "troops \u2014 at least"]


def test_a_quote_across_a_quotation_marker_anchors() -> None:
    found, problems = spans(MARKDOWN, "paragraphs", "budget is balanced")
    assert (found, problems) == (["budget is\n> balanced"], [])


def test_a_quote_across_two_paragraphs_is_refused_with_its_location() -> None:
    found, problems = spans(TRANSCRIPT, "transcript", "in Ankara. Q Good afternoon")
    assert found == []
    assert problems == [
        "the quote runs across two paragraphs (it starts on line 5 of the article and ends "
        "on line 7, in another paragraph; split it into one annotation per paragraph, or "
        "shorten it)"]
    found, problems = spans("Head\nOne two.\nThree four.\n", "lines", "two. Three")
    assert found == [] and problems[0].startswith("the quote runs across two paragraphs")


def test_blocks_render_as_their_elements() -> None:
    a = article(TRANSCRIPT, "transcript")
    (anchor,) = anchor_all([a], [ann("At least 3,000 troops")])[0]["a"]
    assert isinstance(anchor, Anchor)

    def wrap(anchor: Anchor, inner: Markup) -> Markup:
        return Markup("<mark>{}</mark>").format(inner)

    html = [block_html(a.text, p, wrap, p_class="dz-paragraph")
            for p in paragraphs(a, [anchor])]
    assert html[0] == '<p class="dz-paragraph" id="p2">James S. Brady Press Briefing Room</p>'
    assert html[2] == ('<p class="dz-paragraph dz-turn" id="p7"><strong class="dz-speaker">'
                       "Q</strong> Good afternoon.</p>")
    assert html[3] == (
        '<p class="dz-paragraph dz-turn" id="p9"><strong class="dz-speaker">MR. KIRBY:'
        "</strong> We\u2019re \u201cconcerned\u201d about it.  <mark>At least 3,000 troops"
        "</mark> \u2014 at least.</p>")
    md = article(MARKDOWN, "paragraphs")
    html = [block_html(md.text, p, wrap, p_class="x") for p in paragraphs(md, [])]
    assert html[1:] == ['<h3 class="dz-heading" id="p3">Tuesday</h3>',
                        '<p class="x" id="p5">The council met on Tuesday.</p>',
                        '<blockquote class="dz-quote" id="p8"><p class="x">The budget is '
                        "balanced, said Smyth.</p></blockquote>",
                        '<ul class="dz-list"><li class="x" id="p11">first item</li></ul>',
                        '<ul class="dz-list"><li class="x" id="p12">second item</li></ul>']
