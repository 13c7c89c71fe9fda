"""Arrow rows as JSON lines, computed column by column: byte for byte what ``writer.jsonl_line``
writes for the same rows (Python's ``json`` encoder: ``ensure_ascii=False``, separators ``", "``
and ``": "``, dates and times in ISO 8601), without a Python object per value.

Strings are escaped as the encoder escapes them (``\\\\``, ``\\"``, the short escapes of
``\\b \\f \\n \\r \\t`` and ``\\u00XX`` for any other control character), each escape applied
only if some string holds its character. Integers, booleans, dates, whole-second timestamps,
lists and structs are formatted by Arrow's compute functions. Floats, sub-second timestamps and
any type not listed take the encoder itself, value by value, so that every value is written as
``json`` writes it whatever it is.

A chunk of pass 1 has a hundred-odd rows, so Arrow's cost per call, not per value, is most of
the work: the strings of every column (list items and struct fields included) are escaped by
one set of calls over all of them, and so are the integers of one type (:class:`_Plan`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_TEXT = pa.large_string()


def json_value(v: Any) -> Any:
    """What the JSON lines hold for a value ``json`` cannot encode: dates and times in ISO 8601."""
    if isinstance(v, datetime | date):
        return v.isoformat()
    raise TypeError(f"not JSON serialisable: {type(v).__name__}")


_ENCODE = __import__("json").JSONEncoder(ensure_ascii=False, default=json_value).encode

#: The encoder's escapes, backslash first (the others write backslashes).
_SHORT = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"),
          ("\b", "\\b"), ("\f", "\\f"))  # fmt: skip
_ESCAPES = _SHORT + tuple(
    (chr(c), f"\\u{c:04x}") for c in range(0x20) if chr(c) not in "\n\r\t\b\f"
)

_MIN_DAY = (date(1, 1, 1) - date(1970, 1, 1)).days  # the days Python's date can hold
_MAX_DAY = (date(9999, 12, 31) - date(1970, 1, 1)).days


@cache
def _lit(s: str) -> pa.Scalar:
    return pa.scalar(s, _TEXT)  # made once: a scalar takes longer to make than a short join


#: Values made later, once every column has said what it needs (:class:`_Plan`).
Lazy: TypeAlias = Callable[[], pa.Array]
#: A piece of each row's text: a str is the same in every row.
Piece: TypeAlias = pa.Array | str | Lazy


def _join(*parts: Piece, n: int | None = None) -> pa.Array:
    """Element-wise concatenation; a str is the same text in every row (of ``n``, needed only
    when every part is a str). (Arrow broadcasts a scalar, but an array of the repeated text
    joins many times faster.)"""
    merged: list[pa.Array | str] = []
    for p in parts:
        if callable(p):
            merged.append(p())
        elif isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        else:
            merged.append(p)
    if len(merged) == 1 and isinstance(merged[0], str):
        assert n is not None, "a join of literals only needs its length"
        return pa.repeat(_lit(merged[0]), n)
    n = next(len(p) for p in merged if not isinstance(p, str))
    arrays = [pa.repeat(_lit(p), n) if isinstance(p, str) else p for p in merged]
    return pc.binary_join_element_wise(*arrays, _lit(""))


def _null_as(values: pa.Array, nulls: pa.Array) -> pa.Array:
    """``values``, with ``null`` written where the source value is null."""
    if nulls.null_count == 0:
        return values
    return pc.if_else(pc.is_null(nulls), _lit("null"), values)


def _or_null(values: pa.Array) -> pa.Array:
    """``values``, with ``null`` written where they are null (where their source value is: for
    values computed from it, element by element, by a function that keeps its nulls). One
    call, where :func:`_null_as` makes two."""
    return pc.fill_null(values, _lit("null")) if values.null_count else values


class _Batch:
    """Arrays of one kind from anywhere in the rows, converted by one call over them all: each
    gets its slice of the result."""

    def __init__(self, convert: Callable[[pa.Array], pa.Array]) -> None:
        self.convert = convert
        self.sources: list[pa.Array | Lazy] = []
        self.size = 0
        self.result: pa.Array | None = None

    def add(self, values: pa.Array | Lazy, n: int) -> Lazy:
        assert self.result is None, "a value asked for after the batch was made"
        start = self.size
        self.sources.append(values)
        self.size += n
        return lambda: self.made().slice(start, n)

    def made(self) -> pa.Array:
        if self.result is None:
            arrays = [p() if callable(p) else p for p in self.sources]
            whole = arrays[0] if len(arrays) == 1 else pa.concat_arrays(arrays)
            self.result, self.sources = self.convert(whole), []
        return self.result


class _Plan:
    """What the columns of one call of :func:`lines` or :func:`encode` need made in batches."""

    def __init__(self) -> None:
        self.batches: dict[tuple[str, pa.DataType | None], _Batch] = {}

    def _batch(self, kind: str, t: pa.DataType | None, convert: Callable[..., Any]) -> _Batch:
        b = self.batches.get((kind, t))
        if b is None:
            b = self.batches[kind, t] = _Batch(convert)
        return b

    def escaped(self, arr: pa.Array) -> Lazy:
        """The strings as JSON writes them between the quotes (null where they are)."""
        return self._batch("escaped", arr.type, _escape).add(arr, len(arr))

    def quoted(self, arr: pa.Array, escape: bool = True) -> Lazy:
        """The strings as JSON writes them, quotes and ``null`` included (``escape=False``: a
        text that holds nothing to escape, of type _TEXT)."""
        b = self._batch("quoted", None, lambda s: _or_null(_join('"', s, '"')))
        return b.add(self.escaped(arr) if escape else arr, len(arr))

    def integers(self, arr: pa.Array) -> Lazy:
        return self._batch("integers", arr.type, lambda a: _or_null(a.cast(_TEXT))).add(
            arr, len(arr)
        )


def _escape(arr: pa.Array) -> pa.Array:
    s = arr.cast(_TEXT)
    present = _special_bytes(s)
    for ch, esc in _ESCAPES:
        if ord(ch) in present:
            s = pc.replace_substring(s, ch, esc)
    return s


#: Every byte but those JSON escapes (control characters, quote, backslash).
_PLAIN = bytes(b for b in range(0x20, 0x100) if b not in (0x22, 0x5C))
#: Bytes scanned at a time, so that the scan never copies a whole column. 64 KiB, not 1 MiB: a
#: copy of a megabyte is a fresh mapping whose pages fault in, and the scan of an articles
#: chunk (~800 KB of bodies) took twice as long (0.78 ms against 0.40 ms).
_SLICE = 1 << 16


def _special_bytes(s: pa.Array) -> set[int]:
    """Which of the bytes that JSON escapes occur in a large_string array's values: what is
    left when every other byte is deleted (a few times faster than numpy on small columns)."""
    if not len(s) or s.buffers()[2] is None:
        return set()
    data, present = values(s), set[int]()
    for i in range(0, len(data), _SLICE):
        present.update(data[i : i + _SLICE].tobytes().translate(None, _PLAIN))
    return present


def _python(arr: pa.Array) -> pa.Array:
    """Value by value, by the encoder itself."""
    return pa.array([_ENCODE(v) for v in arr.to_pylist()], _TEXT)


def _floats(arr: pa.Array) -> pa.Array:
    """As the encoder writes floats (``repr``, ``NaN``, ``Infinity``, ``null``), in one call:
    no float's text holds ", "."""
    values = arr.to_pylist()
    return pa.array(_ENCODE(values)[1:-1].split(", ") if values else [], _TEXT)


