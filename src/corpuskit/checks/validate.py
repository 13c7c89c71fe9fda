"""``validate [DIR]``: prove that a built dataset is what it claims to be.

Every check collects findings — each with its rule, file, row and field — instead of raising,
so one run reports everything that is wrong. The build runs the cheap subset (:func:`quick_check`:
schema, keys, checksums) before it swaps a new dataset in.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import package
from ..distlayout import (
    CARD,
    CROISSANT,
    DATAPACKAGE,
    DATASHEET,
    DOCUMENTS,
    MANIFEST,
    STATS,
    jsonl_path,
    shard_name,
    table_files,
    table_folder,
)
from ..progress import Progress
from ..schema import TABLES, TableSchema, load
from ..writers import arrowjson, jsonl_line
from . import rowschema


@dataclass(frozen=True)
class Finding:
    rule: str
    file: str
    message: str
    row: int | None = None  # 1-based row within the table (all shards, in order)
    field: str | None = None

    def render(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": row {self.row}"
        if self.field is not None:
            where += f": field '{self.field}'"
        return f"{where}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


MAX_PER_RULE = 50  # per table and rule: past this, one summary finding says how many more


def _rel(out: Path, p: Path) -> str:
    try:
        return p.relative_to(out).as_posix()
    except ValueError:
        return str(p)


# -- 1. Parquet files read and match the schema --------------------------------------


def check_parquet_schema(out: Path, schemas: dict[str, TableSchema]) -> Iterator[Finding]:
    for t in TABLES:
        files = table_files(out, t)
        if not files:
            yield Finding("parquet_present", table_folder(t), "no Parquet file for this table")
        expected = schemas[t].arrow_schema()
        for f in files:
            try:
                actual = pq.read_schema(f)
                pq.ParquetFile(f).metadata  # noqa: B018  (reads the footer)
            except (OSError, pa.ArrowException) as exc:
                yield Finding(
                    "parquet_readable", _rel(out, f), f"cannot read the Parquet file: {exc}"
                )
                continue
            yield from _schema_diff(_rel(out, f), expected, actual)


def _schema_diff(file: str, expected: pa.Schema, actual: pa.Schema) -> Iterator[Finding]:
    exp = {f.name: f for f in expected}
    act = {f.name: f for f in actual}
    for name, f in exp.items():
        if name not in act:
            yield Finding("schema_columns", file, "column is missing", field=name)
        elif not act[name].type.equals(f.type):
            yield Finding(
                "schema_types", file, f"type is {act[name].type}, schema/ says {f.type}", field=name
            )
        elif act[name].nullable != f.nullable:
            yield Finding(
                "schema_nullability",
                file,
                f"nullable={act[name].nullable}, schema/ says nullable={f.nullable}",
                field=name,
            )
    for name in act:
        if name not in exp:
            yield Finding("schema_columns", file, "column is not in schema/", field=name)
    if [n for n in act if n in exp] != [n for n in exp if n in act]:
        yield Finding("schema_columns", file, "columns are not in schema/'s order")


def _readable(out: Path, t: str) -> list[Path] | None:
    """The table's files, if all of them read with the expected schema (else None)."""
    files = table_files(out, t)
    expected = load()[t].arrow_schema()
    try:
        if files and all(pq.read_schema(f).equals(expected) for f in files):
            return files
    except (OSError, pa.ArrowException):
        pass
    return None


# -- 2 and 4. rows validate against the JSON Schema; the JSONL copies hold exactly those rows ----


def check_rows_and_jsonl(out: Path, schemas: dict[str, TableSchema]) -> Iterator[Finding]:
    """One pass per table: each Parquet row is validated against the table's JSON Schema (draft
    2020-12, formats checked) and its JSON line compared with the JSONL copy's."""
    try:
        files = [f for t in TABLES for f in _readable(out, t) or []]
        total: int | None = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    except (OSError, pa.ArrowException):  # reported by the pass itself
        total = None
    with (
        Progress("validate: checking rows", total, "rows") as bar,
        ThreadPoolExecutor(len(TABLES), thread_name_prefix="rows") as pool,
    ):  # the tables side by side: much of the work is Arrow's, without the interpreter lock
        tables = [
            pool.submit(lambda t: list(_rows_and_jsonl(out, schemas[t], bar)), t) for t in TABLES
        ]
        for done in tables:
            yield from done.result()


def check_table_rows(out: Path, schema: TableSchema, bar: Progress) -> list[Finding]:
    """One table's part of :func:`check_rows_and_jsonl`: the build runs it as soon as that
    table is written, while the others are still being written (see :func:`quick_check`).
    Guarded as every check is: what breaks it is a finding."""
    return _guarded("rows", _rows_and_jsonl(out, schema, bar))


