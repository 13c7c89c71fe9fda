"""Language of a text from its function words (language_stopwords_v2).

Each language has a short list of its most frequent function words, written for this module.
The language whose words make up the largest share of the text's words wins when that share is
clear (``[language] min_share``) and ahead of the runner-up by a margin (``min_margin``);
otherwise the text is ``und``. The same lists give the stop-word density that the content
classifier (``blocks``) reads.
"""

from __future__ import annotations

import re

from .thresholds import section

_WORDS: dict[str, str] = {
    "en": """the a an and or but of to in on at for with by from as is are was were be been
        being has have had do does did that this these those it its he she they we you i me my
        him her his their them our us your not no so if than then there which who whom whose
        what when where how why all any some can could will would shall should may might must
        about into over after before under between through during out up down off also only
        just more most very such other one two new said says""",
    "de": """der die das den dem des ein eine einer eines einem einen und oder aber nicht
        ist sind war waren wird werden wurde wurden hat haben hatte sich mit von zu zum zur im
        in auf an am bei aus nach für über unter durch vor auch noch nur schon wie als wenn dass
        daß ich du er sie es wir ihr man sein seine ihre kein keine mehr sehr so doch""",
    "fr": """le la les un une des du de d l et ou mais ne pas est sont était été être a ont en
        avait il elle ils elles on nous vous je tu se sa son ses leur leurs ce cette ces qui
        que quoi dont où dans sur pour par avec sans sous entre au aux plus très comme si tout
        aussi même""",
    "es": """el la los las un una unos unas y o pero no es son era fue ser está están ha han
        había de del al en con sin por para sobre entre que quien cual donde cuando como más
        muy su sus se le les lo nos yo tú él ella ellos ellas este esta estos estas ese esa
        también ya""",
    "it": """il lo la i gli le un uno una e o ma non è sono era erano essere ha hanno aveva di
        del della dei degli delle da dal dalla in nel nella con su sul sulla per tra fra che chi
        cui dove quando come più molto suo sua suoi sue si ci anche questo questa quello""",
    "pt": """o a os as um uma uns umas e ou mas não é são era foi ser está estão tem têm de do
        da dos das em no na nos nas com sem por para sobre entre que quem qual onde quando como
        mais muito seu sua seus suas se lhe ele ela eles elas este esta isso também já""",
    "nl": """de het een en of maar niet is zijn was waren wordt worden werd heeft hebben had
        van te in op aan bij uit naar voor over onder door met ook nog maar al als dan dat die
        dit deze wie wat waar wanneer hoe ik jij je hij zij ze wij we u men er zo geen meer""",
    "ru": """и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по
        только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже
        или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они
        тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под
        это эти этот""",
}

STOPWORDS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in _WORDS.items()}
#: Every language's words together: the density used when a text's language is ``und``.
ANY = frozenset().union(*STOPWORDS.values())
LANGUAGES = tuple(STOPWORDS)
#: The distinct sets of languages that hold a function word ("de" is French, Spanish,
#: Portuguese and Dutch), in a fixed order: a word's group is all that detect needs of it.
_GROUP_OF = {w: tuple(lg for lg in LANGUAGES if w in STOPWORDS[lg]) for w in ANY}
_GROUPS = tuple(sorted(set(_GROUP_OF.values())))
#: Each function word's one-byte code, its group's place in _GROUPS counted from 1 (a text's
#: codes are one bytes object: 0, no function word, is left out, as the table never holds it).
_CODE: dict[str, int] = {w: _GROUPS.index(group) + 1 for w, group in _GROUP_OF.items()}
assert len(_GROUPS) < 256
#: Per language, the codes of the groups without it: deleted from a text's codes (by
#: bytes.translate, in C), they leave one byte per word of the text that is that language's.
_OTHER_CODES: dict[str, bytes] = {
    lg: bytes(code for code, group in enumerate(_GROUPS, 1) if lg not in group) for lg in LANGUAGES
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: How much of a page is read to tell its language: enough words, in linear time.
SAMPLE_CHARS = 20000


#: An ASCII text's letters and apostrophes kept, any other byte made a space (a table of bytes:
#: bytes.translate reads it in C, where str.translate looks each character up in a dict).
_ASCII_WORDS = bytes(
    c if (c < 128 and chr(c).isalpha()) or c == ord("'") else 32 for c in range(256)
)


#: As _ASCII_WORDS, capitals lower-cased in the same pass (an ASCII text needs no lower() copy).
_ASCII_LOWER_WORDS = bytes(c | 32 if 65 <= c <= 90 else b for c, b in enumerate(_ASCII_WORDS))
#: A character that can be part of a word (a letter, a digit, ``_``) and is not ASCII.
_NON_ASCII_WORD_CHAR = re.compile(r"[^\W\x00-\x7f]")


def words(text: str) -> list[str]:
    """Lower-cased words (letters only, an inner apostrophe kept)."""
    if text.isascii():
        low = text
    else:
        low = text.lower()
        if "’" in low or _NON_ASCII_WORD_CHAR.search(low):
            return _WORD.findall(low)
        # every character that is not ASCII is neither a word character nor an apostrophe (a
        # bullet, a dash, a curly double quote): it separates words as a space does, and is
        # encoded as one "?", which the table makes a space
    # The same words, faster: a match of _WORD never spans anything but letters and
    # apostrophes, so the runs of those, split apart, hold the same matches in the same order.
    runs = low.encode("ascii", "replace").translate(_ASCII_LOWER_WORDS).decode("ascii").split()
    if "'" not in low:
        return runs
    return [w for run in runs for w in (_WORD.findall(run) if "'" in run else (run,))]


#: A longer text is read this many characters at a time (cut at white space, which no word
#: holds), so that its words never all exist as strings at once.
_PIECE = 1 << 16
_SPACE = re.compile(r"\s")


def word_counts(text: str, stop: frozenset[str]) -> tuple[int, int]:
    """How many ``words`` the text has, and how many of them are in ``stop``."""
    if len(text) <= _PIECE:  # nearly every text (a line, for blocks): one piece, no loop
        ws = words(text)
        return len(ws), sum(map(stop.__contains__, ws))
    n = hits = start = 0
    while start < len(text):
        cut = _SPACE.search(text, start + _PIECE) if len(text) - start > _PIECE else None
        end = cut.start() if cut else len(text)
        ws = words(text[start:end])
        n += len(ws)
        hits += sum(map(stop.__contains__, ws))
        start = end
    return n, hits


def stopwords(language: str) -> frozenset[str]:
    return STOPWORDS.get(language, ANY)


def detect(text: str) -> tuple[str, str | None]:
    """language_stopwords_v2: the language whose function words are the clear majority share."""
    cfg = section("language")
    ws = words(text[:SAMPLE_CHARS])
    if len(ws) < cfg["min_words"]:
        return "und", None
    # every word looked up once, the function words' codes kept (most words are none), then
    # each language's hits counted in C: its words are the codes left when the others go
    codes = bytes(filter(None, map(_CODE.get, ws)))
    counts = sorted(
        ((len(codes.translate(None, _OTHER_CODES[lg])), lg) for lg in LANGUAGES), reverse=True
    )
    (best, lang), (second, _) = counts[0], counts[1]
    if best / len(ws) >= cfg["min_share"] and best >= second * cfg["min_margin"]:
        return lang, "language_stopwords_v2"
    return "und", None
