"""Parquet shards, with fixed writer settings.

Same rows in, same bytes out: the Arrow schema comes from ``schema/``, row groups and shards are
cut at fixed sizes, compression is fixed, and nothing time- or host-dependent is written.

Data pages are cut by content-defined chunking (pyarrow's ``use_content_defined_chunking``): page
boundaries follow a rolling hash of the values, so a row added or removed changes only the pages
around it, and a content-addressed store such as the Hub's (Xet) keeps the unchanged pages of a
new version without uploading or storing them again (BENCHMARKS.md measures how much).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..distlayout import shard_name, table_dir
from ..package import sha256_file
from ..schema import TableSchema
from .base import Piece, Settings, Writer
from .jsonl import JSON_COLUMN

#: A row group is closed once its rows took this many bytes as JSON lines: cut by bytes, not rows,
#: so long articles cannot make an oversized group. The Hub's dataset viewer refuses row groups
#: over 286 MiB in memory (and recommends 100-300 MB); a group is held in memory until it is
#: written, three tables at a time, so the cap also bounds the build's memory. 32 MiB keeps
#: every group far under the viewer's limit whatever the rows, and cost about 90 MB of peak
#: memory more than 5,000-row groups on 20,000 synthetic documents (BENCHMARKS.md).
ROW_GROUP_BYTES = 32 * 1024 * 1024
#: A shard is closed once its rows took this many bytes as JSON lines (Hub guidance: < ~500 MB).
SHARD_BYTES = 256 * 1024 * 1024
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,  # level 9 took 5x the time for files 1-2 % smaller
    "use_dictionary": True,
    "data_page_version": "2.0",
    "version": "2.6",
    # pyarrow's defaults (pages of 256 KiB to 1 MiB of values, before encoding); page sizes
    # then follow the content, not write_batch_size or data_pagesize.
    "use_content_defined_chunking": True,
}


def statistics_columns(table: TableSchema) -> list[str]:
    """The columns whose Parquet pages carry min/max statistics: all but free text (a string
    without an enum, pattern or format, and lists of strings or records). A statistic holds two
    copies of the column's extreme values for as long as its file is open: for a long text that
    took four times the text's size while a shard was written, and pruning on free text is no
    use to a reader."""
    constrained = ("enum", "pattern", "format")
    return [
        c.name
        for c in table.columns
        if c.kind not in ("string", "string_list", "struct_list")
        or any(k in c.spec for k in constrained)
    ]


class ParquetWriter(Writer):
    """Streams one table: a row group once ROW_GROUP_BYTES of row data are pending, a new shard
    once a shard holds SHARD_BYTES of row data. A row's size is its JSON line's (the JSONL
    format's encoding, carried in the spool). Where the cuts fall depends only on the rows,
    never on how they arrive, so the bytes do not depend on chunking or workers."""

    def __init__(self, out: Path, table: TableSchema, settings: Settings) -> None:
        super().__init__(out, table, settings)
        self.schema = table.arrow_schema()
        self.options = {**PARQUET_OPTIONS, "write_statistics": statistics_columns(table)}
        self.dir = table_dir(out, table.name)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._pending: list[pa.Table] = []
        self._pending_sizes: list[int] = []
        self._pending_bytes = 0
        self._shards: list[Path] = []
        self._pq: pq.ParquetWriter | None = None
        self._shard_bytes = 0
        self.largest_row = 0  # bytes of the largest row's JSON line

    def write(self, piece: Piece) -> None:
        rows = piece.rows
        if not rows.num_rows:
            return
        self._pending.append(rows)
        sizes = pc.binary_length(piece.derived[JSON_COLUMN]).to_pylist()
        self._pending_sizes.extend(sizes)
        self._pending_bytes += sum(sizes)
        self.largest_row = max(self.largest_row, *sizes)
        self.rows += rows.num_rows
        while self._pending_bytes >= ROW_GROUP_BYTES:
            ends = np.cumsum(self._pending_sizes, dtype=np.int64)
            self._emit(int(np.searchsorted(ends, ROW_GROUP_BYTES)) + 1)

    def _emit(self, n: int) -> None:
        table = pa.concat_tables(self._pending)
        group, rest = table.slice(0, n).combine_chunks(), table.slice(n)
        self._pending = [rest] if rest.num_rows else []
        if self._pq is None:
            path = self.dir / f".shard-{len(self._shards):05d}.parquet"
            self._shards.append(path)
            self._pq = pq.ParquetWriter(path, self.schema, **self.options)
        self._pq.write_table(group, row_group_size=n)
        group_bytes = sum(self._pending_sizes[:n])
        self._shard_bytes += group_bytes
        self._pending_bytes -= group_bytes
        del self._pending_sizes[:n]
        if self._shard_bytes >= SHARD_BYTES:
            self._close_shard()

    def _close_shard(self) -> None:
        if self._pq is not None:
            self._pq.close()
            self._pq = None
            self._shard_bytes = 0

    def close(self) -> None:
        if self._pending_sizes:
            self._emit(len(self._pending_sizes))
        if not self._shards:  # an empty table still gets one (empty) shard with the schema
            path = self.dir / ".shard-00000.parquet"
            self._pq = pq.ParquetWriter(path, self.schema, **self.options)
            self._shards.append(path)
        self._close_shard()
        final = []
        for i, p in enumerate(self._shards):
            target = self.dir / shard_name(i, len(self._shards))
            p.rename(target)
            final.append(target)
        self.files = final
        # Hashed here, in the thread that wrote them, while the other tables are still being
        # written: the manifest and croissant.json take these digests.
        self.digests = {f.relative_to(self.out).as_posix(): sha256_file(f) for f in final}

    @property
    def uncompressed_bytes(self) -> int:
        """The card's num_bytes: the rows' uncompressed size as the Parquet files record it."""
        total = 0
        for f in self.files:
            meta = pq.ParquetFile(f).metadata
            total += sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        return total
