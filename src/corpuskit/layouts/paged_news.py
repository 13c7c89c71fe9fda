"""Family: paged news article wrapped in site chrome.

Shape: navigation lines (``Skip to: ...``); the title; the standfirst; ``(Page N of M)``; the
body, with inline ``Skip to next paragraph`` lines and ``RELATED: ...`` teasers; section
subheadings (kept); trailing comment-link chrome.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import methodcaller

from .base import (
    STRIPPED,
    Evidence,
    Extraction,
    Line,
    Marker,
    body_from,
    finish_article,
    start_article,
    take_title,
    text_of,
)

NAME = "paged_news"
#: A profile: found by the layouts package; lower precedence wins a tie of evidence.
PRECEDENCE = 30

SKIP_NAV = re.compile(r"^Skip to: \S.*$")
PAGE_MARKER = re.compile(r"^\(Page (?P<page>\d{1,4}) of (?P<count>\d{1,4})\)$")
SKIP_NEXT = re.compile(r"^Skip to next paragraph$")
RELATED_TEASER = re.compile(r"^RELATED: \S.*$")
COMMENT_CHROME = re.compile(
    r"^(?:Read Comments|View reader comments(?: \| Comment on this story)?|Comment on this story)$"
)

_PREFIXES = ("Skip to", "(Page", "RELATED:", "Read Comments", "View reader", "Comment on")
_PREFIXED = methodcaller("startswith", _PREFIXES)
BOILERPLATE = (
    ("skip_to_nav_v1", SKIP_NAV),
    ("skip_to_next_paragraph_v1", SKIP_NEXT),
    ("related_teaser_v1", RELATED_TEASER),
    ("comment_link_chrome_v1", COMMENT_CHROME),
)


def detect(lines: list[Line], text: str) -> list[Evidence]:
    weights = {
        "skip_to_nav_v1": 2,
        "skip_to_next_paragraph_v1": 1,
        "related_teaser_v1": 1,
        "comment_link_chrome_v1": 1,
    }
    ev: list[Evidence] = []
    found = set()
    if "(Page " not in text:  # no line can be a page marker, and the family claims no page
        return []
    for s in filter(_PREFIXED, map(STRIPPED, lines)):  # cheap test before the regexes
        if PAGE_MARKER.match(s) and "page_marker_v1" not in found:
            found.add("page_marker_v1")
            ev.append(Evidence("page_marker_v1", 3))
        for rule, pattern in BOILERPLATE:
            if rule not in found and pattern.match(s):
                found.add(rule)
                ev.append(Evidence(rule, weights[rule]))
    # paged_news_claim_v2: only a page marker and the site chrome around it together claim a
    # page; "Skip to" links alone are any site's accessibility links.
    if "page_marker_v1" not in found or len(found) < 2:
        return []
    return ev


def extract(lines: list[Line], evidence: list[str], claim: Sequence[Evidence] = ()) -> Extraction:
    m = Marker(lines)
    n = len(lines)
    # Each line read once: the first rule (in BOILERPLATE's order) whose pattern matches drops
    # it, as one pass per rule would.
    for i, text in enumerate(map(STRIPPED, lines)):
        if _PREFIXED(text) and m.free(i):
            rule = next((rule for rule, pattern in BOILERPLATE if pattern.match(text)), None)
            if rule is not None:
                m.drop(i, rule)
    t = take_title(m)
    ex = start_article(m, NAME, evidence, t)
    body_start = t + 1
    marker = next(
        (i for i in range(t + 1, n) if m.free(i) and PAGE_MARKER.match(lines[i].stripped)), None
    )
    if marker is not None:
        pm = PAGE_MARKER.match(lines[marker].stripped)
        assert pm is not None
        ex.page, ex.page_count = int(pm.group("page")), int(pm.group("count"))
        m.mark(marker, "page_marker", "page_marker_v1")
        between = [i for i in range(t + 1, marker) if m.free(i)]
        if between:  # standfirst_v1: what stands between the title and the page marker
            for i in between:
                m.mark(i, "subtitle")
            m.rules["standfirst_v1"] += 1
            kept = set(between)
            ex.subtitle = text_of(
                [lines[i] for i in range(t + 1, marker) if i in kept or lines[i].blank]
            )
        body_start = marker + 1
    ex.body, body_end, _ = body_from(m, body_start, n)
    ex.char_end = max(ex.char_end, body_end)
    if ex.is_partial:
        m.rules["partial_page_v1"] += 1
    return finish_article(m, ex)
