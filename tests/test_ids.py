"""Article and comment IDs: what they depend on, and what they do not."""

from __future__ import annotations

import re
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit import ids
from corpuskit.processing import comment_ids

# Words and the white space between them, Unicode's included (str.split's separators).
WORDS = st.lists(
    st.text(st.characters(blacklist_categories=("Zs", "Cc", "Cs")), min_size=1), max_size=90
)
SPACES = st.sampled_from([" ", "  ", "\n", "\t", "\u3000", "\xa0", "\x1c", "\u2028", " \n "])


@settings(max_examples=300, deadline=None)
@given(WORDS, st.lists(SPACES, min_size=91, max_size=91), SPACES, SPACES)
def test_an_article_id_depends_on_the_body_s_opening_words_only(
    words: list[str], gaps: list[str], lead: str, tail: str
) -> None:
    words = [w for w in words if w.split() == [w]]  # one word each
    body = lead + "".join(w + g for w, g in zip(words, gaps, strict=False)) + tail
    opening = " ".join(body.split()[: ids.ID_BODY_WORDS])
    assert ids.article_id("A title", 2, body) == ids.article_id("A title", 2, opening)
    longer = " ".join([*words[: ids.ID_BODY_WORDS], "another", "ending"])
    same = ids.article_id("A title", 2, body) == ids.article_id("A title", 2, longer)
    assert same == (len(words) >= ids.ID_BODY_WORDS)


def test_an_article_id_moves_with_its_title_page_and_opening_but_not_case_or_quotes() -> None:
    body = "“Quoted” opening words of a body. " * 20
    aid = ids.article_id("Title", None, body)
    assert aid == ids.article_id("TITLE", None, body.replace("“", '"').replace("”", '"').upper())
    assert aid != ids.article_id("Title", 2, body)
    assert aid != ids.article_id("Other title", None, body)
    assert aid != ids.article_id("Title", None, "Different " + body)
    assert ids.article_id("Title", None, "") == ids.article_id("Title", None, " \n ")


def test_repeated_comments_get_distinct_ids_and_quoting_matters() -> None:
    t = datetime(2011, 3, 30, 18, 36)
    got = comment_ids(
        "art_0000000000000001",
        [
            (t, "Same  words", None),
            (t, "same words", ""),
            (t, "same words", "a quote"),
            (None, "x", None),
        ],
    )
    assert len(set(got)) == 4
    again = comment_ids("art_0000000000000001", [(t, "SAME words", None)])
    assert again == got[:1]  # normalised text, first occurrence
    assert comment_ids("art_0000000000000002", [(t, "Same words", None)]) != got[:1]


@settings(max_examples=300, deadline=None)
@given(WORDS, st.lists(SPACES, min_size=91, max_size=91), st.sampled_from(["“", "”", "’", ""]))
def test_normalize_counted_is_normalize_and_word_count_from_one_split(
    words: list[str], gaps: list[str], quote: str
) -> None:
    text = "".join(quote + w + g for w, g in zip(words, gaps, strict=False))
    assert ids.normalize_counted(text) == (ids.normalize(text), ids.word_count(text))


# Texts often already collapsed (single spaces), and the characters that keep one from being.
_NEAR = st.text(st.sampled_from(["a", "B", "ß", "İ", "’", "“", " ", " ", " ", "\n", "\xa0",
                                  "\u2028", "\x1c", "\t", "\x85", "\u3000"]))  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_NEAR)
def test_normalize_is_its_definition_for_collapsed_texts_and_nearly_collapsed_ones(
    text: str,
) -> None:
    straight = text.replace("’", "'").replace("“", '"')
    words = straight.split()
    assert ids.normalize(text) == " ".join(words).casefold()
    assert ids.normalize_counted(text) == (" ".join(words).casefold(), len(words))


# ASCII's white space (str.split()'s below 0x80), control characters that are none, a quote.
_ASCII_NEAR = st.text(st.sampled_from(["a", "B", "'", " ", " ", " ", "\t", "\n", "\x0b", "\x0c",
                                        "\r", "\x1c", "\x1f", "\x00", "\x1b", "\x7f"]))  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_ASCII_NEAR)
def test_an_ascii_text_is_collapsed_exactly_when_it_is_its_words_joined_by_spaces(
    text: str,
) -> None:
    """The ASCII test (deleting every byte but the white space) against the definition."""
    words = text.split()
    assert ids._collapsed(text) == (text == " ".join(words))
    assert ids.normalize_counted(text) == (" ".join(words).casefold(), len(words))


@settings(max_examples=300, deadline=None)
@given(st.lists(_ASCII_NEAR | _NEAR | st.text(), max_size=20), st.integers(1, 64))
def test_normalize_counted_all_is_normalize_counted_of_each_text(
    texts: list[str], together: int
) -> None:
    """The texts tested together (a few characters at a time, to cross groups), against
    normalize_counted one by one, which the existing properties hold to the definition."""
    before = ids._TOGETHER
    ids._TOGETHER = together
    try:
        got = ids.normalize_counted_all(texts)
    finally:
        ids._TOGETHER = before
    assert got == [ids.normalize_counted(t) for t in texts]
    assert ids.normalize_counted_all(texts) == got


