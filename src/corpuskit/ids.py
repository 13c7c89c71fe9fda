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


def normalize(text: str) -> str:
    """Quotes straightened, white space collapsed, case folded: for matching, never for output."""
    if not text.isascii():  # an ASCII text has no curly quote: skip the scans
        for curly, straight in _QUOTES:
            if curly in text:
                text = text.replace(curly, straight)
    return " ".join(p for p in (" ".join(x.split()).casefold() for x in _pieces(text)) if p)


def word_count(text: str) -> int:
    """len(text.split()), without the list of words."""
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


def _sha256(text: str) -> str:
    """sha256 of the text's UTF-8, encoded a piece at a time."""
    h = hashlib.sha256()
    for i in range(0, len(text), _PIECE):
        h.update(text[i : i + _PIECE].encode("utf-8"))
    return h.hexdigest()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def fingerprint(body: str, normalized: str | None = None) -> str:
    """dedup_normalized_body_v1: same article when the bodies normalise equal."""
    return _sha256(normalize(body) if normalized is None else normalized)


ARTICLE_PREFIX = "art_"


def article_key(aid: str) -> int:
    """An article ID's 64 bits, for packed indexes; :func:`article_from_key` turns it back."""
    return int(aid.removeprefix(ARTICLE_PREFIX), 16)


def article_from_key(key: int) -> str:
    return f"{ARTICLE_PREFIX}{key:016x}"


def article_id(title: str, page: int | None, body: str, normalized: str | None = None) -> str:
    norm = normalize(body) if normalized is None else normalized
    end = -1  # the opening words: norm up to its ID_BODY_WORDS-th space (all of it if shorter)
    for _ in range(ID_BODY_WORDS):
        end = norm.find(" ", end + 1)
        if end < 0:
            break
    opening = norm if end < 0 else norm[:end]
    return ARTICLE_PREFIX + _digest("article", normalize(title), str(page or ""), opening)


def comment_id(
    article: str, posted_at: datetime | None, text: str, quoted: str, occurrence: int
) -> str:
    """Text and quoted text come normalize()d. Never includes the commenter's name, so an ID
    cannot be used to confirm a guessed name."""
    when = posted_at.isoformat() if posted_at else ""
    return "cmt_" + _digest("comment", article, when, text, quoted, str(occurrence))
