"""Content or boilerplate, line by line, from what the text itself shows.

A rendered page has one block per line (a paragraph, a heading, a list item ``  • item``, a
menu row). Each non-blank line gets shallow text features — its length, the density of its
language's function words, sentence punctuation, a bullet, separators, capitals — and a content
score in 0..1 made of them (``content_score_v1``; the weights are in ``thresholds.toml``). Then,
as in jusText's context-sensitive classification:

1. a line that a named pattern recognises (copyright, cookie notice, share row, related-list
   heading, navigation label, menu row) is boilerplate; a short bullet item is a link-list item;
2. a short line is ``short``; a long one is ``good``, ``near`` or ``bad`` by its score;
3. context smoothing: a short line takes the class of its good or bad neighbours, a near-good
   line is content unless both its neighbours are bad, and a short line just before content is
   a heading;
4. the main content is the densest run of lines (a maximum-sum segment: content gains its
   length, boilerplate loses it), plus any other run nearly as rich; content outside them is
   dropped as ``outside_main_run_v1``.

Every pass is linear in the number of lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import lang
from .base import Marker
from .thresholds import section

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"

#: The marks that open a list item or a menu entry (a dash only before a space, see _BULLET).
LIST_MARKS = "•·▪◦‣□■●○◆◇►▸▶»›*+"
_BULLET = re.compile(rf"^(?:[{LIST_MARKS}]|[-–—](?=\s))\s*")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_SEPARATORS = re.compile(r"\s+[|•·»›/]\s+|\s{3,}|\s*>>?\s+")
#: What every _SEPARATORS match holds (white space before a separator or more white space, or
#: white space after a ">"): searched first, far cheaper than _SEPARATORS, and found in few lines.
_MAY_SEPARATE = re.compile(r"\s[\s|•·»›/]|>\s")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_CLAUSE_MARKS = frozenset("，。、！？；：,.!?")
#: A line whose "words" average more characters than this is in a script without word spaces.
UNSPACED_WORD_CHARS = 12
#: In such a script, one clause mark per this many characters reads as prose.
UNSPACED_CLAUSE_CHARS = 20
_CAPWORD = re.compile(r"^[A-ZÀ-ÖØ-Þ]")

_I = re.IGNORECASE
#: Patterns that name a kind of boilerplate; each applies to lines of at most so many words.
PATTERNS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    (
        "copyright_line_v1",
        re.compile(
            r"©|\(c\)\s*(?:\d{4}|[a-z])|\bcopyright\b|all rights reserved|"
            r"alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
            r"tutti i diritti riservati|todos os direitos reservados",
            _I,
        ),
        60,
    ),
    (
        "cookie_notice_v1",
        re.compile(
            r"\bcookies?\b.*\b(?:site|website|browser|browsing|experience|consent|accept|"
            r"webseite|navigateur|navegador|sitio)\b|"
            r"\b(?:site|website|webseite|sitio|uses|utilise|utiliza|verwendet)\b.*\bcookies?\b",
            _I,
        ),
        120,
    ),
    (
        "related_heading_v1",
        re.compile(
            r"^(?:related\b|more (?:from|on|in|about|stories|news|articles|headlines)\b|"
            r"most (?:popular|read|viewed|emailed|e-mailed|commented|shared|recent)\b|"
            r"you (?:may|might) (?:also )?like|recommended\b|trending\b|popular\b|see also\b|"
            r"top (?:stories|news)\b|latest (?:news|stories|headlines|posts)\b|recent posts\b|"
            r"further reading\b|other stories\b|also (?:on|in)\b|in other news\b|"
            r"mehr zum thema|weitere (?:artikel|meldungen|nachrichten)|meistgelesen|"
            r"das könnte sie auch|(?:à )?lire aussi|sur le même sujet|les plus (?:lus|populaires)|"
            r"te puede interesar|noticias relacionadas|lo más (?:leído|visto)|"
            r"artículos relacionados|leggi anche|articoli correlati)",
            _I,
        ),
        8,
    ),
    (
        "share_row_v1",
        re.compile(
            r"^(?:(?:share|tweet|e-?mail|print|facebook|twitter|linkedin|pinterest|pin it|reddit|"
            r"whatsapp|digg|stumbleupon|del\.icio\.us|delicious|newsvine|aim|yahoo|myspace|"
            r"google\+?|\+1|like|recommend|save|send|bookmark|"
            r"teilen|drucken|partager|imprimer|envoyer|compartir|imprimir|enviar|condividi|"
            r"stampa|this|article|story|page|post|on|via|to|a|friend|it|us)\b[\s:|,/!.]*)+$",
            _I,
        ),
        12,
    ),
    (
        "comment_form_v1",
        re.compile(
            r"\b(?:your comment|post a comment|leave a (?:comment|reply)|add a comment|"
            r"comments are (?:moderated|closed)|will not be published|required fields|"
            r"notify me of (?:follow-?up|new) (?:comments|posts)|"
            r"ihr kommentar|kommentar schreiben|wird nicht veröffentlicht|"
            r"votre commentaire|laisser un commentaire|ne sera pas publiée|"
            r"tu comentario|deja un comentario|no será publicada)\b",
            _I,
        ),
        40,
    ),
    (
        "navigation_label_v1",
        re.compile(
            r"^(?:skip to\b.*|jump to\b.*|home(?:page)?|menu|main menu|navigation|search|"
            r"back to (?:top|the top)\b.*|top of page|log ?in|sign ?in|sign ?up|log ?out|"
            r"register|subscribe|"
            r"newsletter|advertisement|advertising|sponsored|anzeige|werbung|publicité|"
            r"publicidad|pubblicità|next|previous|prev|older posts?|newer posts?|more|"
            r"read more|continue reading|weiterlesen|lire la suite|leer más|"
            r"permalink|print|email|comments?|tags?|categories|archives?|"
            r"share this\b.*|follow us\b.*|contact us|about us|privacy policy|"
            r"terms of (?:use|service)|"
            r"(?:send|e-?mail|tell) (?:this|it)? ?to a friend|tell a friend|text size\b.*|"
            r"font size\b.*|print (?:this )?(?:article|story|page)|"
            r"e-?mail (?:this )?(?:article|story)|"
            r"impressum|datenschutz|kontakt|suche|startseite|accueil|recherche|inicio|buscar)"
            r"\W*$",
            _I,
        ),
        6,
    ),
)


@dataclass(slots=True)
class Block:
    """One non-blank line's features and class."""

    i: int  # the line's index
    chars: int
    score: float
    cls: str
    rule: str  # the rule behind the class
    heading_shaped: bool


