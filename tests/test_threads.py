"""Reader-comment threads in every common layout (layouts/threads.py), on invented pages in
English, German, French and Spanish: who wrote each comment and when, what is chrome, what is
nested or quoted, and that pages without a thread are left alone."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.layouts import plain
from corpuskit.layouts.base import Marker, split_lines
from corpuskit.layouts.threads import Thread, find_thread

from .invented_threads import (
    ARTICLE,
    BADGE_LINE_DE,
    BULLETED_ODD_NAMES_DE,
    DISQUS,
    EMOJI_REPLY_DE,
    FRAMED_FR,
    NAME_CHROME_DE,
    NO_THREAD,
    NO_YEAR_FR,
    NUMBERED_WROTE,
    NUMERIC_HANDLES_DE,
    NUMERIC_HANDLES_EN,
    ODD_SAYS_DE,
    SITE_LINKED_FR,
    SLASH_DATES_EN,
    THREADS,
    WORDPRESS_DE,
    WORDPRESS_EN,
    forum_regulars_de,
    questions_and_answers,
)


def _thread(text: str, language: str = "en") -> tuple[Marker, Thread]:
    m = Marker(split_lines(text))
    t = find_thread(m, language)
    assert t is not None
    return m, t


def _marked(m: Marker, t: Thread) -> list[str]:
    return [m.marks[i] for i in range(t.start, t.stop) if not m.lines[i].blank]


@pytest.mark.parametrize(
    ("name", "language", "text", "expected"), THREADS, ids=[t[0] for t in THREADS]
)
def test_every_layout_gives_its_authors_and_times(
    name: str, language: str, text: str, expected: list[tuple[str, str | None]]
) -> None:
    m, t = _thread(text, language)
    assert [(c.author, c.posted_text) for c in t.comments] == expected
    # Every non-blank line of the region is claimed, and nothing outside it.
    assert all(_marked(m, t))
    assert all(not mk or mk == "blank" for mk in m.marks[: t.start])
    for c in t.comments:
        assert c.text and not c.text.startswith(" ")
        text_of_span = text[c.char_start : c.char_end]
        assert c.text.splitlines()[0].strip() in text_of_span
        if c.posted_text is not None:
            assert c.posted_text in text_of_span


def test_posted_at_is_the_wall_clock_and_null_for_relative_times() -> None:
    _, de = _thread(WORDPRESS_DE, "de")
    assert [c.posted_at for c in de.comments] == [
        datetime(2011, 3, 3, 13, 4),
        datetime(2011, 3, 3, 14, 20),
        datetime(2011, 3, 4, 8, 15),
    ]
    _, dq = _thread(DISQUS)
    assert [(c.posted_at, c.posted_text) for c in dq.comments] == [
        (None, "3 years ago"),
        (None, "3 years ago"),
        (None, "2 years ago"),
    ]


def test_date_first_headers_use_the_numeric_order_rule() -> None:
    _, t = _thread(next(x[2] for x in THREADS if x[0] == "date_first"), "en-GB")
    assert [c.posted_at for c in t.comments] == [
        datetime(2011, 3, 3, 18, 32),
        datetime(2011, 3, 3, 19, 5),
        datetime(2011, 3, 4, 9, 15),
    ]


def test_chrome_and_pingbacks_are_boilerplate_with_named_rules() -> None:
    m, t = _thread(WORDPRESS_EN)
    by_text = {m.lines[i].stripped: m.marks[i] for i in range(t.start, t.stop)}
    assert by_text["3 Comments"] == "boilerplate:thread_opener_v1"
    assert by_text["Reply"] == "boilerplate:thread_chrome_v1"
    assert by_text["3. Pingback: Bridge news roundup | Harbour Blog"] == "boilerplate:pingback_v1"
    assert by_text["Leave a Reply"] == "boilerplate:thread_opener_v1"
    for form in ("Name *", "Email *", "Post Comment"):
        assert by_text[form] == "boilerplate:comment_form_v1"
    assert by_text["Your email address will not be published. Required fields are marked *"] == (
        "boilerplate:comment_form_v1"
    )
    assert all("Pingback" not in c.text for c in t.comments)
    assert m.rules["pingback_v1"] == 1 and m.rules["thread_chrome_v1"] >= 3
    dropped = {rule for _, rule, _ in m.boilerplate}
    assert {"thread_opener_v1", "thread_chrome_v1", "comment_form_v1", "pingback_v1"} <= dropped


def test_nesting_from_indentation_and_at_name() -> None:
    m, t = _thread(WORDPRESS_EN)
    assert [c.depth for c in t.comments] == [0, 0, 1]
    assert t.comments[2].reply_to_position == 2
    assert m.rules["comment_depth_indent_v1"] == 1


def test_quotation_opened_by_name_wrote_links_the_quoted_comment() -> None:
    m, t = _thread(NUMBERED_WROTE)
    c = t.comments[1]
    assert c.quoted_text is not None and "the view is worth the toll" in c.quoted_text
    assert c.text.startswith("I disagree")
    assert c.reply_to_position == 1
    marks = {m.lines[i].stripped: m.marks[i] for i in range(t.start, t.stop)}
    assert marks["Marta Quill wrote:"] == "quotation 2"
    assert marks["2. bob_the_builder wrote:"] == "signature 2"


@pytest.mark.parametrize("text", NO_THREAD)
def test_pages_without_comments_have_no_thread_and_no_marks(text: str) -> None:
    m = Marker(split_lines(text))
    before = list(m.marks)
    assert find_thread(m, "en") is None
    assert m.marks == before and not m.rules and not m.boilerplate


def test_plain_keeps_the_thread_out_of_the_body() -> None:
    ex = plain.extract(split_lines(WORDPRESS_DE), [])
    assert [c.author for c in ex.comments] == ["Jens Albrecht", "Frieda K.", "Olaf"]
    assert "Brücke fertig" not in ex.body and "Antworten" not in ex.body
    assert "six years of building work" in ex.body


# -- property: no line is both body and comment ------------------------------------------

_BLOCKS = [t[2][len(ARTICLE) :] for t in THREADS if t[2].startswith(ARTICLE)]
_PARAGRAPHS = st.sampled_from(
    [
        "The council met on Tuesday to discuss the budget for the coming year.",
        "Anna Berg on March 3, 2011 at 6:32 PM",
        "  • Home",
        "Reply",
        "Posted by: Editor | March 3, 2011",
        "Kim says:",
        "3 years ago",
        "Comments",
        "It rained all week, and the market moved indoors for once.",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_PARAGRAPHS, max_size=8),
    st.lists(st.sampled_from(_BLOCKS), min_size=0, max_size=2),
    st.lists(_PARAGRAPHS, max_size=4),
)
def test_no_line_is_both_body_and_comment(
    before: list[str], blocks: list[str], after: list[str]
) -> None:
    text = ARTICLE + "\n" + "\n\n".join(before) + "\n" + "".join(blocks) + "\n".join(after) + "\n"
    lines = split_lines(text)
    ex = plain.extract(lines, [])
    body_lines = {i for i, mk in enumerate(ex.marks) if mk == "body"}
    for c in ex.comments:  # a comment's span holds no body line
        inside = {i for i, ln in enumerate(lines) if c.char_start <= ln.start < c.char_end}
        assert not inside & body_lines


def test_a_reply_link_line_links_the_reply_and_is_not_text() -> None:
    text = (
        ARTICLE
        + """
