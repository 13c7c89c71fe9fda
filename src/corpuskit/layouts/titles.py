"""The title, chosen from candidate lines by evidence (title_evidence_v1).

A candidate is a free, headline-shaped line (a few words, no bullet, not a named kind of
boilerplate) among the lines just before the body's first line, or a heading at the body's
start. Each candidate scores for

- its shape: a headline has a handful of words and no sentence punctuation at its end;
- its position: close before the body, or just before a byline or date line;
- repetition: its text recurs in another line of the page, as a ``<title>``-like line
  (``Headline | Site``, ``Site - Headline``) or the last step of a breadcrumb
  (``Home > World > Headline``), or as the same line twice.

The best candidate wins; a page with none takes the body's first line (title_fallback_v1).
The weights are in ``thresholds.toml`` ``[title]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .base import Line
from .thresholds import section

_SPLIT = re.compile(r"\s+(?:[|:•·»›>/~–—-]{1,2})\s+|\s*(?:>>|»|›|::)\s*|\s{3,}")
_NORM = re.compile(r"\W+")
_BULLET = re.compile(r"^[•·▪◦‣□■●○◆◇►▸▶»›*+]")
_ENDS_SENTENCE = re.compile(r"[.;,]$")
_LETTER = re.compile(r"[^\W\d_]")
_WORDY = re.compile(r"[^\W\d_]{3,}")
#: A byline, a dateline or a label is no headline.
_NOT_HEADLINE = re.compile(
    r"^(?:by|von|par|por|posted|published|updated|written|last updated|veröffentlicht|"
    r"publié|publicado|aktualisiert|mis à jour|actualizado)\b",
    re.IGNORECASE,
)
#: Lines longer than this are never a title's repetition (a title-like line is short).
MAX_REPEATED_CHARS = 300


def norm(text: str) -> str:
    return _NORM.sub(" ", text.casefold()).strip()


def repeated_texts(lines: Sequence[Line]) -> tuple[Counter[str], Counter[str]]:
    """How often each normalised line occurs, and each separator-delimited part of a line
    (``Headline | Site`` has the parts ``headline`` and ``site``)."""
    wholes: Counter[str] = Counter()
    parts: Counter[str] = Counter()
    for ln in lines:
        s = ln.stripped
        if not s or len(s) > MAX_REPEATED_CHARS:
            continue
        whole = norm(s)
        wholes[whole] += 1
        if _SPLIT.search(s):
            own = {norm(p) for p in _SPLIT.split(s)}
            own.discard(whole)
            own.discard("")
            parts.update(own)
    return wholes, parts


def headline_shaped(text: str) -> bool:
    """A candidate at all: a few words with letters, no bullet, not a sentence's end."""
    cfg = section("title")
    n = len(text.split())
    return (
        0 < n <= cfg["max_words"]
        and len(text) <= cfg["max_chars"]
        and not _BULLET.match(text)
        and len(_WORDY.findall(text)) >= 2
        and not _NOT_HEADLINE.match(text)
    )


def shape_score(text: str) -> float:
    """How much a line looks like a headline, 0..1."""
    words = text.split()
    n = len(words)
    score = 1.0 if 4 <= n <= 16 else 0.7 if 2 <= n <= 22 else 0.3
    if _ENDS_SENTENCE.search(text):
        score -= 0.4
    if text.endswith(":"):
        score -= 0.5
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘¿¡«"):
        score -= 0.3
    return score


def choose(
    lines: Sequence[Line],
    candidates: Sequence[int],
    body_first: int,
    anchors: frozenset[int],
) -> tuple[int, float] | None:
    """The best candidate line index and its score. ``candidates`` are line indices in page
    order; ``anchors`` are lines (bylines, dates) a title stands right before or after."""
    cfg = section("title")
    if not candidates:
        return None
    wholes, parts = repeated_texts(lines)
    best: tuple[float, int] | None = None
    # distance in candidate steps from the body's start, counted back from the nearest one
    for rank, i in enumerate(reversed(candidates)):
        text = lines[i].stripped
        score = shape_score(text)
        before = i < body_first
        score += cfg["weight_position"] * max(0.0, 1.0 - rank * cfg["position_decay"])
        if not before:
            score -= cfg["penalty_in_body"]
        key = norm(text)
        if parts[key]:
            score += cfg["weight_repeated"]
        elif wholes[key] >= 2:
            score += cfg["weight_repeated"] / 2
        if (i + 1) in anchors or (i + 2) in anchors or (i - 1) in anchors:
            score += cfg["weight_anchor"]
        if best is None or score > best[0]:
            best = (score, i)
    assert best is not None
    return best[1], round(best[0], 2)
