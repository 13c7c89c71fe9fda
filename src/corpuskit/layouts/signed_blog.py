"""Family: blog post with signed reader comments.

Shape: title; byline ``posted at 6:32 pm on March 30, 2011 by NAME``; body; a related-posts and
trackback block; then the thread, where every comment ends with a signature line
``NAME on March 30, 2011 at 6:36 PM``. A comment may open with a quotation of an earlier
comment: the quoted text (possibly none), then an attribution line in the signature's own form
naming the earlier comment. A re-crawl of such a post may carry a "Trending on ... Video" widget.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .base import (
    FREE,
    MONTHS,
    STRIPPED,
    CommentDraft,
    Evidence,
    Extraction,
    Line,
    Marker,
    body_from,
    clock_at,
    finish_article,
    parse_clock,
    parse_month_date,
    start_article,
    take_title,
)

NAME = "signed_blog"
#: A profile: found by the layouts package; lower precedence wins a tie of evidence.
PRECEDENCE = 10

BYLINE = re.compile(
    rf"^posted at (?P<clock>\d{{1,2}}:\d{{2}}\s*[ap]\.?m\.?) on "
    rf"(?P<month>{MONTHS}) (?P<day>\d{{1,2}}), (?P<year>\d{{4}}) by (?P<name>\S.*)$",
    re.IGNORECASE,
)
SIGNATURE = re.compile(
    rf"^(?P<name>\S.*?) on (?P<month>{MONTHS}) (?P<day>\d{{1,2}}), (?P<year>\d{{4}}) "
    rf"at (?P<clock>(?P<hours>\d{{1,2}}):(?P<minutes>\d{{2}})\s*(?P<half>[AaPp])\.?[Mm]\.?)$"
)
RELATED_HEADING = re.compile(r"^Related Posts:?$", re.IGNORECASE)
SITE_LINK = re.compile(r"^Breaking on (?P<site>\S.{0,60})$")
TRACKBACK = re.compile(r"^Trackback URL$", re.IGNORECASE)
TRENDING = re.compile(r"^Trending on \S.* Video$", re.IGNORECASE)
TRENDING_ITEM = re.compile(
    rf"^\S.* \d{{1,2}}:\d{{2}}\s*[AaPp][Mm] on (?:{MONTHS}) \d{{1,2}}, \d{{4}}$"
)

#: Words that make a "name" read as a clause ("He arrived on March 30, 2011 at 9:00 PM").
_CLAUSE_WORDS = frozenset(
    [
        "i",
        "we",
        "he",
        "she",
        "they",
        "it",
        "you",
        "was",
        "were",
        "is",
        "are",
        "been",
        "be",
        "has",
        "had",
        "have",
        "do",
        "did",
        "posted",
        "wrote",
        "said",
        "says",
        "arrived",
        "happened",
        "left",
        "landed",
        "came",
        "met",
        "saw",
        "heard",
        "since",
        "until",
        "before",
        "after",
        "about",
        "this",
        "that",
        "which",
        "who",
        "when",
        "then",
        "because",
        "to",
        "in",
        "into",
        "at",
        "from",
        "with",
    ]
)
#: The byline that claims a page stands among its first lines.
HEAD_LINES = 4
_NAME_FORBIDDEN = re.compile(r"[,;:!?\"“”()\[\]{}<>]")


#: The longest handle signature_name_v1 takes.
_NAME_CHARS = 60


def plausible_name(name: str) -> bool:
    """signature_name_v1: a commenter's handle, not a clause that happens to end in a date."""
    words = name.split()
    if not words or len(words) > 6 or len(name) > _NAME_CHARS or _NAME_FORBIDDEN.search(name):
        return False
    return len(words) == 1 or _CLAUSE_WORDS.isdisjoint(map(str.lower, words))


#: The cheap test before the regex, written out where lines are read (a call a line costs more
#: than the test): a signature line ends with a clock time (6:36 PM, 6:36 p.m.), so once its
#: final dots are stripped its last character is in "Mm" and the one before it in _BEFORE_M.
_BEFORE_M = ("A", "a", "P", "p", ".", " ")


