"""Fallback: a title line and a body, with no family's marks; a reader-comment thread found
anywhere after the title (threads.find_thread) is kept out of the body."""

from __future__ import annotations

from .base import (
    Evidence,
    Extraction,
    Line,
    Marker,
    body_from,
    detect_language,
    finish_article,
    start_article,
    take_title,
)
from .threads import find_thread

NAME = "plain"


def detect(lines: list[Line], text: str) -> list[Evidence]:
    return []


def extract(lines: list[Line], evidence: list[str]) -> Extraction:
    m = Marker(lines)
    t = take_title(m)
    ex = start_article(m, NAME, evidence, t)
    language, _ = detect_language("\n".join(ln.stripped for ln in lines[t : t + 60]))
    thread = find_thread(m, language)
    ex.body, body_end, _ = body_from(m, t + 1, len(lines))
    ex.char_end = max(ex.char_end, body_end)
    if thread is not None:
        ex.comments = thread.comments
    return finish_article(m, ex)
