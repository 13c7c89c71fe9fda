"""dates._rel_hint searches an ASCII stretch lower-cased and case-sensitively: the same answer
as the case-blind _REL_HINT search it stands for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.layouts import dates


def _reference(text: str, pos: int, stop: int) -> bool:
    return dates._REL_HINT.search(text, pos, stop) is not None


#: Hint words in any case, pieces of them, the white space \s knows (\x1c-\x1f too), and the
#: characters a case-blind search folds oddly (dotless ı, long ſ, İ, Kelvin K, á, Á).
_pieces = st.sampled_from(
    [
        *("ago", "AGO", "aGo", "vor ", "VOR\t", "il y a", "IL Y A", "fa", "FA", "há", "HÁ"),
        *("yester", "YesTer", "today", "heute", "hier", "HIER", "ieri", "gisteren", "ago."),
        *("ag", "o", "y", "h", "e", "r", "s", "t", "i", " ", "\t", "\n", "\x1c", "\x1f", "\xa0"),
        *("ı", "ſ", "İ", "\u212a", "á", "Á", "3", "."),
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_pieces, max_size=25).map("".join), st.data())
def test_rel_hint_is_the_case_blind_search(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(text)))
    stop = data.draw(st.integers(pos, len(text)))
    assert dates._rel_hint(text, pos, stop) == _reference(text, pos, stop)


def test_a_long_stretch_is_searched_in_place() -> None:
    filler = "x" * dates._LOWER_COPY_CHARS
    for text in (filler + " TODAY", filler + " toda", filler + " Yeſter"):
        assert dates._rel_hint(text, 0, len(text)) == _reference(text, 0, len(text))
        assert dates._rel_hint(text, 5, len(text) - 1) == _reference(text, 5, len(text) - 1)


def test_the_hint_words_are_written_in_lower_case() -> None:
    # what makes the case-sensitive search of a lower-cased ASCII stretch the same
    assert dates._REL_HINT.pattern == dates._REL_HINT.pattern.lower()
    assert dates._REL_HINT_LOWER.pattern == dates._REL_HINT.pattern
