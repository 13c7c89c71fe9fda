"""Pass 2 and the checks before the swap: the faster paths give what the plain ones give."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.writers import JsonlWriter, arrowjson

from .test_arrowjson import ROW, _rows


@settings(max_examples=100, deadline=None)
@given(st.lists(_rows, max_size=40))
def test_few_rows_are_encoded_as_many_rows_are(rows: list[dict[str, object]]) -> None:
    """JsonlWriter.encode takes the row-by-row encoder for a few rows (pass 2's re-encoded
    duplicates) and arrowjson for more: the same bytes either way."""
    table = pa.Table.from_pylist(rows, schema=ROW)
    cols = table.column_names
    assert JsonlWriter.encode(table, cols).equals(arrowjson.lines(table, cols).cast(pa.binary()))
