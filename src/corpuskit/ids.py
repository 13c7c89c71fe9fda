"""Stable identifiers and the text normalisation used to recognise the same article twice.

IDs are content-derived, so rebuilding the same seeds gives the same IDs, adding a seed leaves
every existing ID alone, and an extraction change moves an ID only when the record's identifying
content (title, page, opening words; a comment's time and words) really changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime

import numpy as np

_QUOTES = tuple(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
    }.items()
)

#: How many opening words of the body identify an article.
ID_BODY_WORDS = 64


#: A long text is normalised this many characters at a time (cut at white space), so that the
#: list of its words never exists whole: for a large text, that list took 12 times its size.
_PIECE = 1 << 18
_SPACE = re.compile(r"\s")  # the characters str.split() splits at (str.isspace), exactly
#: The white space and words up to the end of a text's ID_BODY_WORDS-th word (or its last), as
#: one match: four times faster than counting the words one match at a time.
_OPENING = re.compile(rf"\s*+\S++(?:\s++\S++){{0,{ID_BODY_WORDS - 1}}}")


def _straighten(text: str) -> str:
    if not text.isascii():  # an ASCII text has no curly quote: skip the scans
        for curly, straight in _QUOTES:
            if curly in text:
                text = text.replace(curly, straight)
    return text


#: Every byte but ASCII's white space other than the space (what str.split() splits at, below
#: 0x80): deleting them from an ASCII text leaves the white space that a space is not.
_NOT_BLANK = bytes(b for b in range(256) if b == 0x20 or b >= 0x80 or not chr(b).isspace())


def _collapsed(text: str) -> bool:
    """Whether the text is its words joined by single spaces already (``" ".join(text.split())``,
    without the list of words): no double, leading or trailing space, and no white space but
    the space. An ASCII text's is found by deleting every other byte (a C loop: half the time
    of ``isprintable``, which looks every character up in Unicode's tables); any other text is
    printable (every white space character but the space is unprintable): a one-line comment
    often is."""
    in_ascii = text.isascii()
    plain = not text.encode().translate(None, _NOT_BLANK) if in_ascii else text.isprintable()
    return plain and "  " not in text and not text.startswith(" ") and not text.endswith(" ")


def normalize(text: str) -> str:
    """Quotes straightened, white space collapsed, case folded: for matching, never for output."""
    text = _straighten(text)
    if len(text) <= _PIECE:  # one piece (nearly every text): no generator
        return (text if _collapsed(text) else " ".join(text.split())).casefold()
    return " ".join(p for p in (" ".join(x.split()).casefold() for x in _pieces(text)) if p)


def normalize_counted(text: str) -> tuple[str, int]:
    """normalize(text) and word_count(text), from one split (a comment's ID and its figures)."""
    if len(text) > _PIECE:
        return normalize(text), word_count(text)
    if _collapsed(text):  # its words are its spaces plus one
        return _straighten(text).casefold(), text.count(" ") + 1 if text else 0
    words = _straighten(text).split()  # straightening moves no white space
    return " ".join(words).casefold(), len(words)


#: Characters of texts tested together by :func:`normalize_counted_all`: in arrays that stay in
#: the cache (a chunk's ~500 KB of comments at once took twice the time of 128 KB at a time).
_TOGETHER = 1 << 17


def normalize_counted_all(texts: list[str]) -> list[tuple[str, int]]:
    """normalize_counted of each text (a chunk's comments). The short ASCII texts are tested
    for being collapsed together, some at a time: their spaces found, counted and paired by
    numpy, their other white space by one deletion over them all. Scanning each text for a
    double space and counting its spaces took two thirds of normalize_counted (~1 ns a
    character each); this takes half the time in all (0.9 us a comment of 500 characters)."""
    out: list[tuple[str, int]] = []
    group: list[str] = []
    size = 0
    for t in texts:
        if t.isascii() and len(t) <= _PIECE:
            group.append(t)
            size += len(t) + 1
            if size < _TOGETHER:
                continue
        if group:
            out += _collapsed_counted(group)
            group, size = [], 0
        if not t.isascii() or len(t) > _PIECE:
            out.append(normalize_counted(t))
    if group:
        out += _collapsed_counted(group)
    return out


def _collapsed_counted(texts: list[str]) -> list[tuple[str, int]]:
    """normalize_counted of ASCII texts of at most _PIECE characters each."""
    joined = "\0".join([*texts, ""]).encode()  # each text, then NUL (no white space)
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    starts = np.cumsum(lengths + 1) - (lengths + 1)
    chars = np.frombuffer(joined, np.uint8)
    spaces = chars == 0x20
    counts = np.add.reduceat(spaces.view(np.uint8), starts, dtype=np.int64).tolist()
    odd = spaces[1:] & spaces[:-1]  # the first of two spaces side by side
    if joined.translate(None, _NOT_BLANK):  # white space but the space: tab to CR, 0x1c-0x1f
        odd[(chars[:-1] >= 0x09) & (chars[:-1] <= 0x0D)] = True
        odd[(chars[:-1] >= 0x1C) & (chars[:-1] <= 0x1F)] = True
    uncollapsed = (
        set((np.searchsorted(starts, np.flatnonzero(odd), "right") - 1).tolist())
        if odd.any()
        else ()
    )
    return [
        normalize_counted(t)
        if k in uncollapsed or t.startswith(" ") or t.endswith(" ")
        else (t.casefold(), n + 1 if t else 0)  # no curly quote; its words are its spaces + 1
        for k, (t, n) in enumerate(zip(texts, counts, strict=True))
    ]


def fold(text: str) -> str:
    """Quotes straightened and case folded, white space as it was: for matching."""
    return _straighten(text).casefold()


def word_count(text: str) -> int:
    """len(text.split()), without the list of words."""
    if len(text) <= _PIECE:
        return len(text.split())
    return sum(len(piece.split()) for piece in _pieces(text))


def _pieces(text: str) -> Iterator[str]:
    """The text in consecutive pieces of about _PIECE characters, each cut at white space, so
    that no word is split between two."""
    if len(text) <= _PIECE:
        yield text
        return
    start = 0
    while start < len(text):
        space = _SPACE.search(text, start + _PIECE) if start + _PIECE < len(text) else None
        end = space.start() if space else len(text)
        yield text[start:end]
        start = end


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


ARTICLE_PREFIX = "art_"
COLLISION_RULE = "article_id_collision_v1"


def article_key(aid: str) -> int:
    """An article ID's 64 bits, for packed indexes; :func:`article_from_key` turns it back."""
    return int(aid.removeprefix(ARTICLE_PREFIX), 16)


def article_from_key(key: int) -> str:
    return f"{ARTICLE_PREFIX}{key:016x}"


def article_id(title: str, page: int | None, body: str) -> str:
    """From the title, the page and the body's opening words. Only the opening is normalised
    (normalising never joins or splits words, so it is the whole body's opening), and it is
    found without copying the rest of the body."""
    return ARTICLE_PREFIX + _digest("article", normalize(title), str(page or ""), _opening(body))


#: Characters of a body that nearly always hold its opening words and one more.
_OPENING_CHARS = 1024


def _opening(body: str) -> str:
    """The body's first ID_BODY_WORDS words, normalised. Split from the body's first
    _OPENING_CHARS characters: when a word follows them there, they are whole (a third of the
    time of matching them with _OPENING); else (fewer words, or long ones) matched."""
    words = body[:_OPENING_CHARS].split(None, ID_BODY_WORDS)
    if len(words) > ID_BODY_WORDS:
        return _straighten(" ".join(words[:ID_BODY_WORDS])).casefold()
    m = _OPENING.match(body)
    return normalize(body[: m.end()]) if m else ""


def distinct_article_id(aid: str, doc_id: str) -> str:
    """article_id_collision_v1: the ID of an article whose title, page and opening words (its
    article ID) are those of another, different article that comes first in seed order: the
    shared ID with the seed's doc_id, which no other seed has."""
    return ARTICLE_PREFIX + _digest("article", aid, doc_id)


def comment_id(
    article: str, posted_at: datetime | None, text: str, quoted: str, occurrence: int
) -> str:
    """Text and quoted text come normalize()d. Never includes the commenter's name, so an ID
    cannot be used to confirm a guessed name."""
    when = posted_at.isoformat() if posted_at else ""
    return "cmt_" + _digest("comment", article, when, text, quoted, str(occurrence))
