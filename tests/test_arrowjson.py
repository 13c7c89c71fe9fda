"""The row check's JSON lines, computed column by column, are byte for byte the encoder's."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.cli import main
from corpuskit.schema import TABLES, load
from corpuskit.writers import arrowjson, jsonl_line

from .conftest import DIST

ROW = pa.schema(
    [
        pa.field("text", pa.string(), nullable=False),
        pa.field("maybe", pa.string()),
        pa.field("n", pa.int64()),
        pa.field("flag", pa.bool_()),
        pa.field("x", pa.float64()),
        pa.field("day", pa.date32()),
        pa.field("at", pa.timestamp("ms")),
        pa.field("names", pa.list_(pa.string())),
        pa.field(
            "marks",
            pa.list_(
                pa.struct(
                    [
                        pa.field("line", pa.int64(), nullable=False),
                        pa.field("why", pa.string()),
                        pa.field("score", pa.float64()),
                    ]
                )
            ),
        ),
    ]
)

# Every character the encoder escapes, a few it does not (DEL, non-ASCII, a line separator).
_chars = st.sampled_from(["a", " ", '"', "\\", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1f",
                          "\x7f", "é", "€", "\u2028", "😀", "/"])  # fmt: skip
_text = st.lists(_chars, max_size=12).map("".join)
_floats = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))
_datetimes = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
_rows = st.fixed_dictionaries(
    {
        "text": _text,
        "maybe": st.one_of(st.none(), _text),
        "n": st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
        "flag": st.one_of(st.none(), st.booleans()),
        "x": _floats,
        "day": st.one_of(st.none(), st.dates()),
        # whole seconds mostly, as the builder writes them; now and then milliseconds
        "at": st.one_of(
            st.none(),
            _datetimes.map(lambda d: d.replace(microsecond=0)),
            _datetimes.map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)),
        ),
        "names": st.one_of(st.none(), st.lists(st.one_of(st.none(), _text), max_size=3)),
        "marks": st.one_of(
            st.none(),
            st.lists(
                st.one_of(
                    st.none(),
                    st.fixed_dictionaries(
                        {
                            "line": st.integers(0, 10**6),
                            "why": st.one_of(st.none(), _text),
                            "score": _floats,
                        }
                    ),
                ),
                max_size=3,
            ),
        ),
    }
)


def _same_as_the_encoder(table: pa.Table) -> None:
    cols = table.column_names
    expected = [jsonl_line(r, cols) for r in table.to_pylist()]
    got = arrowjson.lines(table, cols)
    assert got.to_pylist() == expected
    assert bytes(arrowjson.values(got)) == "".join(expected).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.lists(_rows, max_size=8), st.integers(0, 3))
def test_lines_are_the_encoders_lines(rows: list[dict[str, object]], skip: int) -> None:
    table = pa.Table.from_pylist(rows, schema=ROW)
    _same_as_the_encoder(table)
    _same_as_the_encoder(table.slice(min(skip, len(rows))))  # arrays that start at an offset


MIXED = pa.schema(
    [
        pa.field("a", pa.string(), nullable=False),
        pa.field("b", pa.large_string()),
        pa.field("c", pa.int32()),
        pa.field("d", pa.int64(), nullable=False),
        pa.field("e", pa.list_(pa.large_string())),
        pa.field("f", pa.large_list(pa.string())),
        pa.field("g", pa.string()),
    ]
)
_maybe_text = st.one_of(st.none(), _text)
_mixed = st.fixed_dictionaries(
    {
        "a": _text,
        "b": _maybe_text,
        "c": st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)),
        "d": st.integers(-(2**63), 2**63 - 1),
        "e": st.one_of(st.none(), st.lists(_maybe_text, max_size=3)),
        "f": st.lists(_text, max_size=3),
        "g": _maybe_text,
    }
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_mixed, min_size=1, max_size=6), st.integers(0, 3))
def test_columns_of_one_kind_made_together_keep_their_own_values(
    rows: list[dict[str, object]], skip: int
) -> None:
    """Strings of both widths and integers of two types, top level and in lists, each column
    cut back out of the batch its kind is made in."""
    table = pa.Table.from_pylist(rows, schema=MIXED)
    _same_as_the_encoder(table)
    _same_as_the_encoder(table.slice(min(skip, len(rows) - 1)))
    _same_as_the_encoder(pa.concat_tables([table, table]))  # columns of two chunks


def test_floats_and_times_the_encoder_spells_its_own_way() -> None:
    rows = [
        {"text": "", "x": v, "day": date(5, 1, 2), "at": datetime(999, 3, 4, 5, 6, 7, 8000)}
        for v in (1.0, 1e16, 1e-7, -0.0, math.nan, math.inf, -math.inf, 0.1 + 0.2)
    ]
    _same_as_the_encoder(pa.Table.from_pylist(rows, schema=ROW))


@pytest.mark.parametrize("table", TABLES)
def test_the_shipped_jsonl_is_what_the_fast_path_computes(table: str) -> None:
    """On a real build the check never needs its slow, row-by-row path."""
    cols = load()[table].column_names
    rows = pq.read_table(DIST / "data" / table)
    assert (
        bytes(arrowjson.values(arrowjson.lines(rows, cols)))
        == (DIST / "jsonl" / f"{table}.jsonl").read_bytes()
    )


def test_a_line_written_with_other_escapes_is_caught(
    dist_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same values, other bytes (ASCII escapes): the copy is not what the build writes."""
    path = dist_copy / "jsonl" / "metadata.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if not line.isascii())
    lines[row] = json.dumps(json.loads(lines[row]), ensure_ascii=True) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    assert main(["validate", str(dist_copy)]) == 1
    out = capsys.readouterr().out
    assert (
        f"jsonl/metadata.jsonl: row {row + 1}: differs from the Parquet row in its formatting"
        in out
    )
