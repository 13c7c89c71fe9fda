"""Issue 12: the general path reads pages that no family claims — content or boilerplate line by
line, the title by evidence, bylines and dates, the language — and never rejects a page that has
prose. Every document here is invented."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuskit.cli import main
from corpuskit.layouts import bylines, extract, lang, split_lines
from corpuskit.model import Metadata
from corpuskit.processing import process_bytes

MENU = """\
  • Home
  • World
  • Business
  • Sport
  • Contact
"""

EN = f"""\
We use cookies to improve your experience on our website. By continuing to browse the site you agree to our use of cookies and our privacy policy.

{MENU}
Harbour Tribune | Local news

Home > Local > Council approves harbour dredging plan

Council approves harbour dredging plan

By Jane Roe | March 3, 2011

The town council voted on Tuesday to dredge the old harbour, a project that has been discussed for more than a decade and that fishermen say is long overdue.

The work will start in May and should take about six months, the harbour master said, adding that the channel would be closed to larger boats while the dredgers are at work.

Critics said the cost had doubled since the plan was first drawn up, and that the council had not asked enough questions about where the dredged mud would be taken.

Share this article
Facebook Twitter Email

Related stories
  • New ferry timetable for the summer
  • Fish market to reopen after repairs
  • Lifeboat crew honoured

© 2011 Harbour Tribune. All rights reserved.
"""

DE = f"""\
Diese Website verwendet Cookies, um Ihnen den bestmöglichen Service zu bieten. Wenn Sie weitersurfen, stimmen Sie der Nutzung zu.

{MENU}
Stadtrat beschließt neuen Radweg am Fluss

Von Hans Müller | 3. März 2011

Der Stadtrat hat am Dienstag beschlossen, einen neuen Radweg entlang des Flusses zu bauen, der die Altstadt mit dem Bahnhof verbinden soll.

Die Arbeiten sollen im Mai beginnen und etwa ein Jahr dauern, sagte der Bürgermeister, der das Projekt seit langem unterstützt hat und auf Fördermittel hofft.

Kritiker sagen, dass die Kosten zu hoch sind und dass die Anwohner nicht genug gefragt wurden, bevor der Plan im Rat vorgestellt wurde.

Mehr zum Thema
  • Neue Buslinie ab Juni
  • Brücke wird saniert

© 2011 Stadtanzeiger. Alle Rechte vorbehalten.
"""

FR = f"""\
{MENU}
Le conseil municipal adopte le plan du port

Par Marie Dupont le 3 mars 2011 à 13h04

Le conseil municipal a voté mardi le dragage du vieux port, un projet dont on parle depuis plus de dix ans et que les pêcheurs attendent depuis longtemps.

Les travaux commenceront en mai et devraient durer environ six mois, a indiqué le capitaine du port, qui a ajouté que le chenal serait fermé aux grands bateaux.

Les critiques affirment que le coût a doublé depuis le premier plan et que le conseil n'a pas posé assez de questions sur le sort des boues.

Partager
Facebook Twitter

Tous droits réservés
"""

ES = f"""\
{MENU}
El ayuntamiento aprueba el plan del puerto

Por Juan Pérez | 3 de marzo de 2011

El ayuntamiento votó el martes a favor de dragar el viejo puerto, un proyecto del que se habla desde hace más de una década y que los pescadores esperan.

Las obras empezarán en mayo y durarán unos seis meses, dijo el capitán del puerto, que añadió que el canal estará cerrado para los barcos más grandes.

Los críticos dicen que el coste se ha duplicado desde el primer plan y que el ayuntamiento no ha hecho suficientes preguntas sobre el destino del lodo.

Noticias relacionadas
  • Nuevo horario del ferry
  • El mercado de pescado reabre

Todos los derechos reservados
"""


def _marks(doc: str) -> dict[str, str]:
    """Each non-blank line's text -> its mark."""
    ex = extract(doc)
    return {ln.stripped: mk for ln, mk in zip(split_lines(doc), ex.marks, strict=True) if mk}


def test_cookie_banner_first_menu_share_related_and_copyright_are_boilerplate() -> None:
    ex = extract(EN)
    assert ex.layout == "plain"
    assert ex.title == "Council approves harbour dredging plan"
    assert ex.body.startswith("The town council voted on Tuesday")
    assert ex.body.rstrip().endswith("where the dredged mud would be taken.")
    for junk in ("cookies", "• Home", "Share this", "Facebook", "Related", "ferry", "©"):
        assert junk not in ex.body, junk
    marks = _marks(EN)
    assert marks[EN.splitlines()[0]] == "boilerplate:cookie_notice_v1"
    assert marks["• Home"] == "boilerplate:link_list_item_v1"
    assert marks["Related stories"] == "boilerplate:related_heading_v1"
    assert marks["Facebook Twitter Email"] == "boilerplate:share_row_v1"
    assert marks["© 2011 Harbour Tribune. All rights reserved."] == (
        "boilerplate:copyright_line_v1"
    )


