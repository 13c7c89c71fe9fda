"""The language detector's word split has a fast path for ASCII letters (among any separators)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.layouts import lang
from corpuskit.layouts.thresholds import section

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


# The counts that detect and word_counts make of lang.words, by their definitions over the regex.
def _reference_word_counts(text: str, stop: frozenset[str]) -> tuple[int, int]:
    ws = WORD.findall(text.lower())
    return len(ws), sum(w in stop for w in ws)


def _reference_detect(text: str) -> tuple[str, str | None]:
    cfg = section("language")
    ws = WORD.findall(text[: lang.SAMPLE_CHARS].lower())
    if len(ws) < cfg["min_words"]:
        return "und", None
    hits = {lg: sum(w in lang.STOPWORDS[lg] for w in ws) for lg in lang.LANGUAGES}
    (best, lg), (second, _) = sorted(((n, lg) for lg, n in hits.items()), reverse=True)[:2]
    if best / len(ws) >= cfg["min_share"] and best >= second * cfg["min_margin"]:
        return lg, "language_stopwords_v2"
    return "und", None


#: ASCII letters with the characters that are not ASCII and that the fast path makes spaces
#: (bullets, dashes, curly double quotes, no-break spaces, a lone surrogate, a circled capital),
#: and both apostrophes (’ sends a text to the regex).
_ascii_letters = st.sampled_from(
    [
        *"aZq'’ 9_-.,\n",
        *("the ", "of ", "de ", "Der ", "THE ", "und ", "e ", "il "),
        *("don’t", "l’", "’s", "it's", "'n'"),
        *"•–—“”«»·\u00a0\u2009\ud800Ⓐ",
    ]
)
#: ... and letters that are not ASCII: function words of other scripts, letters that lower()
#: changes oddly, non-decimal numbers (word characters to the regex), a combining accent.
_mixed = st.one_of(
    _ascii_letters,
    st.sampled_from(
        ["für ", "été ", "и ", "на ", *"é½²Ⅻİ\u212aßΣ\u0301"]  # \u212a: Kelvin, lower() is k
    ),
)
_texts = st.one_of(
    st.lists(_ascii_letters, max_size=60).map("".join),
    st.lists(_mixed, max_size=60).map("".join),
)


@settings(max_examples=1000, deadline=None)
@given(_texts)
def test_words_and_counts_are_the_regex_words(text: str) -> None:
    assert lang.words(text) == WORD.findall(text.lower())
    for stop in (*lang.STOPWORDS.values(), lang.ANY, frozenset({"the", "für"})):
        assert lang.word_counts(text, stop) == _reference_word_counts(text, stop)
    assert lang.detect(text) == _reference_detect(text)


@settings(max_examples=200, deadline=None)
@given(_texts.filter(bool), st.integers(1, 3000))
def test_long_texts_count_as_the_regex_counts(text: str, times: int) -> None:
    # past the sample detect reads and past word_counts' pieces
    long = (text + " ") * times
    assert lang.words(long) == WORD.findall(long.lower())
    assert lang.word_counts(long, lang.ANY) == _reference_word_counts(long, lang.ANY)
    assert lang.detect(long) == _reference_detect(long)


# detect's counting before it counted one-byte codes of the words' language groups: kept as
# the reference the codes must agree with (the hits per language, so the decision and rule).
def _counter_detect(text: str) -> tuple[str, str | None]:
    cfg = section("language")
    ws = lang.words(text[: lang.SAMPLE_CHARS])
    if len(ws) < cfg["min_words"]:
        return "und", None
    hits = dict.fromkeys(lang.LANGUAGES, 0)
    for w, k in Counter(filter(lang.ANY.__contains__, ws)).items():
        for language in lang.LANGUAGES:
            if w in lang.STOPWORDS[language]:
                hits[language] += k
    counts = sorted(((n, language) for language, n in hits.items()), reverse=True)
    (best, lg), (second, _) = counts[0], counts[1]
    if best / len(ws) >= cfg["min_share"] and best >= second * cfg["min_margin"]:
        return lg, "language_stopwords_v2"
    return "und", None


#: Words of every language's list (the words two or more lists share among them), capitalised
#: ones, words of no list, and separators: texts in one language, mixtures, near-ties.
_function_words = sorted(lang.ANY)
_words_of = st.one_of(
    st.sampled_from(_function_words),
    st.sampled_from(_function_words).map(str.upper),
    st.sampled_from(["house", "Koussa", "дом", "maison", "casa", "x", "zz", "lorem", "'", "’"]),
)
_sep = st.sampled_from([" ", "  ", "\n", ", ", ". ", " • ", "-"])


@st.composite
def _language_texts(draw: st.DrawFn) -> str:
    language = draw(st.sampled_from(lang.LANGUAGES))
    own = st.sampled_from(sorted(lang.STOPWORDS[language]))
    # mostly one language's words (a clear winner), or any mixture (near-ties and und)
    word = draw(st.sampled_from([own, _words_of]))
    n = draw(st.integers(0, 3 * section("language")["min_words"]))
    parts = [draw(st.one_of(word, _words_of)) + draw(_sep) for _ in range(n)]
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(_language_texts())
def test_detect_counts_as_the_counter_over_function_words(text: str) -> None:
    _counts_as_the_counter(text)


@pytest.mark.slow  # 7 s: make test runs 300 examples, CI these 1,500
@settings(max_examples=1500, deadline=None)
@given(_language_texts())
def test_detect_counts_as_the_counter_over_function_words_many_examples(text: str) -> None:
    _counts_as_the_counter(text)


def _counts_as_the_counter(text: str) -> None:
    ws = lang.words(text)
    codes = bytes(filter(None, map(lang._CODE.get, ws)))
    for lg in lang.LANGUAGES:  # each language's hits, one byte per function word of it
        hits = len(codes.translate(None, lang._OTHER_CODES[lg]))
        assert hits == sum(w in lang.STOPWORDS[lg] for w in ws)
    assert lang.detect(text) == _counter_detect(text) == _reference_detect(text)


def test_detect_ties_and_short_texts() -> None:
    min_words = section("language")["min_words"]
    shared = sorted(
        w for w in lang.ANY if len({lg for lg in lang.LANGUAGES if w in lang.STOPWORDS[lg]}) > 1
    )
    for text in (
        "de que " * min_words,  # fr, es, pt (and de: nl, it) tie: no clear winner
        "the und " * min_words,  # en and de tie
        "the " * (min_words - 1),  # one word short of enough
        "the " * min_words,
        " ".join(shared),
        "",
    ):
        assert lang.detect(text) == _counter_detect(text) == _reference_detect(text), text
    assert lang.detect("the und " * min_words) == ("und", None)
    assert lang.detect("the " * (min_words - 1)) == ("und", None)
    assert lang.detect("the " * min_words) == ("en", "language_stopwords_v2")


def test_every_function_word_has_the_code_of_its_languages() -> None:
    for w in lang.ANY:
        group = lang._GROUPS[lang._CODE[w] - 1]
        assert group == tuple(lg for lg in lang.LANGUAGES if w in lang.STOPWORDS[lg]), w
        for lg in lang.LANGUAGES:
            assert (bytes([lang._CODE[w]]) in lang._OTHER_CODES[lg]) == (lg not in group)
