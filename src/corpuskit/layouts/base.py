"""What every layout family shares: lines with offsets, named rules, and the extraction record.

A family module reads a document by marking its lines — title, byline, body, a boilerplate line
with the rule that removed it, comment N, the quotation of comment N, signature N — and builds
the article and its comments from those marks. The marks are what ``explain`` prints, so the
curator sees exactly what each line became. Every rule has a versioned name (``*_v1``); each
firing is counted.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter, not_
from typing import NamedTuple, TypeVar, overload

from .dates import month_number
from .lang import detect as detect_language

#: Bumped whenever any rule's behaviour changes; recorded per seed in ``metadata.rules_version``.
RULES_VERSION = "2026.11.3"


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


_new_tuple = tuple.__new__  # builds a Line without a call of its generated __new__
#: Line.stripped of a line, read without the attribute's descriptor (map(STRIPPED, lines)).
STRIPPED = itemgetter(4)

T = TypeVar("T")


class PerLine(Sequence[T]):
    """A value per line, compared with any sequence (a list, say) by its values."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


class Lines(PerLine[Line]):
    """The lines of one text, held as offsets into it: 9 bytes a line (where it starts, whether
    it is blank) rather than a ``Line`` with its numbers and strings (~210 bytes and the line's
    text again). ``lines[i]`` builds line i's ``Line`` when it is read, and iterating builds one
    at a time, so a seed's lines never all exist as objects at once."""

    __slots__ = ("_blank", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts, blank = array("q", [0]), bytearray()
        find, add_start, add_blank = text.find, starts.append, blank.append
        start, end = 0, find("\n")
        while end >= 0:
            add_start(end + 1)
            add_blank(start == end or text[start:end].isspace())
            start, end = end + 1, find("\n", end + 1)
        add_start(len(text) + 1)
        add_blank(start == len(text) or text[start:].isspace())
        self._starts, self._blank = starts, blank

    def __len__(self) -> int:
        return len(self._blank)

    @overload
    def __getitem__(self, i: int) -> Line: ...

    @overload
    def __getitem__(self, i: slice) -> list[Line]: ...

    def __getitem__(self, i: int | slice) -> Line | list[Line]:
        n = len(self._blank)
        if isinstance(i, slice):
            return [self._line(k) for k in range(*i.indices(n))]
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("line index out of range")
        return self._line(i)

    def _line(self, i: int) -> Line:
        start, end = self._starts[i], self._starts[i + 1] - 1
        text = self.text[start:end]
        line: Line = _new_tuple(Line, (i + 1, start, end, text, text.strip()))
        return line

    def __iter__(self) -> Iterator[Line]:
        return map(self._line, range(len(self._blank)))

    def blank_between(self, a: int, b: int) -> bool:
        """Whether one of the lines a..b-1 is blank."""
        return self._blank.find(1, a, b) >= 0

    def blanks(self) -> bytes:
        """One byte a line: 1 where the line is blank, else 0."""
        return bytes(self._blank)


#: A text shorter than this (nearly every page) gets its lines as a list of ``Line``, made at
#: once: the fastest to read, and at most a few MB; a longer one gets ``Lines``.
EAGER_CHARS = 1 << 18


def split_lines(text: str) -> Sequence[Line]:
    if len(text) >= EAGER_CHARS:
        return Lines(text)
    lines: list[Line] = []
    add, pos = lines.append, 0
    for no, raw in enumerate(text.split("\n"), start=1):
        end = pos + len(raw)
        add(_new_tuple(Line, (no, pos, end, raw, raw.strip())))  # Line(...) without its __new__
        pos = end + 1
    return lines


class Interned(PerLine[T]):
    """A value per line from a small set (a mark, the rule behind it): each line holds its
    value's number (4 bytes), and each distinct value is held once."""

    __slots__ = ("_index", "_values", "codes")

    def __init__(self, values: Iterable[T], codes: array[int]) -> None:
        self._values = list(values)
        self._index = {v: k for k, v in enumerate(self._values)}
        self.codes = codes

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._values[k] for k in self.codes[i]]
        return self._values[self.codes[i]]

    def __setitem__(self, i: int, value: T) -> None:
        self.codes[i] = self.code(value)

    def code(self, value: T) -> int:
        """The value's number (given it now if it is new)."""
        k = self._index.get(value)
        if k is None:
            k = self._index[value] = len(self._values)
            self._values.append(value)
        return k

    def __iter__(self) -> Iterator[T]:
        return map(self._values.__getitem__, self.codes)


class Scores(PerLine[float | None]):
    """A content score or None per line: 8 bytes a line, None held as NaN."""

    __slots__ = ("_values",)

    def __init__(self, n: int) -> None:
        self._values = array("d", [math.nan]) * n

    def __len__(self) -> int:
        return len(self._values)

    @overload
    def __getitem__(self, i: int) -> float | None: ...

    @overload
    def __getitem__(self, i: slice) -> list[float | None]: ...

    def __getitem__(self, i: int | slice) -> float | list[float | None] | None:
        if isinstance(i, slice):
            return [None if math.isnan(v) else v for v in self._values[i]]
        v = self._values[i]
        return None if math.isnan(v) else v

    def __setitem__(self, i: int, value: float) -> None:
        self._values[i] = value

    def __iter__(self) -> Iterator[float | None]:
        return (None if math.isnan(v) else v for v in self._values)


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
    marks: Sequence[str] = field(default_factory=list)
    #: per line: the rule behind its mark and the content score behind that decision, if any
    reasons: Sequence[str | None] = field(default_factory=list)
    scores: Sequence[float | None] = field(default_factory=list)
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


