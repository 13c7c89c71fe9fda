"""The families' detection reads fewer lines than it once did (a search of the whole text finds
the only lines worth matching; detect hands what it found to extract): these properties hold
the faster readings to the old per-line definitions, kept here as the reference, on documents
made of the lines the families look for, their near misses and odd white space."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.layouts import signed_blog, split_lines
from corpuskit.layouts.base import Evidence, Line
from corpuskit.layouts.signed_blog import (
    BYLINE,
    HEAD_LINES,
    RELATED_HEADING,
    TRACKBACK,
    TRENDING,
    _signature_text,
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
        if clock[-1:] in ("M", "m") and clock[-2:-1] in "AaPp. " and _signature_text(s):
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


@settings(max_examples=600, deadline=None)
@given(_documents)
def test_signed_blog_detect_is_the_per_line_reading(text: str) -> None:
    lines = split_lines(text)
    assert isinstance(lines, list)
    assert signed_blog.detect(lines, text) == _old_detect(lines)


@settings(max_examples=600, deadline=None)
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
        i: sig for i, s in enumerate(strs) if s and (sig := _signature_text(s))
    }


def test_a_trending_heading_anywhere_claims_the_page() -> None:
    text = "A title\n\nSome text.\n" + "More text.\n" * 50 + "\u3000 trending ON it  VIDEO \t\n"
    lines = split_lines(text)
    assert [e.rule for e in signed_blog.detect(lines, text)] == ["trending_widget_v1"]
    assert signed_blog.detect(lines, text.replace("VIDEO", "VIDEOS")) == []