def test_normalize_counted_all_of_long_and_many_texts() -> None:
    long = "words  and\tmore " * (ids._PIECE // 16) + "end"  # over _PIECE: one by one
    many = [
        f"Comment {i} with  some words" if i % 7 == 0 else f"Comment {i} ok" for i in range(9000)
    ]
    texts = [*many[:10], long, "", " ", "Caf\u00e9  x", *many]
    assert ids.normalize_counted_all(texts) == [ids.normalize_counted(t) for t in texts]


def test_normalize_counted_of_a_long_text() -> None:
    text = "“Quoted” words\u3000and\x1cmore " * (ids._PIECE // 10)  # in pieces
    assert ids.normalize_counted(text) == (ids.normalize(text), len(text.split()))


def _opening_by_match(body: str) -> str:
    """The opening's definition: its first ID_BODY_WORDS words, matched, then normalised."""
    m = re.match(rf"\s*+\S++(?:\s++\S++){{0,{ids.ID_BODY_WORDS - 1}}}", body)
    return ids.normalize(body[: m.end()]) if m else ""


# Words of every length (one longer than the characters split at once), and every white space.
_BODY_WORDS = st.lists(
    st.one_of(
        st.text(st.sampled_from("aB’“ßİ\u0301"), min_size=1, max_size=12),
        st.sampled_from(["x" * ids._OPENING_CHARS, "é" * 300]),
    ),
    max_size=140,
)


@settings(max_examples=300, deadline=None)
@given(_BODY_WORDS, st.lists(SPACES, min_size=141, max_size=141), st.sampled_from(["", "\n "]))
def test_the_opening_is_its_definition(words: list[str], gaps: list[str], lead: str) -> None:
    """Split from the body's first characters, or matched: the same opening words."""
    body = lead + "".join(w + g for w, g in zip(words, gaps, strict=False))
    assert ids._opening(body) == _opening_by_match(body)


def test_an_opening_word_cut_by_the_characters_split_at_once_is_matched_whole() -> None:
    for n in (ids.ID_BODY_WORDS - 1, ids.ID_BODY_WORDS):
        body = "a " * n + "b" * ids._OPENING_CHARS + " c"
        assert ids._opening(body) == _opening_by_match(body)


def _digest_comment_id(
    article: str, posted_at: datetime | None, text: str, quoted: str, occurrence: int
) -> str:
    """comment_id as it was defined: ids._digest over its parts (the reference)."""
    when = posted_at.isoformat() if posted_at else ""
    return "cmt_" + ids._digest("comment", article, when, text, quoted, str(occurrence))


COMMENT_TEXTS = st.sampled_from(["Same words", "same  words", "", "’Quote’ Ünï", "a\x1fb", "x"])
TIMES = st.sampled_from([None, datetime(2011, 3, 30, 18, 36), datetime(1, 1, 1, 0, 0, 0, 5)])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(TIMES, COMMENT_TEXTS | st.text(), st.none() | COMMENT_TEXTS, st.none() | TIMES),
        max_size=12,
    )
)
def test_comment_rows_ids_are_the_numbered_ids_of_their_identities(
    drafts: list[tuple[datetime | None, str, str | None, datetime | None]],
) -> None:
    """comment_rows (from normalize_counted's texts) makes the IDs that comment_ids makes
    (from normalize's), and comment_id is its _digest definition; replies point at an earlier
    comment's ID."""
    from corpuskit.layouts.base import CommentDraft, Extraction
    from corpuskit.processing import comment_rows

    aid = "art_0000000000000001"
    comments = [
        CommentDraft(i + 1, None, t, x, q, i if i and r else None, 0, 1)
        for i, (t, x, q, r) in enumerate(drafts)
    ]
    ex = Extraction("plain", [], "T", "body", 0, 1, comments=comments)
    words: list[int] = []
    rows = comment_rows(ex, aid, "doc", b"k" * 32, words)
    got = [r[0] for r in rows]
    assert got == comment_ids(aid, [(t, x, q) for t, x, q, _ in drafts])
    assert words == [len(x.split()) for _, x, _, _ in drafts]
    seen: dict[tuple[datetime | None, str, str], int] = {}
    for cid, (t, x, q, _) in zip(got, drafts, strict=True):
        ident = (t, ids.normalize(x), ids.normalize(q) if q else "")
        n = seen[ident] = seen.get(ident, -1) + 1
        assert cid == _digest_comment_id(aid, *ident, n)
    for row, c in zip(rows, comments, strict=True):
        reply = row[9]  # reply_to_comment_id
        assert reply == (None if c.reply_to_position is None else got[c.reply_to_position - 1])
