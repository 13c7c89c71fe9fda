"""The spool between the passes: each chunk's rows of one table in an Arrow IPC file, with
hidden columns derived from the rows in pass 1, where the work runs in the workers, side by
side, rather than in pass 2's one process:

* each output format's per-row encoding (``writers.encodings()``: the JSON lines), so that
  pass 2 writes bytes already made;
* each comment's word count, for the documents' figures.

Processing hands rows to :func:`write_chunk`, and the word counts, which it counts as it makes
the comments' IDs (from the same split of each text); pass 2 reads a chunk back as a
:class:`~corpuskit.writers.Piece` (the rows, and the derived columns by name), and when it
changes rows it derives their columns again (:func:`rewrite`, :func:`redo`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import ids, writers
from .schema import TableSchema
from .writers import Piece

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Derived:
    column: str  # hidden: "__name__" (no schema column is named so)
    make: Callable[[pa.Table, list[str]], pa.Array]  # the rows and the table's columns -> values
    tables: tuple[str, ...] | None = None  # None: every table


def _word_counts(rows: pa.Table, columns: list[str]) -> pa.Array:
    """Each comment's word count (str.split), for the documents' figures."""
    return pa.array([ids.word_count(t) for t in rows.column("text").to_pylist()], pa.int64())


#: Each comment's word count.
WORDS_COLUMN = "__words__"
_WORDS = Derived(WORDS_COLUMN, _word_counts, ("comments",))


def _derived(table: str) -> list[Derived]:
    """The columns derived for a table: the formats' encodings (asked each time, so a format
    is one entry in writers.FORMATS), then the word counts."""
    every = [*(Derived(c, make) for c, make in writers.encodings().items()), _WORDS]
    return [d for d in every if d.tables is None or table in d.tables]


def _hidden(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def chunk_path(folder: Path, number: int, table: str) -> Path:
    return folder / f"chunk-{number:07d}.{table}.arrow"


def _derive(
    table: pa.Table, schema: TableSchema, known: dict[str, pa.Array] | None = None
) -> dict[str, pa.Array]:
    """The table's derived columns; those ``known`` are taken as they are."""
    cols, known = schema.column_names, known or {}
    return {
        d.column: known[d.column] if d.column in known else d.make(table, cols)
        for d in _derived(schema.name)
    }


def write_chunk(
    folder: Path,
    number: int,
    rows: pa.Table,
    schema: TableSchema,
    known: dict[str, pa.Array] | None = None,
) -> None:
    """A chunk's rows of one table (an Arrow table of its schema), with their derived columns,
    to the spool. A derived column given in ``known`` is taken as it is."""
    table = rows
    for column, values in _derive(rows, schema, known).items():
        table = table.append_column(column, values)
    path = str(chunk_path(folder, number, schema.name))
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as w:
        w.write_table(table)


def read_chunk(folder: Path, number: int, table: str) -> pa.Table:
    """A chunk's rows of one table, derived columns included; the file is removed."""
    path = chunk_path(folder, number, table)
    with pa.memory_map(str(path)) as source:
        t = pa.ipc.open_file(source).read_all()
    path.unlink()
    return t


def visible(table: pa.Table) -> pa.Table:
    return table.drop_columns([c for c in table.column_names if _hidden(c)])


def piece(table: pa.Table) -> Piece:
    """A spooled chunk as it was made."""
    hidden = {c: table.column(c) for c in table.column_names if _hidden(c)}
    return Piece(visible(table), hidden)


def rewrite(rows: Rows, schema: TableSchema) -> Piece:
    """Rows changed in Python (the pseudonymised path): converted and derived again."""
    table = pa.Table.from_pylist(rows, schema=schema.arrow_schema())
    return Piece(table, _derive(table, schema))


def redo(table: pa.Table, picked: list[int], schema: TableSchema) -> Piece:
    """A spooled chunk whose rows ``picked`` were changed in Arrow: their derived columns are
    made again (the others are kept as made)."""
    if not picked:
        return piece(table)
    rows = visible(table).take(pa.array(picked))
    mask = np.zeros(table.num_rows, dtype=bool)
    mask[picked] = True
    cols = schema.column_names
    out = piece(table)
    for d in _derived(schema.name):
        out.derived[d.column] = pc.replace_with_mask(
            table.column(d.column), pa.array(mask), d.make(rows, cols)
        )
    return out
