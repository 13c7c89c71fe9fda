"""Issue 3: every family read the way a careful human reads it, on invented documents."""

from __future__ import annotations

from datetime import date, datetime

from corpuskit.layouts import extract
from corpuskit.model import Metadata
from corpuskit.processing import process_bytes

from . import invented


def _meta() -> Metadata:
    return Metadata("x", "x.txt")


# -- signed blog ----------------------------------------------------------------------------


def test_signed_blog_byline_title_body_and_site() -> None:
    ex = extract(invented.SIGNED_BLOG)
    assert ex.layout == "signed_blog"
    assert ex.title == "Senate passes the harbour bill after a long night"
    assert ex.authors == ["Quill Writer"]
    assert ex.published_date == date(2012, 4, 2)
    assert ex.published_at == datetime(2012, 4, 2, 21, 5)
    assert ex.site == "Harbour Watch"
    assert ex.body.startswith("The harbour bill passed") and ex.body.endswith("within five years.")
    assert "Related Posts" not in ex.body and "Trackback" not in ex.body


def test_signed_blog_thread() -> None:
    cs = extract(invented.SIGNED_BLOG).comments
    assert [(c.author, c.posted_at) for c in cs] == [
        ("night_owl_22", datetime(2012, 4, 2, 23, 52)),
        ("Bob on the Hill", datetime(2012, 4, 2, 23, 58)),  # a name with "on" in it
        ("Mary.J_2", datetime(2012, 4, 3, 0, 4)),  # across midnight: 12:04 AM is the next day
        ("Carl", datetime(2012, 4, 3, 0, 10)),
        ("Dee", datetime(2012, 4, 3, 0, 15)),
        ("Dee", datetime(2012, 4, 3, 0, 15)),  # same author, same minute, not a quotation
    ]
    assert cs[1].text == "I listened to the whole debate on the radio.\nIt was painful."


def test_quotation_with_text_is_linked_and_kept_out_of_text() -> None:
    c = extract(invented.SIGNED_BLOG).comments[2]
    assert c.quoted_text == "First! Long night for the senators."
    assert c.reply_to_position == 1
    assert c.text == "Not as long as the one in 2009."


def test_dated_sentence_inside_a_comment_is_not_a_signature() -> None:
    c = extract(invented.SIGNED_BLOG).comments[3]
    assert c.author == "Carl"
    assert (
        c.text
        == "The vote was scheduled on April 2, 2012 at 6:00 PM\nbut it slipped by hours. Typical."
    )
    assert c.quoted_text is None and c.reply_to_position is None


def test_attribution_standing_alone_links_the_reply() -> None:
    c = extract(invented.SIGNED_BLOG).comments[4]
    assert c.author == "Dee"
    assert c.quoted_text is None
    assert c.reply_to_position == 2  # Bob on the Hill at 11:58 PM
    assert c.text == "Radio? What year is it?"


def test_signed_blog_marks_every_line() -> None:
    ex = extract(invented.SIGNED_BLOG)
    marks = set(ex.marks)
    assert {
        "title",
        "byline",
        "body",
        "comment 1",
        "signature 1",
        "quotation 3",
        "signature 6",
    } <= marks
    assert "" not in marks  # every non-blank line became something
    assert ex.rules["signature_line_v1"] == 6 and ex.rules["quote_attribution_v1"] == 2


def test_recrawl_widget_is_boilerplate_never_a_byline() -> None:
    ex = extract(invented.RECRAWL_OF_SIGNED_BLOG)
    assert ex.layout == "signed_blog"
    assert ex.authors == [] and ex.published_date is None and ex.published_at is None
    assert [r for _, r, _ in ex.boilerplate] == ["trending_widget_v1", "trending_widget_v1"]
    assert "Trending" not in ex.body and "2022" not in ex.body


# -- dated repost ------------------------------------------------------------------------


def test_dated_repost() -> None:
    ex = extract(invented.DATED_REPOST)
    assert ex.layout == "dated_repost"
    assert ex.published_date == date(2011, 9, 9) and ex.published_at is None
    assert ex.title == "Three lessons from the port strike"
    assert ex.editor_note == "Reposted from an article by Anna Berg Lund in the Coastal Herald."
    assert ex.authors == ["Anna Berg Lund"]
    assert "Reposted" not in ex.body