def _rows_and_jsonl(out: Path, schema: TableSchema, bar: Progress) -> Iterator[Finding]:
    """One table's rows against its JSON Schema and its JSONL copy."""
    import jsonschema_rs

    path = jsonl_path(out, schema.name)
    rel = _rel(out, path)
    if not path.is_file():
        yield Finding("jsonl_present", rel, "JSONL copy is missing")
    files = _readable(out, schema.name)
    if files is None:
        return
    validator = jsonschema_rs.Draft202012Validator(schema.json_schema, validate_formats=True)
    cols = schema.column_names
    n = shown_schema = 0
    copy = _JsonlCopy(path, rel) if path.is_file() else None
    try:
        for f in files:
            for batch in _batches(f):
                if isinstance(batch, Exception):
                    yield _unreadable(out, f, batch)
                    if copy is not None:  # the rows after it cannot be lined up
                        copy.close()
                        copy = None
                    break
                bar.update(batch.num_rows)
                docs = _json_rows(batch, cols, copy, schema.json_schema)
                size, batch = batch.num_rows, None
                for i, doc, line in docs:
                    row = n + i + 1
                    if copy is not None and line is not None:
                        yield from copy.compare(row, line)
                    if not validator.is_valid(doc):
                        for err in validator.iter_errors(doc):
                            shown_schema += 1
                            if shown_schema <= MAX_PER_RULE:
                                field = ".".join(map(str, err.instance_path)) or None
                                yield Finding(
                                    "json_schema", _rel(out, f), err.message, row=row, field=field
                                )
                n += size
        if copy is not None:
            yield from copy.rest(n)
    finally:
        if copy is not None:
            copy.close()


#: Rows serialised and compared at once: about this many bytes of Arrow data, which bounds the
#: memory their JSON lines and Python objects take beside the row group.
_SLICE_BYTES = 4 << 20


