"""The general path, for every page that no family claims.

language (``lang``) -> comment thread (``threads``) -> content or boilerplate per line
(``blocks``) -> title (``titles``) -> byline and date (``bylines``) -> body. Every line ends
marked with the rule that decided it, and content decisions with their score.
"""

from __future__ import annotations

from . import blocks, bylines, lang, titles
from .base import (
    Evidence,
    Extraction,
    Line,
    Marker,
    NoArticle,
    join_lines,
)
from .threads import find_thread
from .thresholds import section

NAME = "plain"

#: Rules that name a kind of boilerplate: such a line is never a title.
_NEVER_TITLE = frozenset(rule for rule, _, _ in blocks.PATTERNS) | {"link_list_item_v1"}


def detect(lines: list[Line], text: str) -> list[Evidence]:
    return []


def _title(m: Marker, bs: list[blocks.Block], anchor: int | None) -> tuple[int, float] | None:
    """Candidates: headline-shaped blocks among the last few before the main run's first
    paragraph that is content by its own score (headings and short lines before it included),
    and that paragraph itself when it does not end like a sentence (a long headline)."""
    if anchor is None:
        return None
    lo = max(0, anchor - section("title")["window"])
    cands = [
        titles.Candidate(
            b.i, b.score, b.cls == blocks.GOOD, k > 0 and bs[k - 1].rule in _NEVER_TITLE
        )
        for k, b in enumerate(bs[lo : anchor + 1], start=lo)
        if b.rule not in _NEVER_TITLE
        and titles.headline_shaped(m.lines[b.i].stripped)
        and (k < anchor or not titles.ends_sentence(m.lines[b.i].stripped))
    ]
    return titles.choose(m.lines, cands)


def extract(lines: list[Line], evidence: list[str]) -> Extraction:
    text_sample = "\n".join(ln.stripped for ln in lines[:400] if len(ln.stripped) > 40)
    text_sample = text_sample[: lang.SAMPLE_CHARS]  # all that detect reads; not a long line
    language, lang_rule = lang.detect(text_sample)
    try:
        return _read(lines, evidence, language, lang_rule, with_thread=True)
    except NoArticle as exc:
        if exc.detail != THREAD_LEFT_NOTHING:
            raise
    # thread_leaves_article_v1: a "thread" that holds every line of prose is the article
    ex = _read(lines, evidence, language, lang_rule, with_thread=False)
    ex.rules["thread_leaves_article_v1"] += 1
    return ex


THREAD_LEFT_NOTHING = "every line of prose is in the comment thread"


def _read(
    lines: list[Line], evidence: list[str], language: str, lang_rule: str | None, with_thread: bool
) -> Extraction:
    m = Marker(lines)
    if lang_rule:
        m.rules[lang_rule] += 1
    thread = find_thread(m, language) if with_thread else None
    bs, anchor = blocks.decide(m, language)
    body_lines = [b.i for b in bs if b.cls == blocks.GOOD]
    if not body_lines:
        body_lines = _fallback(bs)
        anchor = next((k for k, b in enumerate(bs) if b.cls == blocks.GOOD), None)
    picked = _title(m, bs, anchor)
    if picked is not None and body_lines == [picked[0]]:
        picked = None  # the page's one line of prose stays its body
    if not body_lines and thread is not None:
        raise NoArticle("no_body", THREAD_LEFT_NOTHING)
    title_text, title_pos = _mark_title(m, bs, picked, body_lines)
    ex = Extraction(layout=NAME, evidence=evidence, title=title_text, body="", char_start=0,
                    char_end=0)  # fmt: skip
    _byline(m, bs, title_pos, anchor, language, ex)
    _standfirst(m, bs, title_pos, anchor, ex)
    body = blocks.apply(m, bs)
    if not body:
        raise NoArticle("no_body", THREAD_LEFT_NOTHING if thread else "no line reads as prose")
    ex.body = join_lines(lines, body)
    span = [lines[body[0]], lines[body[-1]]]
    if title_pos is not None:
        span.append(lines[bs[title_pos].i])
    ex.char_start = min(ln.start for ln in span)
    ex.char_end = max(ln.end for ln in span)
    if thread is not None:
        ex.comments = thread.comments
    ex.language = language  # language_stopwords_v2, read from the whole page above
    return m.finish(ex)