def test_numbered_list_in_body_stays_body() -> None:
    ex = extract(invented.DATED_REPOST)
    assert "1. Unions were better organised" in ex.body
    assert "3. Shipping lines moved quickly" in ex.body
    assert ex.body.endswith("None of this was a surprise to the dockers themselves.")
    assert [(c.position, c.author, c.posted_at) for c in ex.comments] == [
        (1, None, None),
        (2, None, None),
    ]
    assert ex.comments[0].text == "Great summary, thanks."
    assert ex.comments[1].text == "Point 2 is the key one.\nThe city still has no plan today."


# -- paged news ----------------------------------------------------------------------------


def test_paged_news() -> None:
    ex = extract(invented.PAGED_NEWS)
    assert ex.layout == "paged_news"
    assert ex.title == "Lighthouse keepers return to the northern coast"
    assert (
        ex.subtitle
        == "A century after automation, two lighthouses will be staffed again this winter."
    )
    assert (ex.page, ex.page_count, ex.is_partial) == (1, 1, False)
    assert "\n\nWhy now\n\n" in ex.body  # a section subheading stays in the body
    for chrome in ("Skip to", "RELATED", "Read Comments", "View reader comments", "(Page"):
        assert chrome not in ex.body
    assert sorted({r for _, r, _ in ex.boilerplate}) == [
        "comment_link_chrome_v1",
        "related_teaser_v1",
        "skip_to_nav_v1",
        "skip_to_next_paragraph_v1",
    ]


# -- widget news -------------------------------------------------------------------------


def test_widget_news_credit_with_several_agencies_and_caption() -> None:
    ex = extract(invented.WIDGET_NEWS)
    assert ex.layout == "widget_news"
    assert ex.photo_credit == "Dana Ortiz / AP / Getty Images"
    assert ex.photo_caption == "Apple blossoms near the river, April 12"
    assert ex.body.startswith("Growers across the valley")
    assert "Share" not in ex.body and "Getty" not in ex.body and "blossoms" not in ex.body
    assert ex.authors == []  # a photographer is not the article's author


def test_plain_article_without_family_marks() -> None:
    ex = extract(invented.PLAIN)
    assert ex.layout == "plain" and ex.evidence == []
    assert ex.title == "A short note on harbour dredging"
    expected = "Dredging the harbour will cost more than planned, the council said."
    assert ex.body == expected + "\n\nWork starts in May."


# -- decoding -------------------------------------------------------------------------------


def _rows(data: bytes):  # type: ignore[no-untyped-def]
    r = process_bytes(_meta(), data)
    assert r.extraction is not None, r.meta.error
    return r


def test_crlf_with_bom_and_cp1252_decode_to_the_same_rows() -> None:
    base = _rows(invented.SIGNED_BLOG.encode("utf-8"))
    crlf_bom = _rows(b"\xef\xbb\xbf" + invented.SIGNED_BLOG.replace("\n", "\r\n").encode("utf-8"))
    cr = _rows(invented.SIGNED_BLOG.replace("\n", "\r").encode("utf-8"))
    curly = (
        invented.WIDGET_NEWS.replace('"We', "“We")
        .replace("said a", "said a")
        .replace('wrong,"', "wrong,”")
    )
    cp = _rows(curly.encode("cp1252"))
    assert (crlf_bom.meta.encoding, crlf_bom.meta.line_ending) == ("utf-8-sig", "crlf")
    assert cr.meta.line_ending == "cr"
    assert cp.meta.encoding == "cp1252"
    for other in (crlf_bom, cr):
        assert other.extraction.comments == base.extraction.comments
        assert other.extraction.body == base.extraction.body
        assert other.article_id == base.article_id
    assert "“We lose a season" in cp.extraction.body  # curly quotes kept as the source has them
    assert cp.extraction.body == _rows(curly.encode("utf-8")).extraction.body
