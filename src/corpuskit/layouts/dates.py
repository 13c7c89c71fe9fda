"""A small date and time grammar shared by bylines and comment headers.

API (stable; other modules import only these names)::

    find_datetime(text, language="und", pos=0) -> DateMatch | None
    iter_datetimes(text, language="und", pos=0) -> Iterator[DateMatch]
    month_number(word) -> int | None
    month_first(language) -> bool

``find_datetime`` returns the leftmost date or time expression in ``text`` at or after ``pos``;
``iter_datetimes`` yields every one, left to right, without overlaps. A :class:`DateMatch`
carries

- ``start``, ``end``: the span in ``text`` (``text[start:end] == raw``);
- ``raw``: the expression as the page shows it, the time included when one is attached
  (``3. März 2011 um 13:04 Uhr``), a leading preposition (``on``, ``le``, ``am``) excluded;
- ``date``: the calendar date, or None (a clock or a relative time alone);
- ``datetime``: the naive wall-clock time when both a date and a clock were read, else None;
- ``clock``: the clock time when one was read, else None;
- ``rule``: the named rule that read the date part (below), ``time_clock_v1`` for a clock alone,
  ``time_relative_v1`` for a relative time;
- ``relative``: True for ``3 years ago``, ``vor 3 Jahren``, ``yesterday at 6:32 PM``: such a
  time cannot be made absolute without a retrieval date, so ``date`` and ``datetime`` are None.

Rules (each match names one; callers count them):

- ``date_iso_v1``: ``2011-03-03``, ``2011-03-03T13:04:05Z``, ``2011-03-03 13:04``.
- ``date_month_name_v1``: a month word with a day and a year in any of the common orders:
  ``March 3, 2011``, ``Mar 3 2011``, ``August 9th, 2012``, ``3 March 2011``, ``3. März 2011``,
  ``11. Jul, 2012``, ``3 mars 2011``, ``1er mars 2011``, ``3 de marzo de 2011``,
  ``3-Mar-2011``. Month names, full and abbreviated, in en, de, fr, es, it, pt and nl; an
  optional weekday in front (``Thursday, 3 March 2011``, ``jeudi 3 mars 2011``).
- ``date_numeric_dmy_v1`` / ``date_numeric_mdy_v1``: ``03/03/2011``, ``3.3.2011``,
  ``03.03.11``, ``3-3-2011``. **Ambiguity rule** (``date_numeric_order_v1``): dotted dates are
  always day first (``3.4.2011`` is 3 April); for a slash or dash date a first number over 12
  means day first and a second number over 12 means month first; otherwise the order is month
  first when the language is US-shaped English (``en`` or ``en-US``; not ``en-GB``, ``en-AU``,
  ``en-IE``, ``en-NZ``, ``en-IN``, ``en-ZA``), day first for every other language, ``und``
  included. Two-digit years pivot at 70: ``11`` is 2011, ``85`` is 1985. A dotted date of two
  digits each, glued to its clock, may be glued to the name before it too (``date_glued_v1``:
  ``Rainer55518.10.1919:13`` is Rainer555 on 18 October 2019 at 19:13): read from the clock
  back, it has one reading.
- ``date_numeric_ymd_v1``: ``2011/03/03``, ``2011.03.03``.
- ``date_month_day_v1``: a month and day without a year, in either order, read only with a
  clock after it (``Tuesday July 24, @09:13AM``, ``Le 9 janvier à 13:06``, ``3. März um 13:04
  Uhr``); ``date`` and ``datetime`` stay None (the year is unknown).
- ``time_clock_v1``: ``6:32 PM``, ``6:32 p.m.``, ``9:37PM``, ``13:04``, ``13:04:05``, ``13h04``,
  ``13 h 04``, ``13.04 Uhr`` (a dotted clock only with ``Uhr``), with an optional ``Uhr`` or
  time-zone word after it. A clock joins the date before it through a connector (``at``,
  ``um``, ``à``, ``a las``, ``às``, ``alle``, ``om``, ``@``, a comma, dash, slash or bar, or
  nothing: ``14.02.12 08:15`` and even ``14.02.1208:15``, a date glued to its clock), or the date
  after it (``6:32 PM on March 3, 2011``, ``13:04, 3. März 2011``).
- ``time_relative_v1``: ``3 years ago``, ``an hour ago``, ``vor 3 Jahren``, ``vor einer
  Stunde``, ``il y a 3 ans``, ``hace 3 años``, ``3 giorni fa``, ``há 3 dias``, ``3 dagen
  geleden``; the day words (``yesterday``, ``today``, ``gestern``, ``heute``, ``hier``,
  ``aujourd'hui``, ``ayer``, ``hoy``, ``ieri``, ``oggi``, ``ontem``, ``hoje``, ``gisteren``,
  ``vandaag``) only with a clock after them or as the whole text, so that prose that mentions
  yesterday is not read as a time.

Every regex is compiled once and the scan is linear: a text without a digit is only searched for
relative-time words (one precompiled regex); the full grammar runs only when a digit is present.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

__all__ = [
    "DateMatch",
    "find_datetime",
    "iter_datetimes",
    "month_first",
    "month_number",
]


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    raw: str
    date: date | None
    datetime: datetime | None
    clock: time | None
    rule: str
    relative: bool = False


# -- vocabulary ---------------------------------------------------------------------

_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januar",
        "jänner",
        "janvier",
        "janv",
        "enero",
        "ene",
        "gennaio",
        "gen",
        "janeiro",
        "januari",
    ),
    2: (
        "february",
        "feb",
        "febr",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "fév",
        "fev",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
    ),
    3: (
        "march",
        "mar",
        "märz",
        "maerz",
        "mrz",
        "mär",
        "mars",
        "marzo",
        "março",
        "marco",
        "maart",
        "mrt",
    ),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maggio", "mag", "maio", "mei"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus"),
    9: (
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "setiembre",
        "settembre",
        "set",
        "setembro",
    ),
    10: (
        "october",
        "oct",
        "oktober",
        "okt",
        "octobre",
        "octubre",
        "ottobre",
        "ott",
        "outubro",
        "out",
    ),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: (
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
    ),
}
_MONTH_NO: dict[str, int] = {w: n for n, ws in _MONTH_WORDS.items() for w in ws}

_WEEKDAY_WORDS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|"
    "fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|miercoles|"
    "jueves|viernes|sábado|sabado|domingo|lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|"
    "giovedì|giovedi|venerdì|venerdi|domenica|segunda-feira|terça-feira|quarta-feira|"
    "quinta-feira|sexta-feira|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
)


# Any word of 3 to 10 letters; month_number() tells whether it names a month (cheaper than an
# alternation of every month word at every position).
_MONTH = r"(?<![^\W\d_])[^\W\d_]{3,10}\.?"
_WEEKDAY_BEFORE = re.compile(rf"\b(?:{_WEEKDAY_WORDS})\.?,?\s+$", re.IGNORECASE)
_ORD = r"(?:st|nd|rd|th|er|e|º|ª|\.)?"
_YEAR4 = r"(?:1[89]|2[01])\d\d"

# A clock: 6:32 PM, 6:32 p.m., 13:04, 13:04:05, 13h04, 13 h 04, 13.04 Uhr, optional zone.
_AMPM = r"(?:\s?(?P<{p}ampm>[AaPp])\.?\s?[Mm]\.?(?![a-zA-Z]))"
_ZONE = r"(?:\s?(?:Uhr|h|UTC|GMT|CES?T|MES?Z|BST|[ECMP][SD]T)\b)?"


def _clock(p: str) -> str:
    ampm = _AMPM.format(p=p)
    return (
        rf"(?P<{p}h>[01]?\d|2[0-3])(?:"
        rf":(?P<{p}m>[0-5]\d)(?::(?P<{p}s>[0-5]\d))?{ampm}?{_ZONE}"
        rf"|\s?h\s?(?P<{p}hm>[0-5]\d)\b"
        rf"|\.(?P<{p}dm>[0-5]\d)\s?Uhr\b)"
    )


_CONNECT = (
    r"(?:(?:\s*(?:,|-|–|—|/|\||@|·|•)){0,2}\s*"
    r"(?:\b(?:at|um|à|a\s+las|a\s+la|às|as|alle|om|kl\.)\s+)?)"
)

_DATE = (
    # ISO: 2011-03-03, with an optional T/space clock and zone
    r"(?P<iso>(?<!\d)(?P<iy>" + _YEAR4 + r")-(?P<im>[01]\d)-(?P<id>[0-3]\d)"
    r"(?:[T ](?P<ih>[01]\d|2[0-3]):(?P<imin>[0-5]\d)(?::(?P<is>[0-5]\d)(?:\.\d+)?)?"
    r"(?:Z|[+-]\d\d:?\d\d)?)?)(?![\d])"
    # Month day, year: March 3, 2011 / Mar 3 2011 / August 9th, 2012 / März 7, 2018
    rf"|(?P<mdy>(?P<am>{_MONTH})\s+(?P<ad>[0-3]?\d){_ORD},?\s+(?P<ay>{_YEAR4}))(?!\d)"
    # Day month year: 3 March 2011 / 3. März 2011 / 11. Jul, 2012 / 3 de marzo de 2011 / 3-Mar-2011
    rf"|(?P<dmy>(?<![\d.])(?P<bd>[0-3]?\d){_ORD}(?:\s+de|\s*-|\s)\s*(?P<bm>{_MONTH})"
    rf"(?:,?\s+(?:de\s+|del\s+)?|-)(?P<by>{_YEAR4}))(?!\d)"
    # Year/month/day numeric: 2011/03/03, 2011.03.03
    r"|(?P<ymd>(?<![\d.])(?P<ny>" + _YEAR4 + r")(?P<ns>[/.])(?P<nm>[01]?\d)(?P=ns)(?P<nd>[0-3]?\d))"
    r"(?![\d])"
    # Month and day without a year, read only with a clock after it: July 24, @09:13AM
    rf"|(?P<md>(?P<wm>{_MONTH})\s+(?P<wd>[0-3]?\d){_ORD})(?![\d])"
    # Day and month without a year, likewise: 9 janvier à 13:06 / 3. März um 13:04 Uhr
    rf"|(?P<dm>(?<![\d.])(?P<xd>[0-3]?\d){_ORD}(?:\s+de)?\s+(?P<xm>{_MONTH}))(?![\w])"
    # Numeric day/month/year: 03/03/2011, 3.3.2011, 03.03.11, 14.02.12 glued to 08:15
    r"|(?P<num>(?<![\d./])(?P<n1>[0-3]?\d)(?P<sep>[./-])(?P<n2>[01]?\d)(?P=sep)"
    r"(?P<n3>\d\d(?=(?:[01]\d|2[0-3]):[0-5]\d)|(?:" + _YEAR4 + r"|\d\d)(?![\d]|[./]\d)))"
    # ... and glued to the name before it too: NAME18.10.1919:13 (date_glued_v1)
    r"|(?P<numg>(?P<g1>[0-3]\d)\.(?P<g2>[01]\d)\.(?P<g3>\d\d)(?=(?:[01]\d|2[0-3]):[0-5]\d))"
)

_RELATIVE = (
    r"(?P<rel>(?<!\w)"
    r"(?:\d+|an?|one|two|three|few|several)\s+(?:second|sec|minute|min|hour|hr|day|week|month|"
    r"year)s?\s+ago"
    r"|vor\s+(?:\d+|einem|einer|zwei|drei|wenigen)\s+(?:Sekunden?|Minuten?|Stunden?|Tag(?:en)?|"
    r"Wochen?|Monat(?:en)?|Jahr(?:en)?)"
    r"|il\s+y\s+a\s+(?:\d+|une?)\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?|"
    r"années?)"
    r"|hace\s+(?:\d+|una?)\s+(?:segundos?|minutos?|horas?|días?|dias?|semanas?|meses|mes|años?)"
    r"|(?:\d+|una?)\s+(?:secondi|minuti|minuto|ore|ora|giorni|giorno|settimane|settimana|mesi|"
    r"mese|anni|anno)\s+fa"
    r"|há\s+(?:\d+|uma?)\s+(?:segundos?|minutos?|horas?|dias?|semanas?|meses|mês|anos?)"
    r"|(?:\d+|een)\s+(?:seconden|minuten|minuut|uur|dagen|dag|weken|week|maanden|maand|jaar)"
    r"\s+geleden"
    r")\b"
)
_DAY_WORD = (
    r"(?P<dayw>yesterday|today|gestern|heute|vorgestern|hier|aujourd'hui|aujourd’hui|ayer|hoy|"
    r"ieri|oggi|ontem|hoje|gisteren|vandaag)"
)

_REST = rf"{_RELATIVE}|\b{_DAY_WORD}\b|(?<![\d:.])(?P<clock>{_clock('c')})(?![\d])"
_MASTER = re.compile(rf"(?P<date>{_DATE})|{_REST}", re.IGNORECASE)
#: What may start where a date-shaped match turned out not to be a date ("3 Tage 2011").
_NOT_DATE = re.compile(_REST, re.IGNORECASE)
_RELATIVE_ONLY = re.compile(rf"{_RELATIVE}|\b{_DAY_WORD}\b", re.IGNORECASE)
_TAIL_CLOCK = re.compile(rf"{_CONNECT}(?P<clock>{_clock('t')})(?![\d])", re.IGNORECASE)
_LEAD_DATE = re.compile(
    r"\s*(?:,|-|–|—|/|\|)?\s*(?:\b(?:on|am|le|el|il|op|em|den|du|del)\s+)?", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")

_DMY_ENGLISH = ("en-gb", "en-au", "en-ie", "en-nz", "en-in", "en-za", "en_gb", "en_au")


def month_number(word: str) -> int | None:
    """The month (1-12) a month word names in any supported language, else None."""
    return _MONTH_NO.get(word.lower().rstrip("."))


def month_first(language: str) -> bool:
    """date_numeric_order_v1: an ambiguous slash/dash date is month first in US-shaped English."""
    lang = language.lower()
    return (lang == "en" or lang.startswith(("en-", "en_"))) and not lang.startswith(_DMY_ENGLISH)


def _year(s: str) -> int:
    y = int(s)
    if len(s) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _mkdate(y: int, mo: int, d: int) -> date | None:
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def _read_date(m: re.Match[str], language: str) -> tuple[date | None, str, time | None]:
    """The date a _MASTER 'date' match names, its rule, and an ISO match's own clock."""
    if m.group("iso"):
        d = _mkdate(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        clock = None
        if m.group("ih"):
            clock = time(int(m.group("ih")), int(m.group("imin")), int(m.group("is") or 0))
        return d, "date_iso_v1", clock
    if m.group("mdy"):
        mo = month_number(m.group("am"))
        return _mkdate(int(m.group("ay")), mo or 0, int(m.group("ad"))), "date_month_name_v1", None
    if m.group("dmy"):
        mo = month_number(m.group("bm"))
        return _mkdate(int(m.group("by")), mo or 0, int(m.group("bd"))), "date_month_name_v1", None
    if m.group("md") or m.group("dm"):
        mo = month_number(m.group("wm") or m.group("xm"))
        ok = mo is not None and 1 <= int(m.group("wd") or m.group("xd")) <= 31
        return (date.max if ok else None), "date_month_day_v1", None
    if m.group("ymd"):
        d = _mkdate(int(m.group("ny")), int(m.group("nm")), int(m.group("nd")))
        return d, "date_numeric_ymd_v1", None
    if m.group("numg"):
        d = _mkdate(_year(m.group("g3")), int(m.group("g2")), int(m.group("g1")))
        return d, "date_glued_v1", None
    a, b, y = int(m.group("n1")), int(m.group("n2")), _year(m.group("n3"))
    if m.group("sep") == "." or a > 12 or (b <= 12 and not month_first(language)):
        return _mkdate(y, b, a), "date_numeric_dmy_v1", None
    return _mkdate(y, a, b), "date_numeric_mdy_v1", None


def _read_clock(m: re.Match[str], p: str) -> time | None:
    h = int(m.group(f"{p}h"))
    mi = m.group(f"{p}m") or m.group(f"{p}hm") or m.group(f"{p}dm")
    if mi is None:
        return None
    ampm = m.group(f"{p}ampm") if m.group(f"{p}m") else None
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm.lower() == "p" else 0)
    return time(h, int(mi), int(m.group(f"{p}s") or 0) if m.group(f"{p}m") else 0)


