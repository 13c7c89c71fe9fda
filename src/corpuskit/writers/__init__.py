"""Output formats: each table is streamed, in seed order, into every format of :data:`FORMATS`.

Today two: Parquet shards (:class:`ParquetWriter`, the dataset proper) and a JSONL copy
(:class:`JsonlWriter`). Each is a :class:`Writer` (see base.py); :class:`TableOutput` drives all
of them for one table.

Adding a format (say CSV) touches:

1. ``writers/csv.py``: a Writer subclass; if its per-row work should run in pass 1's workers,
   an ``encoded`` column and ``encode`` (the spool then carries that column; nothing in
   processing changes). Its files go under the dataset folder; their paths, if others must
   find them, as a function beside the others in ``distlayout.py``.
2. ``writers/__init__.py``: the class in :data:`FORMATS`; a choice of its own in
   :class:`Settings` (base.py) if it has one.
3. the descriptors that list a table's files: ``datapackage.json``'s resources
   (``package.py``), Croissant's distribution (``croissant.py``) and the card (``card.py`` and
   its template).

Nothing in discovery, processing, clustering or pass 2 knows the formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from ..schema import TableSchema
from .base import Encode, Piece, Settings, Writer
from .jsonl import JSON_COLUMN, JsonlWriter, binary_values, json_value, jsonl_line
from .parquet import PARQUET_OPTIONS, ROW_GROUP_BYTES, SHARD_BYTES, ParquetWriter

W = TypeVar("W", bound=Writer)

#: Every table is written in each of these, in this order.
FORMATS: tuple[type[Writer], ...] = (ParquetWriter, JsonlWriter)

__all__ = [
    "FORMATS",
    "JSON_COLUMN",
    "PARQUET_OPTIONS",
    "ROW_GROUP_BYTES",
    "SHARD_BYTES",
    "JsonlWriter",
    "ParquetWriter",
    "Piece",
    "Settings",
    "TableOutput",
    "Writer",
    "binary_values",
    "encodings",
    "json_value",
    "jsonl_line",
]


def encodings() -> dict[str, Encode]:
    """The per-row work the formats ask pass 1 to do: hidden column -> encode."""
    return {w.encoded: w.encode for w in FORMATS if w.encoded is not None}


class TableOutput:
    """One table written in every format."""

    def __init__(self, out: Path, table: TableSchema, settings: Settings) -> None:
        self.writers = [cls(out, table, settings) for cls in FORMATS]

    def write(self, piece: Piece) -> None:
        if piece.rows.num_rows:
            for w in self.writers:
                w.write(piece)

    def close(self) -> None:
        for w in self.writers:
            w.close()

    def get(self, kind: type[W]) -> W:
        return next(w for w in self.writers if isinstance(w, kind))

    @property
    def rows(self) -> int:
        return self.writers[0].rows

    @property
    def digests(self) -> dict[str, str]:
        """Every file's SHA-256, by its path relative to the dataset folder."""
        return {rel: d for w in self.writers for rel, d in w.digests.items()}
