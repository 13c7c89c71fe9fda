"""Issue 13, items 4 and 5: reading a thread is linear in the seed's size. No clock: the work is
counted (characters normalised), and the incremental quotation match is checked against its
plain definition."""

from __future__ import annotations

import random

import pytest
from benchmarks.adversarial import SHAPES

from corpuskit import ids
from corpuskit.layouts import extract, signed_blog, split_lines
from corpuskit.layouts.signed_blog import _norm, _QuoteMatch


def _normalised_chars(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    seen = [0]

    def counting(t: str) -> str:
        seen[0] += len(t)
        return _norm(t)

    monkeypatch.setattr(signed_blog, "_norm", counting)
    # The signed-blog profile itself, whether or not detection would pick it for this seed.
    signed_blog.extract(split_lines(text), [])
    assert seen[0] > 0  # the profile's thread reading did run
    return seen[0]


@pytest.mark.parametrize("shape", ["repeated_signature", "quotes_of_one_comment"])
def test_thread_normalises_each_character_a_bounded_number_of_times(
    shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's seed (one comment holding the signature N times, then N repeats of it)
    re-normalised the growing buffer and the whole comment at every repeat: N * size."""
    for size in (64 << 10, 256 << 10):
        text = SHAPES[shape](size)
        assert _normalised_chars(monkeypatch, text) <= 4 * len(text), (shape, size)


def test_repeated_signature_seed_reads_as_before() -> None:
    """Read by the signed-blog profile, the issue's seed is one comment, its repeats dated
    sentences. (Detection now gives it the general path: signatures alone are weak evidence.)"""
    text = SHAPES["repeated_signature"](16 << 10)
    assert extract(text).layout == "plain"
    ex = signed_blog.extract(split_lines(text), [])
    assert ex.layout == "signed_blog"
    assert len(ex.comments) == 1
    assert ex.comments[0].text.startswith("First comment: Bob on March 1, 2011")
    assert ex.rules["dated_sentence_v1"] > 100


def test_incremental_quote_match_is_substring_of_the_normalised_comment() -> None:
    rng = random.Random(7)
    words = ["Bob", "on", "March", "1,", "said", "“yes”", "no", "it's", "a"]
    for _ in range(300):
        comments = [" ".join(rng.choices(words, k=rng.randint(1, 40))) for _ in range(3)]
        texts = [" ".join(rng.choices(words, k=rng.randint(1, 4))) for _ in range(30)]
        lines = split_lines("\n".join(texts))
        buf: list[int] = []
        match = _QuoteMatch(buf)
        for i in range(len(lines)):
            buf.append(i)
            target = rng.randrange(3)
            block = _norm("\n".join(lines[k].text for k in buf))
            assert match.inside(target, _norm(comments[target]), lines) == (
                block in _norm(comments[target])
            )


def test_word_count_and_normalize_of_a_long_text_without_the_word_list() -> None:
    text = ("a “Quoted” word\u00a0and\tmore  " * 50_000) + "end"
    assert ids.word_count(text) == len(text.split())
    assert (
        ids.normalize(text) == " ".join(text.replace("“", '"').replace("”", '"').split()).casefold()
    )
