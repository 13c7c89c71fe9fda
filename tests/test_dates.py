"""The shared date and time grammar (layouts/dates.py): every form, the numeric ambiguity rule,
relative times, and that prose and numbers that are not dates are left alone."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpuskit.layouts.dates import find_datetime, iter_datetimes, month_first, month_number

ABSOLUTE = [
    # text, language, raw span, date, datetime (or None), rule
    (  # a two-digit year glued to its clock by the renderer
        "Am 14.02.1208:15",
        "de",
        "14.02.1208:15",
        date(2012, 2, 14),
        datetime(2012, 2, 14, 8, 15),
        "date_numeric_dmy_v1",
    ),
    ("2011-03-03", "und", "2011-03-03", date(2011, 3, 3), None, "date_iso_v1"),
    (
        "at 2011-03-03T13:04:05Z",
        "und",
        "2011-03-03T13:04:05Z",
        date(2011, 3, 3),
        datetime(2011, 3, 3, 13, 4, 5),
        "date_iso_v1",
    ),
    (
        "2011-03-03 13:04",
        "und",
        "2011-03-03 13:04",
        date(2011, 3, 3),
        datetime(2011, 3, 3, 13, 4),
        "date_iso_v1",
    ),
    ("Posted March 3, 2011", "en", "March 3, 2011", date(2011, 3, 3), None, "date_month_name_v1"),
    ("3 March 2011", "en", "3 March 2011", date(2011, 3, 3), None, "date_month_name_v1"),
    ("Mar 3 2011", "en", "Mar 3 2011", date(2011, 3, 3), None, "date_month_name_v1"),
    (
        "Sept. 21st, 2010 at 9:15 PM",
        "en",
        "Sept. 21st, 2010 at 9:15 PM",
        date(2010, 9, 21),
        datetime(2010, 9, 21, 21, 15),
        "date_month_name_v1",
    ),
    (
        "Thursday, 3 March 2011",
        "en",
        "Thursday, 3 March 2011",
        date(2011, 3, 3),
        None,
        "date_month_name_v1",
    ),
    ("3. März 2011", "de", "3. März 2011", date(2011, 3, 3), None, "date_month_name_v1"),
    (
        "am 3. März 2011 um 13:04 Uhr",
        "de",
        "3. März 2011 um 13:04 Uhr",
        date(2011, 3, 3),
        datetime(2011, 3, 3, 13, 4),
        "date_month_name_v1",
    ),
    ("Dez. 24, 2015", "de", "Dez. 24, 2015", date(2015, 12, 24), None, "date_month_name_v1"),
    ("le 3 mars 2011", "fr", "3 mars 2011", date(2011, 3, 3), None, "date_month_name_v1"),
    (
        "le 3 mars 2011 à 13h04",
        "fr",
        "3 mars 2011 à 13h04",
        date(2011, 3, 3),
        datetime(2011, 3, 3, 13, 4),
        "date_month_name_v1",
    ),
    ("1er février 2009", "fr", "1er février 2009", date(2009, 2, 1), None, "date_month_name_v1"),
    (
        "3 de marzo de 2011",
        "es",
        "3 de marzo de 2011",
        date(2011, 3, 3),
        None,
        "date_month_name_v1",
    ),
    (
        "3 de marzo de 2011 a las 13:04",
        "es",
        "3 de marzo de 2011 a las 13:04",
        date(2011, 3, 3),
        datetime(2011, 3, 3, 13, 4),
        "date_month_name_v1",
    ),
    (
        "5 settembre 2014 alle 08:15",
        "it",
        "5 settembre 2014 alle 08:15",
        date(2014, 9, 5),
        datetime(2014, 9, 5, 8, 15),
        "date_month_name_v1",
    ),
    (
        "7 de outubro de 2016 às 22:40",
        "pt",
        "7 de outubro de 2016 às 22:40",
        date(2016, 10, 7),
        datetime(2016, 10, 7, 22, 40),
        "date_month_name_v1",
    ),
    (
        "12 maart 2013 om 10:02",
        "nl",
        "12 maart 2013 om 10:02",
        date(2013, 3, 12),
        datetime(2013, 3, 12, 10, 2),
        "date_month_name_v1",
    ),
    ("9-Jun-2008", "en", "9-Jun-2008", date(2008, 6, 9), None, "date_month_name_v1"),
    ("3.3.2011", "de", "3.3.2011", date(2011, 3, 3), None, "date_numeric_dmy_v1"),
    ("03.03.11", "de", "03.03.11", date(2011, 3, 3), None, "date_numeric_dmy_v1"),
    (
        "07.05.2012, 18:20",
        "de",
        "07.05.2012, 18:20",
        date(2012, 5, 7),
        datetime(2012, 5, 7, 18, 20),
        "date_numeric_dmy_v1",
    ),
    ("2011/03/04", "en", "2011/03/04", date(2011, 3, 4), None, "date_numeric_ymd_v1"),
    (
        "6:32 PM on March 3, 2011",
        "en",
        "6:32 PM on March 3, 2011",
        date(2011, 3, 3),
        datetime(2011, 3, 3, 18, 32),
        "date_month_name_v1",
    ),
    (
        "Comment by Ann — March 3, 2011 @ 6:32 pm",
        "en",
        "March 3, 2011 @ 6:32 pm",
        date(2011, 3, 3),
        datetime(2011, 3, 3, 18, 32),
        "date_month_name_v1",
    ),
]


@pytest.mark.parametrize(("text", "lang", "raw", "day", "when", "rule"), ABSOLUTE)
def test_absolute_forms(
    text: str, lang: str, raw: str, day: date, when: datetime | None, rule: str
) -> None:
    m = find_datetime(text, lang)
    assert m is not None
    assert (m.raw, m.date, m.datetime, m.rule, m.relative) == (raw, day, when, rule, False)
    assert text[m.start : m.end] == m.raw


@pytest.mark.parametrize(
    ("text", "lang", "day", "rule"),
    [
        ("04/03/2011", "en", date(2011, 4, 3), "date_numeric_mdy_v1"),
        ("04/03/2011", "en-US", date(2011, 4, 3), "date_numeric_mdy_v1"),
        ("04/03/2011", "en-GB", date(2011, 3, 4), "date_numeric_dmy_v1"),
        ("04/03/2011", "fr", date(2011, 3, 4), "date_numeric_dmy_v1"),
        ("04/03/2011", "und", date(2011, 3, 4), "date_numeric_dmy_v1"),
        ("14/03/2011", "en", date(2011, 3, 14), "date_numeric_dmy_v1"),  # first > 12: day
        ("03/14/2011", "de", date(2011, 3, 14), "date_numeric_mdy_v1"),  # second > 12: day
        ("04.03.2011", "en", date(2011, 3, 4), "date_numeric_dmy_v1"),  # dots: always day first
        ("04-03-85", "es", date(1985, 3, 4), "date_numeric_dmy_v1"),  # two-digit year pivot 70
    ],
)
def test_numeric_ambiguity_rule(text: str, lang: str, day: date, rule: str) -> None:
    m = find_datetime(text, lang)
    assert m is not None and (m.date, m.rule) == (day, rule)


def test_month_first_is_us_shaped_english_only() -> None:
    assert month_first("en") and month_first("en-US")
    assert not any(month_first(x) for x in ("en-GB", "en-au", "de", "fr", "es", "und"))


@pytest.mark.parametrize(
    ("text", "raw", "clock"),
    [
        ("6:32 PM", "6:32 PM", time(18, 32)),
        ("at 6:32 p.m.", "6:32 p.m.", time(18, 32)),
        ("12:05 am", "12:05 am", time(0, 5)),
        ("13:04", "13:04", time(13, 4)),
        ("um 13:04 Uhr", "13:04 Uhr", time(13, 4)),
        ("gegen 9.30 Uhr", "9.30 Uhr", time(9, 30)),
        ("à 13h04", "13h04", time(13, 4)),
        ("a las 13:04", "13:04", time(13, 4)),
        ("@ 1:04 pm", "1:04 pm", time(13, 4)),
    ],
)
def test_clock_alone(text: str, raw: str, clock: time) -> None:
    m = find_datetime(text)
    assert m is not None
    assert (m.raw, m.clock, m.date, m.datetime, m.rule) == (raw, clock, None, None, "time_clock_v1")


@pytest.mark.parametrize(
    "text",
    [
        "3 years ago",
        "an hour ago",
        "vor 3 Jahren",
        "vor einer Stunde",
        "il y a 3 ans",
        "il y a une heure",
        "hace 3 años",
        "hace un mes",
        "2 giorni fa",
        "há 5 dias",
        "3 dagen geleden",
        "yesterday",
        "gestern",
    ],
)
def test_relative_times_have_no_absolute_value(text: str) -> None:
    m = find_datetime(f"  {text}  ")
    assert m is not None
    assert (m.raw, m.relative, m.date, m.datetime, m.rule) == (
        text,
        True,
        None,
        None,
        "time_relative_v1",
    )


def test_relative_day_word_keeps_its_clock() -> None:
    m = find_datetime("yesterday at 6:32 PM")
    assert m is not None
    assert (m.raw, m.clock, m.datetime, m.relative) == (
        "yesterday at 6:32 PM",
        time(18, 32),
        None,
        True,
    )


@pytest.mark.parametrize(
    "text",
    [
        "I was there yesterday and it rained.",
        "Heute ist ein schöner Tag.",
        "version 1.2.3 of the tool, host 192.168.1.10",
        "Nomar 3, 2011 is not a month",
        "31/02/2011",  # no such day
        "The year 2011 was long; 45 people came.",
        "Score 25:70 in the final",  # no such clock
    ],
)
def test_not_dates(text: str) -> None:
    assert find_datetime(text) is None


def test_iter_finds_every_expression_in_order() -> None:
    text = "From 3 March 2011 to 5. April 2011, then 3 years ago."
    assert [m.raw for m in iter_datetimes(text)] == ["3 March 2011", "5. April 2011", "3 years ago"]


def test_month_number_in_every_language() -> None:
    words = ["March", "März", "mars", "marzo", "março", "maart", "Mrz.", "déc", "dic", "okt"]
    assert [month_number(w) for w in words] == [3, 3, 3, 3, 3, 3, 3, 12, 12, 10]
    assert month_number("Monday") is None


@given(
    st.lists(st.sampled_from([row[0] for row in ABSOLUTE]) | st.text(max_size=12), max_size=6).map(
        " ".join
    )
)
def test_spans_point_at_their_own_text(text: str) -> None:
    """Date-shaped text mixed with any text: every match's span is its raw text."""
    for m in iter_datetimes(text):
        assert text[m.start : m.end] == m.raw
        assert (m.datetime is None) or (m.date is not None and m.clock is not None)


