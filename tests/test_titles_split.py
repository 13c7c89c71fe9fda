"""titles._MAY_SPLIT is found in every line that titles._SPLIT is found in (it gates it)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.layouts import titles

_pieces = st.sampled_from(
    [*" \t\u00a0\u2003\x1c", *"|:•·»›>/~–—-", ">>", "::", " | ", " - ", "a", "Z", "9", "é", "_"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_pieces, max_size=12).map("".join))
def test_every_split_line_has_what_may_split(text: str) -> None:
    if titles._SPLIT.search(text):
        assert titles._MAY_SPLIT.search(text)


def test_lines_without_it_are_not_split() -> None:
    for text in ("Headline here", "well-known: 10:30", "a/b", "x >y", "»Quote", "a  b"):
        gated = titles._MAY_SPLIT.search(text) is not None and titles._SPLIT.search(text)
        assert bool(gated) == bool(titles._SPLIT.search(text)), text
