"""Pass 2 and the checks before the swap: the faster paths give what the plain ones give."""

from __future__ import annotations

import json
import math
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuskit.checks import rowschema
from corpuskit.schema import TABLES, load
from corpuskit.writers import JsonlWriter, Piece, arrowjson, jsonl_line
from corpuskit.writers.jsonl import binary_values

from .conftest import DIST, SEEDS, build_into
from .test_arrowjson import ROW, _rows


@settings(max_examples=100, deadline=None)
@given(st.lists(_rows, max_size=40))
def test_few_rows_are_encoded_as_many_rows_are(rows: list[dict[str, object]]) -> None:
    """JsonlWriter.encode takes the row-by-row encoder for a few rows (pass 2's re-encoded
    duplicates) and arrowjson for more: the same bytes either way."""
    table = pa.Table.from_pylist(rows, schema=ROW)
    cols = table.column_names
    assert JsonlWriter.encode(table, cols).equals(arrowjson.lines(table, cols).cast(pa.binary()))


# -- the row check's vectorised pre-test never vouches for a row the validator refuses ----------

_CHARS = ["a", "Z", "0", "9", "f", "_", "-", ":", "/", "T", " ", "\n", "\r", "\u2028", "é", "😀"]


def _near(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Strings that match, and strings one edit away from matching."""
    return valid.flatmap(
        lambda s: st.sampled_from(
            [s, s + "\n", s[:-1], s[1:], "x" + s, s + "\u2028", s.upper(), s + "😀"]
        )
    )


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("type", [])
    return {t} if isinstance(t, str) else set(t)


def _good(node: dict[str, Any], t: pa.DataType) -> st.SearchStrategy[Any]:
    """Values that satisfy the node (nearly always: the property needs no more)."""
    lo, hi = node.get("minimum", -3), node.get("maximum", 3)
    if pa.types.is_string(t):
        if "enum" in node:
            base: st.SearchStrategy[Any] = st.sampled_from(node["enum"])
        else:
            short, long = node.get("minLength", 0), node.get("maxLength", 64)
            text = (
                st.from_regex(node["pattern"], fullmatch=True)
                if "pattern" in node
                else st.text(st.sampled_from(_CHARS), min_size=short, max_size=min(long, 8))
            )
            base = text.filter(lambda s: short <= len(s) <= long)
    elif pa.types.is_integer(t):
        base = st.integers(lo, max(lo, hi))
    elif pa.types.is_floating(t):
        base = st.floats(lo, hi)
    elif pa.types.is_boolean(t):
        base = st.booleans()
    elif pa.types.is_date32(t):
        base = st.dates()
    elif pa.types.is_timestamp(t):
        base = st.datetimes().map(lambda d: d.replace(microsecond=0))
    elif pa.types.is_list(t):
        few, many = node.get("minItems", 0), node.get("maxItems", 3)
        base = st.lists(_good(node.get("items", {}), t.value_type), min_size=few, max_size=many)
    else:
        assert pa.types.is_struct(t), t
        props = node.get("properties", {})
        base = st.fixed_dictionaries({f.name: _good(props.get(f.name, {}), f.type) for f in t})
    return st.none() | base if "null" in _types(node) else base


def _any(node: dict[str, Any], t: pa.DataType) -> st.SearchStrategy[Any]:
    """Values of an Arrow type near the edges of the node's constraints, null included."""
    if pa.types.is_string(t):
        options = [st.just(""), st.text(st.sampled_from(_CHARS), max_size=6)]
        if "pattern" in node:
            options.append(_near(st.from_regex(node["pattern"], fullmatch=True)))
        if "enum" in node:
            options.append(_near(st.sampled_from([v for v in node["enum"] if v is not None])))
        base: st.SearchStrategy[Any] = st.one_of(options)
    elif pa.types.is_integer(t):
        edges = [node[k] + d for k in ("minimum", "maximum") if k in node for d in (-1, 0, 1)]
        base = st.sampled_from(edges or [0]) | st.integers(-(2**63), 2**63 - 1)
    elif pa.types.is_floating(t):
        base = st.floats(-0.5, 1.5) | st.sampled_from([0.0, -0.0, 1.0, math.nan, math.inf])
    elif pa.types.is_timestamp(t):
        base = st.datetimes().map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
    elif pa.types.is_list(t):
        item = node.get("items", {})
        base = st.just([]) | st.lists(
            _good(item, t.value_type) | _any(item, t.value_type), max_size=3
        )
    elif pa.types.is_struct(t):
        props = node.get("properties", {})
        base = st.fixed_dictionaries(
            {f.name: _good(props.get(f.name, {}), f.type) | _any(props.get(f.name, {}), f.type)
             for f in t}
        )  # fmt: skip
    else:
        base = _good(node, t)
    return st.none() | base


@st.composite
def _rows_of(draw: st.DrawFn, json_schema: dict[str, Any], arrow: pa.Schema) -> dict[str, Any]:
    """A row of which at most two columns may be wrong: a check that vouches for a wrong value
    is then caught, not hidden by another column's."""
    props = json_schema["properties"]
    bad = draw(st.sets(st.sampled_from(arrow.names), max_size=2))
    return {f.name: draw((_any if f.name in bad else _good)(props[f.name], f.type)) for f in arrow}


def _relaxed(t: pa.DataType) -> pa.DataType:
    """The type with every field nullable, so that a row may hold a null the schema refuses."""
    if pa.types.is_list(t):
        return pa.list_(_relaxed(t.value_type))
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, _relaxed(f.type)) for f in t])
    return t