def test_every_content_decision_carries_its_score() -> None:
    ex = extract(EN)
    for mark, reason, score in zip(ex.marks, ex.reasons, ex.scores, strict=True):
        if mark == "body" or reason in ("content_low_score_v1", "boilerplate_context_v1"):
            assert score is not None and 0.0 <= score <= 1.0, (mark, reason)
    kept = [s for mk, s in zip(ex.marks, ex.scores, strict=True) if mk == "body"]
    assert min(s for s in kept if s is not None) >= 0.5


@pytest.mark.parametrize(
    ("doc", "language", "title", "authors", "published", "text"),
    [
        (EN, "en", "Council approves harbour dredging plan", ["Jane Roe"], date(2011, 3, 3),
         "March 3, 2011"),
        (DE, "de", "Stadtrat beschließt neuen Radweg am Fluss", ["Hans Müller"],
         date(2011, 3, 3), "3. März 2011"),
        (FR, "fr", "Le conseil municipal adopte le plan du port", ["Marie Dupont"],
         date(2011, 3, 3), "3 mars 2011 à 13h04"),
        (ES, "es", "El ayuntamiento aprueba el plan del puerto", ["Juan Pérez"],
         date(2011, 3, 3), "3 de marzo de 2011"),
    ],
)  # fmt: skip
def test_four_languages(
    doc: str, language: str, title: str, authors: list[str], published: date, text: str
) -> None:
    ex = extract(doc)
    assert (ex.language, ex.title, ex.authors) == (language, title, authors)
    assert (ex.published_date, ex.published_text) == (published, text)
    assert len(ex.body.split("\n\n")) == 3
    for junk in ("Cookies", "•", "©", "droits", "derechos", "Partager", "relacionadas"):
        assert junk not in ex.body, junk


def test_time_is_kept_with_the_date() -> None:
    assert extract(FR).published_at == datetime(2011, 3, 3, 13, 4)


def test_title_is_the_headline_before_its_byline_not_the_nearest_label() -> None:
    doc = MENU + (
        "\nWorld news\n\nShipyard workers end strike after new pay deal\n\nPhoto gallery\n\n"
        "By Ann Lee\n\n"
        "Workers at the shipyard went back to work on Monday after the union and the owners "
        "agreed on a new pay deal that ends a strike of three weeks.\n\n"
        "The deal gives every worker a rise of four per cent this year and another three per "
        "cent next year, the union said in a statement to its members.\n"
    )
    ex = extract(doc)
    assert ex.title == "Shipyard workers end strike after new pay deal"
    assert ex.authors == ["Ann Lee"]


def test_a_title_repeated_in_a_site_line_wins() -> None:
    doc = (
        "Ferry timetable changes for the summer season | Harbour Tribune\n\n"
        + MENU
        + "\nWeather warning for the coast this weekend\n\n"
        "Ferry timetable changes for the summer season\n\n"
        "Most popular\n\n"
        "The ferry company will run two more crossings a day from June, and the last boat of "
        "the evening will leave an hour later than it does in the winter.\n\n"
        "Tickets for the new crossings go on sale next week, the company said, and prices "
        "will stay the same as last year for every kind of ticket.\n"
    )
    assert extract(doc).title == "Ferry timetable changes for the summer season"


def test_title_is_never_a_navigation_or_cookie_line() -> None:
    for doc in (EN, DE, FR, ES):
        ex = extract(doc)
        assert "cookie" not in ex.title.lower() and not ex.title.startswith("•")