def _features(text: str, stop: frozenset[str], cfg: dict[str, Any]) -> tuple[int, float, bool]:
    """(characters without the bullet, content score, is a bullet item)."""
    bullet = _BULLET.match(text)
    body = text[bullet.end() :] if bullet else text
    n_words, n_stop = lang.word_counts(body, stop)
    chars = len(body)
    if not n_words:
        return chars, 0.0, bullet is not None
    if n_words * UNSPACED_WORD_CHARS < chars and _UNSPACED.search(body):
        # unspaced_script_v1: Chinese, Japanese: no word spaces, so no stop words to count;
        # clause punctuation stands in for them and each character weighs as a short word
        clauses = sum(map(_CLAUSE_MARKS.__contains__, body))
        density = cfg["stopwords_high"] * min(1.0, clauses * UNSPACED_CLAUSE_CHARS / chars)
        chars *= 3
    else:
        density = n_stop / n_words
    segments = len(_SEPARATORS.findall(body)) if _MAY_SEPARATE.search(body) else 0
    score = (
        cfg["weight_stopwords"] * min(1.0, density / cfg["stopwords_high"])
        + cfg["weight_length"] * min(1.0, chars / cfg["length_high"])
        + cfg["weight_sentence"] * (_SENTENCE_END.search(body) is not None)
        - cfg["penalty_bullet"] * (bullet is not None)
        - cfg["penalty_bullet"] * min(1.0, segments / max(1, n_words / 3))
    )
    return chars, max(0.0, min(1.0, score)), bullet is not None