#: parse_month_date, remembered: a thread's signatures name a few days, many times each.
_day = functools.lru_cache(maxsize=1024)(parse_month_date)
#: plausible_name, remembered: a thread's commenters sign many times each. A name over
#: _NAME_CHARS is no name (asked first, so that the cache never holds a long text).
_plausible = functools.lru_cache(maxsize=1024)(plausible_name)


def _read_signature(text: str) -> tuple[str, datetime] | None:
    clock_end = text.rstrip(".")
    if len(clock_end) < 8 or clock_end[-1] not in "Mm" or clock_end[-2] not in "AaPp. ":
        return None  # cheap test before the regex: a signature ends with a clock time
    if " at " not in text or ":" not in text:
        return None
    m = SIGNATURE.match(text)
    if not m:
        return None
    # all the groups at once, in SIGNATURE's order (a lookup of each by name costs more)
    name, month, day_no, year, _, hours, minutes, half = m.groups()
    if len(name) > _NAME_CHARS or not _plausible(name):
        return None
    day = _day(month, day_no, year)
    # parse_clock of the clock, whose parts the signature's pattern has read already
    when = clock_at(day, hours, minutes, half) if day else None
    return (name.strip(), when) if when else None


#: A line that TRENDING matches opens, after its white space, with "trending on " (any case, as
#: TRENDING reads it): one search of the text (a line break, then those words) finds the only
#: lines worth matching, without a step per line.
_TRENDING_OPENS = re.compile(r"\n[^\S\n]*(?i:trending on )")
_TRENDING_OPENS_FIRST = re.compile(r"[^\S\n]*(?i:trending on )")  # the same, on the first line


def _has_trending(text: str) -> bool:
    """Whether some line of the text, stripped, matches TRENDING."""
    starts = (m.start() + 1 for m in _TRENDING_OPENS.finditer(text))
    for start in itertools.chain([0] if _TRENDING_OPENS_FIRST.match(text) else [], starts):
        end = text.find("\n", start)
        if TRENDING.match(text[start : len(text) if end < 0 else end].strip()):
            return True
    return False


_BYLINE_EV = Evidence("byline_posted_at_v1", 3)
_RELATED_EV = Evidence("related_posts_block_v1", 2)
_TRENDING_EV = Evidence("trending_widget_v1", 2)
_TRACKBACK_EV = Evidence("trackback_url_v1", 1)


class _Found:
    """What one reading of every line finds (detect's evidence, and the lines extract needs):
    each line's signature, if it is one, and the lines of the related-posts heading, the
    trackback line and the trending widget's heading, in order."""

    __slots__ = ("evidence", "related", "signatures", "trackback", "trending")

    def __init__(self, lines: Sequence[Line]) -> None:
        self.evidence: list[Evidence] = []  # in line order, as detect weighs them
        self.signatures: dict[int, tuple[str, datetime]] = {}
        self.related: list[int] = []
        self.trackback: list[int] = []
        self.trending: list[int] = []
        ev, signatures = self.evidence, self.signatures
        for i, s in enumerate(map(STRIPPED, lines)):
            if not s:
                continue
            clock = s.rstrip(".")  # the cheap test (see _BEFORE_M): most lines end otherwise
            if (
                clock[-1:] in ("M", "m")
                and clock[-2:-1] in _BEFORE_M
                and (sig := _read_signature(s))
            ):
                signatures[i] = sig
                continue
            first = s[0]
            if first in "Pp" and BYLINE.match(s):
                ev.append(_BYLINE_EV)
            elif first in "Rr" and RELATED_HEADING.match(s):
                ev.append(_RELATED_EV)
                self.related.append(i)
            elif first in "Tt":
                if TRENDING.match(s):  # a heading of neither pattern's shape matches the other
                    ev.append(_TRENDING_EV)
                    self.trending.append(i)
                elif TRACKBACK.match(s):
                    ev.append(_TRACKBACK_EV)
                    self.trackback.append(i)


