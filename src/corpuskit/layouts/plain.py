"""Fallback: a title line and a body, with no family's marks."""

from __future__ import annotations

from .base import (
    Evidence,
    Extraction,
    Line,
    Marker,
    body_from,
    finish_article,
    start_article,
    take_title,
)

NAME = "plain"


def detect(lines: list[Line], text: str) -> list[Evidence]:
    return []


def extract(lines: list[Line], evidence: list[str]) -> Extraction:
    m = Marker(lines)
    t = take_title(m)
    ex = start_article(m, NAME, evidence, t)
    ex.body, body_end, _ = body_from(m, t + 1, len(lines))
    ex.char_end = max(ex.char_end, body_end)
    return finish_article(m, ex)