def _vouched_rows_pass_the_validator(
    table: pa.Table, json_schema: dict[str, Any], skip: int
) -> None:
    import jsonschema_rs

    validator = jsonschema_rs.Draft202012Validator(json_schema, validate_formats=True)
    table = table.slice(min(skip, table.num_rows))  # arrays that start at an offset
    cols = table.column_names
    sure = rowschema.sure_valid(table, json_schema)
    assert len(sure) == table.num_rows
    for row, vouched in zip(table.to_pylist(), sure, strict=True):
        doc = json.loads(jsonl_line(row, cols))  # what the row check gives the validator
        if vouched:
            assert validator.is_valid(doc), (doc, list(validator.iter_errors(doc)))


def _real_schema_rows_vouched_for_are_valid(name: str, data: st.DataObject, skip: int) -> None:
    schema = load()[name]
    arrow = schema.arrow_schema()
    fields = [pa.field(f.name, _relaxed(f.type)) for f in arrow]
    rows = data.draw(st.lists(_rows_of(schema.json_schema, arrow), max_size=6))
    table = pa.Table.from_pylist(rows, schema=pa.schema(fields))
    _vouched_rows_pass_the_validator(table, schema.json_schema, skip)


# The property over the three real schemas costs ~25 s a table at 300 examples: make test runs
# 40 of them, make test-all and CI the 300.
@pytest.mark.parametrize("name", TABLES)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), skip=st.integers(0, 2))
def test_sure_valid_rows_are_valid(name: str, data: st.DataObject, skip: int) -> None:
    _real_schema_rows_vouched_for_are_valid(name, data, skip)


@pytest.mark.slow
@pytest.mark.parametrize("name", TABLES)
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), skip=st.integers(0, 2))
def test_sure_valid_rows_are_valid_many_examples(name: str, data: st.DataObject, skip: int) -> None:
    _real_schema_rows_vouched_for_are_valid(name, data, skip)


#: A schema with every keyword rowschema tests, for the ROW table of test_arrowjson.
_ROW_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["text", "n"],
    "properties": {
        "text": {"type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[a-f]+$"},
        "maybe": {"type": ["string", "null"], "enum": ["a", "é", None]},
        "n": {"type": ["integer", "null"], "minimum": -1, "maximum": 2},
        "flag": {"type": "boolean"},
        "x": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "day": {"type": ["string", "null"], "format": "date"},
        "at": {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}$"},
        "names": {
            "type": ["array", "null"],
            "minItems": 1,
            "maxItems": 2,
            "items": {"type": ["string", "null"], "minLength": 1},
        },
        "marks": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["line", "why", "score"],
                "properties": {
                    "line": {"type": "integer", "minimum": 1},
                    "why": {"type": "string"},
                    "score": {"type": ["number", "null"]},
                },
            },
        },
    },
}