@pytest.mark.parametrize(
    ("line", "language", "authors", "day", "text"),
    [
        ("By Jane Roe", "en", ["Jane Roe"], None, None),
        ("By Jane Roe and John Smith", "en", ["Jane Roe", "John Smith"], None, None),
        ("Jane Roe | March 3, 2011", "en", ["Jane Roe"], date(2011, 3, 3), "March 3, 2011"),
        ("Posted by Jane Roe at 6:32 PM", "en", ["Jane Roe"], None, None),
        ("Published: 2011-03-03", "en", [], date(2011, 3, 3), "2011-03-03"),
        ("3 March 2011", "en", [], date(2011, 3, 3), "3 March 2011"),
        # the ambiguity rule: slash dates are month first in US-shaped English only
        ("03/04/2011", "en", [], date(2011, 3, 4), "03/04/2011"),
        ("03/04/2011", "de", [], date(2011, 4, 3), "03/04/2011"),
        ("03/04/2011", "und", [], date(2011, 4, 3), "03/04/2011"),
        ("13/04/2011", "en", [], date(2011, 4, 13), "13/04/2011"),
        ("03.04.2011", "en", [], date(2011, 4, 3), "03.04.2011"),
        ("Von Hans Müller, 3. März 2011", "de", ["Hans Müller"], date(2011, 3, 3),
         "3. März 2011"),
        ("Par Marie Dupont le 3 mars 2011", "fr", ["Marie Dupont"], date(2011, 3, 3),
         "3 mars 2011"),
        ("Publicado por Juan Pérez", "es", ["Juan Pérez"], None, None),
    ],
)  # fmt: skip
def test_byline_and_date_forms(
    line: str, language: str, authors: list[str], day: date | None, text: str | None
) -> None:
    found = bylines.read(line, language)
    assert found is not None
    assert (found.authors, found.published_date, found.published_text) == (authors, day, text)


@pytest.mark.parametrize(
    "line",
    [
        "By the way, this is a sentence about the harbour.",
        "The council met on March 3, 2011 to discuss the plan.",
        "Harbour dredging",
    ],
)
def test_prose_is_no_byline(line: str) -> None:
    assert bylines.read(line, "en") is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The council said that the work would start in May and that it was on time.", "en"),
        ("Der Rat sagte, dass die Arbeit im Mai beginnen wird und dass sie nicht teuer ist.", "de"),
        ("Le conseil a dit que les travaux commenceront en mai et que le coût est connu.", "fr"),
        ("El consejo dijo que las obras empezarán en mayo y que el coste es conocido.", "es"),
        ("Il consiglio ha detto che i lavori inizieranno a maggio e che il costo è noto.", "it"),
        ("O conselho disse que as obras vão começar em maio e que o custo é conhecido.", "pt"),
        ("De raad zei dat het werk in mei zal beginnen en dat de kosten bekend zijn.", "nl"),
        ("Совет сказал, что работы начнутся в мае и что это будет не так дорого.", "ru"),
        ("12 34 56 78", "und"),
    ],
)
def test_language_from_function_words(text: str, language: str) -> None:
    assert lang.detect(text)[0] == language


def test_a_junk_first_line_is_no_reason_to_reject() -> None:
    banner = " ".join(["cookie consent banner words that go on"] * 6)
    doc = (
        banner
        + "\n\nA fair headline\n\n"
        + (
            "This is the only paragraph of the page, and it says what the page is about in "
            "a sentence or two that a reader would want to keep.\n"
        )
    )
    result = process_bytes(Metadata("x", "x.txt"), doc.encode())
    assert result.meta.status == "ok", result.meta.error
    assert result.extraction is not None and "only paragraph" in result.extraction.body


def test_explain_prints_rule_and_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = tmp_path / "en.txt"
    seed.write_text(EN, encoding="utf-8")
    assert main(["explain", str(seed)]) == 0
    out = capsys.readouterr().out.splitlines()
    body = [ln for ln in out if " body " in ln and "The town council" in ln]
    assert body and "content_good_v1" in body[0]
    score = body[0].split("|")[0].split()[-1]
    assert 0.5 <= float(score) <= 1.0


# -- properties ------------------------------------------------------------------------------

LINES = st.sampled_from(
    [
        "",
        "",
        "  • Home",
        "  • Business news",
        "Share this article",
        "Facebook Twitter Email",
        "Related stories",
        "© 2011 Some Site. All rights reserved.",
        "We use cookies on this website to give you the best experience of our site.",
        "Site name | Section",
        "A headline about the harbour and its boats",
        "By Jane Roe | March 3, 2011",
        "Posted by Jane Roe at 6:32 PM",
        "Von Hans Müller, 3. März 2011",
        "The council voted on Tuesday to dredge the harbour, a project that people have "
        "discussed for years and that fishermen say is long overdue.",
        "Die Arbeiten sollen im Mai beginnen und etwa ein Jahr dauern, sagte der Bürgermeister.",
        "Short line.",
        "Jane Roe says:",
        "March 3, 2011 at 6:32 pm",
        "Reply",
        "3 Comments",
    ]
)
DOCS = st.lists(st.one_of(LINES, st.text(max_size=30)), max_size=50).map("\n".join)
KINDS = ("blank", "title", "body", "byline", "date", "subtitle", "boilerplate:", "comment", "quot")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_every_line_is_accounted_for_and_offsets_point_at_their_text(doc: str) -> None:
    result = process_bytes(Metadata("p", "p.txt"), doc.encode("utf-8"))
    ex = result.extraction
    if ex is None:
        return
    text = doc.replace("\r\n", "\n").replace("\r", "\n")
    lines = split_lines(text)
    assert len(ex.marks) == len(lines) == len(ex.reasons) == len(ex.scores)
    for ln, mark in zip(lines, ex.marks, strict=True):
        assert mark, f"line {ln.no} is not accounted for"
        assert (mark == "blank") == ln.blank
        assert mark.startswith(KINDS) or mark.startswith("signature"), mark
    for item in result.meta.removed:
        assert lines[item.line - 1].text == item.text
        assert item.score is None or 0.0 <= item.score <= 1.0
    assert 0 <= ex.char_start <= ex.char_end <= len(text)
    span = text[ex.char_start : ex.char_end]
    for line in ex.body.splitlines():
        assert line.strip() in span
    for c in ex.comments:
        assert c.text.strip()
        for line in c.text.splitlines():
            assert line.strip() in text[c.char_start : c.char_end]