Comments

  • harbourfan

    3 March 2011 9:37PM

    The bridge is lovely, but the toll will keep me on the ferry for now.

  • tollpayer

    3 March 2011 9:48PM

    Response to harbourfan, 3 March 2011 9:37PM

    You will change your mind after one winter of queueing at the ferry.

  • quaywalker

    3 March 2011 10:02PM

    I walked across it today and the view over the old docks is superb.
"""
    )
    m, t = _thread(text)
    assert [(c.author, c.posted_text) for c in t.comments] == [
        ("harbourfan", "3 March 2011 9:37PM"),
        ("tollpayer", "3 March 2011 9:48PM"),
        ("quaywalker", "3 March 2011 10:02PM"),
    ]
    reply = t.comments[1]
    assert reply.reply_to_position == 1 and reply.text.startswith("You will change")
    link = next(i for i, ln in enumerate(m.lines) if ln.stripped.startswith("Response to"))
    assert m.marks[link] == "signature 2"


@pytest.mark.parametrize(
    ("text", "language", "rule", "fired"),
    [
        (SITE_LINKED_FR, "fr", "comment_author_site_link_v1", 2),
        (BADGE_LINE_DE, "de", "comment_author_badge_line_v1", 1),
        (NAME_CHROME_DE, "de", "comment_author_chrome_tail_v1", 3),
        (BULLETED_ODD_NAMES_DE, "de", "comment_header_in_run_v1", 2),
        (ODD_SAYS_DE, "de", "comment_author_says_dated_v1", 1),
        (FRAMED_FR, "fr", "comment_author_framed_v1", 1),
    ],
)
def test_author_rules_are_counted_and_leave_no_name_in_the_text(
    text: str, language: str, rule: str, fired: int
) -> None:
    m, t = _thread(text, language)
    assert m.rules[rule] == fired
    for c in t.comments:  # the badge, the site link and the chrome are in no comment's text
        assert not any(w in c.text for w in ("Autor\n", "http", "löschen", "Antworten"))
        assert c.author not in c.text


def test_reply_chrome_headers_open_the_text_below_and_take_the_time_under_it() -> None:
    m, t = _thread(NAME_CHROME_DE, "de")
    assert t.comments[0].text == "habe die Brücke heute besucht, war super."
    assert m.rules["comment_time_footer_v1"] == 3
    # 'Antworten Antworten' (a button's icon label and its text) is chrome
    assert m.rules["thread_chrome_v1"] >= 3


@pytest.mark.parametrize(
    ("text", "language"), [(NUMERIC_HANDLES_EN, "en"), (NUMERIC_HANDLES_DE, "de")]
)
def test_a_readers_mark_above_the_text_is_text_and_a_number_is_a_handle(
    text: str, language: str
) -> None:
    m, t = _thread(text, language)
    assert m.rules["comment_author_numeric_handle_v1"] == 2
    assert m.rules["comment_text_mark_v1"] == 2
    assert [c.text.split("\n")[0] for c in t.comments[:2]] == ["+", "?"]
    assert t.comments[2].text.startswith(("Six", "Sechs"))


def test_a_sentence_before_says_is_a_name_only_above_a_date() -> None:
    # The same line with text under it instead of a date is no header.
    text = ODD_SAYS_DE.replace("4. März 2011 um 11:30 Uhr\n\n", "")
    m, t = _thread(text, "de")
    assert "wer weiß das schon...." not in [c.author for c in t.comments]
    assert m.rules["comment_author_says_dated_v1"] == 0


#: The readers of the invented English threads below, in page order.
FOUR_READERS = ["Marta Quill", "Bob Fenwick", "Kim Adair", "Lou Petersen"]


def test_slash_dates_of_one_shape_are_one_thread_read_in_one_order() -> None:
    """comment_date_form_v1 / comment_date_order_v1: '23/04/2020' can only be day first, so
    '09/06/2020' in the same thread is 9 June, not 6 September, although the page is English."""
    m, t = _thread(SLASH_DATES_EN, "en")
    assert [c.author for c in t.comments] == FOUR_READERS
    assert [c.posted_at for c in t.comments] == [
        datetime(2020, 4, 23, 8, 53),
        datetime(2020, 5, 28, 17, 10),
        datetime(2020, 6, 9, 13, 53),
        datetime(2020, 6, 10, 20, 15),
    ]
    assert m.rules["comment_date_order_v1"] == 1


def test_headers_with_and_without_a_year_are_one_thread() -> None:
    """A month date with its year and one without ('Le 9 janvier à 13:06') are one form; the
    year-less time keeps its text and has no absolute value."""
    _, t = _thread(NO_YEAR_FR, "fr")
    assert [(c.author, c.posted_text) for c in t.comments] == [
        ("Claire Dubois", "Le 11 décembre 2019 à 12:57"),
        ("Marc", "Le 9 janvier à 13:06"),
        ("Sophie L.", "Le 30 janvier à 20:51"),
        ("Paul Mercier", "Le 5 février à 21:27"),
    ]
    assert t.comments[0].posted_at == datetime(2019, 12, 11, 12, 57)
    assert [c.posted_at for c in t.comments[1:]] == [None, None, None]


def test_a_reply_of_emoji_only_is_a_comment_and_a_button_is_not() -> None:
    m, t = _thread(EMOJI_REPLY_DE, "de")
    assert [(c.author, c.text) for c in t.comments][2] == ("Sarah Lind", "🥰🥰🥰")
    assert len(t.comments) == 6
    assert m.rules["comment_emoji_text_v1"] == 1
    assert all("Antworten" not in c.text for c in t.comments)


def test_a_long_forum_thread_of_a_few_regulars_under_its_opener() -> None:
    """thread_participants_v1: five names over sixteen posts are fewer than a third distinct, but
    under a thread opener five regulars are a thread; names glued to their dates are read."""
    m, t = _thread(forum_regulars_de(), "de")
    assert len(t.comments) == 16
    assert m.rules["thread_participants_v1"] == 1
    assert m.rules["date_glued_v1"] == 6  # 'Hafen77…' and 'Kapitaen2013…', three posts each
    assert [c.author for c in t.comments[:5]] == [
        "brueckenfan",
        "Hafen77",
        "Lotsin",
        "Kapitaen2013",
        "Ebbe",
    ]
    assert t.comments[0].posted_at == datetime(2019, 10, 10, 10, 10)
    assert all(c.text.startswith(("Ich", "Bei", "Weiß", "Die")) for c in t.comments)


def test_the_comments_under_each_answer_of_a_question_page_are_found() -> None:
    """thread_more_runs_v1: runs of the chosen footer shape too short to be a thread alone, far
    from it, are threads too; the answers between them stay out of the comments."""
    text = questions_and_answers()
    m, t = _thread(text, "en")
    assert [c.author for c in t.comments] == [
        *FOUR_READERS,
        "Marta Quill",
        "Ines Vogt",
        "Bob Fenwick",
    ]
    assert [c.position for c in t.comments] == list(range(1, 8))
    assert m.rules["thread_more_runs_v1"] == 2
    assert all("reduced timetable until" not in c.text for c in t.comments)
    marks = {m.marks[i] for i in range(len(m.lines))}
    assert {f"comment {k}" for k in range(1, 8)} <= marks