def _attach_clock(text: str, end: int) -> tuple[int, time | None]:
    """A clock right after a date or relative time (through a connector): its end and value."""
    t = _TAIL_CLOCK.match(text, end)
    if t:
        c = _read_clock(t, "t")
        if c is not None:
            return t.end(), c
    return end, None


def _combine(d: date | None, c: time | None) -> datetime | None:
    return datetime.combine(d, c) if d is not None and c is not None else None


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,;-–—/|@":
        end -= 1
    return end


#: A date or time starts at most this many characters before its first digit ("Wednesday,
#: 21 ..." is read by a look back, so only a month word, "il y a" or "yesterday at" stands
#: in front).
LEAD = 24


def iter_datetimes(text: str, language: str = "und", pos: int = 0) -> Iterator[DateMatch]:
    """Every date or time expression in text at or after pos, left to right, not overlapping.

    Linear: every absolute form holds a digit and starts at most LEAD characters before its
    first one, so the grammar is tried (anchored) only at those positions, each once; relative
    forms without a digit are looked for only between them, and only where a hint word stands.
    """
    n = len(text)
    d = _DIGIT.search(text, pos)
    tried = pos  # the grammar has been tried at every position before this
    while True:
        if d is not None and d.start() < pos:
            d = _DIGIT.search(text, pos)
        stop = n if d is None else max(pos, d.start() - LEAD)
        m: re.Match[str] | None = None
        if stop > pos and _rel_hint(text, pos, stop):
            m = _RELATIVE_ONLY.search(text, pos, stop)
        if m is None:
            if d is None:
                return
            for q in range(max(stop, tried), d.start() + 1):
                if q and q != d.start() and (text[q - 1].isalnum() or not text[q].isalnum()):
                    continue  # a date or time starts at its digit or at the start of a word
                m = _MASTER.match(text, q)
                if m is not None:
                    break
            if m is None:
                tried = d.start() + 1
                pos = d.end()
                continue
            tried = m.start() + 1
        found = _read(text, m, language, pos)
        if found is None and m.groupdict().get("date") is not None:
            rest = _NOT_DATE.match(text, m.start())
            found = _read(text, rest, language, pos) if rest else None
        if found is None:
            pos = m.start() + 1
            tried = max(tried, pos)
            continue
        yield found
        pos = max(found.end, m.start() + 1)


