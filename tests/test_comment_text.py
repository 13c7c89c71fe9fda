"""Issue 12 (speed): the families join a comment's text in one loop instead of building Line
tuples for ``text_of``. The texts must stay exactly what ``text_of`` made of those lines:
``signed_blog`` puts a paragraph break wherever the chosen lines have a gap between them, and
``dated_repost`` reads an item's first line after its number and the stripped lines under it."""

from __future__ import annotations

import random

from corpuskit.layouts.base import Line, split_lines, text_of
from corpuskit.layouts.dated_repost import _item_text
from corpuskit.layouts.signed_blog import _gap_text

_PIECES = ["word", "two words", "", " ", "\t", "\u00a0", "\u2003x", "é", "end.  ", "  lead"]


def _random_lines(rng: random.Random) -> list[Line]:
    parts = ["".join(rng.choices(_PIECES, k=rng.randint(0, 4))) for _ in range(rng.randint(0, 25))]
    return list(split_lines("\n".join(parts)))


def test_a_signed_comment_breaks_a_paragraph_at_every_gap_between_its_lines() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        lines = _random_lines(rng)
        idx = [i for i, ln in enumerate(lines) if not ln.blank and rng.random() < 0.6]
        with_gaps: list[Line] = []  # the chosen lines, a blank line wherever one was skipped
        for k, i in enumerate(idx):
            with_gaps.append(lines[i])
            if k + 1 < len(idx) and idx[k + 1] != i + 1:
                with_gaps.append(Line(0, lines[i].end, lines[i].end, ""))
        assert _gap_text(lines, idx) == text_of(with_gaps)


def test_a_numbered_comment_is_the_text_of_its_lines_after_the_number() -> None:
    rng = random.Random(11)
    for _ in range(2000):
        rest = _random_lines(rng)
        head = rng.choice(["first words", "first words  ", "x\t", "é —"])
        stripped = [
            ln if ln.blank else Line(ln.no, ln.start, ln.end, ln.stripped, ln.stripped)
            for ln in rest
        ]
        assert _item_text(head, rest) == text_of([Line.make(1, 0, head), *stripped])
