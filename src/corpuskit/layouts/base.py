"""What every layout family shares: lines with offsets, named rules, and the extraction record.

A family module reads a document by marking its lines — title, byline, body, a boilerplate line
with the rule that removed it, comment N, the quotation of comment N, signature N — and builds
the article and its comments from those marks. The marks are what ``explain`` prints, so the
curator sees exactly what each line became. Every rule has a versioned name (``*_v1``); each
firing is counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from .dates import month_number
from .lang import detect as detect_language

#: Bumped whenever any rule's behaviour changes; recorded per seed in ``metadata.rules_version``.
RULES_VERSION = "2026.11.2"


class Line(NamedTuple):
    no: int  # 1-based line number
    start: int  # offset of the first character in the decoded text
    end: int  # offset just past the last character (the newline excluded)
    text: str
    stripped: str = ""  # text without surrounding white space (computed once, by make)

    @property
    def blank(self) -> bool:
        return not self.stripped

    @classmethod
    def make(cls, no: int, start: int, text: str) -> Line:
        return cls(no, start, start + len(text), text, text.strip())


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for no, raw in enumerate(text.split("\n"), start=1):
        lines.append(Line(no, pos, pos + len(raw), raw, raw.strip()))
        pos += len(raw) + 1
    return lines


@dataclass(frozen=True)
class Evidence:
    rule: str
    weight: int


@dataclass
class CommentDraft:
    position: int
    author: str | None
    posted_at: datetime | None
    text: str
    quoted_text: str | None
    reply_to_position: int | None  # position of the quoted comment in the same thread
    char_start: int
    char_end: int
    posted_text: str | None = None  # the time as the page shows it
    depth: int = 0  # nesting level, 0 for a top-level comment


@dataclass
class Extraction:
    layout: str
    evidence: list[str]
    title: str
    body: str
    char_start: int
    char_end: int
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    published_date: date | None = None
    published_at: datetime | None = None
    site: str | None = None
    page: int | None = None
    page_count: int | None = None
    editor_note: str | None = None
    photo_credit: str | None = None
    photo_caption: str | None = None
    language: str = "und"
    comments: list[CommentDraft] = field(default_factory=list)
    published_text: str | None = None  # the date/time as the page shows it
    marks: list[str] = field(default_factory=list)
    #: per line: the rule behind its mark and the content score behind that decision, if any
    reasons: list[str | None] = field(default_factory=list)
    scores: list[float | None] = field(default_factory=list)
    boilerplate: list[tuple[int, str, str]] = field(default_factory=list)
    rules: Counter[str] = field(default_factory=Counter)

    @property
    def is_partial(self) -> bool:
        return self.page is not None and not (self.page == 1 and self.page_count == 1)


class NoArticle(Exception):
    """The document has no title or no body: raised with a reason code for rejection."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class Marker:
    """Per-document record of what each line became, which rules fired and what was dropped."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = lines
        self.marks: list[str] = ["blank" if ln.blank else "" for ln in lines]
        self.rules: Counter[str] = Counter()
        self.boilerplate: list[tuple[int, str, str]] = []
        self.reasons: list[str | None] = [None] * len(lines)
        self.scores: list[float | None] = [None] * len(lines)

    def free(self, i: int) -> bool:
        """Line i is non-blank and not yet claimed by any rule."""
        return self.marks[i] == ""

    def mark(self, i: int, what: str, rule: str | None = None, score: float | None = None) -> None:
        """Line i becomes ``what`` by ``rule``; ``score`` is the content score behind it."""
        self.marks[i] = what
        if rule:
            self.rules[rule] += 1
            self.reasons[i] = rule
        if score is not None:
            self.scores[i] = score

    def drop(self, i: int, rule: str, score: float | None = None) -> None:
        if self.marks[i] == "blank":
            return
        self.marks[i] = f"boilerplate:{rule}"
        self.rules[rule] += 1
        self.reasons[i] = rule
        if score is not None:
            self.scores[i] = score
        self.boilerplate.append((self.lines[i].no, rule, self.lines[i].text))

    def drop_matching(
        self,
        rule: str,
        pattern: re.Pattern[str],
        start: int = 0,
        prefix: str | tuple[str, ...] = "",
    ) -> int:
        """Drop every free line the pattern matches (only lines starting with prefix are tried)."""
        n = 0
        for i in range(start, len(self.lines)):
            text = self.lines[i].stripped
            if self.free(i) and text.startswith(prefix) and pattern.match(text):
                self.drop(i, rule)
                n += 1
        return n

    def next_free(self, start: int, stop: int | None = None) -> int | None:
        stop = len(self.lines) if stop is None else stop
        for i in range(start, stop):
            if self.free(i):
                return i
        return None

    def finish(self, extraction: Extraction) -> Extraction:
        self.boilerplate.sort()
        extraction.marks = self.marks
        extraction.reasons = self.reasons
        extraction.scores = self.scores
        extraction.boilerplate = self.boilerplate
        extraction.rules = self.rules
        return extraction


def paragraphs(lines: Iterable[Line], keep: Callable[[Line], bool]) -> list[list[Line]]:
    """Group kept lines into paragraphs; a blank line (or a dropped line's gap) separates them."""
    out: list[list[Line]] = []
    cur: list[Line] = []
    for ln in lines:
        if ln.blank:
            if cur:
                out.append(cur)
                cur = []
            continue
        if keep(ln):
            cur.append(ln)
    if cur:
        out.append(cur)
    return out


def join_paragraphs(paras: Sequence[Sequence[Line]]) -> str:
    """Lines of a paragraph keep their line breaks; paragraphs are joined by one blank line."""
    return "\n\n".join("\n".join(ln.text.rstrip() for ln in p) for p in paras)


def text_of(lines: Sequence[Line]) -> str:
    return join_paragraphs(paragraphs(lines, keep=lambda ln: True))


def body_from(m: Marker, start: int, stop: int, mark: str = "body") -> tuple[str, int, int]:
    """Claim every free line in [start, stop) as body; return the text and its last offset."""
    kept = []
    for i in range(start, stop):
        if m.free(i):
            m.mark(i, mark)
            kept.append(i)
    ids = set(kept)
    paras = paragraphs(
        (m.lines[i] for i in range(start, stop) if i in ids or m.lines[i].blank),
        keep=lambda ln: True,
    )
    end = m.lines[kept[-1]].end if kept else (m.lines[start].start if start < len(m.lines) else 0)
    return join_paragraphs(paras), end, len(kept)


# -- shared, named rules -----------------------------------------------------------

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"


def parse_month_date(month: str, day: str, year: str) -> date | None:
    try:
        return date(int(year), month_number(month) or 0, int(day))
    except ValueError:
        return None


_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})\s*([AaPp])\.?\s*[Mm]\.?$")