@settings(max_examples=300, deadline=None)
@given(st.lists(_rows, max_size=8), st.integers(0, 3))
def test_sure_valid_rows_are_valid_for_every_keyword(rows: list[dict[str, Any]], skip: int) -> None:
    table = pa.Table.from_pylist(rows, schema=ROW)
    _vouched_rows_pass_the_validator(table, _ROW_SCHEMA, skip)


_GOOD_ROW = {
    "text": "abc", "maybe": None, "n": 0, "flag": True, "x": 0.5, "day": date(2024, 2, 29),
    "at": datetime(2024, 1, 2, 3, 4, 5), "names": ["a"], "marks": [{"line": 1, "why": "", "score": None}],
}  # fmt: skip


@pytest.mark.parametrize(
    ("column", "value"),
    [("text", "abcde"), ("text", "a"), ("text", "abg"), ("text", "ab\n"), ("maybe", "b"),
     ("n", 3), ("n", -2), ("flag", None), ("x", math.nan), ("x", math.inf), ("x", 1.0000001),
     ("names", []), ("names", ["a", "b", "c"]), ("names", [""]), ("marks", None),
     ("marks", [{"line": 0, "why": "", "score": None}]),
     ("marks", [{"line": 1, "why": None, "score": None}]), ("marks", [None]),
     ("marks", [{"line": 1, "why": "", "score": math.nan}])],
)  # fmt: skip
def test_a_wrong_value_is_not_vouched_for(column: str, value: Any) -> None:
    import jsonschema_rs

    fields = [pa.field(f.name, _relaxed(f.type)) for f in ROW]
    rows = [_GOOD_ROW, {**_GOOD_ROW, column: value}]
    table = pa.Table.from_pylist(rows, schema=pa.schema(fields))
    validator = jsonschema_rs.Draft202012Validator(_ROW_SCHEMA, validate_formats=True)
    docs = [json.loads(jsonl_line(r, table.column_names)) for r in table.to_pylist()]
    assert [validator.is_valid(d) for d in docs] == [True, False]
    assert rowschema.sure_valid(table, _ROW_SCHEMA).tolist() == [True, False]


@pytest.mark.parametrize("name", TABLES)
def test_the_shipped_rows_are_all_vouched_for(name: str) -> None:
    """On a real build the validator sees no row at all: the pre-test vouches for every one."""
    rows = pq.read_table(DIST / "data" / name)
    assert rowschema.sure_valid(rows, load()[name].json_schema).all()


@pytest.mark.parametrize(
    ("pattern", "read"),
    [("^art_[0-9a-f]{16}$", True), ("^a.b$", False), ("[^a]", False), ("^a\\d$", False),
     ("^(?=a)", False), ("^a{2,}$", True), ("a{", False), ("^(\\.[0-9]{1,6})?$", True)],
)  # fmt: skip
def test_patterns_read_only_where_both_engines_agree(pattern: str, read: bool) -> None:
    assert rowschema._plain_pattern(pattern) is read


def test_a_table_checked_while_others_write_still_stops_the_swap(
    fresh_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """The build checks each table's rows as soon as that table is written (beside the writing
    of the others): a JSONL copy that disagrees with its Parquet rows is still found, named by
    file and row, and the previous dataset stays as it was."""
    out = tmp_path / "dist"
    shutil.copytree(fresh_build, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    write = JsonlWriter.write

    def altered(self: JsonlWriter, piece: Piece) -> None:  # a fault in our own writer
        if self.table.name != "comments":
            return write(self, piece)
        lines = b"".join(binary_values(piece.derived[JsonlWriter.encoded]))
        self._file.write(lines.replace(b'"text": "', b'"text": "x', 1))
        self.rows += piece.rows.num_rows

    monkeypatch.setattr(JsonlWriter, "write", altered)
    assert build_into(SEEDS, out) == 1
    err = capsys.readouterr().err
    assert "failed its checks; the previous one is unchanged" in err
    assert "jsonl/comments.jsonl: row 1: field 'text'" in err
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
