"""Pass 2: one table's rows read back from the spool in seed order, the clustering decisions
applied (duplicates' rows dropped, the few fields clustering changes patched) and, in a
``--pseudonymize`` build, the handles replaced."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import spool
from .clusters import Clusters
from .model import Row
from .privacy import Pseudonymizer
from .processing import comment_ids
from .schema import TableSchema, load
from .writers import Piece


@dataclass(frozen=True)
class Privacy:
    key: bytes
    pseudonymizer: Pseudonymizer | None = None  # set in a --pseudonymize build


def assemble(
    table: str, chunks: int, folder: Path, clusters: Clusters, privacy: Privacy
) -> Iterator[Piece]:
    """One table's rows, chunk by chunk in seed order, with duplicates resolved. The three
    tables' spools are independent, so the three can be assembled side by side."""
    schema = load()[table]
    for n in range(chunks):
        t = spool.read_chunk(folder, n, table)
        if table == "metadata":
            yield _metadata(t, clusters, privacy, schema)
        elif table == "articles":
            yield _articles(t, clusters, schema)
        else:
            yield _comments(t, clusters, privacy, schema)


def _set(table: pa.Table, name: str, values: list[Any]) -> pa.Table:
    i = table.schema.get_field_index(name)
    return table.set_column(i, table.schema.field(i), pa.array(values, table.schema.field(i).type))


def _positions(mask: pa.ChunkedArray | pa.Array) -> list[int]:
    return np.flatnonzero(mask.to_numpy(zero_copy_only=False)).tolist()  # type: ignore[no-any-return]


def _metadata(table: pa.Table, clusters: Clusters, privacy: Privacy, schema: TableSchema) -> Piece:
    dup = pc.and_(
        pc.is_in(table.column("doc_id"), value_set=clusters.duplicates),
        pc.not_equal(table.column("status"), "rejected"),
    )
    renamed = clusters.renamed
    p = privacy.pseudonymizer
    if p is not None:  # every row's removed lines may hold a handle: the slow path
        rows = spool.visible(table).to_pylist()
        for row, is_dup in zip(rows, dup.to_pylist(), strict=True):
            doc = row["doc_id"]
            if is_dup:
                row.update(status="duplicate", duplicate_of=clusters.canonical_of[doc],
                           duplicate_similarity=clusters.similarity_of[doc],
                           article_id=clusters.article_of[doc])  # fmt: skip
            elif doc in renamed:
                row["article_id"] = renamed[doc]
            row["boilerplate"] = [{**b, "text": p.text(b["text"])} for b in row["boilerplate"]]
        return spool.rewrite(rows, schema)
    dups = set(_positions(dup))
    picked = _positions(pc.or_(dup, pc.is_in(table.column("doc_id"), clusters.renamed_docs)))
    if not picked:
        return spool.piece(table)
    docs = table.column("doc_id").to_pylist()
    status = table.column("status").to_pylist()
    aids = table.column("article_id").to_pylist()
    table = _set(table, "status", ["duplicate" if i in dups else s for i, s in enumerate(status)])
    table = _set(
        table,
        "duplicate_of",
        [clusters.canonical_of[d] if i in dups else None for i, d in enumerate(docs)],
    )
    table = _set(
        table,
        "duplicate_similarity",
        [clusters.similarity_of[d] if i in dups else None for i, d in enumerate(docs)],
    )
    table = _set(
        table,
        "article_id",
        [
            clusters.article_of[d] if i in dups else renamed.get(d, a)
            for i, (d, a) in enumerate(zip(docs, aids, strict=True))
        ],
    )
    return spool.redo(table, picked, schema)


def _articles(
    table: pa.Table,
    clusters: Clusters,
    schema: TableSchema,
) -> Piece:
    first = pc.list_element(table.column("source_doc_ids"), 0)
    drop = pc.is_in(first, value_set=clusters.duplicates)
    if pc.any(drop).as_py():
        table = table.filter(pc.invert(drop))
        first = pc.list_element(table.column("source_doc_ids"), 0)
    picked = _positions(
        pc.or_(
            pc.is_in(first, value_set=clusters.canonicals), pc.is_in(first, clusters.renamed_docs)
        )
    )
    if not picked:
        return spool.piece(table)
    docs = first.to_pylist()
    table = _set(table, "source_doc_ids", [clusters.sources(d) for d in docs])
    if clusters.renamed:
        aids = table.column("article_id").to_pylist()
        renamed = [clusters.renamed.get(d, a) for d, a in zip(docs, aids, strict=True)]
        table = _set(table, "article_id", renamed)
    return spool.redo(table, picked, schema)


def _comments(table: pa.Table, clusters: Clusters, privacy: Privacy, schema: TableSchema) -> Piece:
    drop = pc.is_in(table.column("source_doc_id"), value_set=clusters.duplicates)
    if pc.any(drop).as_py():
        table = table.filter(pc.invert(drop))
    renamed = pc.any(pc.is_in(table.column("source_doc_id"), clusters.renamed_docs)).as_py()
    p = privacy.pseudonymizer
    if (p is None and not renamed) or table.num_rows == 0:
        return spool.piece(table)
    rows = spool.visible(table).to_pylist()
    if renamed:
        _rename_comments(rows, clusters.renamed)
    if p is not None:
        for row in rows:
            row["author"] = p.name(row["author"])
            row["text"] = p.text(row["text"])
            row["quoted_text"] = p.text(row["quoted_text"])
    return spool.rewrite(rows, schema)


def _rename_comments(rows: list[Row], renamed: dict[str, str]) -> None:
    """The comments of an article whose ID changed (article_id_collision_v1): their IDs derive
    from the article's, so they are derived again, and the replies between them follow."""
    by_doc: dict[str, list[Row]] = {}
    for row in rows:
        if row["source_doc_id"] in renamed:
            by_doc.setdefault(row["source_doc_id"], []).append(row)
    for doc, cs in by_doc.items():
        aid = renamed[doc]
        new = comment_ids(aid, ((r["posted_at"], r["text"], r["quoted_text"]) for r in cs))
        old_to_new = {r["comment_id"]: n for r, n in zip(cs, new, strict=True)}
        for r, n in zip(cs, new, strict=True):
            reply = r["reply_to_comment_id"]
            r.update(comment_id=n, article_id=aid, reply_to_comment_id=old_to_new.get(reply, reply))
