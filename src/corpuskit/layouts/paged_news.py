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


#: detect's cheap test: a page marker's opening, found by a compiled search (str's ``in`` is
#: slower on a needle that ends with a space, the commonest character).
_PAGE_OPEN = re.compile(r"\(Page ")
_WEIGHTS = {
    "page_marker_v1": 3,
    "skip_to_nav_v1": 2,
    "skip_to_next_paragraph_v1": 1,
    "related_teaser_v1": 1,
    "comment_link_chrome_v1": 1,
}


class _Claim(list[Evidence]):
    """detect's evidence, with the chrome lines it found for extract: (line, rule) of each line
    that a BOILERPLATE pattern matches (the first in its order), in line order."""

    def __init__(self, evidence: list[Evidence], chrome: list[tuple[int, str]]) -> None:
        super().__init__(evidence)
        self.chrome = chrome


def _read(lines: Sequence[Line]) -> tuple[list[str], list[tuple[int, str]]]:
    """The rules found (page_marker_v1 and BOILERPLATE's), each once, in the order of their
    first lines; and (line, rule) of every line that a BOILERPLATE pattern matches."""
    found: dict[str, None] = {}
    chrome: list[tuple[int, str]] = []
    for i, s in enumerate(map(STRIPPED, lines)):
        if not _PREFIXED(s):  # cheap test before the regexes
            continue
        if PAGE_MARKER.match(s):  # no BOILERPLATE pattern matches a page marker
            found.setdefault("page_marker_v1")
            continue
        rule = next((rule for rule, pattern in BOILERPLATE if pattern.match(s)), None)
        if rule is not None:
            found.setdefault(rule)
            chrome.append((i, rule))
    return list(found), chrome


def detect(lines: Sequence[Line], text: str) -> list[Evidence]:
    if not _PAGE_OPEN.search(text):  # no line can be a page marker: the family claims no page
        return []
    found, chrome = _read(lines)
    # paged_news_claim_v2: only a page marker and the site chrome around it together claim a
    # page; "Skip to" links alone are any site's accessibility links.
    if "page_marker_v1" not in found or len(found) < 2:
        return []
    return _Claim([Evidence(rule, _WEIGHTS[rule]) for rule in found], chrome)


def extract(lines: list[Line], evidence: list[str], claim: Sequence[Evidence] = ()) -> Extraction:
    m = Marker(lines)
    n = len(lines)
    # Each line read once (by detect, which hands its findings over): the first rule (in
    # BOILERPLATE's order) whose pattern matches drops it, as one pass per rule would.
    chrome = claim.chrome if isinstance(claim, _Claim) else _read(lines)[1]
    for i, rule in chrome:
        if m.free(i):
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