#: Cheap tests before the patterns of long lines: a word each of them needs.
_COPYRIGHT_HINTS = ("©", "copyright", "(c)", "rights", "rechte", "droits", "derechos", "diritti")


_MOST_WORDS = max(n for _, _, n in PATTERNS) + 1


#: PATTERNS case-sensitive, for an ASCII line written in lower case: the same matches there (their
#: letters are lower case, and no ASCII character folds to anything but its other case), for a
#: fraction of a case-blind search's cost.
_LOWER_PATTERNS = tuple(
    (rule, re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE), max_words)
    for rule, pattern, max_words in PATTERNS
)


def _pattern(text: str, n_words: int) -> str | None:
    low = text.lower()
    patterns = PATTERNS
    if text.isascii():
        text, patterns = low, _LOWER_PATTERNS
    for rule, pattern, max_words in patterns:
        if n_words > max_words:
            continue
        if rule == "copyright_line_v1" and not any(h in low for h in _COPYRIGHT_HINTS):
            continue
        if rule == "cookie_notice_v1" and "cookie" not in low:
            continue
        if pattern.search(text):
            return rule
    return None


def _heading_shaped(text: str) -> bool:
    """A short line that could head a section: starts with a capital or digit, no bullet."""
    return (
        len(text.split(None, 1)) >= 2
        and not _BULLET.match(text)
        and (_CAPWORD.match(text) is not None or text[0].isdigit())
    )


def classify(m: Marker, language: str) -> list[Block]:
    """Steps 1-2: each free non-blank line's class from its own features (content_score_v1)."""
    cfg = section("content")
    stop = lang.stopwords(language)
    out: list[Block] = []
    for i, ln in enumerate(m.lines):
        if not m.free(i):
            continue
        s = ln.stripped
        chars, score, bullet = _features(s, stop, cfg)
        if chars > len(s):  # weighed as an unspaced script
            m.rules["unspaced_script_v1"] += 1
        # no pattern applies to more than 120 words: the words beyond are not split off
        pattern = rule = _pattern(s, len(s.split(None, _MOST_WORDS)))
        if rule:
            cls = BAD
        elif chars < cfg["length_low"]:
            cls, rule = (BAD, "link_list_item_v1") if bullet else (SHORT, "content_short_v1")
        elif score >= cfg["good"]:
            cls, rule = GOOD, "content_good_v1"
        elif score >= cfg["near_good"]:
            cls, rule = NEAR, "content_near_good_v1"
        else:
            cls, rule = BAD, "content_low_score_v1"
        heading = not pattern and not bullet and _heading_shaped(s)
        out.append(Block(i, chars, round(score, 2), cls, rule, heading))
    return out


def _neighbours(blocks: Sequence[Block], skip: frozenset[str]) -> tuple[list[str], list[str]]:
    """For each block, the class of the nearest block before and after it whose class is not in
    ``skip`` (``bad`` at the page's edges)."""
    n = len(blocks)
    prev, nxt = [BAD] * n, [BAD] * n
    last = BAD
    for k in range(n):
        prev[k] = last
        if blocks[k].cls not in skip:
            last = blocks[k].cls
    last = BAD
    for k in range(n - 1, -1, -1):
        nxt[k] = last
        if blocks[k].cls not in skip:
            last = blocks[k].cls
    return prev, nxt


def _short(p: str, n: str, p_any: str, n_any: str, b: Block, cfg: dict[str, Any]) -> str:
    """A short line's class from its neighbours' (p, n: the nearest good or bad ones; p_any,
    n_any: the nearest, near-good included), as in jusText; a short line that reads as a
    sentence joins good content on either side."""
    if p == n == GOOD:
        return GOOD
    if p == n == BAD and NEAR not in (p_any, n_any):
        return BAD
    if (p == BAD and p_any == NEAR) or (n == BAD and n_any == NEAR):
        return GOOD
    if GOOD in (p, n) and (NEAR in (p_any, n_any) or b.score >= cfg["short_sentence"]):
        return GOOD
    return BAD