def _json_rows(
    batch: pa.Table, cols: list[str], copy: _JsonlCopy | None, json_schema: dict[str, Any]
) -> Iterator[tuple[int, Any, str | None]]:
    """The rows the JSON Schema must see, in order, as (index in the batch, JSON value, line):
    each value is what ``json.loads`` makes of the row's line; the line is given where the
    JSONL copy differs from the rows, else None.

    The rows' lines are computed column by column (arrowjson) and compared with the copy's
    bytes a slice of rows at a time. Only a slice whose lines differ is serialised again row by
    row in Python, so that the findings name each row and field that differs; all its rows are
    given. Of the other slices, only the rows that ``rowschema.sure_valid`` cannot vouch for
    (none, in a sound table) are made into Python values for the validator: the others would
    pass it."""
    step = max(1, batch.num_rows * _SLICE_BYTES // max(batch.nbytes, 1))
    for at in range(0, batch.num_rows, step):
        rows = batch.slice(at, step)
        expected = arrowjson.lines(rows, cols)
        if copy is not None and not copy.same(expected):
            for i, row in enumerate(rows.to_pylist(), at):
                line = jsonl_line(row, cols)
                yield i, json.loads(line), line
            continue
        doubtful = np.flatnonzero(~rowschema.sure_valid(rows, json_schema))
        if not len(doubtful):
            continue
        jsonable = _with_iso_dates(rows)
        if jsonable is None:
            for i in doubtful.tolist():
                yield at + i, json.loads(expected[i].as_py()), None
            continue
        del expected
        docs = jsonable.take(pa.array(doubtful)).to_pylist()
        for i, doc in zip(doubtful.tolist(), docs, strict=True):
            yield at + i, doc, None


def _with_iso_dates(batch: pa.Table) -> pa.Table | None:
    """The batch with its date and time columns as the ISO 8601 text of its JSON lines, if
    every other column already converts to JSON values (else None)."""
    for i, field in enumerate(batch.schema):
        if pa.types.is_date32(field.type) or pa.types.is_timestamp(field.type):
            text = arrowjson.iso_text(batch.column(i).combine_chunks())
            if text is None:
                return None
            batch = batch.set_column(i, field.name, text)
        elif not arrowjson.plain(field.type):
            return None
    return batch


def _equal(data: bytes, expected: memoryview) -> bool:
    """``data == expected``, by memcmp over both buffers as they are (a memoryview is compared
    item by item, and slicing bytes or ``tobytes`` would copy both)."""
    return len(data) == len(expected) and pa.py_buffer(data).equals(pa.py_buffer(expected))


class _JsonlCopy:
    """A table's JSONL copy, read as bytes alongside the Parquet rows."""

    def __init__(self, path: Path, rel: str) -> None:
        self.rel = rel
        self._raw = path.open("rb")
        gz = path.name.endswith(".gz")
        self._fh: io.BufferedIOBase = gzip.GzipFile(fileobj=self._raw) if gz else self._raw
        self._ahead = b""  # bytes read for a batch that did not match: compared from _at on
        self._at = 0
        self._shown = 0
        self._broken = False  # not UTF-8: the lines after it are not compared

    def _read(self, size: int) -> bytes:
        data = self._ahead[self._at : self._at + size]
        self._at += len(data)
        if len(data) < size:
            data += self._fh.read(size - len(data))
        return data

    def _readline(self) -> bytes:
        end = self._ahead.find(b"\n", self._at) + 1
        if end > 0:
            line = self._ahead[self._at : end]
            self._at = end
            return line
        line = self._ahead[self._at :] + self._fh.readline()
        self._ahead, self._at = b"", 0
        return line

    def same(self, lines: pa.Array) -> bool:
        """Whether the copy's next bytes are these lines; if not, nothing is used up."""
        if self._broken:
            return True
        expected = arrowjson.values(lines)
        data = self._read(len(expected))
        if _equal(data, expected):
            return True
        self._ahead, self._at = data + self._ahead[self._at :], 0
        return False

    def compare(self, n: int, line: str) -> Iterator[Finding]:
        """The copy's next line against row ``n``'s."""
        if self._broken:
            return
        raw = self._readline()
        if raw.endswith(b"\r\n"):  # a line end that text mode reads as "\n"
            raw = raw[:-2] + b"\n"
        try:
            got = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self._broken = True
            yield Finding("jsonl_rows", self.rel, f"not UTF-8 text: {exc.reason}", row=n)
            return
        if got != line:
            self._shown += 1
            if self._shown <= MAX_PER_RULE:
                yield from _jsonl_diff(self.rel, n, line, got)

    def rest(self, n: int) -> Iterator[Finding]:
        """Lines after the last row's, which the Parquet files do not have."""
        if self._broken:
            return
        extra = 0
        while line := self._readline():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Finding("jsonl_rows", self.rel, f"not UTF-8 text: {exc.reason}")
                return
            extra += 1
        if extra:
            yield Finding(
                "jsonl_rows", self.rel, f"{extra} lines more than the Parquet rows", row=n + 1
            )

    def close(self) -> None:
        self._fh.close()
        self._raw.close()


def _batches(f: Path) -> Iterator[pa.Table | Exception]:
    """A file's row groups, one at a time; a damaged page ends them with the error instead of
    raising. Read whole and handed over, so that nothing keeps a row group's buffers once the
    caller lets it go (a batch iterator holds on to the last one it gave)."""
    try:
        pf = pq.ParquetFile(f)
        for i in range(pf.num_row_groups):
            yield pf.read_row_group(i)
    except (OSError, pa.ArrowException) as exc:
        yield exc


def _unreadable(out: Path, f: Path, exc: Exception) -> Finding:
    msg = f"cannot read the rows: {type(exc).__name__}: {exc}"
    return Finding("parquet_readable", _rel(out, f), msg)


# -- 3. keys ---------------------------------------------------------------------------


def check_keys(out: Path, schemas: dict[str, TableSchema]) -> Iterator[Finding]:
    tables: dict[str, pa.Table] = {}
    for t in TABLES:
        files = _readable(out, t)
        if files is not None:  # only the key and count columns: never the texts
            wanted = {schemas[t].primary_key, *(fk["fields"] for fk in schemas[t].foreign_keys)}
            wanted |= _COUNT_COLUMNS.get(t, set())
            cols = [c for c in schemas[t].column_names if c in wanted]
            parts = []
            for f in files:
                try:
                    parts.append(pq.read_table(f, columns=cols))
                except (OSError, pa.ArrowException) as exc:
                    yield _unreadable(out, f, exc)
                    break
            else:
                tables[t] = pa.concat_tables(parts)
    for t, tab in tables.items():
        pk = schemas[t].primary_key
        where = table_folder(t)
        col = tab.column(pk)
        nulls = col.null_count
        if nulls:
            yield Finding("primary_key_null", where, f"{nulls} rows have no {pk}", field=pk)
        counts = pc.value_counts(col.drop_null())
        dup = counts.filter(pc.greater(counts.field("counts"), 1))
        for d in dup.to_pylist()[:MAX_PER_RULE]:
            rows = _rows_where(col, d["values"])
            yield Finding(
                "primary_key_unique",
                where,
                f"{pk} {d['values']!r} appears {d['counts']} times "
                f"(rows {', '.join(map(str, rows))})",
                row=rows[1],
                field=pk,
            )
        for fk in schemas[t].foreign_keys:
            ref_t = fk["reference"]["resource"]
            if ref_t not in tables:
                continue
            values = tab.column(fk["fields"])
            targets = tables[ref_t].column(fk["reference"]["fields"]).drop_null()
            missing = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=targets)))
            bad = pc.indices_nonzero(missing).to_pylist()
            for i in bad[:MAX_PER_RULE]:
                yield Finding(
                    "foreign_key",
                    where,
                    f"{values[i].as_py()!r} is not a {fk['reference']['fields']} in {ref_t}",
                    row=i + 1,
                    field=fk["fields"],
                )
            if len(bad) > MAX_PER_RULE:
                yield Finding(
                    "foreign_key",
                    where,
                    f"... and {len(bad) - MAX_PER_RULE} more",
                    field=fk["fields"],
                )
    yield from _check_counts(tables)


