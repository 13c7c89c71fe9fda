"""The title, chosen from candidate lines by evidence (title_evidence_v1).

A candidate is a free, headline-shaped line (a few words, no bullet, not a named kind of
boilerplate) among the lines just before the body's first line, or a heading at the body's
start. Each candidate scores for

- its shape: a headline has a handful of words and no sentence punctuation at its end;
- its position: close before the body, or just before a byline or date line;
- repetition: its text recurs in another line of the page, as a ``<title>``-like line
  (``Headline | Site``, ``Site - Headline``), the last step of a breadcrumb
  (``Home > World > Headline``, ``Home>World>Headline``), in quotes in another line (``12
  thoughts on “Headline”``: title_quoted_v1), or as the same line twice.

The best candidate wins; a page with none takes the body's first line (title_fallback_v1).
The weights are in ``thresholds.toml`` ``[title]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

from . import bylines
from .base import Line
from .blocks import LIST_MARKS
from .thresholds import section

_SPLIT = re.compile(r"\s+(?:[|:•·»›>/~–—-]{1,2})\s+|\s*(?:>>|»|›|::)\s*|\s{3,}")
#: What every match of _SPLIT holds: white space before a separator or more white space, or a
#: separator that needs none. Most lines have none of it, and this search is the cheaper one.
_MAY_SPLIT = re.compile(r"\s[\s|:•·»›>/~–—-]|>>|[»›]|::")
_NORM = re.compile(r"\W+")
_BULLET = re.compile(rf"^[{LIST_MARKS}]")
_ENDS_SENTENCE = re.compile(r"[.;,]$")
_WORDY = re.compile(r"[^\W\d_]{3,}")
#: A byline, a dateline or a label is no headline.
_NOT_HEADLINE = re.compile(
    r"^(?:by|von|par|por|posted|published|updated|written|last updated|veröffentlicht|"
    r"publié|publicado|aktualisiert|mis à jour|actualizado)\b",
    re.IGNORECASE,
)
#: Lines longer than this are never a title's repetition (a title-like line is short).
MAX_REPEATED_CHARS = 300


_PULL_QUOTE = re.compile(r"^[‘“\"'«].*[.!?…,]?[’”\"'»]$")
#: A breadcrumb glued together: 'Home>Articles>Headline'.
_CRUMB_GLUED = re.compile(r"\s*>\s*")
#: A headline quoted in another line: '12 thoughts on “Headline”', 'One Response to "Headline"'.
_QUOTED_CUE = re.compile(r"[“«]|\s\"\S")
_QUOTED = re.compile(r"[“\"«]\s*([^”\"»]{8,200}?)\s*[”\"»]")


def norm(text: str) -> str:
    return _NORM.sub(" ", text.casefold()).strip()


def repeated_texts(lines: Sequence[Line], longest: int) -> tuple[Counter[str], Counter[str]]:
    """How often each normalised line (of at most ``longest`` characters: none longer can
    repeat a candidate) occurs, and each separator-delimited part of a line (``Headline |
    Site`` has the parts ``headline`` and ``site``)."""
    wholes: Counter[str] = Counter()
    parts: Counter[str] = Counter()
    for ln in lines:
        s = ln.stripped
        if not s or len(s) > MAX_REPEATED_CHARS:
            continue
        if len(s) <= longest:
            wholes[norm(s)] += 1
        split = _MAY_SPLIT.search(s) is not None and _SPLIT.search(s) is not None
        if split or (">" in s and _CRUMB_GLUED.search(s)):
            whole = norm(s)
            own = {norm(p) for p in (_SPLIT if split else _CRUMB_GLUED).split(s)}
            own.discard(whole)
            own.discard("")
            parts.update(own)
        if _QUOTED_CUE.search(s):  # title_quoted_v1: 'One Response to “Headline”'
            whole = norm(s)
            parts.update(q for q in map(norm, _QUOTED.findall(s)) if q != whole)
    return wholes, parts


def ends_sentence(text: str) -> bool:
    return text[-1:] in ".!?…:;,"


def headline_shaped(text: str) -> bool:
    """A candidate at all: a few words with letters, no bullet, not a sentence's end."""
    cfg = section("title")
    n = len(text.split(None, cfg["max_words"]))  # at most one word past the most: no long copy
    return (
        0 < n <= cfg["max_words"]
        and len(text) <= cfg["max_chars"]
        and not _BULLET.match(text)
        and len(_WORDY.findall(text)) >= 2
        and not _NOT_HEADLINE.match(text)
        and not dateish(text)
        and bylines.read(text, "und") is None
    )