def smooth(blocks: list[Block]) -> None:
    """Step 3: context smoothing (content_context_v1 / boilerplate_context_v1, heading_v1)."""
    cfg = section("content")
    strict = frozenset({SHORT, NEAR})
    prev, nxt = _neighbours(blocks, strict)
    prev_any, nxt_any = _neighbours(blocks, frozenset({SHORT}))
    new = [
        b.cls if b.cls != SHORT else _short(prev[k], nxt[k], prev_any[k], nxt_any[k], b, cfg)
        for k, b in enumerate(blocks)
    ]
    for b, cls in zip(blocks, new, strict=True):
        if b.cls == SHORT:
            b.cls, b.rule = cls, ("content_context_v1" if cls == GOOD else "boilerplate_context_v1")
    prev, nxt = _neighbours(blocks, frozenset({NEAR}))
    for k, b in enumerate(blocks):
        if b.cls == NEAR:
            both_bad = prev[k] == nxt[k] == BAD
            b.cls = BAD if both_bad else GOOD
            b.rule = "boilerplate_context_v1" if both_bad else "content_context_v1"
    # heading_v1: a heading-shaped short line of two words or more right before content
    for k in range(len(blocks) - 1):
        b = blocks[k]
        if (
            b.heading_shaped
            and b.rule == "boilerplate_context_v1"
            and b.chars < cfg["length_low"]
            and blocks[k + 1].cls == GOOD
            and blocks[k + 1].rule != "heading_v1"
        ):
            b.cls, b.rule = GOOD, "heading_v1"


def main_runs(blocks: Sequence[Block]) -> list[tuple[int, int]]:
    """Step 4: the densest runs, as (first, last) positions in ``blocks`` (main_run_v1)."""
    cfg = section("content")
    bad_min, bad_weight = cfg["bad_min"], cfg["bad_weight"]
    segments: list[tuple[float, int, int]] = []
    cur, start, best, best_end = 0.0, 0, 0.0, -1
    for k, b in enumerate(blocks):
        cur += b.chars if b.cls == GOOD else -max(b.chars, bad_min) * bad_weight
        if cur > best:
            best, best_end = cur, k
        if cur < 0:
            if best > 0:
                segments.append((best, start, best_end))
            cur, start, best, best_end = 0.0, k + 1, 0.0, -1
    if best > 0:
        segments.append((best, start, best_end))
    if not segments:
        return []
    segments.sort(key=lambda s: -s[0])
    top = segments[0][0]
    return [(a, b) for gain, a, b in segments if gain >= cfg["other_runs"] * top]


def decide(m: Marker, language: str) -> tuple[list[Block], int | None]:
    """Classify, smooth and choose the main runs. Every free non-blank line gets a block; its
    ``cls`` is ``good`` when it is content, and ``rule`` says why. Nothing is marked yet.
    Also returns the position of the main run's first paragraph that is content by its own
    score (where a title is looked for), if there is one."""
    blocks = classify(m, language)
    smooth(blocks)
    inside = [False] * len(blocks)
    runs = main_runs(blocks)
    for first, last in runs:
        for k in range(first, last + 1):
            inside[k] = True
    for k, b in enumerate(blocks):
        if b.cls == GOOD and not inside[k]:
            b.cls, b.rule = BAD, "outside_main_run_v1"
    anchor = None
    if runs:
        first, last = runs[0]
        good = [k for k in range(first, last + 1) if blocks[k].cls == GOOD]
        own = (k for k in good if blocks[k].rule == "content_good_v1")
        anchor = next(own, good[0] if good else None)
    return blocks, anchor


def apply(m: Marker, blocks: Sequence[Block]) -> list[int]:
    """Mark every still-free block: content as body, the rest dropped by its rule; returns the
    body's line indices."""
    body = []
    for b in blocks:
        if not m.free(b.i):
            continue
        if b.cls == GOOD:
            m.mark(b.i, "body", b.rule, b.score)
            body.append(b.i)
        else:
            m.drop(b.i, b.rule, b.score)
    return body
