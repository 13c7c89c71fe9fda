"""Stage 2: raw bytes -> text, or a named reason why the seed cannot be used.

UTF-8 with or without a byte-order mark, UTF-16 with a mark or without one (recognised by its
zero bytes), and legacy 8-bit text (cp1252) all decode to the same text; CRLF and CR line endings
are read as LF. Nothing else is changed: curly quotes stay curly and no character is "fixed".
Offsets everywhere refer to this text.

UTF-8 is preferred (decode_utf8_first_v1): a seed whose non-ASCII bytes are mostly valid UTF-8
is read as UTF-8 even when a few bytes are not, each invalid byte sequence becoming U+FFFD and
its bytes counted in ``replaced_bytes``; cp1252 is used only when most non-ASCII bytes are not
UTF-8, i.e. when the text reads as a legacy code page rather than as UTF-8 with stray bytes.
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
    replaced_bytes: int = 0  # invalid bytes read as U+FFFD (UTF-8 with stray bytes)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: The same characters as bytes. In UTF-8 and in cp1252 each is one byte that means nothing
#: else, so they can be counted in the raw bytes, which is much faster than a regex scan.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_MARKUP_START = re.compile(r"^\s*(?:<!DOCTYPE|<\?xml|<html\b|<head\b|<body\b)", re.IGNORECASE)


def line_ending_of(raw: str) -> str:
    if "\r" not in raw:  # nearly every text: one scan instead of four counts
        return "lf" if "\n" in raw else "none"
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
    replaced = 0
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", memoryview(data)[len(codecs.BOM_UTF8) :]
        text, replaced = _utf8(body)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", memoryview(data)
        text = _strict(data, "utf-16")
    else:
        body = memoryview(data)
        nul = data.find(b"\x00")
        utf16 = _utf16_without_bom(data) if nul >= 0 else None
        if utf16 is not None:
            encoding = utf16
            text = _strict(data, utf16)
        elif nul >= 0:
            raise Rejected("binary", f"NUL byte at offset {nul}")
        else:
            encoding, text, replaced = _utf8_or_legacy(data)
    if encoding.startswith("utf-16"):
        controls = len(_CONTROL.findall(text))
    else:
        controls = _count_bytes(data if len(body) == len(data) else body, _CONTROL_BYTES)
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise Rejected("binary", f"{controls} control characters: not a text file")
    del body
    ending = line_ending_of(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():
        raise Rejected("whitespace_only", "the file holds only white space")
    if _looks_like_markup(text):
        raise Rejected("markup", "the file is HTML/XML markup, not extracted text")
    return Decoded(text=text, encoding=encoding, line_ending=ending, replaced_bytes=replaced)


_HIGH_BYTES = bytes(range(0x80, 0x100))
_SLICE = 1 << 20  # bytes counted at a time, so that counting never copies the whole seed


def _count_bytes(data: bytes | memoryview, which: bytes) -> int:
    """How many of data's bytes are among ``which``, counted a slice at a time."""
    if isinstance(data, bytes) and len(data) <= _SLICE:  # no copy to make first
        return len(data) - len(data.translate(None, which))
    view, n = memoryview(data), 0
    for i in range(0, len(view), _SLICE):
        part = bytes(view[i : i + _SLICE])
        n += len(part) - len(part.translate(None, which))
    return n


def _utf8(data: bytes | memoryview) -> tuple[str, int]:
    """UTF-8, every invalid byte sequence read as U+FFFD; the text and the bytes replaced."""
    bad = 0

    def count(exc: UnicodeError) -> tuple[str, int]:
        nonlocal bad
        assert isinstance(exc, UnicodeDecodeError)
        bad += exc.end - exc.start
        return "\ufffd", exc.end

    codecs.register_error("corpuskit-count", count)
    text = codecs.utf_8_decode(data, "corpuskit-count", True)[0]
    return text, bad


def _utf8_or_legacy(data: bytes) -> tuple[str, str, int]:
    """decode_utf8_first_v1: UTF-8 when the bytes are; UTF-8 with its few invalid bytes replaced
    when at least as many non-ASCII bytes are valid UTF-8 as are not; else cp1252."""
    try:
        return "utf-8", data.decode("utf-8"), 0
    except UnicodeDecodeError as exc:
        first = exc
    text, bad = _utf8(data)
    if _count_bytes(data, _HIGH_BYTES) - bad >= bad:
        return "utf-8", text, bad
    del text
    try:
        return "cp1252", data.decode("cp1252"), 0
    except UnicodeDecodeError:
        raise Rejected(
            "undecodable",
            f"neither UTF-8 nor cp1252 (byte 0x{data[first.start]:02x} at offset {first.start})",
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """decode_utf16_no_bom_v1: text in UTF-16 without a byte-order mark has a zero byte in most
    of its 2-byte units (every ASCII character), always on the same side; which side names the
    byte order. None when the zero bytes do not fall that way."""
    if len(data) % 2:
        return None
    sample = data[: 1 << 16]
    units = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for zeros, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= units * 0.3 and other <= units * 0.01:
            try:
                data.decode(name)
            except UnicodeDecodeError:
                return None
            return name
    return None


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
