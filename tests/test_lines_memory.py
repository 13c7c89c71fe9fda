"""Issue 13, item 5: a seed's lines are held as offsets into its text, not as objects per line.
``Lines`` must read exactly like the list of ``Line`` tuples it replaces, the per-line marks,
reasons and scores like lists, and ``join_lines`` like the paragraphs it stands for; and the
memory that extracting a seed of many short lines takes is bounded by a multiple of its size
(tracemalloc counts allocations, not time)."""

from __future__ import annotations

import pickle
import random
import tracemalloc

from benchmarks.adversarial import SHAPES

from corpuskit import dedup
from corpuskit.layouts import plain
from corpuskit.layouts.base import (
    EAGER_CHARS,
    Line,
    Lines,
    Marker,
    join_lines,
    join_paragraphs,
    paragraphs,
    split_lines,
)

_PIECES = ["word", "two words", "", " ", "\t", "\u00a0", "\u2003x", "é", "—", "end.", "  lead"]


def _random_text(rng: random.Random) -> str:
    lines = ["".join(rng.choices(_PIECES, k=rng.randint(0, 4))) for _ in range(rng.randint(0, 30))]
    return "\n".join(lines) + rng.choice(["", "\n", "\n\n"])


def _as_list(text: str) -> list[Line]:
    """The representation Lines replaced: one Line per line, made eagerly."""
    out, pos = [], 0
    for no, raw in enumerate(text.split("\n"), start=1):
        out.append(Line(no, pos, pos + len(raw), raw, raw.strip()))
        pos += len(raw) + 1
    return out


def test_lines_read_as_the_list_of_lines_they_replace() -> None:
    rng = random.Random(13)
    for _ in range(500):
        text = _random_text(rng)
        want, got = _as_list(text), Lines(text)
        assert split_lines(text) == want
        assert len(got) == len(want)
        assert list(got) == want
        assert [got[i] for i in range(len(got))] == want
        assert got[-1] == want[-1]
        assert got[1:4] == want[1:4]
        assert [ln.blank for ln in got] == [ln.blank for ln in want]
        for ln in got:
            assert text[ln.start : ln.end] == ln.text


def test_a_long_text_gets_its_lines_as_offsets_a_short_one_as_a_list() -> None:
    long = "a line of prose\n" * (EAGER_CHARS // 16 + 1)
    assert isinstance(split_lines(long), Lines)
    assert isinstance(split_lines(long[: EAGER_CHARS - 1]), list)
    assert list(split_lines(long)) == _as_list(long)


def test_join_lines_is_the_text_of_the_paragraphs_of_those_lines() -> None:
    rng = random.Random(5)
    for _ in range(500):
        text = _random_text(rng)
        lines = Lines(text)
        idx = [i for i, ln in enumerate(lines) if not ln.blank and rng.random() < 0.7]
        keep = set(idx)
        paras = paragraphs((ln for i, ln in enumerate(lines) if i in keep or ln.blank), bool)
        assert join_lines(lines, idx) == join_paragraphs(paras)
        assert join_lines(_as_list(text), idx) == join_paragraphs(paras)
        stripped = "\n\n".join("\n".join(ln.stripped for ln in p) for p in paras)
        assert join_lines(lines, idx, stripped=True) == stripped
        assert join_lines(_as_list(text), idx, stripped=True) == stripped


def test_marks_reasons_and_scores_read_as_lists_and_travel_to_workers() -> None:
    lines = Lines("Title\n\nbody one\nbody two\n\nshare this\n")
    m = Marker(lines)
    assert list(m.marks) == ["", "blank", "", "", "blank", "", "blank"]
    assert [m.free(i) for i in range(len(lines))] == [1, 0, 1, 1, 0, 1, 0]
    assert m.next_free(1) == 2
    assert m.next_free(4, 5) is None
    m.mark(0, "title", "title_first_line_v1")
    m.mark(2, "body", "content_good_v1", 0.75)
    m.drop(5, "share_row_v1", 0.1)
    m.drop(6, "share_row_v1")  # a blank line is never dropped
    assert list(m.marks) == ["title", "blank", "body", "", "blank", "boilerplate:share_row_v1",
                             "blank"]  # fmt: skip
    assert m.marks[0:3] == ["title", "blank", "body"]
    assert list(m.reasons) == [
        "title_first_line_v1", None, "content_good_v1", None, None, "share_row_v1", None,
    ]  # fmt: skip
    assert list(m.scores) == [None, None, 0.75, None, None, 0.1, None]
    assert m.scores[2] == 0.75 and m.scores[3] is None
    assert m.boilerplate == [(6, "share_row_v1", "share this")]
    assert m.rules == {"title_first_line_v1": 1, "content_good_v1": 1, "share_row_v1": 1}
    again = pickle.loads(pickle.dumps((m.marks, m.reasons, m.scores, lines)))
    assert [list(x) for x in again] == [list(m.marks), list(m.reasons), list(m.scores), list(lines)]


def _extraction_peak(text: str) -> int:
    """Extraction's peak, its lines held as offsets whatever the text's length (a short text's
    lines are otherwise a list, the faster to read)."""
    lines = Lines(text)
    tracemalloc.start()
    try:
        ex = plain.extract(lines, [])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ex.body  # the seed was read as an article
    return peak


def _bytes_per_byte(shape: str, small: int, large: int) -> float:
    """What extraction's peak grows by per byte of seed, between two sizes (fixed costs such
    as compiled patterns cancel out)."""
    a, b = SHAPES[shape](small), SHAPES[shape](large)
    return (_extraction_peak(b) - _extraction_peak(a)) / (len(b) - len(a))


def test_extracting_many_short_lines_takes_a_bounded_multiple_of_the_text() -> None:
    """Lines of 60 bytes: a Line tuple with its numbers and strings took ~300 bytes a line, 5x
    the line, and extraction grew by 10 bytes per byte of seed. Held as offsets, the lines cost
    9 bytes each; what is left is the text, the body and the content classifier's records."""
    assert _bytes_per_byte("short_lines", 64 << 10, 192 << 10) < 7


def test_signatures_do_not_depend_on_the_segments_the_text_is_shingled_in() -> None:
    """A batch's text is shingled a segment at a time, so that a long body's arrays per word
    stay bounded; each shingle is in exactly one segment, so the signatures are the same."""
    rng = random.Random(3)
    words = ["the", "a", "minister", "left", "Über", "café", "—", "“quoted”", "x", "said", "9"]
    seps = [" ", " ", " ", "\n", "\n\n", "\t", "  "]
    for _ in range(8):
        bodies = [
            "".join(
                rng.choice(words) + rng.choice(seps) for _ in range(rng.choice([0, 4, 90, 600]))
            )
            for _ in range(rng.randint(1, 40))
        ]
        whole = dedup._signatures(bodies, segment=1 << 40)
        assert any(s is not None for s in whole) and any(s is None for s in whole)
        for segment in (8, 100, 3000):
            assert dedup._signatures(bodies, segment=segment) == whole


def test_extracting_one_huge_line_holds_it_a_few_times() -> None:
    """One line of 2 MB: each count of its words listed every word as a string (~10 bytes
    per byte of text), and extraction grew by 15 bytes per byte. Words are now counted a piece
    at a time, and a count that stops at the most words a rule reads stops splitting there."""
    assert _bytes_per_byte("one_huge_line", 512 << 10, 2 << 20) < 4
