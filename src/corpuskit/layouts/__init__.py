"""Layout families. Each profile is a module of this package with ``NAME``, ``PRECEDENCE``,
``detect(lines, text) -> [Evidence]`` and ``extract(lines, evidence) -> Extraction``; the
package finds them itself (a module with ``PRECEDENCE`` is a profile), so a new profile is one
module here plus its name in the schema's ``layout`` enums. Detection weighs every family's
evidence and never looks at a file name; a page no profile claims takes the general path
(``plain``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from types import ModuleType

from . import plain
from .base import RULES_VERSION, Extraction, Line, NoArticle, split_lines


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
