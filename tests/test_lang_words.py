"""The language detector's word split has a fast path for ASCII text: the same words."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.layouts import lang

#: The definition the fast path must agree with (lang._WORD, written out again here).
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

_chars = st.sampled_from(
    [*"aZq'’ 9_-.,;:!?\"()\n\t", "é", "\u212a", "İ", "ß"]
)  # \u212a: Kelvin, lower() is ASCII


@settings(max_examples=500, deadline=None)
@given(st.lists(_chars, max_size=40).map("".join))
def test_words_are_the_regex_words(text: str) -> None:
    assert lang.words(text) == WORD.findall(text.lower())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab'’ .Ab9")), max_size=30).map("".join))
def test_apostrophes_split_as_the_regex_splits_them(text: str) -> None:
    assert lang.words(text) == WORD.findall(text.lower())


def test_every_ascii_character_splits_as_the_regex_splits() -> None:
    # the fast path's table names every ASCII character: a letter, the apostrophe, or a gap
    for c in map(chr, range(128)):
        text = f"ab{c}cd {c}e{c}'f"
        assert lang.words(text) == WORD.findall(text.lower()), repr(c)