class _Claim(list[Evidence]):
    """detect's evidence, with what it found for extract."""

    def __init__(self, evidence: list[Evidence], found: _Found) -> None:
        super().__init__(evidence)
        self.found = found


def detect(lines: Sequence[Line], text: str) -> list[Evidence]:
    # signed_blog_claim_v2: the family reads the title from the first line, so it claims a page
    # only with its own byline among the first lines or a "Trending on ... Video" heading with its
    # dated item (a later crawl of such a page); related posts and signatures alone are any
    # blog's (the general path reads those). Decided first, so that a page the family does not
    # claim is not read any further.
    head = itertools.islice(filter(None, map(STRIPPED, itertools.islice(lines, 40))), HEAD_LINES)
    if not any(BYLINE.match(s) for s in head if s[0] in "Pp") and not _has_trending(text):
        return []
    found = _Found(lines)
    ev = found.evidence
    if found.signatures:
        n = len(found.signatures)
        ev = [*ev, Evidence("signature_line_v1", 1 if n == 1 else 3)]
    return _Claim(ev, found)


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).casefold()


def extract(
    lines: Sequence[Line], evidence: list[str], claim: Sequence[Evidence] = ()
) -> Extraction:
    # what detect found, or (called on its own) the same found now
    found = claim.found if isinstance(claim, _Claim) else _Found(lines)
    m = Marker(lines)
    n = len(lines)

    # trending_widget_v1: a later crawl's widget: its heading and the dated item under it.
    for i in found.trending:
        if m.free(i):
            m.drop(i, "trending_widget_v1")
            j = m.next_free(i + 1)
            if j is not None and TRENDING_ITEM.match(lines[j].stripped):
                m.drop(j, "trending_widget_v1")

    t = take_title(m)
    ex = start_article(m, NAME, evidence, t)

    # byline_posted_at_v1: within the first lines after the title.
    body_start = t + 1
    for i in range(t + 1, min(n, t + 6)):
        b = BYLINE.match(lines[i].stripped) if m.free(i) else None
        if b:
            m.mark(i, "byline", "byline_posted_at_v1")
            ex.authors = [b.group("name").strip()]
            ex.published_date = parse_month_date(b.group("month"), b.group("day"), b.group("year"))
            if ex.published_date:
                ex.published_at = parse_clock(ex.published_date, b.group("clock"))
                ex.published_text = b.string[b.start("clock") : b.end("year")]
            body_start = i + 1
            break

    # related_posts_block_v1: from the heading to the trackback line (or the end of its links).
    body_stop = n
    thread_start = n
    for i in found.related:
        if i >= body_start and m.free(i):
            body_stop = i
            k = bisect.bisect_left(found.trackback, i)  # the first trackback line from i on
            end = found.trackback[k] if k < len(found.trackback) else None
            if end is None:  # no trackback line: the heading and the link lines right under it
                end = i
                for k in range(i + 1, n):
                    if lines[k].blank and end > i:
                        break
                    if not lines[k].blank:
                        end = k
            for k in range(i, end + 1):
                site = SITE_LINK.match(lines[k].stripped)
                if site and ex.site is None:
                    ex.site = site.group("site").strip()
                    m.rules["site_from_related_block_v1"] += 1
                m.drop(k, "related_posts_block_v1")
            thread_start = end + 1
            break

    codes = m.marks.codes
    signatures = {
        i: sig for i, sig in found.signatures.items() if i >= body_start and codes[i] == FREE
    }
    if body_stop == n and signatures:
        # thread_start_first_signature_v1: no related block; the thread opens with the
        # paragraph right above the first signature.
        first = min(signatures)
        k = first - 1
        while k > body_start and lines[k].blank:
            k -= 1
        while k > body_start and not lines[k - 1].blank:
            k -= 1
        body_stop = thread_start = max(k, body_start)
        m.rules["thread_start_first_signature_v1"] += 1

    ex.body, body_end, _ = body_from(m, body_start, body_stop)
    ex.char_end = max(ex.char_end, body_end)
    ex.comments = _thread(m, thread_start, signatures)
    return finish_article(m, ex)


