"""The general path, for every page that no family claims.

language (``lang``) -> comment thread (``threads``) -> content or boilerplate per line
(``blocks``) -> title (``titles``) -> byline and date (``bylines``) -> body. Every line ends
marked with the rule that decided it, and content decisions with their score.
"""

from __future__ import annotations

from . import blocks, lang, titles
from .base import (
    Evidence,
    Extraction,
    Line,
    Marker,
    NoArticle,
    finish_article,
    join_paragraphs,
    paragraphs,
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
    paragraph that is content by its own score (headings and short lines before it included)."""
    if anchor is None:
        return None
    lo = max(0, anchor - section("title")["window"])
    cands = [
        titles.Candidate(
            b.i, b.score, b.cls == blocks.GOOD, k > 0 and bs[k - 1].rule in _NEVER_TITLE
        )
        for k, b in enumerate(bs[lo:anchor], start=lo)
        if b.rule not in _NEVER_TITLE and titles.headline_shaped(m.lines[b.i].stripped)
    ]
    return titles.choose(m.lines, cands)


def extract(lines: list[Line], evidence: list[str]) -> Extraction:
    m = Marker(lines)
    text_sample = "\n".join(ln.stripped for ln in lines[:400] if len(ln.stripped) > 40)
    language, lang_rule = lang.detect(text_sample)
    if lang_rule:
        m.rules[lang_rule] += 1
    thread = find_thread(m, language)
    bs, anchor = blocks.decide(m, language)
    body_lines = [b.i for b in bs if b.cls == blocks.GOOD]
    if not body_lines:
        body_lines = _fallback(bs)
    picked = _title(m, bs, anchor)
    if picked is None:
        if not body_lines:
            raise NoArticle("no_prose", "no line of the page reads as prose")
        t, score = body_lines[0], None
        m.mark(t, "title", "title_fallback_v1")
    else:
        t, score = picked
        m.mark(t, "title", "title_evidence_v1", score)
    body = blocks.apply(m, bs)
    keep = set(body)
    paras = paragraphs((ln for k, ln in enumerate(lines) if k in keep or ln.blank), lambda _: True)
    ex = Extraction(
        layout=NAME,
        evidence=evidence,
        title=lines[t].stripped,
        body=join_paragraphs(paras),
        char_start=min(lines[t].start, lines[body[0]].start if body else lines[t].start),
        char_end=max(lines[t].end, lines[body[-1]].end if body else lines[t].end),
    )
    if thread is not None:
        ex.comments = thread.comments
    ex = finish_article(m, ex)
    ex.language = language
    return ex


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
