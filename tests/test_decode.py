"""Issue 13, item 8: UTF-8 is preferred over a legacy code page; stray bytes are counted, not
turned into mojibake; UTF-16 without a byte-order mark is read as UTF-16."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpuskit.decode import Rejected, decode

from .conftest import build_into, write_seed

TEXT = "Un café — the title\n\nA body with the words of the story in it, and more words.\n"


def test_one_stray_byte_keeps_utf8_and_is_counted() -> None:
    raw = TEXT.encode("utf-8")
    at = raw.index(b"the title")
    d = decode(raw[:at] + b"\xa0" + raw[at:])
    assert d.encoding == "utf-8"
    assert d.replaced_bytes == 1
    assert d.text.startswith("Un café — \ufffdthe title")
    assert "Ã" not in d.text


def test_clean_utf8_replaces_nothing() -> None:
    d = decode(TEXT.encode("utf-8"))
    assert (d.encoding, d.replaced_bytes, d.text) == ("utf-8", 0, TEXT)


def test_text_that_reads_as_cp1252_is_cp1252() -> None:
    d = decode(TEXT.encode("cp1252"))
    assert (d.encoding, d.replaced_bytes, d.text) == ("cp1252", 0, TEXT)


def test_stray_bytes_after_a_utf8_bom_are_counted() -> None:
    d = decode(b"\xef\xbb\xbf" + TEXT.encode("utf-8") + b"\xff\xfe\xfd")
    assert (d.encoding, d.replaced_bytes) == ("utf-8-sig", 3)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_utf16(codec: str) -> None:
    d = decode(TEXT.encode(codec))
    assert (d.encoding, d.text) == (codec, TEXT)


def test_nul_bytes_that_are_not_utf16_are_binary() -> None:
    with pytest.raises(Rejected) as err:
        decode(b"A title\n\nSome body\x00\x00 text\n")
    assert err.value.code == "binary"


def test_replaced_bytes_reach_the_metadata_table(tmp_path: Path) -> None:
    raw = TEXT.encode("utf-8")
    write_seed(tmp_path / "seeds", "stray.txt", raw[:5] + b"\x81\x8d" + raw[5:])
    write_seed(tmp_path / "seeds", "clean.txt", "Another title\n\nOther words of a body.\n")
    write_seed(
        tmp_path / "seeds",
        "wide.txt",
        "Wide title\n\nBody text in wide form.\n".encode("utf-16-le"),
    )
    assert build_into(tmp_path / "seeds", tmp_path / "dist") == 0
    lines = (tmp_path / "dist" / "jsonl" / "metadata.jsonl").read_text(encoding="utf-8")
    meta = {m["doc_id"]: m for m in map(json.loads, lines.splitlines())}
    assert (meta["stray"]["encoding"], meta["stray"]["replaced_bytes"]) == ("utf-8", 2)
    assert (meta["clean"]["encoding"], meta["clean"]["replaced_bytes"]) == ("utf-8", 0)
    assert (meta["wide"]["encoding"], meta["wide"]["status"]) == ("utf-16-le", "ok")


@pytest.mark.parametrize(
    ("raw", "ending"),
    [
        (b"one line", "none"),
        (b"a\nb\n", "lf"),
        (b"a\r\nb\r\n", "crlf"),
        (b"a\rb\r", "cr"),
        (b"a\r\nb\n", "mixed"),
        (b"a\rb\n", "mixed"),
    ],
)
def test_line_endings_are_named_and_read_as_lf(raw: bytes, ending: str) -> None:
    d = decode(raw)
    assert d.line_ending == ending
    assert "\r" not in d.text and d.text.count("\n") == raw.count(b"\n") + raw.count(b"\r") - (
        raw.count(b"\r\n")
    )


def test_control_bytes_are_counted_in_the_bytes_with_or_without_a_mark() -> None:
    prose = "A line of ordinary prose that goes on. " * 10  # 390 characters: 3 controls allowed
    for mark in (b"", b"\xef\xbb\xbf"):
        assert decode(mark + (prose + "\x01\x02\x03").encode("utf-8")).text.endswith("\x03")
        with pytest.raises(Rejected, match="binary: 4 control characters"):
            decode(mark + (prose + "\x01\x02\x03\x7f").encode("utf-8"))
