"""The JSONL copy of each table: one JSON object per line, columns in schema order, dates and
times in ISO 8601, UTF-8; plain or gzip (``build --jsonl-compression``)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..distlayout import jsonl_file
from ..package import sha256_file
from ..schema import TableSchema
from . import arrowjson
from .arrowjson import json_value
from .base import Piece, Settings, Values, Writer

#: Each row's JSON line (UTF-8 bytes), made in pass 1 and carried in the spool.
JSON_COLUMN = "__json__"
_GZIP_LEVEL = 6
#: Up to this many rows are encoded row by row: arrowjson's cost is mostly a fixed one per
#: column (about 2-4 ms for a table's columns whatever the rows), the encoder's is per row
#: (20-40 us), so pass 2's re-encoding of the few rows clustering changed in a chunk is 5-10
#: times cheaper row by row. The bytes are the same either way (arrowjson's property tests).
_FEW_ROWS = 32


_ENCODE = json.JSONEncoder(ensure_ascii=False, default=json_value).encode


def jsonl_line(row: dict[str, Any], columns: list[str]) -> str:
    """One row as a JSON line, columns in schema order; dates and times in ISO 8601."""
    return _ENCODE({c: row[c] for c in columns}) + "\n"


def binary_values(lines: Values) -> list[memoryview]:
    """The bytes of a binary array's values, back to back, without a Python object per value."""
    out = []
    for a in lines.chunks if isinstance(lines, pa.ChunkedArray) else [lines]:
        if len(a) == 0:
            continue
        offsets = np.frombuffer(a.buffers()[1], dtype=np.int32)[a.offset : a.offset + len(a) + 1]
        out.append(memoryview(a.buffers()[2])[int(offsets[0]) : int(offsets[-1])])
    return out


class JsonlWriter(Writer):
    """The rows' JSON lines, as pass 1 encoded them, appended in order."""

    encoded = JSON_COLUMN

    def __init__(self, out: Path, table: TableSchema, settings: Settings) -> None:
        super().__init__(out, table, settings)
        self.path = jsonl_file(out, table.name, settings.jsonl_compression)
        self.path.parent.mkdir(exist_ok=True)
        self._raw = self.path.open("wb")
        # No file name and mtime 0 in the gzip header: the same rows give the same bytes.
        self._file = (
            gzip.GzipFile(
                filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=_GZIP_LEVEL
            )
            if settings.jsonl_compression == "gzip"
            else self._raw
        )

    @staticmethod
    def encode(rows: pa.Table, columns: list[str]) -> pa.Array:
        """The rows' JSON lines as UTF-8 bytes, made from the Arrow columns a column at a time
        (arrowjson): the bytes :func:`jsonl_line` gives, without a Python call per row; a few
        rows by :func:`jsonl_line` itself (see :data:`_FEW_ROWS`)."""
        if rows.num_rows <= _FEW_ROWS:
            lines = [jsonl_line(r, columns).encode() for r in rows.select(columns).to_pylist()]
            return pa.array(lines, pa.binary())
        return arrowjson.lines(rows, columns).cast(pa.binary())

    def write(self, piece: Piece) -> None:
        for values in binary_values(piece.derived[JSON_COLUMN]):
            self._file.write(values)
        self.rows += piece.rows.num_rows

    def close(self) -> None:
        self._file.close()
        self._raw.close()
        self.files = [self.path]
        self.digests = {self.path.relative_to(self.out).as_posix(): sha256_file(self.path)}
