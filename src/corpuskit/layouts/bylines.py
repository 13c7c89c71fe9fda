"""Bylines and datelines near the title (the date grammar itself is ``dates``).

Forms read:

- ``byline_by_v1``: ``By NAME`` (``Von``, ``Par``, ``Por``, ``Di``, ``Door``), several names
  joined by ``and``/``und``/``et``/``y``/``&``/commas, optionally followed by a separator and
  a date (``By Jane Roe | March 3, 2011``);
- ``byline_posted_by_v1``: ``Posted by NAME at 6:32 PM`` / ``Posted by NAME on DATE``
  (``Publié par``, ``Publicado por``, ``Veröffentlicht von``, ``Geschrieben von``);
- ``byline_name_date_v1``: ``NAME | March 3, 2011``: a short name, a separator, a date;
- ``dateline_v1``: a line that is a date and little else (``March 3, 2011``,
  ``Published: 03/03/2011 13:04``, ``Posted : Thu, 10 Jan 2008 03:47:03 GMT``).

Numeric dates follow ``dates``' ambiguity rule (``date_numeric_order_v1``: a dotted date is day
first; a slash or dash date is month first only for US-shaped English, day first otherwise,
unless a number over 12 settles it). The date as the page shows it is kept in
``published_text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from . import dates

_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*|(?:de|da|di|del|della|van|von|der|den|du|dos|bin|al)(?=\s))"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
_JOIN = r"(?:\s*,\s*|\s+(?:and|und|et|y|e|en|&)\s+)"
_NAMES = rf"(?P<names>{_NAME}(?:{_JOIN}{_NAME}){{0,4}})"
BY = re.compile(rf"^(?i:by|von|par|por|di|door)\s*:?\s+{_NAMES}(?P<rest>.*)$")
POSTED_BY = re.compile(
    rf"^(?i:posted|written|published|publié|publicado|veröffentlicht|geschrieben|scritto)"
    rf"\s+(?i:by|par|por|von|da|door)\s*:?\s+{_NAMES}(?P<rest>.*)$"
)
ONLY_NAMES = re.compile(rf"^{_NAMES}$")
_TRAILING_LABEL = re.compile(
    r"(?:\s+(?:on|am|le|el|at|um|à|a las|the))?[\s|•·,–—:-]*$", re.IGNORECASE
)
#: What may stand around a date on a dateline: labels and separators.
_DATELINE_WORDS = re.compile(
    r"\b(?:posted|published|updated|last updated|modified|created|date|on|at|am|um|le|el|"
    r"veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado|gmt|utc|est|edt|"
    r"pst|pdt|cet|cest|bst|et|pt|uhr)\b|[|:,()•·–—-]",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Words that show the "names" are a clause, not a person.
_NOT_NAMES = frozenset(
    "the a an this that these our my your his her their all more most other staff".split()  # noqa: SIM905
)
MAX_BYLINE_CHARS = 160


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    published_date: date | None = None
    published_at: datetime | None = None
    published_text: str | None = None
    rules: list[str] = field(default_factory=list)


def _split_names(names: str) -> list[str]:
    parts = re.split(_JOIN, names)
    out = []
    for p in parts:
        p = p.strip(" .,")
        words = p.split()
        if not words or words[0].lower() in _NOT_NAMES or not words[0][0].isupper():
            continue
        out.append(p)
    return out


def _take(d: dates.DateMatch, out: Byline) -> None:
    out.published_date = d.date
    out.published_at = d.datetime
    out.published_text = d.raw
    out.rules.append(d.rule)


def read(text: str, language: str) -> Byline | None:
    """The byline or dateline this line is, or None."""
    if len(text) > MAX_BYLINE_CHARS:
        return None
    out = Byline()
    d = dates.find_datetime(text, language)
    for rule, pattern in (("byline_by_v1", BY), ("byline_posted_by_v1", POSTED_BY)):
        m = pattern.match(text)
        if m:
            # the names stop where a date or clock starts ("Posted by Jane Roe at 6:32 PM")
            end = min(m.end("names"), d.start) if d is not None else m.end("names")
            names = _TRAILING_LABEL.sub("", text[m.start("names") : end])
            out.authors = _split_names(re.split(r"\s+\d", names, maxsplit=1)[0])
            if not out.authors:
                return None
            out.rules.append(rule)
            if d is not None and d.date is not None:
                _take(d, out)
            return out
    if d is None or d.date is None:
        return None
    before, after = text[: d.start], text[d.end :]
    if _WORD.findall(_DATELINE_WORDS.sub(" ", after)):
        return None  # words after the date: a sentence, not a dateline
    if not _WORD.findall(_DATELINE_WORDS.sub(" ", before)):
        out.rules.append("dateline_v1")
    else:
        head = _TRAILING_LABEL.sub("", before)
        m = ONLY_NAMES.match(head)
        out.authors = _split_names(m.group("names")) if m else []
        if not out.authors:
            return None
        out.rules.append("byline_name_date_v1")
    _take(d, out)
    return out
