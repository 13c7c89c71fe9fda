"""Layout families. Each profile is a module of this package with ``NAME``, ``PRECEDENCE``,
``detect(lines, text) -> [Evidence]`` and ``extract(lines, evidence, claim=()) -> Extraction``
(``claim`` is what its detect returned: a family may return its findings with its evidence, in
a list of its own, so that extract does not read the lines for them again); the package finds
them itself (a module with ``PRECEDENCE`` is a profile), so a new profile is one module here
plus its name in the schema's ``layout`` enums. Detection weighs every family's evidence and
never looks at a file name; a page no profile claims takes the general path (``plain``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from types import ModuleType

from . import plain
from .base import RULES_VERSION, Evidence, Extraction, Line, NoArticle, split_lines


def _profiles() -> tuple[ModuleType, ...]:
    """The modules of this package that are profiles, in order of precedence (then name)."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "PRECEDENCE"):
            found.append(module)
    return tuple(sorted(found, key=lambda m: (m.PRECEDENCE, m.NAME)))


#: In order of precedence when two families score the same.
FAMILIES: tuple[ModuleType, ...] = _profiles()
FALLBACK = plain
#: A family is chosen only with at least this much evidence; below it a seed is a plain article.
MIN_SCORE = 2
#: The registry of layout names (``Extraction.layout``); the schema's ``layout`` enums must list
#: exactly these, in this order (tests/test_model.py).
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
    family, evidence, _ = _claim(lines, text)
    return family, evidence


def _claim(lines: Sequence[Line], text: str) -> tuple[ModuleType, list[str], list[Evidence]]:
    """detect, and the chosen family's own evidence: a family's detect may return its findings
    with it (a list subclass of its own), which its extract then reads instead of the lines."""
    best, best_score, best_ev, claim = FALLBACK, 0, [], []
    for family in FAMILIES:
        evidence = family.detect(lines, text)
        if not evidence:  # most families return at once: no sum of nothing
            continue
        score = sum(e.weight for e in evidence)
        if score >= MIN_SCORE and score > best_score:
            best, best_score, claim = family, score, evidence
            best_ev = [f"{family.NAME}:{e.rule}" for e in evidence]
    return best, best_ev, claim


def extract(text: str) -> Extraction:
    """Detect the layout and read the document; raises NoArticle when it has no title or body."""
    lines = split_lines(text)
    family, evidence, claim = _claim(lines, text)
    ex: Extraction = (
        family.extract(lines, evidence)
        if family is FALLBACK
        else family.extract(lines, evidence, claim)
    )
    ex.rules["layout_detect_v2"] += 1
    return ex