_COUNT_COLUMNS = {"articles": {"comment_count", "source_doc_ids"}, "metadata": {"status"}}


def _rows_where(col: pa.ChunkedArray, value: Any) -> list[int]:
    return [i + 1 for i in pc.indices_nonzero(pc.equal(col, value)).to_pylist()]


def _check_counts(tables: dict[str, pa.Table]) -> Iterator[Finding]:
    if "articles" not in tables:
        return
    arts = tables["articles"]
    if "comments" in tables:
        per = pc.value_counts(tables["comments"].column("article_id"))
        actual = dict(
            zip(per.field("values").to_pylist(), per.field("counts").to_pylist(), strict=True)
        )
        for i, (aid, n) in enumerate(
            zip(
                arts.column("article_id").to_pylist(),
                arts.column("comment_count").to_pylist(),
                strict=True,
            )
        ):
            if actual.get(aid, 0) != n:
                yield Finding(
                    "comment_count",
                    table_folder("articles"),
                    f"says {n} comments, comments has {actual.get(aid, 0)} for {aid}",
                    row=i + 1,
                    field="comment_count",
                )
    if "metadata" in tables:
        meta = tables["metadata"]
        built_from: dict[str, list[str]] = {}
        for doc, aid, status in zip(
            meta.column("doc_id").to_pylist(),
            meta.column("article_id").to_pylist(),
            meta.column("status").to_pylist(),
            strict=True,
        ):
            if aid is not None and status != "rejected":
                built_from.setdefault(aid, []).append(doc)
        for i, (aid, srcs) in enumerate(
            zip(
                arts.column("article_id").to_pylist(),
                arts.column("source_doc_ids").to_pylist(),
                strict=True,
            )
        ):
            if sorted(srcs) != sorted(built_from.get(aid, [])):
                yield Finding(
                    "source_doc_ids",
                    table_folder("articles"),
                    f"lists {srcs}, metadata links {sorted(built_from.get(aid, []))} to {aid}",
                    row=i + 1,
                    field="source_doc_ids",
                )


def _jsonl_diff(rel: str, n: int, expected: str, got: str) -> Iterator[Finding]:
    if not got:
        msg = "line missing: the JSONL copy has fewer rows than Parquet"
        yield Finding("jsonl_rows", rel, msg, row=n)
        return
    try:
        doc = json.loads(got)
    except ValueError as exc:
        yield Finding("jsonl_rows", rel, f"not valid JSON: {exc}", row=n)
        return
    exp = json.loads(expected)
    fields = [k for k in exp if doc.get(k, object()) != exp[k]] + [k for k in doc if k not in exp]
    if not fields:
        yield Finding("jsonl_rows", rel, "differs from the Parquet row in its formatting", row=n)
    for k in fields:
        yield Finding("jsonl_rows", rel, "differs from the Parquet row", row=n, field=k)


# -- 5. checksums ----------------------------------------------------------------------