def iso_text(arr: pa.Array) -> pa.Array | None:
    """A date or whole-second timestamp column as ``isoformat()`` writes it, or None where
    Arrow cannot tell (a zone, fractions of a second, a year Python cannot hold).

    Arrow's cast to text writes the years Python holds with four digits, as ``isoformat()``
    does, and a space between date and time where it writes a ``T``: the only space in the
    text. (The cast took a twentieth of ``strftime``'s time.)"""
    t = arr.type
    if pa.types.is_date32(t):
        timed, low, high, units = False, _MIN_DAY, _MAX_DAY, arr.cast(pa.int32())
    elif pa.types.is_timestamp(t) and t.tz is None:
        try:
            arr = arr.cast(pa.timestamp("s"))  # safe: refuses to drop a fraction of a second
        except pa.ArrowInvalid:
            return None
        timed, low, high = True, _MIN_DAY * 86400, (_MAX_DAY + 1) * 86400 - 1
        units = arr.cast(pa.int64())
    else:
        return None
    bounds = pc.min_max(units)
    if bounds["min"].is_valid and (bounds["min"].as_py() < low or bounds["max"].as_py() > high):
        return None
    text = arr.cast(_TEXT)
    return pc.replace_substring(text, " ", "T") if timed else text


def encode(arr: pa.Array) -> pa.Array:
    """Each value of ``arr`` as the JSON text the encoder writes for it (large_string, no null)."""
    parts = _pieces(arr, _Plan())
    if len(parts) == 1 and not isinstance(parts[0], str):
        return parts[0]() if callable(parts[0]) else parts[0]
    return _join(*parts, n=len(arr))