#: Every relative time without a digit holds one of these (a test far cheaper than the regex).
_REL_HINT = re.compile(
    r"ago|vor |il y a|hace|\sfa|há|geleden|yester|today|gestern|heute|hier|aujourd|ayer|hoy|"
    r"ieri|oggi|ontem|hoje|gisteren|vandaag",
    re.IGNORECASE,
)


#: The same words for an ASCII stretch written in lower case: matched case-sensitively, the same
#: matches (no ASCII character folds to another one but its other case, and every word is in lower
#: case), for a fifth of the cost of a case-blind search of a short line.
_REL_HINT_LOWER = re.compile(_REL_HINT.pattern)
#: A longer stretch is searched in place: not copied (twice) to be lower-cased.
_LOWER_COPY_CHARS = 1024


def _rel_hint(text: str, pos: int, stop: int) -> bool:
    """Whether ``_REL_HINT`` finds a hint word in ``text[pos:stop]``."""
    if stop - pos <= _LOWER_COPY_CHARS:
        part = text[pos:stop]
        if part.isascii():
            return _REL_HINT_LOWER.search(part.lower()) is not None
    return _REL_HINT.search(text, pos, stop) is not None


def find_datetime(text: str, language: str = "und", pos: int = 0) -> DateMatch | None:
    """The leftmost date or time expression in text at or after pos, or None."""
    return next(iter_datetimes(text, language, pos), None)


