"""``validate [DIR]``: prove that a built dataset is what it claims to be.

Every check collects findings — each with its rule, file, row and field — instead of raising,
so one run reports everything that is wrong. The build runs the cheap subset (:func:`quick_check`:
schema, keys, checksums) before it swaps a new dataset in.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import package
from .progress import Progress
from .schema import TABLES, TableSchema, load
from .writer import jsonl_line, jsonl_path, open_jsonl


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


def table_files(out: Path, table: str) -> list[Path]:
    return sorted((out / "data" / table).glob("*.parquet"))


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
            yield Finding("parquet_present", f"data/{t}/", "no Parquet file for this table")
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


def _read(files: list[Path], columns: list[str] | None = None) -> pa.Table:
    return pa.concat_tables([pq.read_table(f, columns=columns) for f in files])


# -- 2 and 4. rows validate against the JSON Schema; the JSONL copies hold exactly those rows ----


def check_rows_and_jsonl(out: Path, schemas: dict[str, TableSchema]) -> Iterator[Finding]:
    """One pass per table: each Parquet row is serialised once, validated against the table's
    JSON Schema (draft 2020-12, formats checked) and compared with its line in the JSONL copy."""
    try:
        files = [f for t in TABLES for f in _readable(out, t) or []]
        total: int | None = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    except (OSError, pa.ArrowException):  # reported by the pass itself
        total = None
    with Progress("validate: checking rows", total, "rows") as bar:
        yield from _rows_and_jsonl(out, schemas, bar)


def _rows_and_jsonl(out: Path, schemas: dict[str, TableSchema], bar: Progress) -> Iterator[Finding]:
    import jsonschema_rs

    for t in TABLES:
        path = jsonl_path(out, t)
        rel = _rel(out, path)
        if not path.is_file():
            yield Finding("jsonl_present", rel, "JSONL copy is missing")
        files = _readable(out, t)
        if files is None:
            continue
        validator = jsonschema_rs.Draft202012Validator(
            schemas[t].json_schema, validate_formats=True
        )
        cols = schemas[t].column_names
        n = shown_schema = shown_jsonl = 0
        fh = open_jsonl(path) if path.is_file() else None
        try:
            for f in files:
                for batch in pq.ParquetFile(f).iter_batches(batch_size=10_000):
                    bar.update(batch.num_rows)
                    for row in batch.to_pylist():
                        n += 1
                        line = jsonl_line(row, cols)
                        doc = json.loads(line)
                        if not validator.is_valid(doc):
                            for err in validator.iter_errors(doc):
                                shown_schema += 1
                                if shown_schema <= MAX_PER_RULE:
                                    field = ".".join(map(str, err.instance_path)) or None
                                    yield Finding(
                                        "json_schema", _rel(out, f), err.message, row=n, field=field
                                    )
                        if fh is None:
                            continue
                        got = fh.readline()
                        if got != line:
                            shown_jsonl += 1
                            if shown_jsonl > MAX_PER_RULE:
                                continue
                            if not got:
                                msg = "line missing: the JSONL copy has fewer rows than Parquet"
                                yield Finding("jsonl_rows", rel, msg, row=n)
                            else:
                                yield from _jsonl_diff(rel, n, line, got)
            extra = sum(1 for _ in fh) if fh is not None else 0
        finally:
            if fh is not None:
                fh.close()
        if extra:
            yield Finding("jsonl_rows", rel, f"{extra} lines more than the Parquet rows", row=n + 1)


# -- 3. keys ---------------------------------------------------------------------------


def check_keys(out: Path, schemas: dict[str, TableSchema]) -> Iterator[Finding]:
    tables: dict[str, pa.Table] = {}
    for t in TABLES:
        files = _readable(out, t)
        if files is not None:  # only the key and count columns: never the texts
            wanted = {schemas[t].primary_key, *(fk["fields"] for fk in schemas[t].foreign_keys)}
            wanted |= _COUNT_COLUMNS.get(t, set())
            tables[t] = _read(files, [c for c in schemas[t].column_names if c in wanted])
    for t, tab in tables.items():
        pk = schemas[t].primary_key
        where = f"data/{t}/"
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
                    "data/articles/",
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
                    "data/articles/",
                    f"lists {srcs}, metadata links {sorted(built_from.get(aid, []))} to {aid}",
                    row=i + 1,
                    field="source_doc_ids",
                )


def _jsonl_diff(rel: str, n: int, expected: str, got: str) -> Iterator[Finding]:
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


def check_manifest(out: Path, rehash: bool = True) -> Iterator[Finding]:
    if not (out / package.MANIFEST).is_file():
        yield Finding("manifest", package.MANIFEST, "checksum manifest is missing")
        return
    listed = package.read_manifest(out)
    present = set(package.dist_files(out))
    for rel, digest in sorted(listed.items()):
        if rel not in present:
            yield Finding("manifest", rel, "listed in the manifest but missing")
        elif rehash and package.sha256_file(out / rel) != digest:
            yield Finding("manifest", rel, "altered: its sha256 differs from the manifest")
    for rel in sorted(present - set(listed)):
        yield Finding("manifest", rel, "extra file: not in the manifest")


# -- 6. the card -------------------------------------------------------------------------


def check_card(
    out: Path, schemas: dict[str, TableSchema], load_configs: bool = True
) -> Iterator[Finding]:
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard

    readme = out / "README.md"
    if not readme.is_file():
        yield Finding("card", "README.md", "dataset card is missing")
        return
    try:
        data = DatasetCard.load(readme).data
        configs = MetadataConfigs.from_dataset_card_data(data)
        infos = DatasetInfosDict.from_dataset_card_data(data)
    except Exception as exc:  # any parser error is a finding, never a traceback
        yield Finding("card", "README.md", f"card metadata does not parse: {exc}")
        return
    if configs.get_default_config_name() != package.DEFAULT_CONFIG:
        yield Finding(
            "card_configs", "README.md", f"default config is not {package.DEFAULT_CONFIG!r}"
        )
    for t in TABLES:
        if t not in configs:
            yield Finding("card_configs", "README.md", f"no config for table {t!r}")
            continue
        if t not in infos:
            yield Finding("card_dataset_info", "README.md", f"no dataset_info for config {t!r}")
            continue
        info = infos[t]
        if info.features != schemas[t].hf_features():
            yield Finding(
                "card_features", "README.md", f"features of config {t!r} differ from schema/"
            )
        files = _readable(out, t)
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files) if files else None
        split = (info.splits or {}).get("train")
        if split is None:
            yield Finding("card_num_examples", "README.md", f"config {t!r} has no train split info")
        elif rows is not None and split.num_examples != rows:
            yield Finding(
                "card_num_examples",
                "README.md",
                f"config {t!r} says num_examples={split.num_examples}, the data has {rows}",
                field=f"dataset_info.{t}.splits.train.num_examples",
            )
    if load_configs:
        yield from _load_every_config(out)


def _load_every_config(out: Path) -> Iterator[Finding]:
    """load_dataset each config with a fresh cache, where its files already read correctly
    (an unreadable file is reported by the Parquet check; loading it again adds only noise)."""
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
                    ds = datasets.load_dataset(str(out), t, cache_dir=cache, split="train")
                    del ds
                except Exception as exc:  # load failures are findings
                    msg = str(exc).splitlines()[0] if str(exc) else ""
                    yield Finding(
                        "card_load_dataset",
                        "README.md",
                        f"load_dataset(..., {t!r}) fails: {type(exc).__name__}: {msg}",
                    )
    finally:
        logger.setLevel(level)
        if offline is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = offline


# -- 7. frictionless ------------------------------------------------------------------------


def check_frictionless(out: Path) -> Iterator[Finding]:
    path = out / "datapackage.json"
    if not path.is_file():
        yield Finding("frictionless", "datapackage.json", "missing")
        return
    import frictionless

    try:
        report = frictionless.validate(str(path))
    except Exception as exc:
        yield Finding("frictionless", "datapackage.json", f"frictionless cannot read it: {exc}")
        return
    for task in report.tasks:
        for err in task.errors[:MAX_PER_RULE]:
            yield Finding(
                "frictionless",
                task.place or "datapackage.json",
                err.message,
                row=getattr(err, "row_number", None),
                field=getattr(err, "field_name", None),
            )
    for err in report.errors[:MAX_PER_RULE]:
        yield Finding("frictionless", "datapackage.json", err.message)


# -- entry points ----------------------------------------------------------------------


def quick_check(out: Path) -> list[Finding]:
    """What the build checks before the swap: schema, keys, and that the checksum manifest lists
    exactly the files present (the build hashed them moments before, so they are not hashed
    again; ``validate`` does)."""
    schemas = load()
    return [
        *check_parquet_schema(out, schemas),
        *check_keys(out, schemas),
        *check_manifest(out, rehash=False),
    ]


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
    schemas = load()
    checks: list[tuple[str, Iterator[Finding]]] = [
        ("manifest", check_manifest(out)),
        ("parquet", check_parquet_schema(out, schemas)),
        ("rows", check_rows_and_jsonl(out, schemas)),
        ("keys", check_keys(out, schemas)),
        ("card", check_card(out, schemas)),
    ]
    if deep:
        checks.append(("frictionless", check_frictionless(out)))
    return [f for name, check in checks for f in _guarded(name, check)]