_DATE_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
    r"june|july|august|september|october|november|december|mon|tue|wed|thu|fri|sat|sun|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday|am|pm|gmt|est|et|pst|utc|cet|"
    r"updated|posted|published|last|modified|on|at|\d+(?:st|nd|rd|th)?)\b\.?",
    re.IGNORECASE,
)
_CLOCK_OR_YEAR = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[:.]\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_LABEL_START = re.compile(
    r"^(?:click|read|more|see|view|watch|listen|sign|log|subscribe|follow|share|print|email|"
    r"e-mail|send|post|leave|add|get|join|find|search|home|back|next|previous|contact|advert|"
    r"refer|tell|create|go|play|buy|accept|deny|download|register|write|submit|report|rate|"
    r"vote|comment|bookmark|larger|smaller|text size|font|all|"
    r"login|welcome|browse|tags?|courtesy|keywords?|never miss|discover|explore|shop|visit|"
    r"your)\b",
    re.IGNORECASE,
)


def dateish(text: str) -> bool:
    """A dateline: a year or clock, and hardly any word that is not part of a date."""
    if not _CLOCK_OR_YEAR.search(text):
        return False
    rest = _WORDY.findall(_DATE_WORDS.sub(" ", text))
    return len(rest) <= 2


#: A teaser in a list of other stories: numbered ('10. Headline'), or with its comment count or
#: section after it ('Headline (15)', 'Headline [National]', 'Headline (Sunday December 30)').
_TEASER_MARK = re.compile(r"^\d{1,2}\.\s|\s(?:\(\d{1,4}\)|\[[^\]]{2,24}\]|\([^()]*\d{4}\))$")

_BYLINE_START = re.compile(r"^(?:by|von|par|por|posted|published|updated)\b", re.IGNORECASE)


def shape_score(text: str, cfg: dict[str, Any]) -> float:
    """How much a line looks like a headline (title_shape_v1)."""
    words = text.split()
    n = len(words)
    score = 0.0
    if cfg["best_min_words"] <= n <= cfg["best_max_words"]:
        score += cfg["weight_words"]
    elif n <= 3:
        score -= cfg["penalty_few_words"]
    if _ENDS_SENTENCE.search(text):
        score -= cfg["penalty_sentence_end"]
    if text.endswith(":"):
        score -= cfg["penalty_colon"]
    if _PULL_QUOTE.match(text):  # a pull quote: a sentence in quotes, set off as a headline is
        score -= cfg["penalty_sentence_end"]
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘¿¡«"):
        score -= cfg["penalty_lowercase"]
    if _SPLIT.search(text) or _TEASER_MARK.search(text):
        score -= cfg["penalty_separator"]
    if _LABEL_START.match(text):
        score -= cfg["penalty_label"]
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    if long_words:
        capitals = sum(1 for w in long_words if w[0].isupper()) / len(long_words)
        score += cfg["weight_capitals"] * capitals
    return score


class Candidate(NamedTuple):
    i: int  # line index
    score: float  # the line's content score (blocks)
    content: bool  # the line is content by the classifier
    after_boilerplate: bool  # the line before it is a named kind of boilerplate


def choose(lines: Sequence[Line], candidates: Sequence[Candidate]) -> tuple[int, float] | None:
    """title_evidence_v1: the best candidate's line index and its score. ``candidates`` are
    the headline-shaped lines before the body's first paragraph, in page order."""
    cfg = section("title")
    if not candidates:
        return None
    wholes, parts = repeated_texts(lines, max(len(lines[c.i].stripped) for c in candidates) + 8)
    best: tuple[float, int] | None = None
    # rank: candidates counted back from the body's start, the nearest first
    for rank, c in enumerate(reversed(candidates)):
        text = lines[c.i].stripped
        score = shape_score(text, cfg) - cfg["position_decay"] * rank
        key = norm(text)
        if parts[key]:
            score += cfg["weight_repeated"]
        elif wholes[key] >= 2:
            score += cfg["weight_repeated_line"]
        if _before_dateline(lines, c.i):
            score += cfg["weight_before_dateline"]
        if c.after_boilerplate:
            score += cfg["weight_after_boilerplate"]

        if c.content:
            score -= cfg["penalty_content"]
        score -= cfg["penalty_content_score"] * c.score
        if best is None or score > best[0]:
            best = (score, c.i)
    assert best is not None
    return best[1], round(best[0], 2)


def _before_dateline(lines: Sequence[Line], i: int) -> bool:
    """One of the next two non-blank lines is a dateline or a byline."""
    seen = 0
    for k in range(i + 1, min(len(lines), i + 8)):
        s = lines[k].stripped
        if not s:
            continue
        if dateish(s) or _BYLINE_START.match(s) or bylines.read(s, "und") is not None:
            return True
        seen += 1
        if seen == 2:
            break
    return False