def _pieces(arr: pa.Array, plan: _Plan) -> list[Piece]:
    """The JSON text of each value, as pieces to be joined once the plan's batches can be made
    (a str is the same in every row)."""
    t = arr.type
    if len(arr) and arr.null_count == len(arr):  # a column of nulls: nothing to compute
        return ["null"]
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        if arr.null_count == 0:  # the quotes join the neighbouring literals: one copy less
            return ['"', plan.escaped(arr), '"']
        return [plan.quoted(arr)]
    if pa.types.is_integer(t):
        return [plan.integers(arr)]
    if pa.types.is_boolean(t):
        return [_or_null(pc.if_else(arr, _lit("true"), _lit("false")))]
    if pa.types.is_floating(t):
        return [_floats(arr)]
    if pa.types.is_date32(t) or pa.types.is_timestamp(t):
        text = iso_text(arr)  # digits, '-', ':' and 'T': nothing to escape
        if text is None:
            return [_python(arr)]
        return ['"', text, '"'] if arr.null_count == 0 else [plan.quoted(text, escape=False)]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [_list(arr, plan)]
    if pa.types.is_struct(t):
        parts = _object(t, arr.flatten(), plan)
        return [lambda: _null_as(_join(*parts, n=len(arr)), arr)]
    return [_python(arr)]


def _list(arr: pa.ListArray | pa.LargeListArray, plan: _Plan) -> Lazy:
    offsets = arr.offsets
    start, end = offsets[0].as_py(), offsets[-1].as_py()
    values = arr.values.slice(start, end - start)
    parts = _pieces(values, plan)

    def joined() -> pa.Array:
        items = _join(*parts, n=len(values))
        # a slice: its items are counted from its first
        at = pc.subtract(offsets, pa.scalar(start, offsets.type)) if start else offsets
        kind = pa.LargeListArray if pa.types.is_large_list(arr.type) else pa.ListArray
        lists = kind.from_arrays(at, items)
        return _null_as(_join("[", pc.binary_join(lists, _lit(", ")), "]"), arr)

    return joined


@cache
def _key(name: str) -> str:
    return _ENCODE(name) + ": "


def _object(t: pa.StructType | pa.Schema, fields: list[Any], plan: _Plan) -> list[Piece]:
    parts: list[Piece] = ["{"]
    for i, (f, values) in enumerate(zip(t, fields, strict=True)):
        parts += [(", " if i else "") + _key(f.name), *_pieces(values, plan)]
    parts.append("}")
    return parts


def one_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A table's column as one array; one already, or a column of one chunk (a spooled chunk's,
    a row group's), is not copied."""
    if isinstance(values, pa.Array):
        return values
    return values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()


def lines(rows: pa.Table | pa.RecordBatch, columns: list[str]) -> pa.Array:
    """The rows' JSON lines (newline-terminated), columns in the order given."""
    if rows.num_rows == 0:
        return pa.array([], _TEXT)
    fields = [rows.column(c) for c in columns]
    arrays = [one_array(f) for f in fields]
    schema = pa.schema([rows.schema.field(c) for c in columns])
    return _join(*_object(schema, arrays, _Plan()), "\n", n=rows.num_rows)


def values(text: pa.Array) -> memoryview:
    """The bytes of a large_string array's values, back to back."""
    if len(text) == 0:
        return memoryview(b"")
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)
    start, end = offsets[text.offset], offsets[text.offset + len(text)]
    return memoryview(text.buffers()[2]).cast("B")[int(start) : int(end)]  # bytes compare as "B"


def plain(t: pa.DataType) -> bool:
    """Whether Arrow's Python values of this type are already JSON values (no date or time,
    which JSON holds as text), as ``json.loads`` makes them."""
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return plain(t.value_type)
    if pa.types.is_struct(t):
        return all(plain(f.type) for f in t)
    return bool(
        pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_integer(t)
        or pa.types.is_boolean(t)
        or pa.types.is_floating(t)
        or pa.types.is_null(t)
    )