def check_manifest(
    out: Path, rehash: bool = True, hashes: dict[str, str] | None = None
) -> Iterator[Finding]:
    """Every file is listed with its sha256 and every listed file is there. The manifest is read
    as ``sha256sum -c`` reads it; a line in none of its forms is named by its number."""
    path = out / MANIFEST
    if not path.is_file():
        yield Finding("manifest", MANIFEST, "checksum manifest is missing")
        return
    try:
        manifest = package.parse_manifest(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        yield Finding("manifest", MANIFEST, f"cannot read the manifest: {exc}")
        return
    for no, line in manifest.unparsed[:MAX_PER_RULE]:
        yield Finding(
            "manifest_format",
            MANIFEST,
            f"line {no} is not a checksum line (HASH  path, HASH *path or SHA256 (path) = HASH): "
            f"{line[:80]!r}",
            row=no,
        )
    listed = manifest.entries
    present = set(package.dist_files(out))
    for rel, digest in sorted(listed.items()):
        if rel not in present:
            yield Finding("manifest", rel, "listed in the manifest but missing")
        elif rehash and _sha256(out, rel, hashes) != digest:
            yield Finding("manifest", rel, "altered: its sha256 differs from the manifest")
    for rel in sorted(present - set(listed)):
        yield Finding("manifest", rel, "extra file: not in the manifest")


def _sha256(out: Path, rel: str, hashes: dict[str, str] | None) -> str:
    """A file's sha256, computed once per validation."""
    if hashes is None:
        return package.sha256_file(out / rel)
    if rel not in hashes:
        hashes[rel] = package.sha256_file(out / rel)
    return hashes[rel]


# -- 5b. the documents: each one's content against the data ---------------------------------

_VERSION_IN_TEXT = {
    CARD: r"^Version \*\*([^*\s]+)\*\*",
    DATASHEET: r"^Version ([^,\s]+),",
}


def check_file_list(out: Path) -> Iterator[Finding]:
    """The folder holds exactly what a build writes: its documents, one JSONL copy per table,
    and each table's shards numbered train-00000-of-0000n ... without a gap."""
    expected = {*DOCUMENTS, *(_rel(out, jsonl_path(out, t)) for t in TABLES)}
    present = package.dist_files(out)
    for rel in sorted(expected - set(present)):
        yield Finding("file_list", rel, "missing: every build writes this file")
    for t in TABLES:
        names = [f.name for f in table_files(out, t)]
        proper = [shard_name(i, len(names)) for i in range(len(names))]
        expected |= {f"{table_folder(t)}{n}" for n in set(names) & set(proper)}
    for rel in present:
        if rel not in expected:
            yield Finding(
                "file_list", rel, "not a file of this dataset: a build writes no such file"
            )


def _json_document(out: Path, name: str) -> tuple[dict[str, Any] | None, Finding | None]:
    try:
        doc = json.loads((out / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, None  # reported by the file list
    except (OSError, ValueError) as exc:
        return None, Finding("document_parses", name, f"does not parse as JSON: {exc}")
    if not isinstance(doc, dict):
        return None, Finding("document_parses", name, "is not a JSON object")
    return doc, None


def check_documents(
    out: Path, schemas: dict[str, TableSchema], hashes: dict[str, str] | None = None
) -> Iterator[Finding]:
    """build_stats.json, datapackage.json and croissant.json parse and agree with the data (row
    counts, files, sha256 and sizes, fields from schema/), and every document states the same
    version."""
    docs: dict[str, dict[str, Any]] = {}
    for name in (STATS, DATAPACKAGE, CROISSANT):
        doc, problem = _json_document(out, name)
        if problem is not None:
            yield problem
        if doc is not None:
            docs[name] = doc
    yield from _versions(out, docs)
    counts = {t: _row_count(out, t) for t in TABLES}
    if STATS in docs:
        yield from _check_stats(out, docs[STATS], counts)
    if DATAPACKAGE in docs:
        yield from _check_datapackage(out, docs[DATAPACKAGE], schemas)
    if CROISSANT in docs:
        yield from _check_croissant(out, docs[CROISSANT], schemas, hashes)


def _versions(out: Path, docs: dict[str, dict[str, Any]]) -> Iterator[Finding]:
    import re

    versions: dict[str, str] = {}
    for name, doc in docs.items():
        if isinstance(doc.get("version"), str):
            versions[name] = doc["version"]
        else:
            yield Finding("document_version", name, "states no version", field="version")
    for name, pattern in _VERSION_IN_TEXT.items():
        try:
            m = re.search(pattern, (out / name).read_text(encoding="utf-8"), re.MULTILINE)
        except (OSError, UnicodeDecodeError):
            continue
        if m:
            versions[name] = m.group(1)
    if len(set(versions.values())) > 1:
        ranked = Counter(versions.values()).most_common()
        common = ranked[0][0] if ranked[0][1] > ranked[1][1] else None
        said = ", ".join(f"{n}: {v}" for n, v in sorted(versions.items()))
        for name, v in sorted(versions.items()):
            if common is None or v != common:
                yield Finding(
                    "document_version",
                    name,
                    f"states version {v}, but the documents disagree ({said})",
                    field="version",
                )


def _row_count(out: Path, t: str) -> int | None:
    files = _readable(out, t)
    try:
        return sum(pq.ParquetFile(f).metadata.num_rows for f in files) if files else None
    except (OSError, pa.ArrowException):
        return None


def _check_stats(
    out: Path, stats: dict[str, Any], counts: dict[str, int | None]
) -> Iterator[Finding]:
    name = STATS
    rows = stats.get("rows")
    if not isinstance(rows, dict):
        yield Finding("build_stats", name, "has no per-table row counts", field="rows")
        rows = {}
    for t, n in counts.items():
        if n is not None and rows.get(t) != n:
            yield Finding(
                "build_stats",
                name,
                f"says {rows.get(t)} rows, {table_folder(t)} has {n}",
                field=f"rows.{t}",
            )
    if counts["metadata"] is not None and stats.get("seeds") != counts["metadata"]:
        yield Finding(
            "build_stats",
            name,
            f"says {stats.get('seeds')} seeds, metadata has {counts['metadata']} rows",
            field="seeds",
        )
    files = _readable(out, "metadata")
    if not files:
        return
    try:
        status = _read_column(files, "status")
    except (OSError, pa.ArrowException):
        return  # reported by the row and key checks
    actual = dict(Counter(status))
    if stats.get("seeds_by_status") != actual:
        yield Finding(
            "build_stats",
            name,
            f"says seeds by status {stats.get('seeds_by_status')}, metadata has {actual}",
            field="seeds_by_status",
        )
    if stats.get("duplicates_merged") != actual.get("duplicate", 0):
        yield Finding(
            "build_stats",
            name,
            f"says {stats.get('duplicates_merged')} duplicates merged, metadata has "
            f"{actual.get('duplicate', 0)}",
            field="duplicates_merged",
        )


def _read_column(files: list[Path], column: str) -> list[Any]:
    return [v for f in files for v in pq.read_table(f, columns=[column]).column(0).to_pylist()]


def _objects(doc: dict[str, Any], key: str) -> list[dict[str, Any]] | None:
    """doc[key] if it is a list of JSON objects, else None."""
    items = doc.get(key)
    if isinstance(items, list) and all(isinstance(d, dict) for d in items):
        return items
    return None


def _check_datapackage(
    out: Path, pkg: dict[str, Any], schemas: dict[str, TableSchema]
) -> Iterator[Finding]:
    name = DATAPACKAGE
    resources = _objects(pkg, "resources")
    if resources is None:
        yield Finding("datapackage", name, "has no list of resources", field="resources")
        return
    names = [r.get("name") for r in resources]
    if names != list(TABLES):
        yield Finding(
            "datapackage", name, f"resources are {names}, the tables are {list(TABLES)}",
            field="resources",
        )  # fmt: skip
    for i, r in enumerate(resources):
        t = r.get("name")
        if t not in schemas:
            continue
        where = f"resources.{i}"
        copy = _rel(out, jsonl_path(out, t))
        if r.get("path") != copy or not (out / copy).is_file():
            yield Finding(
                "datapackage", name, f"resource {t!r} does not point at {copy}",
                field=f"{where}.path",
            )  # fmt: skip
        if r.get("format") != "jsonl":
            yield Finding(
                "datapackage", name, f"resource {t!r} is not described as jsonl",
                field=f"{where}.format",
            )  # fmt: skip
        if r.get("schema") != schemas[t].frictionless_schema():
            yield Finding(
                "datapackage",
                name,
                f"the table schema of resource {t!r} differs from the one schema/ gives",
                field=f"{where}.schema",
            )


def _check_croissant(
    out: Path, doc: dict[str, Any], schemas: dict[str, TableSchema], hashes: dict[str, str] | None
) -> Iterator[Finding]:
    from ..docs import croissant

    name = CROISSANT
    dist = _objects(doc, "distribution")
    if dist is None:
        yield Finding("croissant", name, "has no list of files", field="distribution")
        return
    objects = {str(d.get("contentUrl")): d for d in dist if d.get("@type") == "cr:FileObject"}
    files_of = {t: [_rel(out, f) for f in table_files(out, t)] for t in TABLES}
    present = {rel for files in files_of.values() for rel in files}
    for rel in sorted(present - set(objects)):
        yield Finding("croissant", name, f"does not list {rel}", field="distribution")
    for rel in sorted(set(objects) - present):
        yield Finding("croissant", name, f"lists {rel}, which is not there", field="distribution")
    for rel in sorted(present & set(objects)):
        obj = objects[rel]
        if obj.get("sha256") != _sha256(out, rel, hashes):
            yield Finding(
                "croissant", name, f"the sha256 of {rel} is not the file's", field="distribution"
            )
        size = f"{(out / rel).stat().st_size} B"
        if obj.get("contentSize") != size:
            yield Finding(
                "croissant", name, f"says {rel} has {obj.get('contentSize')}, the file has {size}",
                field="distribution",
            )  # fmt: skip
    expected = [croissant._record_set(schemas[t], files_of[t]) for t in TABLES]
    if doc.get("recordSet") != expected:
        yield Finding(
            "croissant",
            name,
            "its record sets differ from the ones schema/ and the data files give",
            field="recordSet",
        )


# -- 6. the card -------------------------------------------------------------------------


def check_card(
    out: Path, schemas: dict[str, TableSchema], load_configs: bool = True, stream: bool = False
) -> Iterator[Finding]:
    """The card's configs and dataset_info against schema/ and the data, then
    ``load_dataset`` of every config: in full, or (``stream``) its first row by streaming."""
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard

    readme = out / CARD
    if not readme.is_file():
        yield Finding("card", CARD, "dataset card is missing")
        return
    try:
        data = DatasetCard.load(readme).data
        configs = MetadataConfigs.from_dataset_card_data(data)
        infos = DatasetInfosDict.from_dataset_card_data(data)
    except Exception as exc:  # any parser error is a finding, never a traceback
        yield Finding("card", CARD, f"card metadata does not parse: {exc}")
        return
    if configs.get_default_config_name() != package.DEFAULT_CONFIG:
        yield Finding("card_configs", CARD, f"default config is not {package.DEFAULT_CONFIG!r}")
    for t in TABLES:
        if t not in configs:
            yield Finding("card_configs", CARD, f"no config for table {t!r}")
            continue
        if t not in infos:
            yield Finding("card_dataset_info", CARD, f"no dataset_info for config {t!r}")
            continue
        info = infos[t]
        if info.features != schemas[t].hf_features():
            yield Finding("card_features", CARD, f"features of config {t!r} differ from schema/")
        rows = _row_count(out, t)
        split = (info.splits or {}).get("train")
        if split is None:
            yield Finding("card_num_examples", CARD, f"config {t!r} has no train split info")
        elif rows is not None and split.num_examples != rows:
            yield Finding(
                "card_num_examples",
                CARD,
                f"config {t!r} says num_examples={split.num_examples}, the data has {rows}",
                field=f"dataset_info.{t}.splits.train.num_examples",
            )
    if load_configs:
        yield from _load_every_config(out, stream)


def _load_every_config(out: Path, stream: bool = False) -> Iterator[Finding]:
    """load_dataset each config with a fresh cache, where its files already read correctly
    (an unreadable file is reported by the Parquet check; loading it again adds only noise).

    ``stream``: only its first row, by streaming: the config resolves from the card, its data
    files are found, and datasets' own reader gives a row cast to the card's features. What
    loading them all adds (every row of every file read, by pyarrow, and the rows' count
    against the card's) the row, Parquet and card checks establish already; it costs about as
    much as the row check itself, growing with the data, to fill a cache that is thrown away.
    The build streams (see :func:`quick_check`); ``validate`` loads in full."""
    import logging

    import datasets

    datasets.disable_progress_bars()
    logger = logging.getLogger("datasets")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    offline = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"  # a local folder needs no network; only while loading it
    try:
        with tempfile.TemporaryDirectory(prefix="validate-cache-") as cache:
            for t in TABLES:
                if _readable(out, t) is None:
                    continue
                try:
                    if _row_count(out, t) == 0:
                        _load_empty(datasets, out, t)
                    elif stream:  # a small first batch: not the whole first row group
                        ds = datasets.load_dataset(
                            str(out), t, split="train", streaming=True, batch_size=_FIRST_ROWS
                        )
                        if next(iter(ds), None) is None:
                            raise ValueError("streaming it gave no row, but its files hold rows")
                    else:
                        ds = datasets.load_dataset(str(out), t, cache_dir=cache, split="train")
                        del ds
                except Exception as exc:  # load failures are findings
                    msg = str(exc).splitlines()[0] if str(exc) else ""
                    yield Finding(
                        "card_load_dataset",
                        CARD,
                        f"load_dataset(..., {t!r}) fails: {type(exc).__name__}: {msg}",
                    )
    finally:
        logger.setLevel(level)
        if offline is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = offline


#: Rows a streamed load reads first (the Parquet builder's batch_size; by default it reads a
#: whole row group, tens of MB, to give the first row).
_FIRST_ROWS = 16


def _load_empty(datasets: Any, out: Path, t: str) -> None:
    """An empty table: ``datasets`` builds no Arrow file for a split without rows, so
    ``load_dataset(..., split="train")`` refuses it ("corresponds to no data") whatever the
    files hold; streaming reads it. Checked that way: the config resolves, its files read
    with the card's features, and it yields no row."""
    ds = datasets.load_dataset(str(out), t, split="train", streaming=True)
    rows = sum(1 for _ in ds)
    if rows:
        raise ValueError(f"the Parquet files hold no row, but loading it gave {rows}")


# -- 7. frictionless ------------------------------------------------------------------------


def check_frictionless(out: Path) -> Iterator[Finding]:
    path = out / DATAPACKAGE
    if not path.is_file():
        yield Finding("frictionless", DATAPACKAGE, "missing")
        return
    import frictionless

    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        empty = _empty_resources(out, descriptor)
        if empty:  # frictionless cannot read a JSONL file without lines; no rows, nothing to check
            descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] not in empty]
            report = frictionless.Package(descriptor, basepath=str(out)).validate()
        else:
            report = frictionless.validate(str(path))
    except Exception as exc:
        yield Finding("frictionless", DATAPACKAGE, f"frictionless cannot read it: {exc}")
        return
    for task in report.tasks:
        for err in task.errors[:MAX_PER_RULE]:
            yield Finding(
                "frictionless",
                task.place or DATAPACKAGE,
                err.message,
                row=getattr(err, "row_number", None),
                field=getattr(err, "field_name", None),
            )
    for err in report.errors[:MAX_PER_RULE]:
        yield Finding("frictionless", DATAPACKAGE, err.message)


def _empty_resources(out: Path, descriptor: Any) -> set[str]:
    """Resources whose file is empty and that no other resource's foreign key references."""
    resources = descriptor.get("resources", []) if isinstance(descriptor, dict) else []
    empty = {
        r.get("name")
        for r in resources
        if isinstance(r.get("path"), str) and (out / r["path"]).is_file()
        and (out / r["path"]).stat().st_size == 0
    }  # fmt: skip
    for r in resources:
        for fk in r.get("schema", {}).get("foreignKeys", []):
            target = fk.get("reference", {}).get("resource")
            if target != "" and target != r.get("name"):
                empty.discard(target)
    return {str(n) for n in empty}


# -- entry points ----------------------------------------------------------------------


def _default_checks(
    out: Path,
    schemas: dict[str, TableSchema],
    rehash: bool,
    rows: Mapping[str, Future[list[Finding]]] | None = None,
    stream: bool = False,
) -> list[tuple[str, Iterator[Finding]]]:
    hashes: dict[str, str] = {}  # each file hashed once, for the manifest and croissant.json
    return [
        ("manifest", check_manifest(out, rehash=rehash, hashes=hashes)),
        ("files", check_file_list(out)),
        ("parquet", check_parquet_schema(out, schemas)),
        ("rows", check_rows_and_jsonl(out, schemas) if rows is None else _checked(rows)),
        ("keys", check_keys(out, schemas)),
        ("documents", check_documents(out, schemas, hashes)),
        ("card", check_card(out, schemas, stream=stream)),
    ]


def _checked(rows: Mapping[str, Future[list[Finding]]]) -> Iterator[Finding]:
    for t in TABLES:
        yield from rows[t].result()


def quick_check(
    out: Path,
    rows: Mapping[str, Future[list[Finding]]] | None = None,
    side_by_side: bool = False,
) -> list[Finding]:
    """What the build checks before the swap: everything ``validate`` checks by default (rows
    against the JSON Schema, keys, the documents, the card and ``load_dataset`` of every
    config), except that the manifest's hashes are not computed again (the build computed them
    moments before from the same files) and that ``load_dataset`` streams each config's first
    row rather than loading every row into a cache (see :func:`_load_every_config`).

    ``rows``: each table's :func:`check_table_rows`, where the build started it already (as
    soon as the table was written, beside the writing of the others); its findings are
    awaited, not checked again. ``side_by_side``: the build knows that no row is larger than
    :data:`SIDE_BY_SIDE_ROW_BYTES` (see there)."""
    checks = _default_checks(out, load(), rehash=False, rows=rows, stream=True)
    return _run(checks, side_by_side)


#: Checks that hold a row's data several times over (as Arrow, JSON lines and Python objects,
#: or in ``load_dataset``'s cache). A seed of one very long article is one row of that size:
#: side by side, these two took 8.7x the seed's size at the peak, one after the other 6x. So
#: they share one thread, but where the rows are known to be small: the row check then holds
#: a slice of rows of a few MB at a time and load_dataset a batch, and the two side by side
#: hold a bounded amount more than either alone.
_ONE_AFTER_THE_OTHER = ("rows", "card")
#: The largest row (its JSON line) for which the build runs the row check and load_dataset
#: side by side: the row check's slice.
SIDE_BY_SIDE_ROW_BYTES = _SLICE_BYTES


def _run(checks: list[tuple[str, Iterator[Finding]]], side_by_side: bool = False) -> list[Finding]:
    """The checks side by side, one thread each (but :data:`_ONE_AFTER_THE_OTHER` share one
    unless ``side_by_side``), their findings in the checks' order. They are independent, and
    the long ones (rows, keys, load_dataset, hashes) spend much of their time in Arrow, zstd or
    sha256, which do not hold the interpreter lock."""
    lanes: dict[str, list[int]] = {}
    for k, (name, _) in enumerate(checks):
        heavy = name in _ONE_AFTER_THE_OTHER and not side_by_side
        lanes.setdefault("heavy" if heavy else name, []).append(k)

    def lane(ks: list[int]) -> dict[int, list[Finding]]:
        return {k: _guarded(*checks[k]) for k in ks}

    pool = ThreadPoolExecutor(len(lanes), thread_name_prefix="check")
    try:
        found: dict[int, list[Finding]] = {}
        for done in [pool.submit(lane, ks) for ks in lanes.values()]:
            found |= done.result()
        return [f for k in range(len(checks)) for f in found[k]]
    finally:  # an interrupt does not wait for the checks
        pool.shutdown(wait=False, cancel_futures=True)


def _guarded(name: str, check: Iterator[Finding]) -> list[Finding]:
    """A check that breaks on unexpected input reports that as a finding, never a traceback."""
    out: list[Finding] = []
    try:
        out.extend(check)
    except Exception as exc:
        out.append(
            Finding(name, "(dataset)", f"the check could not run: {type(exc).__name__}: {exc}")
        )
    return out


def validate(out: Path, deep: bool = False) -> list[Finding]:
    """Every check; ``deep`` adds frictionless' own row-by-row validation of datapackage.json
    (the key constraints it enforces are always checked, vectorised, by check_keys)."""
    checks = _default_checks(out, load(), rehash=True)
    if deep:
        checks.append(("frictionless", check_frictionless(out)))
    found = _run(checks)
    return list(dict.fromkeys(found))  # a damaged file is named once, though two checks met it
