"""Stage 2: raw bytes -> text, or a named reason why the seed cannot be used.

UTF-8 with or without a byte-order mark, UTF-16 with a mark, and legacy 8-bit text (cp1252)
all decode to the same text; CRLF and CR line endings are read as LF. Nothing else is changed:
curly quotes stay curly and no character is "fixed". Offsets everywhere refer to this text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass


class Rejected(Exception):
    """A seed that cannot be used. ``code`` is a stable reason code, ``detail`` says why."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail

    @property
    def message(self) -> str:
        return f"{self.code}: {self.detail}"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    line_ending: str


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: The same characters as bytes. In UTF-8 and in cp1252 each is one byte that means nothing
#: else, so they can be counted in the raw bytes, which is much faster than a regex scan.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_MARKUP_START = re.compile(r"^\s*(?:<!DOCTYPE|<\?xml|<html\b|<head\b|<body\b)", re.IGNORECASE)


def line_ending_of(raw: str) -> str:
    crlf = raw.count("\r\n")
    cr = raw.count("\r") - crlf
    lf = raw.count("\n") - crlf
    kinds = [name for name, n in (("crlf", crlf), ("cr", cr), ("lf", lf)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def decode(data: bytes) -> Decoded:
    """Decode one seed's bytes; raise :class:`Rejected` with the reason when it is unusable."""
    if not data:
        raise Rejected("empty", "the file has no bytes")
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", data[len(codecs.BOM_UTF8) :]
        text = _strict(body, "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        text = _strict(data, "utf-16")
    else:
        body = data
        nul = data.find(b"\x00")
        if nul >= 0:
            raise Rejected("binary", f"NUL byte at offset {nul}")
        try:
            encoding, text = "utf-8", data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                encoding, text = "cp1252", data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise Rejected(
                    "undecodable",
                    f"neither UTF-8 nor cp1252 "
                    f"(byte 0x{data[exc.start]:02x} at offset {exc.start})",
                ) from None
    if encoding == "utf-16":
        controls = len(_CONTROL.findall(text))
    else:
        controls = len(body) - len(body.translate(None, _CONTROL_BYTES))
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise Rejected("binary", f"{controls} control characters: not a text file")
    ending = line_ending_of(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():
        raise Rejected("whitespace_only", "the file holds only white space")
    if _looks_like_markup(text):
        raise Rejected("markup", "the file is HTML/XML markup, not extracted text")
    return Decoded(text=text, encoding=encoding, line_ending=ending)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Rejected(
            "undecodable",
            f"invalid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start})",
        ) from None


def _looks_like_markup(text: str) -> bool:
    if _MARKUP_START.match(text):
        return True
    if "<" not in text:
        return False
    tags = _TAG.findall(text)
    if len(tags) < 5 or sum(map(len, tags)) <= 0.1 * len(text.strip()):
        return False
    # markup_lines_v2: a markup file has tags at the start of most of its lines and hardly a
    # line of text between them; a page of text that shows code (listings of tags) has its
    # prose besides.
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    tagged = sum(1 for ln in lines if ln.startswith("<"))
    prose = sum(1 for ln in lines if len(ln) >= PROSE_CHARS and not ln.startswith("<"))
    return tagged >= 0.5 * len(lines) and prose < 0.1 * len(lines)


#: A line of at least this many characters that is not a tag is text.
PROSE_CHARS = 80