@pytest.mark.parametrize(
    ("text", "lang", "raw", "clock"),
    [
        ("Marc Le 9 janvier à 13:06", "fr", "9 janvier à 13:06", time(13, 6)),
        ("Anna am 3. März um 13:04 Uhr", "de", "3. März um 13:04 Uhr", time(13, 4)),
        ("Pablo el 3 de marzo a las 13:04", "es", "3 de marzo a las 13:04", time(13, 4)),
        ("Ann on 3 March at 6:32 pm", "en", "3 March at 6:32 pm", time(18, 32)),
    ],
)
def test_day_and_month_without_a_year_are_read_with_their_clock(
    text: str, lang: str, raw: str, clock: time
) -> None:
    """date_month_day_v1, day first: the year is unknown, so no date, but the time text is the
    whole expression; without a clock the words are no time at all."""
    m = find_datetime(text, lang)
    assert m is not None
    assert (m.raw, m.clock, m.rule) == (raw, clock, "date_month_day_v1")
    assert m.date is None and m.datetime is None
    assert find_datetime("Wir sehen uns am 3. März wieder.", "de") is None


@pytest.mark.parametrize(
    ("text", "name", "when"),
    [
        ("Quill55518.10.1919:13", "Quill555", datetime(2019, 10, 18, 19, 13)),
        ("Reader201318.10.1919:24", "Reader2013", datetime(2019, 10, 18, 19, 24)),
        ("hans m.19.10.1912:48", "hans m.", datetime(2019, 10, 19, 12, 48)),
    ],
)
def test_a_dotted_date_glued_to_its_clock_and_to_the_name_before_it(
    text: str, name: str, when: datetime
) -> None:
    """date_glued_v1: read from the clock back, the glued date has one reading, and what stands
    before it is the name."""
    m = find_datetime(text, "de")
    assert m is not None
    assert (text[: m.start], m.datetime, m.rule) == (name, when, "date_glued_v1")
    assert text[m.start : m.end] == m.raw
    assert find_datetime("version 13.1.1 of the app", "de") is None
