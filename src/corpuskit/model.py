"""The records a seed becomes on its way through the build, typed.

    SeedFile (discovery) -> bytes -> Decoded (decode) -> Extraction (layouts) -> Document
                                                          or a Reject at any step

A :class:`Document` carries the seed's :class:`Metadata` and, when the seed holds an article,
its extraction and article ID. Rows, the values the tables are written from, are made from these
records only at the end, column by column in the schema's order (:class:`RowMaker`), so a
column is never typed out by hand and one the records cannot supply is an error, not a gap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

import pyarrow as pa

from .decode import Decoded
from .layouts import RULES_VERSION, Extraction
from .provenance import NO_PROVENANCE, Provenance
from .schema import SchemaError, TableSchema

__all__ = [
    "Decoded",
    "Document",
    "Extraction",
    "Metadata",
    "Reject",
    "RejectReason",
    "RemovedLine",
    "Row",
    "RowMaker",
    "SeedFile",
    "Values",
]

#: A row by column name (pass 2 reads rows back so, where it must change them in Python).
Row = dict[str, Any]
#: A row's values in its table's column order, as pass 1 makes them (:class:`RowMaker`).
Values = tuple[Any, ...]


class RejectReason(StrEnum):
    """Why a seed is not used: the code that opens ``metadata.error`` (``code: detail``) and
    keys ``build_stats.json``'s ``rejected_by_reason``. The values are published: never rename
    one."""

    # discovery: the seed's name
    FILE_NAME_NOT_UTF8 = "file_name_not_utf8"
    DOC_ID_COLLISION = "doc_id_collision"
    # reading (safety.read_seed)
    NOT_A_REGULAR_FILE = "not_a_regular_file"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"
    # decoding (decode.decode)
    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    WHITESPACE_ONLY = "whitespace_only"
    MARKUP = "markup"
    # extraction (layouts: NoArticle)
    NO_TITLE = "no_title"
    NO_BODY = "no_body"


class _Refusal(Protocol):
    """decode.Rejected and layouts.NoArticle: an exception with a reason code and a detail."""

    code: str
    detail: str


@dataclass(frozen=True, slots=True)
class Reject:
    reason: RejectReason
    detail: str

    @classmethod
    def of(cls, exc: _Refusal) -> Reject:
        """From a raised refusal; an unknown code is a programming error (ValueError)."""
        return cls(RejectReason(exc.code), exc.detail)

    def __str__(self) -> str:
        """As ``metadata.error`` shows it."""
        return f"{self.reason.value}: {self.detail}"


@dataclass(frozen=True, slots=True)
class SeedFile:
    doc_id: str
    file_name: str  # path under the seeds folder, '/'-separated; C-escaped if not UTF-8
    path: str  # where to read it
    problem: Reject | None = None  # a name that cannot be used
    provenance: Provenance | None = None  # its row of the seeds' manifest


class RemovedLine(NamedTuple):
    """A boilerplate line a rule removed (``metadata.boilerplate``'s items, in that order)."""

    line: int
    rule: str
    text: str
    score: float | None


@dataclass(slots=True)
class Metadata:
    """What pass 1 learns about one seed: its ``metadata`` row but for what clustering decides
    (``duplicate_of`` and ``duplicate_similarity``, always None here; pass 2 sets them, and may
    change ``status`` to ``duplicate`` and ``article_id``)."""

    doc_id: str
    file_name: str
    sha256: str | None = None
    bytes: int | None = None
    encoding: str | None = None
    replaced_bytes: int | None = None
    line_ending: str | None = None
    chars: int | None = None
    lines: int | None = None
    layout: str | None = None
    layout_evidence: list[str] = field(default_factory=list)
    reject: Reject | None = None
    article_id: str | None = None
    removed: list[RemovedLine] = field(default_factory=list)
    rules_version: str = RULES_VERSION
    duplicate_of: None = None
    duplicate_similarity: None = None
    provenance: Provenance = NO_PROVENANCE  # its seed's row of the manifest (source_* columns)

    @property
    def status(self) -> str:
        return "rejected" if self.reject is not None else "ok"

    @property
    def error(self) -> str | None:
        return None if self.reject is None else str(self.reject)


@dataclass(slots=True)
class Document:
    """What reading one seed gives: its metadata and, when it holds an article, the extraction
    with the article ID. The bodies' MinHash signatures are made a chunk at a time
    (clusters.SeedIndex.sign)."""

    meta: Metadata
    extraction: Extraction | None = None
    article_id: str | None = None

    @property
    def richness(self) -> int:
        """The richer copy of an article is canonical. In order of weight: comments, a time, a
        date, a byline, the body's length, packed into one integer that orders the same way."""
        ex = self.extraction
        if ex is None:
            return 0
        return (
            min(len(ex.comments), (1 << 22) - 1) << 40
            | (ex.published_at is not None) << 39
            | (ex.published_date is not None) << 38
            | (len(ex.authors) > 0) << 37
            | min(len(ex.body), (1 << 37) - 1)
        )


class RowMaker:
    """Rows of one table, their values in the schema's column order: each column is the value
    given by name or else the source record's attribute of that name. The names given must be
    columns, the same names every row; a column that neither supplies raises (SchemaError).

    The row is built by one tuple display compiled from the column list, as fast as a row typed
    out by hand (a row is made for every comment of the corpus), and the rows become an Arrow
    table a column at a time (:meth:`to_arrow`): no dict per row, no lookup by name per value."""

    def __init__(self, table: TableSchema, given: Iterable[str] = ()) -> None:
        self.table = table.name
        self.columns = table.column_names
        self.arrow = table.arrow_schema()
        self.order = tuple(dict.fromkeys(given))
        self.given = frozenset(self.order)
        unknown = sorted(self.given.difference(self.columns))
        if unknown:
            raise SchemaError(f"table {self.table}: no column {', '.join(unknown)}")
        odd = [c for c in self.columns if not c.isidentifier()]
        if odd:
            raise SchemaError(f"table {self.table}: column names must be identifiers: {odd}")
        #: The source, then the given names in order, the parameters of one compiled function
        #: (``__source__`` cannot be a column: schema columns are never hidden names).
        items = "".join(f"{c}, " if c in self.given else f"__source__.{c}, " for c in self.columns)
        params = "".join(f"{c}, " for c in self.order)
        #: A row from the source and the given values, positionally in the order given (or by
        #: name): unchecked, for the rows made by the thousand (a comment's).
        self.row: Callable[..., Values] = eval(f"lambda __source__, {params}: ({items})")

    def __call__(self, source: object, **given: Any) -> Values:
        try:
            return self.row(source, **given)
        except TypeError:
            raise TypeError(
                f"table {self.table}: give {sorted(self.given)}, not {sorted(given)}"
            ) from None
        except AttributeError as exc:
            raise SchemaError(
                f"table {self.table}: column {exc.name!r} is supplied neither by name nor by "
                f"{type(source).__name__}"
            ) from None

    def to_arrow(self, rows: list[Values]) -> pa.Table:
        """Rows this maker made, as an Arrow table of the schema (the values of a struct column
        may be tuples, in the struct's field order)."""
        if not rows:
            return self.arrow.empty_table()
        columns = zip(*rows, strict=True)
        arrays = [pa.array(values, f.type) for values, f in zip(columns, self.arrow, strict=True)]
        return pa.Table.from_arrays(arrays, schema=self.arrow)
