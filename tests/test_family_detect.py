"""The families' detection reads fewer lines than it once did (a search of the whole text finds
the only lines worth matching; detect hands what it found to extract): these properties hold
the faster readings to the old per-line definitions, kept here as the reference, on documents
made of the lines the families look for, their near misses and odd white space."""

from __future__ import annotations

import bisect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.layouts import FAMILIES, paged_news, signed_blog, split_lines
from corpuskit.layouts.base import Evidence, Line, Marker, NoArticle
from corpuskit.layouts.signed_blog import (
    BYLINE,
    HEAD_LINES,
    RELATED_HEADING,
    TRACKBACK,
    TRENDING,
    _read_signature,
)

_WHITE = ["", " ", "\t", "\u3000", "\x85", "\u2028", "\x1f", "\xa0", "\r"]
_SIGNED_LINES = [
    "posted at 6:32 pm on March 30, 2011 by Mary J",
    "Posted at 11:02 AM on June 1, 2010 by reader77",
    "posted at 6:32 pm on March 30, 2011 by Joe on March 30, 2011 at 6:36 PM",
    "Trending on Koussa Video",
    "TRENDING ON the net VIDEO",
    "Trendİng on İt vİdeo",  # İ is an i to a pattern that ignores case
    "trending on  Video",
    "Trending on Video",
    "Trending onward Video",
    "Trackback URL",
    "TRACKBACK url",
    "Related Posts",
    "related posts:",
    "Related Postings",
    "Mary J on March 30, 2011 at 6:36 PM",
    "reader77 on February 29, 2012 at 12:00 a.m.",
    "He arrived on March 30, 2011 at 9:00 PM",
    "Bob on March 31, 2011 at 13:61 PM",
    "Bob on March 30, 2011 at 6:36 PM..",
    "Bob on March 30, 2011 at 6:36 P M",
    "The end came at 6:36 PM",
    "Some body text, ending in a time: 10:15 am",
    "Breaking on Somesite",
    "Just prose, nothing else.",
    "",
]
_lines = st.builds(
    lambda lead, line, trail: lead + line + trail,
    st.sampled_from(_WHITE),
    st.one_of(st.sampled_from(_SIGNED_LINES), st.text(max_size=30)),
    st.sampled_from(_WHITE),
)
_documents = st.lists(_lines, max_size=30).map("\n".join)


def _old_detect(lines: list[Line]) -> list[Evidence]:
    """signed_blog.detect as it read every line, before the search of the text."""
    head = [ln.stripped for ln in lines[:40] if ln.stripped][:HEAD_LINES]
    if not any(s[:1] in "Pp" and BYLINE.match(s) for s in head) and not any(
        s[:1] in "Tt" and TRENDING.match(s) for s in (ln.stripped for ln in lines)
    ):
        return []
    ev: list[Evidence] = []
    signatures = 0
    for s in (ln.stripped for ln in lines):
        if not s:
            continue
        clock = s.rstrip(".")
        if clock[-1:] in ("M", "m") and clock[-2:-1] in "AaPp. " and _read_signature(s):
            signatures += 1
            continue
        first = s[0]
        if first in "Pp" and BYLINE.match(s):
            ev.append(Evidence("byline_posted_at_v1", 3))
        elif first in "Rr" and RELATED_HEADING.match(s):
            ev.append(Evidence("related_posts_block_v1", 2))
        elif first in "Tt" and (TRACKBACK.match(s) or TRENDING.match(s)):
            trending = TRENDING.match(s) is not None
            ev.append(
                Evidence("trending_widget_v1", 2) if trending else Evidence("trackback_url_v1", 1)
            )
    if signatures:
        ev.append(Evidence("signature_line_v1", 1 if signatures == 1 else 3))
    return ev


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_signed_blog_detect_is_the_per_line_reading(text: str) -> None:
    lines = split_lines(text)
    assert isinstance(lines, list)
    assert signed_blog.detect(lines, text) == _old_detect(lines)


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_signed_blog_findings_are_what_extract_read_line_by_line(text: str) -> None:
    lines = split_lines(text)
    strs = [ln.stripped for ln in lines]
    claim = signed_blog.detect(lines, text)
    if not isinstance(claim, signed_blog._Claim):
        assert claim == []
        return
    found = claim.found
    # the lines the old extract matched, each with its own loop over every line
    assert found.trending == [i for i, s in enumerate(strs) if s[:1] in "Tt" and TRENDING.match(s)]
    assert found.related == [
        i for i, s in enumerate(strs) if s[:1] in "Rr" and RELATED_HEADING.match(s)
    ]
    assert found.trackback == [i for i, s in enumerate(strs) if TRACKBACK.match(s)]
    assert found.signatures == {
        i: sig for i, s in enumerate(strs) if s and (sig := _read_signature(s))
    }