def _thread(
    m: Marker, start: int, signatures: dict[int, tuple[str, datetime]]
) -> list[CommentDraft]:
    lines = m.lines
    codes = m.marks.codes
    comments: list[CommentDraft] = []
    seen: dict[tuple[str, datetime], int] = {}  # (name, time) -> index in comments
    buf: list[int] = []  # free non-blank line indices since the last boundary
    quotes: list[tuple[list[int], int, int | None]] = []  # (quoted lines, attribution, target)

    def close(sig: int, name: str, when: datetime) -> None:
        nonlocal buf, quotes
        own, qs = buf, quotes
        if not own and qs:  # quote_without_reply_v1: nothing after the quotation: it is the text
            own = [i for q in qs for i in (*q[0], q[1])]
            qs = []
            m.rules["quote_without_reply_v1"] += 1
        if not own:  # signature_without_text_v1: a signature with no words above it
            m.drop(sig, "signature_without_text_v1")
            buf, quotes = [], []
            return
        pos = len(comments) + 1
        # own is in line order (so is every quotation, and they come before it)
        first = min([*own, *(i for q in qs for i in (*q[0], q[1]))]) if qs else own[0]
        if qs:
            quotation = m.marks.code(f"quotation {pos}")
            for q_lines, attr, _ in qs:
                for i in q_lines:
                    codes[i] = quotation  # m.mark(i, f"quotation {pos}"), without the call
                m.mark(attr, f"quotation {pos}", "quote_attribution_v1")
        comment = m.marks.code(f"comment {pos}")
        for i in own:
            codes[i] = comment  # m.mark(i, f"comment {pos}"), without the call
        m.mark(sig, f"signature {pos}", "signature_line_v1")
        quoted = target = None  # most comments quote nothing
        if qs:
            quoted = "\n\n".join(_gap_text(lines, q[0]) for q in qs if q[0]) or None
            target = next((q[2] for q in qs if q[2] is not None), None)
        comments.append(
            CommentDraft(
                position=pos,
                author=name,
                posted_at=when,
                text=_gap_text(lines, own),
                quoted_text=quoted,
                reply_to_position=None if target is None else comments[target].position,
                char_start=lines[first].start,
                char_end=lines[sig].end,
                posted_text=lines[sig].stripped.rsplit(" on ", 1)[1],
            )
        )
        seen[(name, when)] = len(comments) - 1
        buf, quotes = [], []

    # A repeat names the same author and minute as an earlier candidate: a quotation's
    # attribution, or that author's second comment within the minute. The chronological chain
    # is computed over the others.
    firsts: set[tuple[str, datetime]] = set()
    repeats: set[int] = set()
    for i in sorted(signatures):
        if signatures[i] in firsts:
            repeats.add(i)
        firsts.add(signatures[i])
    chain = _chronological_chain({i: s for i, s in signatures.items() if i not in repeats})
    sig_order = sorted(signatures)
    last_time: datetime | None = None
    normed: dict[int, str] = {}  # comment index -> its normalised quoted text and text
    quoting = _QuoteMatch([])
    for i in range(start, len(lines)):
        if codes[i] != FREE:  # not m.free(i), without the call
            continue
        sig = signatures.get(i)
        if sig is None:
            buf.append(i)
            continue
        name, when = sig
        target = seen.get((name, when))
        if target is not None and i in repeats:
            c = comments[target]
            earlier = last_time is not None and when < last_time
            is_attribution = not buf or earlier
            if not is_attribution:
                if quoting.buf is not buf:
                    quoting = _QuoteMatch(buf)
                if target not in normed:
                    normed[target] = _norm((c.quoted_text or "") + " " + c.text)
                is_attribution = quoting.inside(target, normed[target], lines)
            closes = not is_attribution
        else:
            is_attribution = not buf
            closes = i in chain
        if is_attribution and _followed_by_text(m, i, sig_order, signatures):
            quotes.append((buf, i, target))
            buf = []
            continue
        if not closes:  # dated_sentence_v1: shaped like a signature, but out of time order
            m.rules["dated_sentence_v1"] += 1
            buf.append(i)
            continue
        close(i, name, when)
        last_time = when

    for i in buf:  # thread_tail_unsigned_v1: text after the last signature belongs to no one
        m.drop(i, "thread_tail_unsigned_v1")
    for q_lines, attr, _ in quotes:
        for i in (*q_lines, attr):
            m.drop(i, "thread_tail_unsigned_v1")
    return comments


