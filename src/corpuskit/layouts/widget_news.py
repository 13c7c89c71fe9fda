"""Family: news article with share widgets and a photo.

Shape: the title; widget lines (``• Share``, ``• Read Later``); a photo credit
(``NAME / AGENCY``, possibly several agencies) and its caption; then the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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

NAME = "widget_news"
#: A profile: found by the layouts package; lower precedence wins a tie of evidence.
PRECEDENCE = 40

#: share_widget_v1: a bullet and a short action label (Share, Read Later, Email, Print ...).
_BULLETS = ("•", "·", "▪", "◦", "‣")
SHARE_WIDGET = re.compile(r"^[•·▪◦‣]\s*[A-Z][A-Za-z]*(?: [A-Za-z]+){0,2}$")
_PART = r"[A-Z][\w.'’-]*(?:[ ,&]+[\w.'’-]+){0,11}"
#: photo_credit_v1: names, then one or more agencies after slashes.
PHOTO_CREDIT = re.compile(rf"^(?P<credit>{_PART}(?: / {_PART})+)$")
CAPTION_MAX_WORDS = 40


def _credit(text: str) -> bool:
    if " / " not in text or not PHOTO_CREDIT.match(text) or text.endswith((".", "?", "!")):
        return False
    return all(len(part.split()) <= 4 for part in text.split(" / ")[1:])


#: The labels of a share widget's actions (a menu's bullets are anything else).
_ACTIONS = re.compile(
    r"^[•·▪◦‣]\s*(?:Share|Read Later|Save|E-?mail|Print|Tweet|Like|Recommend|Comments?)$"
)
#: widget_news_claim_v2: the family claims a page only when its share widget stands among the
#: first lines, right under the title, and a photo credit follows: a menu of bullets is no widget.
HEAD_LINES = 6


def detect(lines: list[Line], text: str) -> list[Evidence]:
    ev: list[Evidence] = []
    # no line can be a widget (every bullet is outside ASCII, which a str knows of itself, at
    # no cost): nothing else is read
    if text.isascii() or not any(b in text for b in _BULLETS):
        return []
    head = [ln.stripped for ln in lines[:40]]
    top = [s for s in head if s][:HEAD_LINES]
    if not any(_ACTIONS.match(s) for s in top):
        return []
    widgets = sum(1 for s in head if s.startswith(_BULLETS) and SHARE_WIDGET.match(s))
    if not any(_credit(s) for s in head):
        return []
    ev.append(Evidence("share_widget_v1", 2 if widgets <= 1 else 3))
    ev.append(Evidence("photo_credit_v1", 2))
    return ev


def extract(lines: list[Line], evidence: list[str], claim: Sequence[Evidence] = ()) -> Extraction:
    m = Marker(lines)
    n = len(lines)
    t = take_title(m)
    m.drop_matching("share_widget_v1", SHARE_WIDGET, start=t + 1, prefix=_BULLETS)
    ex = start_article(m, NAME, evidence, t)
    body_start = t + 1
    # the credit stands among the first few paragraphs after the title
    head = [i for i in range(t + 1, min(n, t + 12)) if m.free(i)][:3]
    credit = next((i for i in head if _credit(lines[i].stripped)), None)
    if credit is not None:
        m.mark(credit, "photo_credit", "photo_credit_v1")
        ex.photo_credit = lines[credit].stripped
        body_start = credit + 1
        # photo_caption_v1: the short one-line paragraph right after the credit
        cap = m.next_free(credit + 1)
        if (
            cap is not None
            and len(lines[cap].stripped.split()) <= CAPTION_MAX_WORDS
            and (cap + 1 >= n or lines[cap + 1].blank)
        ):
            m.mark(cap, "photo_caption", "photo_caption_v1")
            ex.photo_caption = lines[cap].stripped
            body_start = cap + 1
    ex.body, body_end, _ = body_from(m, body_start, n)
    ex.char_end = max(ex.char_end, body_end)
    return finish_article(m, ex)
