"""The typed records, the rows made from them, and the names kept in one place (layout
families, reject reasons, output formats)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpuskit import layouts, spool, writers
from corpuskit.discovery import discover
from corpuskit.layouts.base import CommentDraft
from corpuskit.model import Metadata, RejectReason, RemovedLine, RowMaker
from corpuskit.privacy import author_id
from corpuskit.processing import (
    article_row,
    chunk_jobs,
    comment_ids,
    comment_rows,
    metadata_row,
    process_bytes,
    process_chunk,
    rows_table,
)
from corpuskit.schema import TABLES, SchemaError, TableSchema, load

from . import invented
from .conftest import REPO

SRC = REPO / "src" / "corpuskit"


@pytest.mark.parametrize("table", ["articles", "metadata"])
def test_the_schema_layout_enum_is_the_layout_registry(table: str) -> None:
    spec = json.loads((REPO / "schema" / f"{table}.schema.json").read_text(encoding="utf-8"))
    enum = [v for v in spec["properties"]["layout"]["enum"] if v is not None]
    assert enum == list(layouts.NAMES)


def test_every_reject_code_raised_in_the_code_is_a_reason_and_every_reason_is_raised() -> None:
    raised: set[str] = set()
    named: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        raised |= set(re.findall(r"(?:Rejected|NoArticle)\(\s*\"(\w+)\"", text))
        named |= set(re.findall(r"RejectReason\.([A-Z_0-9]+)", text))
    assert raised, "no raise site found: the pattern is stale"
    assert raised <= {r.value for r in RejectReason}
    assert raised | {RejectReason[n].value for n in named} == {r.value for r in RejectReason}


def test_a_rejected_seed_s_error_is_code_colon_detail() -> None:
    doc = process_bytes(Metadata("x", "x.txt"), b"")
    assert doc.extraction is None and doc.meta.reject is not None
    assert doc.meta.reject.reason is RejectReason.EMPTY
    (row,) = rows_table("metadata", [metadata_row(doc.meta)]).to_pylist()
    assert row["status"] == "rejected"
    assert row["error"] == f"empty: {doc.meta.reject.detail}"


def test_rows_have_every_column_in_schema_order() -> None:
    schemas = load()
    doc = process_bytes(Metadata("x", "x.txt"), invented.SIGNED_BLOG.encode("utf-8"))
    ex, aid = doc.extraction, doc.article_id
    assert ex is not None and aid is not None and ex.comments
    comments = list(comment_rows(ex, aid, "x", b"key"))
    rows = {
        "articles": article_row(ex, aid, ["x"], len(comments)),
        "comments": comments[0],
        "metadata": metadata_row(doc.meta),
    }
    tables = {t: rows_table(t, [rows[t]]) for t in TABLES}  # the types fit
    for t in TABLES:
        assert len(rows[t]) == len(schemas[t].column_names)
        assert tables[t].schema == schemas[t].arrow_schema()
    (meta,) = tables["metadata"].to_pylist()
    assert (meta["doc_id"], meta["status"], meta["layout"]) == ("x", "ok", ex.layout)
    assert meta["boilerplate"] == [b._asdict() for b in doc.meta.removed]
    assert doc.meta.removed
    (article,) = tables["articles"].to_pylist()
    assert (article["title"], article["comment_count"]) == (ex.title, len(comments))
    (comment,) = tables["comments"].to_pylist()
    assert (comment["text"], comment["source_doc_id"]) == (ex.comments[0].text, "x")
    assert (comment["comment_id"], comment["article_id"]) == (
        comment_ids(aid, [_ident(ex)])[0],
        aid,
    )
    assert comment["author_id"] == author_id(b"key", ex.comments[0].author)


def _ident(ex: layouts.Extraction) -> tuple[datetime | None, str, str | None]:
    c = ex.comments[0]
    return c.posted_at, c.text, c.quoted_text


def test_removed_lines_are_the_boilerplate_column_s_items() -> None:
    (column,) = [c for c in load()["metadata"].columns if c.name == "boilerplate"]
    assert list(RemovedLine._fields) == [s.name for s in column.sub_columns()]


def test_a_row_maker_refuses_a_column_nobody_supplies_and_a_name_that_is_no_column() -> None:
    articles = load()["articles"]
    with pytest.raises(SchemaError, match="no column nonsense"):
        RowMaker(articles, ("article_id", "nonsense"))
    make = RowMaker(articles, ("article_id",))
    with pytest.raises(SchemaError, match="column 'title' is supplied neither by name nor by"):
        make(object(), article_id="art_0000000000000000")
    with pytest.raises(TypeError, match=r"give \['article_id'\], not \['article'\]"):
        make(object(), article="art_0000000000000000")


def test_a_row_by_position_is_the_row_by_name() -> None:
    comments = load()["comments"]
    names = ("source_doc_id", "comment_id", "article_id", "author_id", "reply_to_comment_id")
    make = RowMaker(comments, names)
    c = CommentDraft(3, "Dee", None, "Text", None, None, 10, 14, depth=1)
    values = ("d", "cmt_1", "art_2", "usr_3", None)
    assert make.row(c, *values) == make(c, **dict(zip(names, values, strict=True)))
    row = dict(zip(comments.column_names, make.row(c, *values), strict=True))
    assert (row["source_doc_id"], row["comment_id"], row["text"]) == ("d", "cmt_1", "Text")


def test_no_schema_column_looks_like_a_hidden_spool_column() -> None:
    for schema in load().values():
        assert not [c for c in schema.column_names if c.startswith("__") and c.endswith("__")]


class _TsvWriter(writers.Writer):
    """A third format, made only from the writer interface."""

    encoded = "__tsv__"

    def __init__(self, out: Path, table: TableSchema, settings: writers.Settings) -> None:
        super().__init__(out, table, settings)
        self.path = out / "tsv" / f"{table.name}.tsv"
        self.path.parent.mkdir(exist_ok=True)
        self._file = self.path.open("wb")

    @staticmethod
    def encode(rows: pa.Table, columns: list[str]) -> pa.Array:
        return pa.array(
            [("\t".join(str(r[c]) for c in columns) + "\n").encode() for r in rows.to_pylist()]
        )

    def write(self, piece: writers.Piece) -> None:
        for values in writers.binary_values(piece.derived[self.encoded]):
            self._file.write(values)
        self.rows += piece.rows.num_rows

    def close(self) -> None:
        self._file.close()
        self.files = [self.path]


def test_a_new_format_is_one_writer_in_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writers, "FORMATS", (*writers.FORMATS, _TsvWriter))
    schema = load()["metadata"]
    rows = [metadata_row(Metadata(f"d{i}", f"d{i}.txt", bytes=i)) for i in range(3)]
    spool.write_chunk(tmp_path, 0, rows_table("metadata", rows), schema)
    out = tmp_path / "dist"
    out.mkdir()
    output = writers.TableOutput(out, schema, writers.Settings())
    output.write(spool.piece(spool.read_chunk(tmp_path, 0, "metadata")))
    output.close()
    tsv = (out / "tsv" / "metadata.tsv").read_text().splitlines()
    assert [line.split("\t")[0] for line in tsv] == ["d0", "d1", "d2"]
    assert pq.read_table(out / "data" / "metadata").column("doc_id").to_pylist() == [
        "d0",
        "d1",
        "d2",
    ]
    assert (out / "jsonl" / "metadata.jsonl").read_text().count("\n") == 3


def test_pass_1_spools_the_word_counts_the_spool_would_derive(tmp_path: Path) -> None:
    """Processing counts each comment's words as it makes its ID and hands them to the spool."""
    seeds, folder = tmp_path / "seeds", tmp_path / "spool"
    seeds.mkdir()
    folder.mkdir()
    odd = invented.SIGNED_BLOG.replace("It was painful.", "It\u3000was “painful”\x1c too .")
    (seeds / "a.txt").write_text(invented.SIGNED_BLOG, encoding="utf-8")
    (seeds / "b.txt").write_text(odd, encoding="utf-8")
    (seeds / "c.txt").write_text(invented.DATED_REPOST, encoding="utf-8")
    (job,) = chunk_jobs(discover(seeds), folder, b"key", collect_names=False)
    process_chunk(job)
    comments = spool.read_chunk(folder, 0, "comments")
    texts = comments.column("text").to_pylist()
    assert any("\u3000" in t for t in texts) and len(texts) > 6
    assert comments.column(spool.WORDS_COLUMN).to_pylist() == [len(t.split()) for t in texts]
