"""Reader-comment threads in any common layout, found by their repeated headers or footers.

API (the general path calls it)::

    find_thread(m: Marker, language: str = "und") -> Thread | None

``Thread.start`` and ``Thread.stop`` are line indices: the region ``[start, stop)`` of the thread,
its opener ("12 Comments") and its comment form included; ``Thread.comments`` are the comments
as :class:`~corpuskit.layouts.base.CommentDraft`. When a thread is returned every non-blank line
of the region that was free is marked in ``m``: ``comment N``, ``signature N`` (a header or footer
line), ``quotation N``, or ``boilerplate:<rule>`` (thread chrome, pingbacks). When no thread is
found nothing is marked and None is returned.

How a thread is found (every step a named, counted rule):

1. ``comment_header_*_v1``: every short free line is tested for the shape of a comment header
   or footer, reading a name and, where there is one, a date or time (``dates.find_datetime``):
   ``NAME says:`` / ``sagt:`` / ``schreibt:`` / ``dijo:`` / ``a dit :`` / ``said...`` with the
   date on the same or the next line (``says``); ``Posted by: NAME | DATE``, ``Comment by NAME —
   DATE @ TIME``, ``NAME on DATE at TIME``, ``DATE NAME``, ``NAME • 3 years ago``
   (``name_date``); a name alone on a line with the date alone on the next (``two_line``);
   ``1. NAME wrote:`` (``says``); and, only under a thread opener, a name alone on a line above
   the comment's text (``name_only``). Each candidate has a *shape*: its kind and the fixed
   words around the name and the date (``posted by: N | D``), digits and the name left out.
   ``by NAME (uid)`` with or without a date is one shape (``comment_header_by_v1``); a role
   badge after a name (``Autor``, ``Admin``) is dropped (``comment_author_badge_v1``); a name is
   a handle or a person's name, not a clause, a time or chrome (``comment_author_name_v1``).
   A link to the commenter's site in front of the name is cut (``comment_author_site_link_v1``);
   a role badge alone on the line between the name and the date leaves the name to the line
   above (``comment_author_badge_line_v1``); reply chrome after the name (``NAME Reply``,
   ``NAME Kommentar löschen``) is cut, and such a line is a header of its own kind that opens
   the text below it (``comment_header_name_chrome_v1``, ``comment_author_chrome_tail_v1``).
   In a chosen thread of bulleted names alone, an item laid out as its headers are is a header
   whatever its name (``comment_header_in_run_v1``: 'Anonymous', 'why so serious?').
   Before a verb a user number is a handle (``comment_author_numeric_handle_v1``: '1009 sagt:'),
   and so are any few words when the date stands alone on the next line
   (``comment_author_says_dated_v1``: 'who is he anyway.... says:'); a handle keeps its '@'
   and its marks ('Thanks !! says:', 'Ann (@ann) says:'). Between 'Posted by:' and the date the
   name may be any few words (``comment_author_framed_v1``: 'Ned, keeper of the lighthouse').
   A date stands in a shape by its form (``comment_date_form_v1``): slash dates read day first
   or month first are one form, and month-name dates with or without their year another; the
   slash dates of one shape are read in the one order that some of them prove
   (``comment_date_order_v1``: '23/04/2020' makes '09/06/2020' 9 June).
2. ``thread_shape_v1``: candidates are grouped by shape, split into runs down the page
   (``thread_run_v1``), and every run is scored — how often it repeats, whether its times run
   in order (either way) or nest (``thread_chronology_v1``; newest first only under an opener or
   with nested replies), how many distinct names it carries, whether the headers have text of
   their own and how long, whether a thread opener stands above it, and for short threads
   without an opener and for names alone whether the texts speak in the first or second person
   (``comment_conversational_v1``); under an opener five names or more are enough however
   often they repeat (``thread_participants_v1``: a forum's few regulars). A shape of names
   alone is taken only when no shape with times qualifies. The best run above the thresholds
   (``[threads]`` in thresholds.toml) is the thread; the first match is never simply taken.
3. ``thread_footer_v1``: the shape is a footer (below the comment's text, as Movable Type and
   TypePad print it) when reply links follow the candidates, when the last candidate closes the
   thread while text stands above the first, or when text stands between the opener and the
   first candidate; otherwise a header. Without an opener a footer thread starts at the
   paragraph above its first footer (``thread_start_paragraph_v1``). A header thread with no
   prose above its first header is a forum: its first post is the page's body
   (``forum_first_post_body_v1``). Other runs of a footer thread's shape, too short to be a
   thread alone (the comments under a question and under each answer), are threads too when
   every footer carries an absolute time and signs text of its own (``thread_more_runs_v1``).
4. Each comment: author, ``posted_at`` (None for a relative time or a date without a clock)
   with ``posted_text`` as the page shows it (a time printed below the text is read too:
   ``comment_time_footer_v1``), its text (list indentation removed), its nesting ``depth`` from
   the indentation of its header (``comment_depth_indent_v1``), ``reply_to_position`` from the
   nesting, from ``@NAME``, ``in reply to NAME`` or a ``Response to NAME, DATE`` link line
   (``comment_reply_to_v1``), and a quotation opened by ``NAME wrote:``
   (``comment_quotation_v1``).
5. Chrome is boilerplate: ``thread_opener_v1``, ``thread_chrome_v1`` (Reply, Report, Like, vote
   counts, lone symbols; but a reader's mark such as '?' or '+' right above the first line of a
   comment's text is text: ``comment_text_mark_v1``; so is a line of emoji that is a comment's
   only text: ``comment_emoji_text_v1``), ``comment_form_v1`` (Leave a Reply, Name,
   Email, Post Comment, ...), ``pingback_v1`` (pingbacks and trackbacks are not reader
   comments), and ``comment_without_text_v1`` for a header whose comment has no words.

Every step is linear in the number of lines: each line is tested once with precompiled regexes
behind cheap checks, and groups are scored in one pass each.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .base import CommentDraft, Line, Marker, paragraphs
from .dates import DateMatch, find_datetime, month_number
from .thresholds import section

# -- thresholds -----------------------------------------------------------------------


_T = section("threads")
MIN_HEADERS = int(_T["min_headers"])  # headers without an opener
MIN_HEADERS_OPENER = int(_T["min_headers_opener"])  # headers under an opener
MIN_NAME_ONLY = int(_T["min_name_only"])  # name-only headers (always under an opener)
MIN_ORDER = _T["min_order"]  # share of consecutive times in order (either way)
MIN_DISTINCT = _T["min_distinct"]  # distinct names / headers
MIN_DISTINCT_NAMES_OPENER = int(_T["min_distinct_names_opener"])  # or this many, under an opener
MIN_WITH_TEXT = _T["min_with_text"]  # headers that have text of their own
MIN_MEDIAN_WORDS = int(_T["min_median_words"])  # a comment's text, median over the thread
MIN_MEDIAN_WORDS_NAME_ONLY = int(_T["min_median_words_name_only"])
MIN_NAME_ONLY_BARE = int(_T["min_name_only_bare"])  # bulleted names, no opener
MIN_CONVERSATIONAL = _T["min_conversational"]  # bulleted names, no opener
MIN_CONVERSATIONAL_TIMED = _T["min_conversational_timed"]  # short, no opener
MIN_HEADERS_PLAIN = int(_T["min_headers_plain"])  # below this, no opener: conversational
MAX_GAP = int(_T["max_gap"])  # free lines between two headers of one thread
MAX_GAP_NAME_ONLY = int(_T["max_gap_name_only"])
OPENER_WINDOW = int(_T["opener_window"])  # lines between the opener and the thread
MAX_HEADER_WORDS = int(_T["max_header_words"])
SHORT_LINE = 60  # a name alone, or a date alone, is no longer than this
MAX_HEADER_CHARS = int(_T["max_header_chars"])

# -- vocabulary -----------------------------------------------------------------------

_SAYS = re.compile(
    r"^(?P<name>\S.*?)\s*(?:,\s*)?\b(?P<verb>says|said|wrote|writes|replied|replies|commented|"
    r"sagt|sagte|schreibt|schrieb|meint|meinte|antwortet|antwortete|kommentiert|kommentierte|"
    r"dit|a\s+dit|écrit|a\s+écrit|répond|a\s+répondu|dijo|dice|escribió|escribe|comentó|"
    r"respondió|ha\s+detto|scrive|ha\s+scritto|disse|diz|escreveu|zegt|schreef)"
    r"\s*(?::|\.\.\.|…)\s*$",
    re.IGNORECASE,
)
_POSTED_BY = re.compile(
    r"^(?:(?:posted|submitted|written|comment(?:ed)?|reply|geschrieben|verfasst|kommentar|"
    r"antwort|publié|posté|écrit|réponse|commentaire|publicado|escrito|enviado|comentario|"
    r"respuesta|pubblicato|scritto|commento|geplaatst|reactie)\s+)?"
    r"(?:by|von|par|por|da|door)\s*:?\s+",
    re.IGNORECASE,
)
_USER_ID = re.compile(r"\s*(?:\(#?\d+\)|<[^<>]{1,80}>)")
_URL_FIRST = re.compile(r"^(?:https?://|www\.)\S*\s+(?=\S)")
_NUMBERED = re.compile(r"^(?:\d{1,4}[.)]|#\d{1,4}:?)\s+")
#: Characters that open a list item as the renderer prints it.
_ITEM_MARKS = "•□■☆★◦▪‣*·"
_BULLET = re.compile(rf"^[{_ITEM_MARKS}>–—-]+\s*")
_CONNECTORS = " \t|/—–-•·@,:;()[]*"
_EDGE = " \t|/—–-•·@,"
_EDGE_NO_AT = " \t|/—–-•·,"
_PUNCT_TAILS = re.compile(r"(?: ~[^\w\s]+)+")
_LEAD_WORDS = re.compile(r"^(?:on|am|le|el|il|op|em|den|du|del|at|um|à|a)$", re.IGNORECASE)

_OPENER = re.compile(
    r"^(?:(?:\d+|one|no|ein|eine|un|une|uno|una)\s+)?"
    r"(?:comments?|responses|replies|reactions?|thoughts?|kommentare?|reaktionen|"
    r"commentaires?|réactions?|réponses?|comentarios?|respuestas?|commenti|comentários|"
    r"reacties|discussion|diskussion|leserkommentare|user comments|reader comments)"
    r"(?:\s+(?:on|to|zu|sur|à|en|a|para|su|op|über)\b.*|\s*\(\d+\)|\s*:)?$"
    r"|^(?:leave|post|add|write)\s+a\s+(?:reply|comment|response)"
    r"|^(?:schreibe|hinterlasse|verfasse)\s+(?:einen|eine)\s+(?:kommentar|antwort)"
    r"|^(?:laisser|laissez|ajouter)\s+un\s+(?:commentaire|réponse)"
    r"|^(?:deja|dejar|deje|escribe)\s+(?:un|una|tu)\s+(?:comentario|respuesta)",
    re.IGNORECASE,
)
_CHROME = re.compile(
    r"^(?:[/|·•–-]\s*)?[\[(]?(?:reply|reply to this|reply to this parent|antworten|répondre|"
    r"responder|rispondi|"
    r"reageren|beantwoorden|report|report abuse|melden|signaler|denunciar|like|likes|unlike|"
    r"gefällt mir|j'aime|me gusta|share|teilen|partager|compartir|quote|zitieren|citer|citar|"
    r"permalink|link|link to this comment:?|edit|bearbeiten|modifier|editar|flag|"
    r"flag as inappropriate|log in to reply|login to reply|sign in to reply|"
    r"zum antworten anmelden|loggen sie sich ein, um zu antworten|recommend|empfehlen|"
    r"kommentar löschen|delete|löschen|supprimer|twitter facebook|cancel reply|"
    r"antworten abbrechen|annuler la réponse|cancelar respuesta|load more comments|"
    r"show more comments|mehr kommentare|view all comments|older comments|newer comments|"
    r"ältere kommentare|neuere kommentare)[\])]?(?:\s*[↓↑→»›])?$"
    r"|^(?:[+\-−]?\d{1,5}|[^\w\s]{1,4}|\(\d+\)|\d+\s+(?:likes?|votes?|points?|replies))$",
    re.IGNORECASE,
)
_FORM = re.compile(
    r"^(?:name|your name|e-?mail|email address|website|webseite|url|homepage|comment|kommentar|"
    r"commentaire|comentario|nombre|correo electrónico|nom|site web|sitio web|"
    r"name\s*\(required\)|mail\s*\(will not be published\)\s*\(required\)|"
    r"post comment|submit comment|submit|send|senden|absenden|kommentar abschicken|"
    r"kommentar absenden|envoyer|publier le commentaire|enviar|publicar comentario|"
    r"laisser un commentaire|deja un comentario)\s*\*?:?$"
    r"|^(?:notify me|benachrichtige mich|prévenez-moi|avertissez-moi|recibir un correo|"
    r"notificarme|save my name|meinen namen|enregistrer mon nom|guardar mi nombre|"
    r"your email address will not be published|deine e-mail-adresse wird nicht|"
    r"ihre e-mail-adresse wird nicht|votre adresse e-mail ne sera pas|"
    r"tu dirección de correo electrónico no será|you must be logged in|"
    r"du musst angemeldet sein|vous devez être connecté|debes iniciar sesión|"
    r"required fields are marked|erforderliche felder sind|les champs obligatoires|"
    r"los campos obligatorios|this site uses akismet|diese website verwendet akismet|"
    r"ce site utilise akismet|este sitio usa akismet|logged in as|angemeldet als|"
    r"connecté en tant que|you can use these html tags|allowed html tags|"
    r"subscribe to comments|comment policy)",
    re.IGNORECASE,
)
#: Comment chrome printed after the commenter's name on the header line ('NAME Reply').
_NAME_TAIL = re.compile(
    r"^(?:reply|antworten|répondre|responder|rispondi|report|melden|signaler|denunciar|"
    r"delete|löschen|supprimer|eliminar|edit|bearbeiten|modifier|editar|flag|quote|zitieren|"
    r"citer|citar|(?:delete|report|edit) comment|kommentar (?:löschen|melden|bearbeiten)|"
    r"supprimer le commentaire|signaler le commentaire|eliminar comentario|"
    r"denunciar comentario)$",
    re.IGNORECASE,
)
_PINGBACK = re.compile(r"^(?:pingback|trackback|linkback)\b|^\[(?:\.\.\.|…)\]", re.IGNORECASE)
_REPLY_TO = re.compile(
    r"^(?:@(?P<at>[^\s:,]{2,40})|(?:in reply to|replying to|reply to|response to|antwort an|"
    r"antwort auf|en réponse à|réponse à|en respuesta a|respuesta a)\s+(?P<to>[^:,]{2,40}?))"
    r"\s*[:,.]?(?:\s|$)",
    re.IGNORECASE,
)
#: A line that is only a reply link: 'Response to NAME, 1 November 2012 9:59PM'.
_REPLY_LINE = re.compile(
    r"^(?:in reply to|replying to|reply to|response to|antwort an|antwort auf|en réponse à|"
    r"réponse à|en respuesta a|respuesta a)\s+(?P<to>[^:,]{2,40}?)\s*(?:[,:]\s*[^,]{0,40})?$",
    re.IGNORECASE,
)
_QUOTE_ATTR = re.compile(
    r"^(?:(?P<a>\S.{0,40}?)\s+(?:wrote|schrieb|a écrit|escribió|ha scritto|escreveu|schreef)|"
    r"(?:quote|quoting|zitat|citation|cita)(?:\s+(?:from|von|de))?\s*:?\s*(?P<b>\S.{0,40}?))"
    r"\s*:?$",
    re.IGNORECASE,
)
_INITIAL_END = re.compile(r"(?:^|\s)\w\.$")  # "Frieda K.": an initial, not a sentence's end
_CRUMB = re.compile(r"\s[›»>|/]\s")
_ALNUM = re.compile(r"\w")
_ALPHA = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_NAME_BAD_INSIDE = re.compile(r"https?://|www\.|[{}<>=:&/]|\s[-–—|]\s")
_NAME_BAD = re.compile(r"[.!?;:\"“”«»]$|https?://|www\.|[{}<>=:&/]|\s[-–—|]\s")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CLAUSE = _words(
    "i we he she they it you was were is are be been has had have do did posted wrote said says "
    "the a an this that which who when then because to in into at from with and or but of for "
    "ich wir er sie es ist sind war hat haben der die das ein eine und oder mit für von "
    "je nous il elle est sont le la les des et ou avec pour yo él ella es son el los las y o con "
    "para"
)
_ROLE_BADGES = _words(
    "author autor auteur autora autore admin administrator moderator mod staff editor "
    "redaktion rédaction redacción verfasser"
)
_CHROME_WORDS = _words(
    "post posts comments related required previous next recent archives categories email "
    "e-mail website captcha tweet advertisement newsletter subscribe popular "
    "kommentare beiträge artikel commentaires articles comentarios entradas"
)
_NOT_NAMES = _words(
    "reply antworten répondre responder share teilen home menu search comments comment "
    "kommentare kommentar commentaires comentarios login register anonymous related "
    "posts tags categories archives previous next older newer"
)

# -- candidates -----------------------------------------------------------------------


@dataclass(slots=True)
class _Cand:
    i: int  # the header's (first) line
    last: int  # its last line (the date line of a two-line header)
    kind: str
    shape: str
    name: str
    when: DateMatch | None
    raw_time: str | None
    indent: int
    rule: str = ""  # a rule that read the author, counted when the comment is kept


def _name_ok(name: str, verb: bool = False) -> bool:
    """comment_author_name_v1: a handle or a person's name, not a clause or chrome. Before a
    verb ('says:') a handle may end in punctuation ('G.M.', 'Yay !!')."""
    words = name.split()
    if not words or len(words) > 6 or len(name) > 50:
        return False
    if (_NAME_BAD_INSIDE if verb or _INITIAL_END.search(name) else _NAME_BAD).search(name):
        return False
    folded = name.casefold()
    if verb and name.isdigit() and len(name) >= 3:
        return True  # comment_author_numeric_handle_v1: '1009 schreibt:', a user number
    if folded in _NOT_NAMES or _ALPHA.search(name) is None:
        return False
    if all(w in _NOT_NAMES for w in folded.split()):
        return False  # 'Reply Reply', 'Antworten Antworten': chrome twice, not a name
    if not _CHROME_WORDS.isdisjoint(folded.replace("(", " ").replace(")", " ").split()):
        return False
    if name.count("(") != name.count(")"):
        return False
    if len(words) > 1 and _DIGIT.search(name):
        return False  # "about 4 hours", "Rivka @ 7/31/2004": a time, not a handle
    return len(words) == 1 or _CLAUSE.isdisjoint(folded.split()[1:])


def _marks_after(whole: str, name: str) -> bool:
    """whole is name and marks after it (no letter or digit)."""
    return (
        len(whole) > len(name)
        and whole.startswith(name)
        and not _ALNUM.search(whole[len(name) :].replace("_", ""))
    )


def _said_name(name: str) -> bool:
    """comment_author_says_dated_v1: before a verb and above a date alone on its line, the
    words are the name a reader chose, whatever they say ('who am i really....'), if
    they are short and no address or chrome."""
    return (
        0 < len(name) <= 50
        and len(name.split()) <= 6
        and _ALPHA.search(name) is not None
        and _NAME_BAD_INSIDE.search(name) is None
        and name.casefold() not in _NOT_NAMES
    )


def _short_name(name: str) -> bool:
    """A name alone on its line: at most four words, and no heading in capitals."""
    words = name.split()
    return (
        _name_ok(name)
        and len(words) <= 4
        and len(name) <= 40
        and not (len(words) > 1 and name.isupper())
    )


def _strip_name(text: str) -> tuple[str, str]:
    """The name part and the fixed words cut from its edges (connectors, 'Posted by:', a link
    to the commenter's site in front of the name)."""
    prefix = ""
    if "(" in text or "<" in text:  # a user number or a disguised address beside the name
        text, k = _USER_ID.subn("", text)
        prefix = "(#)" if k else ""
    t = _URL_FIRST.sub("", text.strip(_CONNECTORS)).strip(_CONNECTORS)
    pb = _POSTED_BY.match(t)
    if pb:
        prefix = "by:" + "-".join(pb.group(0).casefold().split()) + prefix
        t = t[pb.end() :].strip(_CONNECTORS)
    words = t.split()
    if len(words) > 1 and words[-1].casefold() in _ROLE_BADGES:  # comment_author_badge_v1
        words.pop()  # not part of the shape: the author's replies share their readers' shape
    for n in (3, 2, 1):  # comment_author_chrome_tail_v1: 'NAME Delete comment', 'NAME Reply'
        if len(words) > n:
            tail = " ".join(words[-n:])
            if _NAME_TAIL.match(tail):
                prefix += " ~chrome:"  # any of them: the tail varies (Reply, Report)
                del words[-n:]
                break
    if words and text.lstrip(" \t|/—–-•·,:;([").startswith("@" + words[0]):
        words[0] = "@" + words[0]  # the handle is written with its @
    while words and (_LEAD_WORDS.match(words[-1]) or _ALNUM.search(words[-1]) is None):
        prefix += " ~" + words.pop().casefold()
    while words and _LEAD_WORDS.match(words[0]):
        prefix += " " + words.pop(0).casefold() + "~"
    return " ".join(words), prefix


def _by_shape(prefix: str) -> str | None:
    """comment_header_by_v1: 'by NAME' (a user number beside it) is one shape whether or not a
    date follows: the date is what varies, the fixed words are the shape."""
    return prefix.split(" ")[0].replace("(#)", "") if prefix.startswith("by:") else None


def _clean(s: str) -> tuple[str, bool]:
    """The line without list numbering and bullets; whether it was numbered."""
    n = _NUMBERED.match(s)
    if n and month_number(s[n.end() :].split(None, 1)[0].rstrip(",")) is not None:
        n = None  # "3. November 2023" is a date, not item 3
    if n:
        s = s[n.end() :]
    b = _BULLET.match(s)
    if b and b.end() < len(s):
        s = s[b.end() :]
    return s, n is not None


def _date_only(s: str, language: str) -> DateMatch | None:
    """The line is a date or time and nothing else but connector words."""
    if len(s) > SHORT_LINE:
        return None
    dm = find_datetime(s, language)
    if dm is None:
        return None
    rest, _ = _strip_name(s[: dm.start] + " " + s[dm.end :])
    return dm if not rest else None


#: comment_date_form_v1: in a header's shape a date is its form, not the rule that read it: a
#: slash date read day first and one read month first ('23/04/2020', '09/06/2020') are one
#: form, and so are a month-name date with its year and one without ('Le 9 janvier à 13:06').
_FORMS = {
    "date_numeric_dmy_v1": "numeric",
    "date_numeric_mdy_v1": "numeric",
    "date_glued_v1": "numeric",
    "date_month_name_v1": "month",
    "date_month_day_v1": "month",
}


def _form(dm: DateMatch) -> str:
    return _FORMS.get(dm.rule, dm.rule)


def _shape_of(s: str) -> str:
    return re.sub(r"\d+", "#", s.casefold())


def _time_text(s: str, dm: DateMatch) -> str:
    """The time as the page shows it; a capitalised 'On'/'Le'/'Am' in front starts it and is
    kept, a lower-case one joins it to the name and is not."""
    before = s[: dm.start].rstrip()
    word = before.rsplit(None, 1)[-1] if before else ""
    if (
        word[:1].isupper()
        and _LEAD_WORDS.match(word)
        and word.casefold() not in ("at", "a", "um", "à")
    ):
        return s[dm.start - (len(s[: dm.start]) - len(before)) - len(word) : dm.end]
    return dm.raw


def _candidate(
    m: Marker, i: int, nxt: int | None, language: str, prv: int | None = None
) -> _Cand | None:
    ln = m.lines[i]
    s = ln.stripped
    if len(s) > MAX_HEADER_CHARS:
        return None
    indent = len(ln.text) - len(ln.text.lstrip())
    body, _numbered = _clean(s)
    site = ""
    if body[:4] in ("http", "www.") and (u := _URL_FIRST.match(body)) is not None:
        # comment_author_site_link_v1: the commenter's site linked in front of the name is
        # not part of the name, and does not make the line too long for one
        bulleted, body, site = body != s, body[u.end() :], "comment_author_site_link_v1"
        s = "• " + body if bulleted else body
    if body.count(" ") > MAX_HEADER_WORDS:
        return None  # a name (six words at most), a date and a few fixed words at most
    dm = find_datetime(body, language)
    if dm is None and len(body) > SHORT_LINE and body[-1:] not in ":.…":
        return None  # no date, no verb and too long for a name alone: the common case, cheaply
    segments = [body] if dm is None else [body[: dm.start], body[dm.end :]]
    for k, seg in enumerate(segments):
        # a line's first '@' is a handle's ('@anna sagt:'); after a date it joins the two
        seg = seg.rstrip(_EDGE).lstrip(_EDGE_NO_AT if k == 0 else _EDGE)
        says = _SAYS.match(seg) if seg[-1:] in ":.…" else None
        if says is None or (len(segments) == 2 and _strip_name(segments[1 - k])[0]):
            continue
        name, prefix = _strip_name(says.group("name"))  # comment_header_says_v1
        rule = "comment_author_numeric_handle_v1" if name.isdigit() else ""
        whole = says.group("name").strip().lstrip(_EDGE_NO_AT)
        if (not prefix or _PUNCT_TAILS.fullmatch(prefix)) and _marks_after(whole, name):
            # 'Yay !! sagt:', 'hm -_- says:', 'Ann (@ann) says:': the marks are the name's
            name, prefix = whole, ""
        last, raw = i, _time_text(body, dm) if dm else None
        if dm is None and nxt is not None:
            dm = _date_only(m.lines[nxt].stripped, language)
            if dm is not None:
                last, raw = nxt, _time_text(m.lines[nxt].stripped, dm)
        if not _name_ok(name, verb=True):
            if not (last != i and _said_name(name)):
                return None
            rule = "comment_author_says_dated_v1"
        shape = f"says:{prefix}:{k}:{'d' if dm else '-'}"  # the verb may vary: sagt, schreibt
        return _Cand(i, last, "comment_header_says_v1", shape, name, dm, raw, indent, rule)
    if dm is not None and dm.rule == "time_clock_v1":
        return None  # a clock alone (a timetable, a ticker) does not date a comment
    if dm is not None:  # comment_header_name_date_v1: name and date on one line
        left, right = body[: dm.start], body[dm.end :]
        lname, lpre = _strip_name(left)
        rname, rpre = _strip_name(right)
        if lname and rname:
            if not (_by_shape(lpre) and len(rname.split()) <= 2 and not _DIGIT.search(rname)):
                return None
            rname = ""  # 'by NAME on DATE Homepage Journal': links after the date, not a name
        name = lname or rname
        if not name:
            if nxt is None:
                return None
            # comment_header_two_line_v1, date first: the name alone on the next line
            nb, _ = _clean(m.lines[nxt].stripped)
            name, pre = _strip_name(nb)
            if not _short_name(name) or nb.endswith(",") or find_datetime(nb, language):
                return None
            shape = f"two:dn:{lpre}{rpre}:{pre}"
            return _Cand(
                i, nxt, "comment_header_two_line_v1", shape, name, dm, _time_text(body, dm), indent
            )
        rule = ""
        if not _name_ok(name):
            # comment_author_framed_v1: 'Posted by: NAME at DATE': fixed words on both sides
            # frame the name, whatever it says ('Snow, child of winter')
            if not (lname and _by_shape(lpre) and _said_name(name)):
                return None
            rule = "comment_author_framed_v1"
        order = "nd" if lname else "dn"
        shape = _by_shape(lpre) or (
            f"nd:{order}:{_shape_of(lpre)}|{_shape_of(rpre)}:{_form(dm)}:{dm.clock is not None}"
        )
        kind = "comment_header_name_date_v1"
        return _Cand(i, i, kind, shape, name, dm, _time_text(body, dm), indent, rule)
    if nxt is None:
        return None
    if len(body) > SHORT_LINE or len(body.split()) > 6:
        return None
    # A name alone: the next line is its date (comment_header_two_line_v1) or its text
    # (comment_header_name_only_v1); the next line is looked at first, as it is cheaper.
    nl = m.lines[nxt].stripped
    nd = _date_only(nl, language)
    if nd is None:
        nw = len(nl.split())
        if not (nw >= 6 or nl[-1:] in ".!?)" or nw > len(body.split()) + 1):
            return None
    elif nd.rule == "time_clock_v1":
        return None
    name, pre = _strip_name(body)
    if not _short_name(name):
        return None
    if nd is not None:
        raw = _time_text(nl, nd)
        shape = f"two:nd:{pre}:{_form(nd)}"
        first = _badge_line_name(m, name, i, prv)
        if first is not None:
            return _Cand(
                prv or 0,
                nxt,
                "comment_header_two_line_v1",
                shape,
                first,
                nd,
                raw,
                indent,
                "comment_author_badge_line_v1",
            )
        return _Cand(i, nxt, "comment_header_two_line_v1", shape, name, nd, raw, indent, site)
    shape = _by_shape(pre) or f"name:{'b' if body != s else '-'}:{pre}"
    if "~chrome:" in pre:  # comment_header_name_chrome_v1: 'NAME Reply' is a header's shape
        kind = "comment_header_name_chrome_v1"
        return _Cand(i, i, kind, shape, name, None, None, indent, "comment_author_chrome_tail_v1")
    return _Cand(i, i, "comment_header_name_only_v1", shape, name, None, None, indent, site)


def _badge_line_name(m: Marker, name: str, i: int, prv: int | None) -> str | None:
    """comment_author_badge_line_v1: a role badge alone on its line ('Author', 'Autor') between
    the name and the date: the name is the line right above it."""
    if prv is None or prv != i - 1 or name.casefold() not in _ROLE_BADGES:
        return None
    first, _ = _strip_name(_clean(m.lines[prv].stripped)[0])
    return first if _short_name(first) and first.casefold() not in _ROLE_BADGES else None


# -- the thread -----------------------------------------------------------------------


@dataclass
class Thread:
    start: int
    stop: int
    comments: list[CommentDraft] = field(default_factory=list)


@dataclass(slots=True)
class _Group:
    cands: list[_Cand]
    ks: list[int]  # each candidate's position in the list of free lines
    opener: int | None  # position of the opener in the list of free lines
    footer: bool
    score: float


def _order(values: list[float]) -> tuple[float, float]:
    """Shares of the values on the longest run rising and on the longest run falling."""
    if len(values) < 2:
        return 1.0, 1.0
    out = []
    for seq in (values, [-v for v in values]):
        tails: list[float] = []
        for v in seq:
            k = bisect.bisect_right(tails, v)
            tails[k : k + 1] = [v]
        out.append(len(tails) / len(values))
    return out[0], out[1]


def _chronology(m: Marker, cands: list[_Cand]) -> tuple[float, int, bool]:
    """thread_chronology_v1: the share of timed headers in order. Top-level headers (the least
    indented) run in order, rising or falling; a reply (indented deeper) is no older than the
    header it is nested under. Returns the share, the number of timed headers and whether the
    top level runs newest first with no replies nested under it (an archive list's order)."""
    depths = _depth_levels([_col(m.lines[c.i]) for c in cands])
    stamps = [_stamp(c) for c in cands]
    top = [t for t, d in zip(stamps, depths, strict=True) if d == 0 and t is not None]
    timed = len(top)
    rising, falling = _order(top)
    ok = max(rising, falling) * len(top)
    parents: list[float | None] = []  # the latest stamp seen at each depth
    for t, d in zip(stamps, depths, strict=True):
        del parents[d:]
        parents.extend([None] * (d - len(parents)))
        if d and t is not None:
            timed += 1
            parent = parents[d - 1]
            ok += parent is None or t >= parent
        parents.append(t)
    nested = timed > len(top)
    return (ok / timed if timed else 1.0), timed, falling > rising and not nested


def _stamp(c: _Cand) -> float | None:
    dm = c.when
    if dm is None or dm.relative or dm.date is None:
        return None
    t = dm.datetime.timestamp() if dm.datetime else None
    return t if t is not None else float(dm.date.toordinal() * 86400)


def _undoubled(s: str) -> str:
    """'Reply Reply' (a button's icon label and its text) as 'Reply'; else the line."""
    h = len(s) // 2
    return s[:h] if len(s) % 2 and s[h] == " " and s[:h] == s[h + 1 :] else s


def _free_kind(s: str) -> str | None:
    """Thread furniture: the rule that drops a line, or None for a line of text."""
    if s[:1].isdigit() or s[:1] in _ITEM_MARKS:
        s = _clean(s)[0]  # a numbered or bulleted item of the thread's list
    if _PINGBACK.match(s):
        return "pingback_v1"
    if len(s) <= 80 and (_CHROME.match(s) or _CHROME.match(_undoubled(s))):
        return "thread_chrome_v1"
    if len(s) <= 200 and _FORM.match(s):
        return "comment_form_v1"
    if len(s) <= 80 and _OPENER.match(s):
        return "thread_opener_v1"
    return None


_PERSONAL = _words(
    "i i'm i've i'd me my mine you you're your we our us ich mich mir mein meine du dich dir "
    "dein wir uns unser je j'ai moi mon ma mes tu toi vous votre nous notre yo me mi mis tú te "
    "usted nosotros nuestro io mio mia tu voi noi eu meu minha você nós ik mijn jij jou je jullie "
    "wij ons"
)


def _words_in(m: Marker, idx: list[int]) -> tuple[int, bool]:
    """Words on the lines that are no furniture, and whether the first forty of them speak in
    the first or second person (comment_conversational_v1), as readers' comments do and
    headings, teasers and listings don't."""
    n = 0
    personal = False
    for i in idx:
        s = m.lines[i].stripped
        if _free_kind(s) is not None:
            continue
        words = s.split()
        if n < 40 and not personal:
            personal = not {w.strip(".,;:!?()\"'“”’").casefold() for w in words[:40]}.isdisjoint(
                _PERSONAL
            )
        n += len(words)
    return n, personal


def _first_lines_personal(m: Marker, free: list[int], ks: list[int]) -> float:
    """The share of headers whose next line speaks in the first or second person."""
    hits = 0
    for k in ks:
        if k + 1 < len(free):
            hits += _words_in(m, [free[k + 1]])[1]
    return hits / len(ks)


def _score(
    m: Marker, free: list[int], cands: list[_Cand], ks: list[int], openers: list[int]
) -> _Group | None:
    n = len(cands)
    kind = "comment_header_name_only_v1" if _bare(cands) else cands[0].kind
    first_k = ks[0]
    op = None
    for o in reversed(openers):
        if o < first_k:
            if first_k - o <= OPENER_WINDOW:
                op = o
            break
    need = MIN_NAME_ONLY if kind == "comment_header_name_only_v1" else MIN_HEADERS
    if op is not None and kind != "comment_header_name_only_v1":
        need = MIN_HEADERS_OPENER
    if n < need:
        return None
    distinct = len({c.name.casefold() for c in cands})
    if kind == "comment_header_name_only_v1" and (op is None or first_k - op > 3):
        # comment_header_name_only_v1 without an opener right above: only a long list of
        # bulleted short names, nearly all different
        names = sorted(len(c.name.split()) for c in cands)
        if not (
            cands[0].shape.startswith(("name:b", "by:"))
            and n >= MIN_NAME_ONLY_BARE
            and names[n // 2] <= 2
            and distinct / n >= 0.6
        ):
            return None
        op = None
    if distinct == 1 or (
        distinct / n < MIN_DISTINCT and (op is None or distinct < MIN_DISTINCT_NAMES_OPENER)
    ):
        return None  # thread_participants_v1: a long thread under its opener, few regulars
    order, timed_n, newest_first = _chronology(m, cands)
    if timed_n >= 3 and (order < MIN_ORDER or (newest_first and op is None)):
        return None
    # Text of its own: words on the free lines that are no furniture between a candidate and
    # the next (after it for a header, before it for a footer).
    words_after: list[tuple[int, bool]] = []
    words_before: list[tuple[int, bool]] = []
    chrome_after = chrome_before = 0
    bounds = [*ks, len(free)]
    for j, c in enumerate(cands):
        lo = next((k for k in range(ks[j], bounds[j + 1]) if free[k] > c.last), bounds[j + 1])
        own = [free[k] for k in range(lo, min(bounds[j + 1], lo + 40))]
        words_after.append(_words_in(m, own))
        if own and _free_kind(m.lines[own[0]].stripped) == "thread_chrome_v1":
            chrome_after += 1
        if ks[j] > 0 and _free_kind(m.lines[free[ks[j] - 1]].stripped) == "thread_chrome_v1":
            chrome_before += 1
        prev = max(ks[j - 1] + 1 if j else 0, ks[j] - (40 if j else 3))
        words_before.append(_words_in(m, [free[k] for k in range(prev, ks[j])]))
    # The edges: a footer thread's last line is a footer, a header thread's first is a header.
    edge = (words_after[-1][0] == 0 and words_before[0][0] > 0) - (
        words_before[0][0] == 0 and words_after[-1][0] > 0
    )
    footer = _is_footer(m, free, cands, ks, op, chrome_after - chrome_before, edge)
    own_text = words_before if footer else words_after
    words = sorted(w for w, _ in own_text)
    if sum(1 for w in words if w) / n < MIN_WITH_TEXT:
        return None
    personal = sum(p for _, p in own_text) / n
    if (
        kind == "comment_header_name_only_v1"
        and _first_lines_personal(m, free, ks) < MIN_CONVERSATIONAL
    ):
        return None
    if op is None and n < MIN_HEADERS_PLAIN and personal < MIN_CONVERSATIONAL_TIMED:
        return None
    min_words = (
        MIN_MEDIAN_WORDS_NAME_ONLY if kind == "comment_header_name_only_v1" else MIN_MEDIAN_WORDS
    )
    if words[n // 2] < min_words:
        return None
    timed = sum(1 for c in cands if c.when is not None) / n
    score = n * (1.0 + timed) * (1.3 if op is not None else 1.0) * order
    return _Group(cands, ks, op, footer, score)


_FOOTER_PREFIX = re.compile(
    r"^(?:posted|submitted|written|geschrieben|verfasst|publié|posté|publicado|enviado)"
)


def _is_footer(
    m: Marker,
    free: list[int],
    cands: list[_Cand],
    ks: list[int],
    op: int | None,
    chrome: int,
    edge: int,
) -> bool:
    """thread_footer_v1: the candidates sign the text above them rather than open the text below.
    Evidence in order: reply links right after the candidates rather than right before them
    (chrome > 0); the last candidate closing the thread while text stands above the first
    (edge > 0); text between the opener and the first candidate."""
    if cands[0].kind in ("comment_header_says_v1", "comment_header_name_chrome_v1"):
        return False  # 'NAME says:' and 'NAME Reply' open the text below them
    if _bare(cands):
        return False
    if chrome:
        return chrome > 0
    if edge:
        return edge > 0
    if op is not None:
        between = [free[k] for k in range(op + 1, ks[0])]
        return bool(any(_free_kind(m.lines[i].stripped) is None for i in between))
    first = m.lines[cands[0].i].stripped
    return bool(_FOOTER_PREFIX.match(first.lower())) or first[:1] in "–—-"


def find_thread(m: Marker, language: str = "und") -> Thread | None:
    """The page's reader-comment thread: found, marked in m and returned, or None (no marks)."""
    lines = m.lines
    free = [i for i in range(len(lines)) if m.free(i)]
    openers = [
        k
        for k, i in enumerate(free)
        if len(lines[i].stripped) <= 80 and _OPENER.match(lines[i].stripped)
    ]
    groups: dict[str, tuple[list[_Cand], list[int]]] = defaultdict(lambda: ([], []))
    for k, i in enumerate(free):
        c = _candidate(
            m, i, free[k + 1] if k + 1 < len(free) else None, language, free[k - 1] if k else None
        )
        if c is None:
            continue
        cs, ks = groups[c.shape]
        if cs and cs[-1].last >= c.i:
            continue  # overlaps the previous header of its shape (a two-line header's date)
        if cs and cs[-1].kind == "comment_header_says_v1" and _next_free(free, k, cs[-1].last):
            continue  # 'NAME wrote:' right under a header opens its quotation: no header
        cs.append(c)
        ks.append(k if c.i == i else k - 1)  # a header may start on the line above
    for cs, _ in groups.values():
        if _date_order(cs):
            m.rules["comment_date_order_v1"] += 1
    best: _Group | None = None
    for cs, ks in (run for shape in groups.values() for run in _runs(*shape, openers)):
        g = _score(m, free, cs, ks, openers)
        if g is not None and (best is None or _better(g, best)):
            best = g
    if best is None:
        return None
    m.rules["thread_shape_v1"] += 1
    m.rules["thread_run_v1"] += 1
    if any(c.when is not None for c in best.cands):
        m.rules["thread_chronology_v1"] += 1
    if len({c.when.rule for c in best.cands if c.when is not None and c.when.rule in _FORMS}) > 1:
        m.rules["comment_date_form_v1"] += 1  # one shape across date rules of one form
    if len({c.name.casefold() for c in best.cands}) / len(best.cands) < MIN_DISTINCT:
        m.rules["thread_participants_v1"] += 1
    if best.cands[0].shape.startswith("name:b:") and _bare(best.cands):
        _fill_run(m, free, best)
    parts = [best, *_more_runs(m, free, groups[best.cands[0].shape], openers, best)]
    parts.sort(key=lambda g: g.ks[0])
    threads: list[Thread] = []
    for g in parts:
        threads.append(_build(m, free, g, language, sum(len(t.comments) for t in threads)))
    if len(parts) > 1:
        m.rules["thread_more_runs_v1"] += len(parts) - 1
    comments = [c for t in threads for c in t.comments]
    return Thread(min(t.start for t in threads), max(t.stop for t in threads), comments)


def _more_runs(
    m: Marker,
    free: list[int],
    shape: tuple[list[_Cand], list[int]],
    openers: list[int],
    best: _Group,
) -> list[_Group]:
    """thread_more_runs_v1: a page that shows a short thread under each of several posts (the
    comments under a question and under each answer) repeats the chosen thread's header shape
    in other runs, too short to be a thread alone. When the chosen thread signs its comments
    below their text (a footer thread), such a run is a thread too when every one of its
    footers carries an absolute time, none overlaps the chosen thread, and each has text of its
    own above it."""
    if not best.footer:
        return []  # a header thread's other runs are as often a list of teasers with bylines
    out = []
    lo, hi = best.ks[0], best.ks[-1]
    for cs, ks in _runs(*shape, openers):
        if ks[-1] >= lo and ks[0] <= hi:
            continue
        if any(c.when is None or c.when.relative for c in cs):
            continue
        bounds = [*ks, len(free)]
        if best.footer:
            spans = [
                range(max(ks[j - 1] + 1 if j else 0, ks[j] - 3), ks[j]) for j in range(len(ks))
            ]
        else:
            spans = [range(ks[j] + 1, min(bounds[j + 1], ks[j] + 6)) for j in range(len(ks))]
        if all(
            _words_in(m, [free[k] for k in span if best.footer or free[k] > c.last])[0] >= 3
            for c, span in zip(cs, spans, strict=True)
        ):
            out.append(_Group(cs, ks, None, best.footer, 0.0))
    return out


_NUMERIC = ("date_numeric_dmy_v1", "date_numeric_mdy_v1")


def _date_order(cands: list[_Cand]) -> bool:
    """comment_date_order_v1: the headers of one shape write their slash dates in one order. When
    some of them can only be read day first ('23/04/2020') and none only month first, or the
    other way round, the ambiguous ones ('09/06/2020') are read in that order, whatever the
    page's language suggests (date_numeric_order_v1). Returns whether a date was read anew."""
    numeric = [c for c in cands if c.when is not None and c.when.rule in _NUMERIC]
    if len(numeric) < 2:
        return False
    proven: set[str] = set()
    ambiguous: list[tuple[_Cand, dict[str, DateMatch]]] = []
    for c in numeric:
        assert c.when is not None
        reads = {}
        for lang in ("en", "de"):  # month first, day first
            dm = find_datetime(c.when.raw, lang)
            if dm is not None and dm.rule in _NUMERIC and dm.date is not None:
                reads[dm.rule] = dm
        if len(reads) == 1:
            proven.update(reads)
        elif len(reads) == 2:
            ambiguous.append((c, reads))
    if len(proven) != 1 or not ambiguous:
        return False
    rule = proven.pop()
    changed = False
    for c, reads in ambiguous:
        assert c.when is not None
        if c.when.rule != rule:
            r = reads[rule]
            c.when = replace(c.when, date=r.date, datetime=r.datetime, rule=rule)
            changed = True
    return changed


def _fill_run(m: Marker, free: list[int], g: _Group) -> None:
    """comment_header_in_run_v1: in a thread of bulleted names alone, a bulleted item laid out
    as its headers are (the same column, a short line with the text indented under it) is a
    header too, though its name failed comment_author_name_v1 ('Anonymous', 'A Friend',
    'why so serious?'): every item of the list is a comment."""
    lines = m.lines
    cols = {_col(lines[c.i]) for c in g.cands}
    cands: list[_Cand] = []
    ks: list[int] = []
    for j, (c, k) in enumerate(zip(g.cands, g.ks, strict=True)):
        cands.append(c)
        ks.append(k)
        hi = g.ks[j + 1] if j + 1 < len(g.ks) else k
        for q in range(k + 2, hi):
            ln = lines[free[q]]
            s = ln.stripped
            if s[:1] not in _ITEM_MARKS or len(s) > SHORT_LINE + 40 or _col(ln) not in cols:
                continue
            body, _ = _clean(s)
            u = _URL_FIRST.match(body) if body[:4] in ("http", "www.") else None
            name = body[u.end() :] if u else body
            nxt = lines[free[q + 1]]
            if (
                len(name) > 50
                or len(name.split()) > 6
                or _ALPHA.search(name) is None
                or _free_kind(body) is not None
                or nxt.stripped[:1] in _ITEM_MARKS
                or len(nxt.text) - len(nxt.text.lstrip()) < _col(ln)
                or _ALPHA.search(nxt.stripped) is None
            ):
                continue
            indent = len(ln.text) - len(ln.text.lstrip())
            kind, rule = "comment_header_name_only_v1", "comment_header_in_run_v1"
            cands.append(_Cand(free[q], free[q], kind, c.shape, name, None, None, indent, rule))
            ks.append(q)
    g.cands, g.ks = cands, ks


def _bare(cands: list[_Cand]) -> bool:
    """No header of the shape carries a time or a verb: a shape of names alone."""
    return all(
        c.when is None and c.kind not in ("comment_header_says_v1", "comment_header_name_chrome_v1")
        for c in cands
    )


def _better(g: _Group, best: _Group) -> bool:
    """A shape that carries names only is taken only when no shape with times qualifies."""
    g_bare = _bare(g.cands)
    best_bare = _bare(best.cands)
    if g_bare != best_bare:
        return best_bare
    return g.score > best.score


def _next_free(free: list[int], k: int, last: int) -> bool:
    """Line free[k] is the first free line after line last."""
    return k > 0 and free[k - 1] <= last


def _runs(
    cands: list[_Cand], ks: list[int], openers: list[int]
) -> list[tuple[list[_Cand], list[int]]]:
    """thread_run_v1: a shape's candidates split where more than MAX_GAP free lines (fewer for
    names alone) or a thread opener separate two of them: a thread is one run down the page."""
    gap = MAX_GAP_NAME_ONLY if _bare(cands) else MAX_GAP
    out: list[tuple[list[_Cand], list[int]]] = []
    lo = 0
    o = 0  # next opener
    for j in range(1, len(ks) + 1):
        while o < len(openers) and j < len(ks) and openers[o] < ks[j - 1]:
            o += 1
        split_at_opener = j < len(ks) and o < len(openers) and openers[o] < ks[j]
        if j == len(ks) or ks[j] - ks[j - 1] > gap or split_at_opener:
            out.append((cands[lo:j], ks[lo:j]))
            lo = j
    return out


def _build(m: Marker, free: list[int], g: _Group, language: str, before: int = 0) -> Thread:
    """Mark the group's thread in m; its comments are numbered after ``before`` others."""
    lines = m.lines
    cands, ks = g.cands, g.ks
    n_free = len(free)
    if not g.footer and g.opener is None and len(cands) >= 3 and not _prose_before(m, free, ks[0]):
        # forum_first_post_body_v1: no article above the first post: the first post is the
        # page's body, the replies are its comments
        m.rules["forum_first_post_body_v1"] += 1
        cands, ks = cands[1:], ks[1:]
    # The free lines each comment owns (positions in free), header/footer lines excluded.
    spans: list[list[int]] = []
    if g.footer:
        m.rules["thread_footer_v1"] += 1
        for j in range(len(cands)):
            if j:
                lo = next(k for k in range(ks[j - 1], ks[j] + 1) if free[k] > cands[j - 1].last)
            elif g.opener is not None:
                lo = g.opener + 1
            else:  # the paragraph right above the first footer
                m.rules["thread_start_paragraph_v1"] += 1
                lo = max(0, ks[0] - 1)
                while lo > 0 and free[lo - 1] + 1 == free[lo]:
                    lo -= 1
            spans.append(list(range(lo, ks[j])))
    else:
        for j in range(len(cands)):
            lo = next((k for k in range(ks[j], n_free) if free[k] > cands[j].last), n_free)
            hi = ks[j + 1] if j + 1 < len(cands) else None
            if hi is None:
                hi = _last_stop(m, free, lo, spans, cands[j])
            spans.append(list(range(lo, hi)))
    start_k = (
        g.opener if g.opener is not None else (spans[0][0] if g.footer and spans[0] else ks[0])
    )
    # The opener stands above the thread only across furniture and short lines.
    if g.opener is not None and not g.footer:
        between = range(g.opener + 1, ks[0])
        if any(
            _free_kind(lines[free[k]].stripped) is None and len(lines[free[k]].stripped.split()) > 4
            for k in between
        ):
            start_k = ks[0]
    last_k = (spans[-1][-1] if spans[-1] else ks[-1]) if not g.footer else ks[-1]
    last_k = max(last_k, ks[-1])
    # The furniture under the thread (pingbacks, the comment form) belongs to it.
    while last_k + 1 < n_free and _free_kind(lines[free[last_k + 1]].stripped) is not None:
        last_k += 1
    for k in range(start_k, min(ks[0], spans[0][0] if spans[0] else ks[0])):
        rule = _free_kind(lines[free[k]].stripped) or "thread_chrome_v1"
        m.drop(free[k], rule)
    comments: list[CommentDraft] = []
    depth_cols = _depth_levels([_col(lines[c.i]) for c in cands])
    by_author: dict[str, int] = {}
    depths: list[int] = []
    for j, c in enumerate(cands):
        own = [free[k] for k in spans[j]]
        header = list(range(c.i, c.last + 1))
        if any(_PINGBACK.match(lines[i].stripped) for i in own[:1]) or _PINGBACK.match(c.name):
            for i in (*header, *own):
                if m.free(i):
                    m.drop(i, "pingback_v1")
            continue
        text_lines: list[int] = []
        kinds = [_free_kind(lines[i].stripped) for i in own]
        emoji_text = None not in kinds and any(_EMOJI_LINE.match(lines[i].stripped) for i in own)
        for n, i in enumerate(own):
            kind = kinds[n]
            if kind == "thread_chrome_v1" and not text_lines and _mark_opens_text(m, own, n):
                kind = None
                m.rules["comment_text_mark_v1"] += 1
            elif emoji_text and _EMOJI_LINE.match(lines[i].stripped):
                kind = None  # comment_emoji_text_v1
                m.rules["comment_emoji_text_v1"] += 1
            if kind is not None and kind != "pingback_v1":
                m.drop(i, kind)
            else:
                text_lines.append(i)
        if c.when is None and len(text_lines) > 1:
            # comment_time_footer_v1: the time printed below the text ('NAME said...' ... DATE)
            dm = _date_only(lines[text_lines[-1]].stripped, language)
            if dm is not None and dm.rule != "time_clock_v1":
                header.append(text_lines.pop())
                c.when, c.raw_time = dm, _time_text(lines[header[-1]].stripped, dm)
                m.rules["comment_time_footer_v1"] += 1
        if not text_lines:
            for i in header:
                if m.free(i):
                    m.drop(i, "comment_without_text_v1")
            continue
        link = _REPLY_LINE.match(lines[text_lines[0]].stripped)
        if link is not None and len(text_lines) > 1:
            # comment_reply_to_v1: 'Response to NAME, DATE' above the text is the reply's link
            header.append(text_lines.pop(0))
        pos = before + len(comments) + 1
        quoted_lines, reply_name = _quotation(m, text_lines)
        if quoted_lines:
            m.rules["comment_quotation_v1"] += 1
            text_lines = text_lines[len(quoted_lines) :]
            for i in quoted_lines:
                m.mark(i, f"quotation {pos}")
        for i in text_lines:
            m.mark(i, f"comment {pos}")
        for i in header:
            if m.free(i):
                m.mark(i, f"signature {pos}", c.kind)
        if c.shape.startswith("by:"):
            m.rules["comment_header_by_v1"] += 1
        if c.rule:
            m.rules[c.rule] += 1
        depth = depth_cols[j]
        if depth:
            m.rules["comment_depth_indent_v1"] += 1
        target = None
        r = link or _REPLY_TO.match(lines[text_lines[0]].stripped)
        name = reply_name or (r.groupdict().get("at") or r.group("to") if r else None)
        if name and name.casefold().strip("@") in by_author:
            target = by_author[name.casefold().strip("@")]
            m.rules["comment_reply_to_v1"] += 1
        elif depth:
            target = next((k for k in range(len(comments) - 1, -1, -1) if depths[k] < depth), None)
        first = min(header[0], *(quoted_lines or text_lines))
        last = max(header[-1], text_lines[-1])
        dm = c.when
        if dm is not None:
            m.rules[dm.rule] += 1  # the date rule that read the comment's time
        comments.append(
            CommentDraft(
                position=pos,
                author=c.name,
                posted_at=dm.datetime if dm and not dm.relative else None,
                text=_text(lines, text_lines),
                quoted_text=_text(lines, quoted_lines) if quoted_lines else None,
                reply_to_position=None if target is None else comments[target].position,
                char_start=lines[first].start,
                char_end=lines[last].end,
                posted_text=c.raw_time,
                depth=depth,
            )
        )
        depths.append(depth)
        by_author[c.name.casefold()] = len(comments) - 1
    # Lines of the region nobody claimed (furniture after the thread).
    for k in range(start_k, last_k + 1):
        i = free[k]
        if m.free(i):
            m.drop(i, _free_kind(lines[i].stripped) or "thread_chrome_v1")
    return Thread(free[start_k], free[last_k] + 1, comments)


_MARK = re.compile(r"^[?!+*±–−-]{1,3}$")  # a reader's mark: no list bullet, no icon
#: comment_emoji_text_v1: a line of pictographs only ('🥰🥰🥰'), when a comment has no other
#: line of text, is what the reader wrote, not a button's icon.
_EMOJI_LINE = re.compile(r"^[\U0001F000-\U0001FAFF\u2764\u2665\uFE0F\u200D\s]+$")


def _mark_opens_text(m: Marker, own: list[int], n: int) -> bool:
    """comment_text_mark_v1: a line of a symbol or two ('?', '+', '*+') right above the first
    line of a comment's text, no blank between, is the reader's mark, not a button's."""
    i = own[n]
    if n + 1 >= len(own) or own[n + 1] != i + 1 or not _MARK.match(m.lines[i].stripped):
        return False
    s = m.lines[i + 1].stripped
    return len(s.split()) >= 3 and _free_kind(s) is None


def _prose_before(m: Marker, free: list[int], k: int) -> bool:
    """Some free line of prose (eight words or more; no furniture, no breadcrumb) stands above
    free[k]."""
    for j in range(k):
        s = m.lines[free[j]].stripped
        if len(s.split()) >= 8 and _free_kind(s) is None and not _CRUMB.search(s):
            return True
    return False


def _col(ln: Line) -> int:
    s = ln.stripped
    body, _ = _clean(s)
    return len(ln.text) - len(ln.text.lstrip()) + len(s) - len(body)


def _depth_levels(cols: list[int]) -> list[int]:
    """comment_depth_indent_v1: the rank of each header's column among the thread's columns."""
    levels: list[int] = []
    for c in sorted(set(cols)):
        if not levels or c - levels[-1] > 1:
            levels.append(c)
    out = []
    for c in cols:
        d = 0
        while d + 1 < len(levels) and levels[d + 1] <= c:
            d += 1
        out.append(d)
    return out


def _last_stop(m: Marker, free: list[int], lo: int, texts: list[list[int]], c: _Cand) -> int:
    """Where the last comment of a header thread ends: at furniture that closes a thread (the
    comment form), at a line indented less than the comments' text, or after as many lines as
    the longest other comment."""
    lines = m.lines
    longest = max((len(t) for t in texts), default=0)
    limit = max(4, longest)
    cols = [len(lines[free[k]].text) - len(lines[free[k]].text.lstrip()) for t in texts for k in t]
    min_col = min(cols) if cols else 0
    k = lo
    while k < len(free) and k - lo < limit:
        s = lines[free[k]].stripped
        kind = _free_kind(s)
        if kind in ("comment_form_v1", "thread_opener_v1"):
            break
        ln = lines[free[k]]
        if min_col > 0 and len(ln.text) - len(ln.text.lstrip()) < min_col:
            break
        k += 1
    return k


def _quotation(m: Marker, text_lines: list[int]) -> tuple[list[int], str | None]:
    """comment_quotation_v1: 'NAME wrote:' opening a comment, and the paragraph under it."""
    lines = m.lines
    q = _QUOTE_ATTR.match(lines[text_lines[0]].stripped)
    if q is None:
        return [], None
    out = [text_lines[0]]
    for i in text_lines[1:]:
        if i != out[-1] + 1 and len(out) > 1:
            break  # the quoted paragraph ends at a gap
        out.append(i)
    if len(out) >= len(text_lines):
        return [], None
    return out, (q.group("a") or q.group("b"))


def _text(lines: Sequence[Line], idx: list[int]) -> str:
    """The lines' text, paragraphs where the page has a blank line, each line stripped."""
    keep = set(idx)
    lo, hi = idx[0], idx[-1] + 1
    paras = paragraphs(
        (lines[i] for i in range(lo, hi) if i in keep or lines[i].blank), keep=lambda ln: True
    )
    # The list indentation a rendered thread puts before every line is layout, not text.
    return "\n\n".join("\n".join(ln.stripped for ln in p) for p in paras)
