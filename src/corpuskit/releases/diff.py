"""``diff OLD NEW``: columns and rows added, removed and changed per table, by primary key.

OLD and NEW are dataset folders or git revisions of this repository (``v1.0.0``, ``HEAD``,
``REV:PATH``), whose committed ``dist/`` is read with ``git archive`` into a temporary folder,
never touching the working tree. Exit status as diff(1): 0 the two datasets hold the same rows,
1 they differ, 2 trouble (a folder that is not a built dataset, an unknown revision).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..distlayout import table_files
from ..errors import UsageError, qname
from ..schema import TABLES, TableSchema, load
from ..writers import jsonl_line


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.columns_added or self.columns_removed
        )


@contextmanager
def dataset_source(spec: str | Path, repo: Path) -> Iterator[Path]:
    """A dataset folder, or ``REV`` / ``REV:PATH`` (PATH defaults to ``dist``) of the git
    repository ``repo`` (the project's): that revision's committed ``PATH/data/`` extracted with
    ``git archive`` into a temporary folder."""
    if Path(spec).is_dir():
        yield Path(spec)
        return
    rev, _, sub = str(spec).partition(":")
    sub = sub.strip("/") or "dist"
    try:
        found = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise UsageError(
            f"{qname(str(spec))}: no such dataset folder, and git cannot be run: {exc}"
        ) from None
    if found.returncode != 0:
        raise UsageError(
            f"{qname(str(spec))}: no such dataset folder, nor a git revision of {repo} "
            "(give a folder, a tag such as v1.0.0, a commit or HEAD)"
        )
    with tempfile.TemporaryDirectory(prefix="corpuskit-diff-") as tmp:
        archive = Path(tmp) / "rev.tar"
        commit = found.stdout.strip()
        made = subprocess.run(
            ["git", "-C", str(repo), "archive", "-o", str(archive), commit, "--", f"{sub}/data"],
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode != 0:
            raise UsageError(
                f"{qname(str(spec))}: revision {rev} has no committed {sub}/data/ (no dataset)"
            )
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        archive.unlink()
        yield Path(tmp) / sub


def _columns(out: Path, table: str) -> list[str]:
    files = table_files(out, table)
    if not files:
        raise UsageError(f"{qname(out)}: not a built dataset (no data/{table}/*.parquet)")
    try:
        return list(pq.read_schema(files[0]).names)
    except (OSError, pa.ArrowException) as exc:
        raise UsageError(f"{qname(files[0])}: cannot read: {exc}") from None


def _rows(out: Path, schema: TableSchema, cols: list[str]) -> dict[str, str]:
    """Primary key -> the row's ``cols`` as a canonical JSON line."""
    rows: dict[str, str] = {}
    for f in table_files(out, schema.name):
        try:
            batches = pq.ParquetFile(f).iter_batches(batch_size=10_000, columns=cols)
            for batch in batches:
                for row in batch.to_pylist():
                    rows[row[schema.primary_key]] = jsonl_line(row, cols)
        except (OSError, pa.ArrowException, KeyError) as exc:
            raise UsageError(f"{qname(f)}: cannot read: {exc}") from None
    return rows


def diff_tables(old: Path | str, new: Path | str, repo: Path) -> dict[str, TableDiff]:
    """Rows compare on the columns both sides have; columns only on one side are listed.
    ``repo``: the git repository that revisions are read from."""
    with dataset_source(old, repo) as a_dir, dataset_source(new, repo) as b_dir:
        return _diff_folders(a_dir, b_dir)


def _diff_folders(old: Path, new: Path) -> dict[str, TableDiff]:
    schemas = load()
    result = {}
    for t in TABLES:
        old_cols, new_cols = _columns(old, t), _columns(new, t)
        common = [c for c in new_cols if c in old_cols]
        if schemas[t].primary_key not in common:
            raise UsageError(f"{t}: the two datasets do not share the key {schemas[t].primary_key}")
        a, b = _rows(old, schemas[t], common), _rows(new, schemas[t], common)
        d = TableDiff(
            added=sorted(b.keys() - a.keys()),
            removed=sorted(a.keys() - b.keys()),
            columns_added=[c for c in new_cols if c not in old_cols],
            columns_removed=[c for c in old_cols if c not in new_cols],
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
        lines += [f"  column added: {c}" for c in d.columns_added]
        lines += [f"  column removed: {c}" for c in d.columns_removed]
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
                "columns_added": d.columns_added,
                "columns_removed": d.columns_removed,
            }
            for t, d in diffs.items()
        },
    }


def content_hashes(out: Path) -> dict[str, dict[str, Any]]:
    """Per table: row count and the sha256 of its rows in canonical JSON-lines form, which does
    not depend on how the Parquet files are sharded or compressed. The rows are taken with the
    schema's columns that their own files hold, in the schema's order, so a release made before
    a column was added hashes as it was recorded."""
    schemas = load()
    record = {}
    for t in TABLES:
        h = hashlib.sha256()
        n = 0
        for f in table_files(out, t):
            pf = pq.ParquetFile(f)
            held = set(pf.schema_arrow.names)
            cols = [c for c in schemas[t].column_names if c in held]
            for batch in pf.iter_batches(batch_size=10_000):
                for row in batch.to_pylist():
                    h.update(jsonl_line(row, cols).encode("utf-8"))
                    n += 1
        record[t] = {"rows": n, "sha256": h.hexdigest()}
    return record
