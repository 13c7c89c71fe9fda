"""Issue 8: the streaming parts of the build — discovery, the packed duplicate index and its
clusters, and figures accumulated chunk by chunk — give what the simple, all-in-memory way
would give."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from benchmarks.generate import generate

from corpuskit.cli import main
from corpuskit.executors import AHEAD_PER_WORKER, LocalPoolExecutor
from corpuskit.pipeline import CHUNK_DOCS, ChunkJob, discover, process_chunk

from .test_docs import _quartiles


def test_discovery_is_sorted_by_path_and_refuses_files_sharing_a_doc_id(
    tmp_path: Path,
) -> None:
    # '-' < '.' < '/' as characters, so sorting whole path strings would put a/x.md after
    # a-b.txt and a.txt; sorting by path components (pathlib's order) puts it first.
    for rel in ["a/x.txt", "a/x.md", "a.txt", "a-b.txt", "b/a.txt", "A.txt", ".hidden", "a."]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "b", tmp_path / "c")  # a link is a seed (read later), never a folder
    found = list(discover(tmp_path))
    expected = sorted(p for p in tmp_path.rglob("*") if p.is_file() or p.is_symlink())
    assert [s.file_name for s in found] == [p.relative_to(tmp_path).as_posix() for p in expected]
    by_name = {s.file_name: s for s in found}
    # Two seeds whose doc_ids would be equal are both refused, each under its whole name.
    assert (by_name["a/x.md"].doc_id, by_name["a/x.txt"].doc_id) == ("a/x.md", "a/x.txt")
    assert [s.file_name for s in found if s.problem] == ["a/x.md", "a/x.txt"]
    assert (by_name["a.txt"].doc_id, by_name["b/a.txt"].doc_id) == ("a", "b/a")
    assert (by_name[".hidden"].doc_id, by_name["a."].doc_id, by_name["c"].doc_id) == (
        ".hidden",
        "a.",
        "c",
    )


def test_the_pool_is_fed_a_few_chunks_at_a_time_and_answers_in_order(tmp_path: Path) -> None:
    """The parent never pulls the whole corpus into jobs: memory must not grow with it."""
    pulled = 0

    def jobs() -> Iterator[ChunkJob]:
        nonlocal pulled
        for n in range(40):
            pulled += 1
            yield ChunkJob(n, [], tmp_path, b"key", False)

    with LocalPoolExecutor(2) as ex:
        results = ex.map(process_chunk, jobs())
        first = next(results)
        assert pulled <= AHEAD_PER_WORKER * 2
        numbers = [first.number, *(r.number for r in results)]
    assert numbers == list(range(40)) and pulled == 40


def test_figures_over_many_chunks_match_the_written_rows(tmp_path: Path) -> None:
    """The documents' figures are accumulated chunk by chunk while the tables are written;
    over several chunks (and duplicates dropped) they equal the figures of the whole table."""
    planted = generate(tmp_path / "seeds", 3 * CHUNK_DOCS + 7, seed=5)
    out = tmp_path / "dist"
    assert main(["build", "--seeds", str(tmp_path / "seeds"), "--out", str(out)]) == 0
    cmts = pd.read_parquet(out / "data" / "comments")
    meta = pd.read_parquet(out / "data" / "metadata")
    assert len(cmts) == planted.comments and (meta["status"] == "duplicate").sum() > 0
    words = [len(t.split()) for t in cmts["text"]]
    chars = [len(t) for t in cmts["text"]]
    datasheet = (out / "DATASHEET.md").read_text(encoding="utf-8")
    w25, wmed, w75 = _quartiles(words)
    assert f"| {min(words)} | {w25} | {wmed} | {w75} | {max(words)} |" in datasheet
    c25, cmed, c75 = _quartiles(chars)
    assert f"| {min(chars)} | {c25} | {cmed} | {c75} | {max(chars)} |" in datasheet
    assert f"{cmts['author_id'].nunique()} commenters appear" in datasheet
    for status, n in meta["status"].value_counts().items():
        assert f"| `{status}` | {n} |" in datasheet
    stats = json.loads((out / "build_stats.json").read_text(encoding="utf-8"))
    assert stats["seeds_by_status"] == dict(sorted(meta["status"].value_counts().items()))
