"""Cheaper searches of a page's lines that stand for dearer ones: blocks._pattern searches an
ASCII line lower-cased with case-sensitive copies of PATTERNS (the same rule as the case-blind
PATTERNS on the line as it is); blocks._MAY_SEPARATE and titles._MAY_SPLIT gate the separator
patterns (each is found in every line its pattern is found in)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.layouts import blocks, titles


def _reference(text: str, n_words: int) -> str | None:
    """The definition: the case-blind patterns on the line itself (and the same cheap hints)."""
    low = text.lower()
    for rule, pattern, max_words in blocks.PATTERNS:
        if n_words > max_words:
            continue
        if rule == "copyright_line_v1" and not any(h in low for h in blocks._COPYRIGHT_HINTS):
            continue
        if rule == "cookie_notice_v1" and "cookie" not in low:
            continue
        if pattern.search(text):
            return rule
    return None


#: Words of every pattern in any case, the glue between them, and characters a case-blind
#: search folds oddly (dotless ı, long ſ, İ, Kelvin K) or that are not ASCII (©, é, à).
_pieces = st.sampled_from(
    [
        *("Copyright", "COPYRIGHT", "(c)", "(C) ", "2024", "All Rights Reserved", "cookies"),
        *("This Website", "uses", "Cookie", "Related", "More from", "Most Read", "Share"),
        *("Tweet", "E-mail", "Print", "Facebook", "Pin it", "Home", "MENU", "Log in", "Next"),
        *("Read More", "Leave a Reply", "Your comment", "Skip to", "Tell a friend", "Weiterlesen"),
        *(" ", " | ", ": ", ", ", "!", ".", "\t", "x", "Q", "9", "ı", "ſ", "İ", "\u212a", "©"),
        *("é", "à ", "Lire aussi", "LIRE AUSSI", "réservés", "RÉSERVÉS", "tous droits "),
    ]
)


@settings(max_examples=700, deadline=None)
@given(st.lists(_pieces, max_size=12).map("".join))
def test_pattern_is_the_case_blind_patterns(text: str) -> None:
    n_words = len(text.split(None, blocks._MOST_WORDS))
    assert blocks._pattern(text, n_words) == _reference(text, n_words)
    assert blocks._pattern(text, 7) == _reference(text, 7)


def test_the_patterns_letters_are_lower_case() -> None:
    # what makes a case-sensitive search of the lower-cased ASCII line the same
    for _, pattern, _ in blocks.PATTERNS:
        letters = re.sub(r"\\.", "", pattern.pattern)  # \b, \W, \d, \s are no letters
        assert letters == letters.lower(), pattern.pattern
        assert pattern.flags & re.IGNORECASE


_WHITE = [*" \t\u00a0\u2003\x1c"]
_OTHER = ["a", "Z", "9", "é", "_", "-", ":"]


def _lines(*separators: str) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from([*_WHITE, *separators, *_OTHER]), max_size=12).map("".join)


_BLOCKS_LINES = _lines(*"|•·»›/>", ">>", " | ", " > ")
_TITLES_LINES = _lines(*"|:•·»›>/~–—", ">>", "::", " | ", " - ")


@settings(max_examples=600, deadline=None)
@given(_BLOCKS_LINES, _TITLES_LINES)
def test_every_separated_line_has_what_its_gate_asks(blocks_line: str, titles_line: str) -> None:
    _has_what_its_gate_asks(blocks_line, titles_line)


@pytest.mark.slow  # 4.5 s: make test runs 600 examples, CI these 3,000
@settings(max_examples=3000, deadline=None)
@given(_BLOCKS_LINES, _TITLES_LINES)
def test_every_separated_line_has_what_its_gate_asks_many_examples(
    blocks_line: str, titles_line: str
) -> None:
    _has_what_its_gate_asks(blocks_line, titles_line)


def _has_what_its_gate_asks(blocks_line: str, titles_line: str) -> None:
    for gate, pattern, text in (
        (blocks._MAY_SEPARATE, blocks._SEPARATORS, blocks_line),
        (titles._MAY_SPLIT, titles._SPLIT, titles_line),
    ):
        if pattern.search(text):
            assert gate.search(text), (pattern.pattern, text)