class _QuoteMatch:
    """Whether the lines gathered since the last boundary (``buf``) are, normalised, a part of
    an earlier comment's text, answered as ``buf`` grows without reading it again: for each
    comment asked about, the leftmost place where the lines gathered so far occur in it. A longer
    block can only occur at or after that place, so each line is normalised once and compared
    once per comment, and a comment that does not hold the block is not searched again until the
    buffer starts afresh."""

    def __init__(self, buf: list[int]) -> None:
        self.buf = buf
        self.parts: list[str] = []  # each line of buf, normalised
        self.length = -1  # of " ".join(parts)
        self.found: dict[int, tuple[int, int, int] | None] = {}  # comment -> (at, parts, chars)

    def inside(self, target: int, text: str, lines: Sequence[Line]) -> bool:
        for k in self.buf[len(self.parts) :]:
            self.parts.append(_norm(lines[k].text))
            self.length += len(self.parts[-1]) + 1
        if target in self.found and self.found[target] is None:
            return False
        if self.length > len(text):
            self.found[target] = None
            return False
        state = self.found.get(target)
        if state is not None:
            at, n, chars = state
            if n == len(self.parts):
                return True
            tail = " " + " ".join(self.parts[n:]) if chars else " ".join(self.parts[n:])
            if text.startswith(tail, at + chars):
                self.found[target] = (at, len(self.parts), chars + len(tail))
                return True
        start = 0 if state is None else state[0] + 1
        at = text.find(" ".join(self.parts), start)
        self.found[target] = None if at < 0 else (at, len(self.parts), self.length)
        return at >= 0


def _chronological_chain(signatures: dict[int, tuple[str, datetime]]) -> set[int]:
    """signature_chronology_v1: a thread's signatures run forward in time. The closing
    signatures are the longest non-decreasing run of candidates by time (O(n log n)); a candidate
    off it is a quotation's attribution or a dated sentence."""
    order = sorted(signatures)
    tails: list[datetime] = []  # smallest tail time of a chain of each length
    tail_idx: list[int] = []
    prev: dict[int, int | None] = {}
    for i in order:
        t = signatures[i][1]
        k = bisect.bisect_right(tails, t)
        prev[i] = tail_idx[k - 1] if k else None
        if k == len(tails):
            tails.append(t)
            tail_idx.append(i)
        else:
            tails[k] = t
            tail_idx[k] = i
    chain: set[int] = set()
    cur = tail_idx[-1] if tail_idx else None
    while cur is not None:
        chain.add(cur)
        cur = prev[cur]
    return chain


def _followed_by_text(m: Marker, i: int, sig_order: list[int], signatures: dict[int, Any]) -> bool:
    """Some free text stands between line i and the next signature-shaped line."""
    k = bisect.bisect_right(sig_order, i)
    stop = sig_order[k] if k < len(sig_order) else len(m.lines)
    # a free line is never blank (a blank line is marked "blank" from the start): one search of
    # the marks in C, not a look at each line
    return m.next_free(i + 1, stop) is not None


def _gap_text(lines: Sequence[Line], idx: list[int]) -> str:
    """The text of the chosen lines (none blank), right-stripped: a line break between two that
    follow each other in the source, a blank line wherever the source had a gap between them."""
    out: list[str] = []
    last = -2
    for i in idx:
        if out:
            out.append("\n" if i == last + 1 else "\n\n")
        out.append(lines[i].text.rstrip())
        last = i
    return "".join(out)
