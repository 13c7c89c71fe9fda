"""The writer interface: what pass 2 hands every output format, and what it asks of one."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, TypeAlias

import pyarrow as pa

from ..schema import TableSchema

Values: TypeAlias = pa.ChunkedArray | pa.Array
#: Per-row work for pass 1: the rows (dicts) and their column names -> one value per row.
Encode = Callable[[pa.Table, list[str]], pa.Array]  # the rows as Arrow, the columns -> values


@dataclass
class Piece:
    """A chunk's rows of one table, ready to write: the rows as the schema has them, and the
    columns derived from them in pass 1 (see spool.py), by name."""

    rows: pa.Table
    derived: dict[str, Values] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """The build's choices about output formats."""

    jsonl_compression: str = "none"  # a distlayout.JSONL_SUFFIX key


class Writer(ABC):
    """Streams one table into one format. ``write`` gets the rows in seed order, a chunk at a
    time; ``close`` finishes the files and records each one's SHA-256 by its path relative to
    the dataset folder. The bytes written may depend only on the rows, never on how they were
    chunked.

    A format whose per-row work is worth doing in pass 1's workers (in parallel, like JSON
    encoding) names a hidden column in ``encoded`` and gives ``encode``; the spool carries that
    column to pass 2, where ``write`` finds it in ``piece.derived``."""

    #: The hidden spool column this format's ``encode`` fills, if any.
    encoded: ClassVar[str | None] = None

    def __init__(self, out: Path, table: TableSchema, settings: Settings) -> None:
        self.out = out
        self.table = table
        self.settings = settings
        self.rows = 0
        self.files: list[Path] = []
        self.digests: dict[str, str] = {}

    @staticmethod
    def encode(rows: pa.Table, columns: list[str]) -> pa.Array:
        raise NotImplementedError

    @abstractmethod
    def write(self, piece: Piece) -> None: ...

    @abstractmethod
    def close(self) -> None: ...