def _alone(text: str, word: str) -> bool:
    """The text is the word and some punctuation (a bounded test: short texts only)."""
    return len(text) <= 40 and text.strip(" \t.,:;|-–—·•").lower() == word.lower()


def _read(text: str, m: re.Match[str], language: str, floor: int) -> DateMatch | None:
    """The DateMatch a regex match stands for, or None when its values are not a date or time;
    a weekday word right before a date (not before floor) joins its span."""
    start = m.start()
    if m.group("rel") is not None or m.group("dayw") is not None:
        end, clock = _attach_clock(text, m.end())
        if m.group("dayw") is not None and clock is None and not _alone(text, m.group("dayw")):
            return None  # a day word inside prose is not a time
        return DateMatch(start, end, text[start:end], None, None, clock, "time_relative_v1", True)
    if m.groupdict().get("date") is not None:
        d, rule, clock = _read_date(m, language)
        if d is None:
            return None
        wd = _WEEKDAY_BEFORE.search(text, max(floor, start - 20), start)
        start = wd.start() if wd else start
        end = m.end()
        if clock is None:
            end, clock = _attach_clock(text, end)
        end = _strip_end(text, start, end)
        if rule == "date_month_day_v1":  # no year: a time only with its clock, never a date
            if clock is None:
                return None
            return DateMatch(start, end, text[start:end], None, None, clock, rule)
        return DateMatch(start, end, text[start:end], d, _combine(d, clock), clock, rule)
    clock = _read_clock(m, "c")
    if clock is None:
        return None
    end = m.end()
    lead = _LEAD_DATE.match(text, end)
    after = _MASTER.match(text, lead.end()) if lead else None
    if after is not None and after.group("date") is not None:
        d, rule, own = _read_date(after, language)
        if d is not None and own is None:
            end = after.end()
            return DateMatch(start, end, text[start:end], d, _combine(d, clock), clock, rule)
    end = _strip_end(text, start, end)
    return DateMatch(start, end, text[start:end], None, None, clock, "time_clock_v1")
