"""Issue 15: Parquet for the Hub: row groups capped by bytes, content-defined chunking that keeps
a new version's unchanged pages identical, gzip JSONL on request; all byte-identical."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from benchmarks.dedup import new_bytes
from benchmarks.generate import generate

from corpuskit import writers
from corpuskit.checks import validate
from corpuskit.cli import main
from corpuskit.writers import parquet

from .conftest import SEEDS, build_into
from .test_release import _same_tree


def test_row_groups_are_cut_by_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = tmp_path / "seeds"
    generate(seeds, 120, seed=5)
    cap = 64 * 1024
    monkeypatch.setattr(parquet, "ROW_GROUP_BYTES", cap)
    assert build_into(seeds, tmp_path / "dist") == 0
    lines = (tmp_path / "dist" / "jsonl" / "articles.jsonl").read_bytes().splitlines(keepends=True)
    sizes = [len(x) for x in lines]
    [f] = (tmp_path / "dist" / "data" / "articles").glob("*.parquet")
    meta = pq.ParquetFile(f).metadata
    groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert len(groups) > 3 and sum(groups) == len(sizes)
    start = 0
    for i, n in enumerate(groups):
        group = sizes[start : start + n]
        if i < len(groups) - 1:  # each group closes with the row that reaches the cap
            assert sum(group[:-1]) < cap <= sum(group)
        start += n


def test_gzip_jsonl_is_byte_identical_validated_and_loadable(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    generate(seeds / "synthetic", 150, seed=3)
    args = ("--jsonl-compression", "gzip")
    assert build_into(seeds, tmp_path / "one", *args) == 0
    assert main(["build", "--seeds", str(seeds), "--out", str(tmp_path / "two"), *args]) == 0
    assert _same_tree(tmp_path / "one", tmp_path / "two") == []
    out = tmp_path / "one"
    assert sorted(p.name for p in (out / "jsonl").iterdir()) == [
        "articles.jsonl.gz",
        "comments.jsonl.gz",
        "metadata.jsonl.gz",
    ]
    assert validate(out, deep=True) == []
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"]: r.get("compression") for r in package["resources"]} == {
        f"jsonl/{t}.jsonl.gz": "gz" for t in ("articles", "comments", "metadata")
    }
    assert "gzip-compressed (`build --jsonl-compression gzip`)" in (out / "README.md").read_text(
        encoding="utf-8"
    )
    from datasets import load_dataset

    rows = pq.read_metadata(next((out / "data" / "comments").glob("*.parquet"))).num_rows
    ds = load_dataset("json", data_files=str(out / "jsonl" / "comments.jsonl.gz"), split="train")
    assert ds.num_rows == rows
    # a JSONL copy that lost a line is caught in its compressed form too
    import gzip

    path = out / "jsonl" / "comments.jsonl.gz"
    with gzip.open(path, "rb") as fh:
        kept = fh.read().splitlines(keepends=True)[:-1]
    with gzip.open(path, "wb") as fh:
        fh.write(b"".join(kept))
    assert any(f.rule == "jsonl_rows" for f in validate(out))


@pytest.mark.slow
def test_content_defined_chunking_keeps_a_takedowns_unchanged_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Remove one seed from the middle: with CDC, far more of the new Parquet bytes are in
    chunks (as the Hub's storage cuts them) that the previous version already had."""
    seeds = tmp_path / "seeds"
    generate(seeds, 800, seed=7, dup_rate=0.0)
    fewer = tmp_path / "fewer"
    shutil.copytree(seeds, fewer)
    files = sorted(fewer.glob("*.txt"))
    files[len(files) // 2].unlink()
    new_share = {}
    for cdc in (True, False):
        monkeypatch.setitem(writers.PARQUET_OPTIONS, "use_content_defined_chunking", cdc)
        assert build_into(seeds, tmp_path / f"v1-{cdc}") == 0
        assert build_into(fewer, tmp_path / f"v2-{cdc}") == 0
        total, fresh = new_bytes(tmp_path / f"v1-{cdc}", tmp_path / f"v2-{cdc}")
        new_share[cdc] = fresh / total
    assert new_share[True] < 0.8 * new_share[False], new_share
