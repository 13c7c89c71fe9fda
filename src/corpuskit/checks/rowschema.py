"""Which rows certainly satisfy a table's JSON Schema, decided over Arrow columns at once.

The row check validates every Parquet row against its JSON Schema. Turning each row into Python
objects for the validator cost more than the rest of the check; but a built table's rows are
valid, and most of the schema's keywords are a vectorised test on one column (a type, an enum, a
pattern, a length, a bound). :func:`sure_valid` runs those tests and answers, for each row,
True only where the row is certainly valid; the check hands every other row, as before, to the
validator, which then finds what it finds today. A False costs time, never a finding: so any
keyword, type or value this module does not know (NaN, an unsigned integer, a format other
than a date's, ``$ref``...) makes its rows False. A Hypothesis property holds it to the
validator (tests/test_pass2.py).

The rows are the JSON values the check gives the validator: dates and times as their ISO 8601
text (``arrowjson.iso_text``), lists as arrays, structs as objects, in the schema's columns.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..writers import arrowjson

#: Keywords that do not constrain a value (annotations), and the ones tested here.
_ANNOTATIONS = {"description", "title", "$schema", "$id", "$comment", "default", "examples"}
_TESTED = {
    "type",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "format",
    "minimum",
    "maximum",
    "items",
    "minItems",
    "maxItems",
    "properties",
    "required",
    "additionalProperties",
}
_ALL_TYPES = {"string", "integer", "number", "boolean", "array", "object", "null"}


def sure_valid(rows: pa.Table | pa.RecordBatch, schema: dict[str, Any]) -> np.ndarray:
    """For each row, True where it certainly satisfies ``schema``; False where it may not."""
    n = rows.num_rows
    try:
        for col in rows.columns:  # not UTF-8: the check's own path meets it as before
            col.validate(full=True)
        return _object(schema, rows.column_names, [arrowjson.one_array(c) for c in rows.columns], n)
    except (pa.ArrowException, ValueError, TypeError, OverflowError):
        return np.zeros(n, dtype=bool)


def _none(n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool)


def _bools(mask: pa.Array | pa.ChunkedArray, where_null: bool) -> np.ndarray:
    return np.asarray(mask.fill_null(where_null).to_numpy(zero_copy_only=False), dtype=bool)


def _known(node: dict[str, Any]) -> bool:
    return all(k in _TESTED or k in _ANNOTATIONS or k.startswith("x-") for k in node)


def _types(node: dict[str, Any]) -> set[str] | None:
    t = node.get("type", list(_ALL_TYPES))
    types = {t} if isinstance(t, str) else set(t) if isinstance(t, list) else None
    if types is None or not types <= _ALL_TYPES:
        return None
    return types


def _object(node: Any, names: list[str], fields: list[pa.Array], n: int) -> np.ndarray:
    """Rows of an object whose properties are ``fields`` (named ``names``), none null."""
    types = _types(node) if isinstance(node, dict) else None
    if types is None or not _known(node) or "object" not in types:
        return _none(n)
    for k in ("enum", "pattern", "minLength", "maxLength", "format", "minimum", "maximum"):
        if k in node:  # keywords of other types are ignored by an object, but not worth reading
            return _none(n)
    props = node.get("properties", {})
    extra = node.get("additionalProperties", True)
    required = node.get("required", [])
    if not isinstance(props, dict) or not isinstance(required, list):
        return _none(n)
    if not set(required) <= set(names) or len(set(names)) != len(names):
        return _none(n)
    if extra is False:
        if not set(names) <= set(props):
            return _none(n)
    elif extra is not True:
        return _none(n)
    ok = np.ones(n, dtype=bool)
    for name, values in zip(names, fields, strict=True):
        if name in props:
            ok &= _value(props[name], values)
    return ok


def _value(node: Any, arr: pa.Array) -> np.ndarray:
    """Per value of ``arr``: True where it certainly satisfies ``node``."""
    n = len(arr)
    if node is True:
        return np.ones(n, dtype=bool)
    types = _types(node) if isinstance(node, dict) else None
    if types is None or not _known(node):
        return _none(n)
    t = arr.type
    if "enum" in node:
        enum = node["enum"]
        if not isinstance(enum, list) or not all(v is None or isinstance(v, str) for v in enum):
            return _none(n)
    if arr.null_count == len(arr):
        present = _none(n)
    elif pa.types.is_string(t) or pa.types.is_large_string(t):
        present = _string(node, types, arr)
    elif pa.types.is_date32(t) or pa.types.is_timestamp(t):
        text = arrowjson.iso_text(arr)
        present = (
            _none(n) if text is None else _string(node, types, text, date=pa.types.is_date32(t))
        )
    elif pa.types.is_boolean(t):
        present = _scalar(node, "boolean" in types, n)
    elif pa.types.is_signed_integer(t):
        present = _number(node, bool(types & {"integer", "number"}), arr)
    elif pa.types.is_floating(t):
        present = _number(node, "number" in types, arr)
        present &= _bools(pc.is_finite(arr), False)
    elif pa.types.is_list(t) or pa.types.is_large_list(t):
        present = _array(node, types, arr)
    elif pa.types.is_struct(t):
        present = _struct(node, arr)
    else:
        return _none(n)
    if arr.null_count == 0:
        return present
    null_ok = "null" in types and ("enum" not in node or None in node["enum"])
    return np.where(_bools(arr.is_null(), False), null_ok, present)


def _scalar(node: dict[str, Any], type_ok: bool, n: int) -> np.ndarray:
    """A value type with no keyword of its own here (booleans): only its type and no enum."""
    if not type_ok or "enum" in node:
        return _none(n)
    return np.ones(n, dtype=bool)


def _string(
    node: dict[str, Any], types: set[str], text: pa.Array, date: bool = False
) -> np.ndarray:
    n = len(text)
    if "string" not in types:
        return _none(n)
    ok = np.ones(n, dtype=bool)
    if "format" in node and (node["format"] != "date" or not date):
        return _none(n)  # a date32's ISO text is always a full-date; no other format is read
    if "enum" in node:
        strings = pa.array([v for v in node["enum"] if v is not None], text.type)
        ok &= _bools(pc.is_in(text, value_set=strings), True)
    if "pattern" in node:
        pattern = node["pattern"]
        if not isinstance(pattern, str) or not _plain_pattern(pattern):
            return _none(n)
        ok &= _bools(pc.match_substring_regex(text, pattern), True)
    return ok & _sized(node, "minLength", "maxLength", pc.utf8_length, text)


def _sized(node: dict[str, Any], low: str, high: str, size: Any, arr: pa.Array) -> np.ndarray:
    """The bounds ``node[low]`` and ``node[high]`` on ``size(arr)`` (code points, items)."""
    n = len(arr)
    lo, hi = node.get(low), node.get(high)
    if lo is None and hi is None:
        return np.ones(n, dtype=bool)
    if not all(v is None or type(v) is int for v in (lo, hi)):
        return _none(n)
    sizes = size(arr)
    ok = np.ones(n, dtype=bool)
    if lo is not None:
        ok &= _bools(pc.greater_equal(sizes, lo), True)
    if hi is not None:
        ok &= _bools(pc.less_equal(sizes, hi), True)
    return ok


#: Characters a pattern may hold for RE2 (Arrow's regex engine) to read it as the validator's
#: ECMA 262 regex does: literals, ASCII ranges in brackets, groups, alternation, counted and
#: plain quantifiers, anchors and an escaped dot or hyphen. Anything else (classes such as \d
#: or \w, whose Unicode meaning differs, look-arounds, back references, flags) is not read.
_PATTERN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:/$[]()|?*+")
_COUNTED = re.compile(r"\{[0-9]+(,[0-9]*)?\}")


def _plain_pattern(pattern: str) -> bool:
    """Whether the pattern uses only what both engines read alike. Not an unescaped dot (ECMA's
    excludes \\r and the Unicode line separators, RE2's only \\n), not a caret but the first
    character (a negated class), braces only as counted quantifiers."""
    rest = _COUNTED.sub("", pattern.removeprefix("^").replace("\\.", "").replace("\\-", ""))
    return set(rest) <= _PATTERN_CHARS and "(?" not in rest


def _number(node: dict[str, Any], type_ok: bool, arr: pa.Array) -> np.ndarray:
    n = len(arr)
    if not type_ok or "enum" in node:
        return _none(n)
    ok = np.ones(n, dtype=bool)
    for key, op in (("minimum", pc.greater_equal), ("maximum", pc.less_equal)):
        if key in node:
            bound = node[key]
            if type(bound) not in (int, float) or abs(bound) >= 2**53:
                return _none(n)
            ok &= _bools(op(arr, pa.scalar(bound, arr.type)), True)
    return ok


def _array(node: dict[str, Any], types: set[str], arr: pa.Array) -> np.ndarray:
    n = len(arr)
    if "array" not in types:
        return _none(n)
    ok = _sized(node, "minItems", "maxItems", pc.list_value_length, arr)
    if "items" in node:
        items = arr.flatten()  # the slice's values, without those of null lists
        if len(items):
            bad = ~_value(node["items"], items)
            parents = pc.list_parent_indices(arr).to_numpy(zero_copy_only=False)
            ok[parents[bad]] = False
    return ok


def _struct(node: dict[str, Any], arr: pa.StructArray) -> np.ndarray:
    names = [arr.type.field(i).name for i in range(arr.type.num_fields)]
    return _object(node, names, arr.flatten(), len(arr))