FREE, BLANK = 0, 1  # the numbers of the marks "" (not yet claimed) and "blank"


class Marker:
    """Per-document record of what each line became, which rules fired and what was dropped."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = lines
        n = len(lines)
        blank = (
            lines.blanks() if isinstance(lines, Lines) else bytes(map(not_, map(STRIPPED, lines)))
        )
        self.marks: Interned[str] = Interned(("", "blank"), array("I", iter(blank)))
        self._marks = self.marks.codes  # what free() reads: the most frequent question
        self.rules: Counter[str] = Counter()
        self.boilerplate: list[tuple[int, str, str]] = []
        self.reasons: Interned[str | None] = Interned((None,), array("I", bytes(4 * n)))
        self.scores = Scores(n)

    def free(self, i: int) -> bool:
        """Line i is non-blank and not yet claimed by any rule."""
        return self._marks[i] == FREE

    def mark(self, i: int, what: str, rule: str | None = None, score: float | None = None) -> None:
        """Line i becomes ``what`` by ``rule``; ``score`` is the content score behind it."""
        self._marks[i] = self.marks.code(what)  # self.marks[i] = what, one call fewer
        if rule:
            self.rules[rule] += 1
            self.reasons.codes[i] = self.reasons.code(rule)
        if score is not None:
            self.scores[i] = score

    def drop(self, i: int, rule: str, score: float | None = None) -> None:
        if self._marks[i] == BLANK:
            return
        self._marks[i] = self.marks.code(f"boilerplate:{rule}")
        self.rules[rule] += 1
        self.reasons.codes[i] = self.reasons.code(rule)
        if score is not None:
            self.scores[i] = score
        ln = self.lines[i]
        self.boilerplate.append((ln.no, rule, ln.text))

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
            if not self.free(i):
                continue
            text = self.lines[i].stripped
            if text.startswith(prefix) and pattern.match(text):
                self.drop(i, rule)
                n += 1
        return n

    def next_free(self, start: int, stop: int | None = None) -> int | None:
        stop = len(self.lines) if stop is None else stop
        try:
            return self._marks.index(FREE, start, stop) if start < stop else None
        except ValueError:
            return None

    def finish(self, extraction: Extraction) -> Extraction:
        self.boilerplate.sort()
        extraction.marks = self.marks
        extraction.reasons = self.reasons
        extraction.scores = self.scores
        extraction.boilerplate = self.boilerplate
        extraction.rules = self.rules
        return extraction


def _pieces(lines: Sequence[Line], idx: Iterable[int], stripped: bool) -> Iterator[str]:
    """The texts of lines idx (ascending), with what goes between two of them: a line break,
    or a blank line where the page has one between them."""
    between = (
        lines.blank_between
        if isinstance(lines, Lines)
        else lambda a, b: any(lines[k].blank for k in range(a, b))
    )
    last = -1
    for i in idx:
        if last >= 0:
            yield "\n\n" if between(last + 1, i) else "\n"
        ln = lines[i]
        yield ln.stripped if stripped else ln.text.rstrip()
        last = i


#: Pieces joined at a time: the pieces of a long text never all exist as objects at once.
_BATCH = 4096


def join_lines(lines: Sequence[Line], idx: Iterable[int], stripped: bool = False) -> str:
    """The text of lines idx (ascending, none of them blank): paragraphs where a blank line lies
    between two of them, each line right-stripped (stripped when ``stripped``). The same text as
    ``join_paragraphs`` of the paragraphs of those lines and the blank lines among them."""
    if isinstance(lines, list):  # a short text's lines (split_lines): its pieces at once
        return _join_listed(lines, idx, stripped)
    done: list[str] = []
    batch: list[str] = []
    for piece in _pieces(lines, idx, stripped):
        batch.append(piece)
        if len(batch) == _BATCH:
            done.append("".join(batch))
            batch.clear()
    if not done:
        return "".join(batch)
    done.append("".join(batch))
    return "".join(done)


def _join_listed(lines: list[Line], idx: Iterable[int], stripped: bool) -> str:
    """join_lines of a list of lines, the same pieces made in one loop."""
    out: list[str] = []
    add, last = out.append, -1
    for i in idx:
        if last >= 0:
            between = i == last + 1 or all(map(STRIPPED, lines[last + 1 : i]))
            add("\n" if between else "\n\n")
        add(lines[i][4] if stripped else lines[i][3].rstrip())
        last = i
    return "".join(out)


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
    kept = array("q")
    add, codes, code = kept.append, m.marks.codes, m.marks.code(mark)
    for i in range(start, stop):  # m.mark(i, mark) for every free line, without its calls
        if codes[i] == FREE:
            codes[i] = code
            add(i)
    end = m.lines[kept[-1]].end if kept else (m.lines[start].start if start < len(m.lines) else 0)
    return join_lines(m.lines, kept), end, len(kept)


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
    return clock_at(day, *m.groups()) if m else None


def clock_at(day: date, hours: str, minutes: str, half: str) -> datetime | None:
    """parse_clock of a clock already read into its hours, minutes and "a"/"p" (any case)."""
    hour, minute = int(hours), int(minutes)
    if not (1 <= hour <= 12 and minute < 60):
        return None
    hour = hour % 12 + (12 if half in "Pp" else 0)
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
    if not ex.body or ex.body.isspace():  # nothing but white space (not ex.body.strip(), uncopied)
        raise NoArticle("no_body", "a title but no body text")
    ex.language, rule = detect_language(ex.body)
    if rule:
        m.rules[rule] += 1
    return m.finish(ex)
