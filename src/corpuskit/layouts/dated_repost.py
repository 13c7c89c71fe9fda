"""Family: dated blog repost with numbered comments.

Shape: a date line (``Wednesday, 15 June 2011``); the title; an optional bracketed editorial
note; the body; then the comments as indented numbered items (``  1. ...``), unsigned. A
numbered list inside the body stays body: only the trailing run of indented items that starts
at 1 and counts up without a gap, with nothing but its own continuation lines after it, is the
thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import compress, count, islice

from .base import (
    MONTHS,
    STRIPPED,
    WEEKDAYS,
    CommentDraft,
    Evidence,
    Extraction,
    Line,
    Marker,
    body_from,
    finish_article,
    parse_month_date,
    take_title,
)

NAME = "dated_repost"
#: A profile: found by the layouts package; lower precedence wins a tie of evidence.
PRECEDENCE = 20

DATE_LINE = re.compile(
    rf"^(?:(?:{WEEKDAYS}),\s+)?(?:(?P<d1>\d{{1,2}}) (?P<m1>{MONTHS}) (?P<y1>\d{{4}})"
    rf"|(?P<m2>{MONTHS}) (?P<d2>\d{{1,2}}), (?P<y2>\d{{4}}))$"
)
EDITOR_NOTE = re.compile(r"^\[(?P<note>[^\[\]]+)\]$")
NOTE_AUTHOR = re.compile(r"\bby (?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3})")
ITEM = re.compile(r"^(?P<indent>[ \t]+)(?P<no>\d{1,4})\.[ \t]+(?P<text>\S.*)$")


def _date(line: Line) -> date | None:
    s = line.stripped
    if not s[-1:].isdigit():  # cheap test first: a date line ends with its year (a \d is a digit)
        return None
    m = DATE_LINE.match(s)
    if not m:
        return None
    if m.group("d1"):
        return parse_month_date(m.group("m1"), m.group("d1"), m.group("y1"))
    return parse_month_date(m.group("m2"), m.group("d2"), m.group("y2"))


def _first_content(lines: list[Line]) -> int | None:
    # the first index whose stripped text is not empty, found without a step per line in Python
    return next(compress(count(), map(STRIPPED, lines)), None)


class _Claim(list[Evidence]):
    """detect's evidence, with what it read for extract: the first content line, its date and
    the thread's items."""

    def __init__(
        self, evidence: list[Evidence], first: int, published: date, items: list[tuple[int, int]]
    ) -> None:
        super().__init__(evidence)
        self.first, self.published, self.items = first, published, items


def detect(lines: list[Line], text: str) -> list[Evidence]:
    # dated_repost_claim_v2: a date on the first line is common; the family claims a page only
    # with the date line and its editorial note or numbered thread as well: without the date
    # line nothing else is read.
    first = _first_content(lines)
    published = _date(lines[first]) if first is not None else None
    if first is None or not published:
        return []
    ev = [Evidence("date_line_v1", 3)]
    rest = list(islice(_content_after(lines, first), 2))
    if len(rest) >= 2 and EDITOR_NOTE.match(lines[rest[1]].stripped):
        ev.append(Evidence("bracketed_editor_note_v1", 1))
    items = _thread_items(lines)
    if items:
        ev.append(Evidence("numbered_comments_v1", 1))
    return _Claim(ev, first, published, items) if len(ev) >= 2 else []


def _content_after(lines: list[Line], first: int) -> Iterator[int]:
    """The indices of the non-blank lines after line ``first``, in order."""
    return (i for i in range(first + 1, len(lines)) if lines[i].stripped)


def _thread_items(lines: list[Line]) -> list[tuple[int, int]]:
    """numbered_comments_v1: (line index, number) of the trailing run of numbered items."""
    tail: list[int] = []  # indices of the trailing indented region, bottom-up
    for i in range(len(lines) - 1, -1, -1):
        ln = lines[i]
        if ln.blank:
            continue
        if not ln.text[:1].isspace():
            break
        tail.append(i)
    tail.reverse()
    items = [(i, int(mm.group("no"))) for i in tail if (mm := ITEM.match(lines[i].text))]
    # the run that starts at the last "1." and counts up by one to the end
    starts = [k for k, (_, no) in enumerate(items) if no == 1]
    if not starts:
        return []
    run = items[starts[-1] :]
    if any(no != k + 1 for k, (_, no) in enumerate(run)):
        return []
    return run


def extract(lines: list[Line], evidence: list[str], claim: Sequence[Evidence] = ()) -> Extraction:
    m = Marker(lines)
    n = len(lines)
    first: int | None
    published: date | None
    if isinstance(claim, _Claim):  # what detect read already
        first, published, items = claim.first, claim.published, claim.items
    else:
        first = _first_content(lines)
        published = _date(lines[first]) if first is not None else None
        items = _thread_items(lines)
    start = 0
    if first is not None and published:
        m.mark(first, "date", "date_line_v1")
        start = first + 1
    t = take_title(m, start, "title_after_date_line_v1" if published else "title_first_line_v1")
    ex = Extraction(
        layout=NAME,
        evidence=evidence,
        title=lines[t].stripped,
        body="",
        char_start=lines[first if first is not None and published else t].start,
        char_end=lines[t].end,
        published_date=published,
        published_text=lines[first].stripped if first is not None and published else None,
    )
    body_start = t + 1
    note_i = m.next_free(t + 1)
    if note_i is not None and (note := EDITOR_NOTE.match(lines[note_i].stripped)):
        m.mark(note_i, "editor_note", "bracketed_editor_note_v1")
        ex.editor_note = note.group("note").strip()
        by = NOTE_AUTHOR.search(ex.editor_note)
        if by:
            ex.authors = [by.group("name")]
            m.rules["editor_note_author_v1"] += 1
        body_start = note_i + 1

    body_stop = items[0][0] if items else n
    ex.body, body_end, _ = body_from(m, body_start, body_stop)
    ex.char_end = max(ex.char_end, body_end)

    bounds = [i for i, _ in items] + [n]
    codes = m.marks.codes
    for pos, (i, _) in enumerate(items, start=1):
        own = [k for k in range(i, bounds[pos]) if not lines[k].blank]  # own[0] is i, an item
        comment = f"comment {pos}"
        m.mark(i, comment, "numbered_comments_v1")
        code = m.marks.code(comment)
        for k in own[1:]:
            codes[k] = code  # m.mark(k, comment), without the call
        first_line = ITEM.match(lines[i].text)
        assert first_line is not None
        ex.comments.append(
            CommentDraft(
                position=pos,
                author=None,
                posted_at=None,
                text=_item_text(first_line.group("text"), lines[i + 1 : bounds[pos]]),
                quoted_text=None,
                reply_to_position=None,
                char_start=lines[i].start,
                char_end=lines[own[-1]].end,
            )
        )
    return finish_article(m, ex)


def _item_text(head: str, rest: list[Line]) -> str:
    """A numbered comment's text: its first line's text after the number, then the stripped
    lines under it; a blank line (or several) between two of them makes a paragraph break. The
    same text as text_of those lines, the first one cut after its number."""
    paras: list[list[str]] = [[head.rstrip()]]
    for ln in rest:
        if not ln.stripped:
            if paras[-1]:
                paras.append([])
        else:
            paras[-1].append(ln.stripped)
    return "\n\n".join("\n".join(p) for p in paras if p)