def test_a_trending_heading_anywhere_claims_the_page() -> None:
    text = "A title\n\nSome text.\n" + "More text.\n" * 50 + "\u3000 trending ON it  VIDEO \t\n"
    lines = split_lines(text)
    assert [e.rule for e in signed_blog.detect(lines, text)] == ["trending_widget_v1"]
    assert signed_blog.detect(lines, text.replace("VIDEO", "VIDEOS")) == []


_PAGED_LINES = [
    "Skip to: Main content",
    "Skip to:",
    "Skip to next paragraph",
    "(Page 2 of 3)",
    "(Page 1 of 1)",
    "(Page 12345 of 3)",
    "RELATED: Another story",
    "RELATED:",
    "Read Comments",
    "View reader comments | Comment on this story",
    "Comment on this story",
    "Comment on this",
    "A Title Line",
    "Some prose of the article.",
    "",
]
_paged_documents = st.lists(
    st.builds(
        lambda lead, line, trail: lead + line + trail,
        st.sampled_from(_WHITE),
        st.one_of(st.sampled_from(_PAGED_LINES), st.text(max_size=12)),
        st.sampled_from(_WHITE),
    ),
    max_size=25,
).map("\n".join)


def _old_paged_detect(lines: list[Line], text: str) -> list[Evidence]:
    """paged_news.detect as it was before it handed its findings to extract."""
    weights = {
        "skip_to_nav_v1": 2,
        "skip_to_next_paragraph_v1": 1,
        "related_teaser_v1": 1,
        "comment_link_chrome_v1": 1,
    }
    ev: list[Evidence] = []
    found = set()
    if "(Page " not in text:
        return []
    for s in (ln.stripped for ln in lines):
        if not s.startswith(paged_news._PREFIXES):
            continue
        if paged_news.PAGE_MARKER.match(s) and "page_marker_v1" not in found:
            found.add("page_marker_v1")
            ev.append(Evidence("page_marker_v1", 3))
        for rule, pattern in paged_news.BOILERPLATE:
            if rule not in found and pattern.match(s):
                found.add(rule)
                ev.append(Evidence(rule, weights[rule]))
    if "page_marker_v1" not in found or len(found) < 2:
        return []
    return ev


@settings(max_examples=300, deadline=None)
@given(_paged_documents)
def test_paged_news_detect_and_its_chrome_are_the_per_line_reading(text: str) -> None:
    lines = split_lines(text)
    assert isinstance(lines, list)
    claim = paged_news.detect(lines, text)
    assert claim == _old_paged_detect(lines, text)
    if isinstance(claim, paged_news._Claim):  # the lines the old extract dropped, and why
        old = []
        for i, s in enumerate(ln.stripped for ln in lines):
            if s.startswith(paged_news._PREFIXES):
                rule = next((r for r, p in paged_news.BOILERPLATE if p.match(s)), None)
                if rule is not None:
                    old.append((i, rule))
        assert claim.chrome == old


_DATED_LINES = [
    "Wednesday, 15 June 2011",
    "June 15, 2011",
    "A Title Line",
    "[Editor's note: this post is by John Smith.]",
    "Some prose of the article.",
    "  1. The first comment.",
    "  2. The second comment.",
    "  3. The third.",
    "     its continuation",
    "1. A list item of the body",
    "",
]
_dated_documents = st.builds(
    lambda date, rest: "\n".join([date, *rest]),
    st.sampled_from(_DATED_LINES[:2]),
    st.lists(st.one_of(st.sampled_from(_DATED_LINES), st.text(max_size=12)), max_size=25),
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_documents, _paged_documents, _dated_documents))
def test_what_detect_hands_over_is_what_extract_reads_itself(text: str) -> None:
    """A family's extract reads the same document with detect's findings as without them."""
    lines = split_lines(text)
    for family in FAMILIES:
        claim = family.detect(lines, text)
        if not claim:
            continue
        evidence = [e.rule for e in claim]
        try:
            handed = family.extract(lines, evidence, claim)
        except NoArticle as e:
            with pytest.raises(NoArticle, match=e.code):
                family.extract(lines, evidence)
            continue
        assert handed == family.extract(lines, evidence)


@settings(max_examples=300, deadline=None)
@given(_documents, st.data())
def test_followed_by_text_is_a_free_non_blank_line_before_the_next_signature(
    text: str, data: st.DataObject
) -> None:
    lines = split_lines(text)
    m = Marker(lines)
    n = len(lines)
    for i in data.draw(st.lists(st.integers(0, n - 1), max_size=n)):  # some lines claimed
        if data.draw(st.booleans()):
            m.mark(i, "comment 1")
        else:
            m.drop(i, "some_rule_v1")
    sig_order = sorted(data.draw(st.sets(st.integers(0, n - 1), max_size=n)))
    for i in range(n):
        k = bisect.bisect_right(sig_order, i)
        stop = sig_order[k] if k < len(sig_order) else n
        old = any(m.free(j) and not lines[j].blank for j in range(i + 1, stop))
        assert signed_blog._followed_by_text(m, i, sig_order, {}) == old