def _mark_title(
    m: Marker, bs: list[blocks.Block], picked: tuple[int, float] | None, body_lines: list[int]
) -> tuple[str, int | None]:
    """The title's text and its block's position (None when the title is read from the body)."""
    if picked is None and not body_lines:
        raise NoArticle("no_body", "no line of the page reads as prose")
    line = picked[0] if picked is not None else body_lines[0]
    pos = next(k for k, b in enumerate(bs) if b.i == line)
    if picked is not None:
        m.mark(line, "title", "title_evidence_v1", picked[1])
        return m.lines[line].stripped, pos
    if len(body_lines) > 1:
        m.mark(line, "title", "title_fallback_v1")
        return m.lines[line].stripped, pos
    # title_from_body_v1: a page of one paragraph; its first words name it, the line stays body
    m.rules["title_from_body_v1"] += 1
    words = m.lines[body_lines[0]].stripped.split()
    return " ".join(words[:TITLE_FROM_BODY_WORDS]), None


#: A title read from a one-paragraph page's text has at most this many words.
TITLE_FROM_BODY_WORDS = 12
#: Bylines and datelines are looked for this many blocks around the title.
BYLINE_BEFORE, BYLINE_AFTER = 3, 8


def _byline(
    m: Marker,
    bs: list[blocks.Block],
    title_pos: int | None,
    anchor: int | None,
    language: str,
    ex: Extraction,
) -> None:
    """Authors and the publication date from the bylines and datelines around the title (up to
    the body's first paragraph and a little into it); such lines are marked, not body."""
    centre = title_pos if title_pos is not None else anchor
    if centre is None:
        return
    stop = max(centre + BYLINE_AFTER, (anchor or 0) + 2)
    for k in range(max(0, centre - BYLINE_BEFORE), min(len(bs), stop + 1)):
        b = bs[k]
        if not m.free(b.i):
            continue
        found = bylines.read(m.lines[b.i].stripped, language)
        if (
            found is None
            or (found.authors and ex.authors)
            or (not found.authors and ex.published_text)
        ):
            continue
        if found.authors and not ex.authors:
            ex.authors = found.authors
        if found.published_date and ex.published_date is None:
            ex.published_date = found.published_date
            ex.published_at = found.published_at
            ex.published_text = found.published_text
        m.mark(b.i, "byline" if found.authors else "date", found.rules[0], b.score)
        for rule in found.rules[1:]:
            m.rules[rule] += 1


def _standfirst(
    m: Marker, bs: list[blocks.Block], title_pos: int | None, anchor: int | None, ex: Extraction
) -> None:
    """standfirst_v1: the sentence right under the title, before the body, that the classifier
    left out of the body, is the subtitle."""
    if title_pos is None or anchor is None:
        return
    for b in bs[title_pos + 1 : anchor]:
        if not m.free(b.i):
            continue
        text = m.lines[b.i].stripped
        n = len(text.split())
        if (
            b.cls != blocks.GOOD
            and b.rule not in _NEVER_TITLE
            and STANDFIRST_WORDS[0] <= n <= STANDFIRST_WORDS[1]
            and text[-1:] in '.!?…"”'
        ):
            m.mark(b.i, "subtitle", "standfirst_v1", b.score)
            ex.subtitle = text
        return


#: A standfirst is a sentence of this many words.
STANDFIRST_WORDS = (8, 60)


def _fallback(bs: list[blocks.Block]) -> list[int]:
    """body_fallback_v1: no run was dense enough (a short page, or one of short lines): every
    line that reads as prose by its own score is the body."""
    floor = section("content")["fallback_score"]
    out = []
    for b in bs:
        if b.score >= floor:
            b.cls, b.rule = blocks.GOOD, "body_fallback_v1"
            out.append(b.i)
    return out