def parse_clock(day: date, clock: str) -> datetime | None:
    """'6:32 pm' on a date -> naive wall-clock datetime (12 AM is midnight)."""
    m = _CLOCK.match(clock.strip())
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2))
    if not (1 <= hour <= 12 and minute < 60):
        return None
    hour = hour % 12 + (12 if m.group(3).lower() == "p" else 0)
    return datetime(day.year, day.month, day.day, hour, minute)


TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 300


def title_shaped(text: str) -> bool:
    """title_line_v1: a headline is one short line."""
    return 0 < len(text) <= TITLE_MAX_CHARS and len(text.split()) <= TITLE_MAX_WORDS


def take_title(m: Marker, start: int = 0, rule: str = "title_first_line_v1") -> int:
    """Mark the first free line at or after start as the title; return its index."""
    i = m.next_free(start)
    if i is None:
        raise NoArticle("no_title", "no text line that could be a title")
    if not title_shaped(m.lines[i].stripped):
        raise NoArticle(
            "no_title",
            f"line {m.lines[i].no} is too long for a title "
            f"(over {TITLE_MAX_WORDS} words or {TITLE_MAX_CHARS} characters)",
        )
    m.mark(i, "title", rule)
    return i


def start_article(m: Marker, layout: str, evidence: list[str], title: int) -> Extraction:
    """An extraction whose span starts at its title line; the family fills in the rest."""
    ln = m.lines[title]
    return Extraction(
        layout=layout,
        evidence=evidence,
        title=ln.stripped,
        body="",
        char_start=ln.start,
        char_end=ln.end,
    )


def finish_article(m: Marker, ex: Extraction) -> Extraction:
    if not ex.body.strip():
        raise NoArticle("no_body", "a title but no body text")
    ex.language, rule = detect_language(ex.body)
    if rule:
        m.rules[rule] += 1
    return m.finish(ex)
