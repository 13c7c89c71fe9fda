"""Layout families. Each module has ``NAME``, ``detect(lines, text) -> [Evidence]`` and
``extract(lines, evidence) -> Extraction``; detection weighs every family's evidence and never
looks at a file name.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from . import dated_repost, paged_news, plain, signed_blog, widget_news
from .base import RULES_VERSION, Extraction, Line, NoArticle, split_lines

#: In order of precedence when two families score the same.
FAMILIES: tuple[ModuleType, ...] = (signed_blog, dated_repost, paged_news, widget_news)
FALLBACK = plain
#: A family is chosen only with at least this much evidence; below it a seed is a plain article.
MIN_SCORE = 2
NAMES: tuple[str, ...] = tuple(f.NAME for f in (*FAMILIES, FALLBACK))

__all__ = [
    "FAMILIES",
    "NAMES",
    "RULES_VERSION",
    "Extraction",
    "Line",
    "NoArticle",
    "detect",
    "extract",
    "split_lines",
]


def detect(lines: Sequence[Line], text: str) -> tuple[ModuleType, list[str]]:
    """Pick the family with the most evidence (layout_detect_v2)."""
    best, best_score, best_ev = FALLBACK, 0, []
    for family in FAMILIES:
        evidence = family.detect(lines, text)
        score = sum(e.weight for e in evidence)
        if score >= MIN_SCORE and score > best_score:
            best, best_score = family, score
            best_ev = [f"{family.NAME}:{e.rule}" for e in evidence]
    return best, best_ev


def extract(text: str) -> Extraction:
    """Detect the layout and read the document; raises NoArticle when it has no title or body."""
    lines = split_lines(text)
    family, evidence = detect(lines, text)
    ex: Extraction = family.extract(lines, evidence)
    ex.rules["layout_detect_v2"] += 1
    return ex
