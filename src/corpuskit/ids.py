"""Stable identifiers and the text normalisation used to recognise the same article twice.

IDs are content-derived, so rebuilding the same seeds gives the same IDs, adding a seed leaves
every existing ID alone, and an extraction change moves an ID only when the record's identifying
content (title, page, opening words; a comment's time and words) really changed.
"""

from __future__ import annotations

import hashlib
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


def normalize(text: str) -> str:
    """Quotes straightened, white space collapsed, case folded: for matching, never for output."""
    if not text.isascii():  # an ASCII text has no curly quote: skip the scans
        for curly, straight in _QUOTES:
            if curly in text:
                text = text.replace(curly, straight)
    return " ".join(text.split()).casefold()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def fingerprint(body: str, normalized: str | None = None) -> str:
    """dedup_normalized_body_v1: same article when the bodies normalise equal."""
    norm = normalize(body) if normalized is None else normalized
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


ARTICLE_PREFIX = "art_"


def article_key(aid: str) -> int:
    """An article ID's 64 bits, for packed indexes; :func:`article_from_key` turns it back."""
    return int(aid.removeprefix(ARTICLE_PREFIX), 16)


def article_from_key(key: int) -> str:
    return f"{ARTICLE_PREFIX}{key:016x}"


def article_id(title: str, page: int | None, body: str, normalized: str | None = None) -> str:
    norm = normalize(body) if normalized is None else normalized
    opening = " ".join(norm.split(" ", ID_BODY_WORDS)[:ID_BODY_WORDS])
    return ARTICLE_PREFIX + _digest("article", normalize(title), str(page or ""), opening)


def comment_id(
    article: str, posted_at: datetime | None, text: str, quoted: str, occurrence: int
) -> str:
    """Text and quoted text come normalize()d. Never includes the commenter's name, so an ID
    cannot be used to confirm a guessed name."""
    when = posted_at.isoformat() if posted_at else ""
    return "cmt_" + _digest("comment", article, when, text, quoted, str(occurrence))