def _status(data: bytes) -> str:
    reject = process_bytes(Metadata("x", "x.txt"), data).meta.reject
    return "ok" if reject is None else reject.reason.value


def test_a_page_that_shows_markup_is_read_but_a_markup_file_is_refused() -> None:
    prose = (
        "The listing below shows how the record is written, one element per line, so that a "
        "reader can follow the example without the schema at hand.\n"
    )
    listing = '<rdf:Description about="x">\n<dc:title>A title</dc:title>\n</rdf:Description>\n'
    page = "Writing records by hand\n\n" + (prose + listing) * 6
    assert _status(page.encode()) == "ok"
    markup = "<html>\n<body>\n" + "<p>Some words</p>\n<div>More</div>\n" * 10 + "</body>\n"
    assert _status(("\n" + markup).encode()) == "markup"


def test_comment_form_chrome_is_boilerplate() -> None:
    doc = EN.replace(
        "Share this article\n",
        "Leave a comment\n\nYour email address will not be published. Required fields are "
        "marked with a star, and comments are moderated before they appear on the page.\n\n"
        "Share this article\n",
    )
    marks = _marks(doc)
    assert marks["Leave a comment"].startswith("boilerplate:")
    line = next(k for k in marks if k.startswith("Your email address"))
    assert marks[line] == "boilerplate:comment_form_v1"
    assert "Your email" not in extract(doc).body


_FERRY_BODY = (
    "The ferry company will run two more crossings a day from June, and the last boat of "
    "the evening will leave an hour later than it does in the winter.\n\n"
    "Tickets for the new crossings go on sale next week, the company said, and prices "
    "will stay the same as last year for every kind of ticket.\n"
)


@pytest.mark.parametrize(
    "nearest",
    [
        "Never miss a story from the harbour",  # a call to action (title_shape_v1's labels)
        "Your guide to the islands this summer",
        "Welcome to the Harbour Tribune",
        "Tags: ferry, harbour, timetable",
        "10. Lighthouse keeper retires after forty years (6)",  # a teaser of another story
        "Lighthouse keeper retires after forty years [Coast]",
    ],
)
def test_the_headline_wins_over_a_label_teaser_or_pull_quote_nearer_the_body(
    nearest: str,
) -> None:
    doc = MENU + (
        "\nFerry timetable changes for the summer season\n\nPictures\n\n"
        f"{nearest}\n\nBy Ann Lee\n\n" + _FERRY_BODY
    )
    assert extract(doc).title == "Ferry timetable changes for the summer season"


def test_a_title_quoted_in_the_comment_opener_or_a_glued_breadcrumb_is_repeated() -> None:
    """title_evidence_v1 counts a headline quoted in another line ('2 thoughts on “Headline”')
    or ending a breadcrumb glued without spaces ('Home>News>Headline') as repeated."""
    for repeat in (
        "2 thoughts on “Ferry timetable changes for the summer season”",
        "Home>News>Ferry timetable changes for the summer season",
    ):
        doc = MENU + (
            "\nHarbour\n\nFerry timetable changes for the summer season\n\n"
            "New crossings and later boats from June\n\nBy Ann Lee\n\n"
            + _FERRY_BODY
            + "\n"
            + repeat
            + "\n"
        )
        assert extract(doc).title == "Ferry timetable changes for the summer season", repeat


def test_a_pull_quote_between_the_headline_and_the_byline_is_no_title() -> None:
    doc = MENU + (
        "\nHarbour\n\nFerry timetable changes for the summer season\n\n"
        "“It is the best news the islands have had in years”\n\nBy Ann Lee\n\n" + _FERRY_BODY
    )
    assert extract(doc).title == "Ferry timetable changes for the summer season"
