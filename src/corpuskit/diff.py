"""``diff OLD NEW``: rows added, removed and changed per table, by primary key.

Exit status as diff(1): 0 the two datasets hold the same rows, 1 they differ, 2 trouble (a
folder that is not a built dataset).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import UsageError, qname
from .schema import TABLES, TableSchema, load
from .writer import jsonl_line


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _rows(out: Path, schema: TableSchema) -> dict[str, str]:
    """Primary key -> the row as its canonical JSON line."""
    files = sorted((out / "data" / schema.name).glob("*.parquet"))
    if not files:
        raise UsageError(f"{qname(out)}: not a built dataset (no data/{schema.name}/*.parquet)")
    cols = schema.column_names
    rows: dict[str, str] = {}
    for f in files:
        try:
            batches = pq.ParquetFile(f).iter_batches(batch_size=10_000)
            for batch in batches:
                for row in batch.to_pylist():
                    rows[row[schema.primary_key]] = jsonl_line(row, cols)
        except (OSError, pa.ArrowException, KeyError) as exc:
            raise UsageError(f"{qname(f)}: cannot read: {exc}") from None
    return rows


def diff_tables(old: Path, new: Path) -> dict[str, TableDiff]:
    for folder in (old, new):
        if not folder.is_dir():
            raise UsageError(f"{qname(folder)}: no such dataset folder")
    schemas = load()
    result = {}
    for t in TABLES:
        a, b = _rows(old, schemas[t]), _rows(new, schemas[t])
        d = TableDiff(
            added=sorted(b.keys() - a.keys()),
            removed=sorted(a.keys() - b.keys()),
        )
        for key in sorted(a.keys() & b.keys()):
            if a[key] != b[key]:
                ra, rb = json.loads(a[key]), json.loads(b[key])
                d.changed.append((key, [c for c in ra if ra[c] != rb.get(c)]))
        result[t] = d
    return result


def render(diffs: dict[str, TableDiff]) -> str:
    lines = []
    for t, d in diffs.items():
        lines.append(
            f"{t}: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
        )
        lines += [f"  + {k}" for k in d.added]
        lines += [f"  - {k}" for k in d.removed]
        lines += [f"  ~ {k}: {', '.join(fields)}" for k, fields in d.changed]
    return "\n".join(lines) + "\n"


def as_json(diffs: dict[str, TableDiff]) -> dict[str, Any]:
    return {
        "same": all(d.same for d in diffs.values()),
        "tables": {
            t: {
                "added": d.added,
                "removed": d.removed,
                "changed": [{"id": k, "fields": f} for k, f in d.changed],
            }
            for t, d in diffs.items()
        },
    }


def content_hashes(out: Path) -> dict[str, dict[str, Any]]:
    """Per table: row count and the sha256 of its rows in canonical JSON-lines form, which does
    not depend on how the Parquet files are sharded or compressed."""
    schemas = load()
    record = {}
    for t in TABLES:
        h = hashlib.sha256()
        n = 0
        for f in sorted((out / "data" / t).glob("*.parquet")):
            for batch in pq.ParquetFile(f).iter_batches(batch_size=10_000):
                for row in batch.to_pylist():
                    h.update(jsonl_line(row, schemas[t].column_names).encode("utf-8"))
                    n += 1
        record[t] = {"rows": n, "sha256": h.hexdigest()}
    return record
