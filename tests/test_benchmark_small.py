"""Issue 8: a small run of the benchmark is part of the suite, to check the built counts.

The benchmark itself (python -m benchmarks.run) measures speed and memory; no test here times
anything."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from benchmarks import run as bench
from benchmarks.floor import floor
from benchmarks.generate import generate

from corpuskit.cli import main
from corpuskit.progress import Progress


def test_built_counts_equal_the_planted_ones(tmp_path: Path) -> None:
    planted = generate(tmp_path / "seeds", 600, seed=11)
    out = tmp_path / "dist"
    assert (
        main(["build", "--seeds", str(tmp_path / "seeds"), "--out", str(out), "--workers", "2"])
        == 0
    )
    stats = json.loads((out / "build_stats.json").read_text(encoding="utf-8"))
    assert stats["rows"] == {
        "articles": planted.articles,
        "comments": planted.comments,
        "metadata": planted.documents,
    }
    assert stats["duplicates_merged"] == planted.duplicates > 0
    assert stats["seeds_by_layout"] == dict(sorted(planted.by_layout.items()))
    assert main(["validate", str(out)]) == 0


@pytest.mark.slow
def test_the_benchmark_runner_end_to_end_on_a_small_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--docs", "300", "--repeat", "1", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "counts equal planted: True" in out
    for stage in ("floor", "build", "validate"):
        assert f"| {stage}" in out
    # memory comes from the sampled warm-up round, time from the unsampled counted rounds
    result = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    for stage in ("floor", "build", "validate"):
        assert (
            result[stage]["ok"] and result[stage]["peak_mb"] > 10 and result[stage]["seconds"] > 0
        )


def test_floor_reads_every_seed_into_one_table(tmp_path: Path) -> None:
    planted = generate(tmp_path / "seeds", 50, seed=2)
    assert floor(tmp_path / "seeds", tmp_path / "floor.parquet") == planted.documents
    assert pq.read_metadata(tmp_path / "floor.parquet").num_rows == planted.documents


def test_progress_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()  # not a terminal: plain lines, every CORPUSKIT_PROGRESS_SECONDS
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setenv("CORPUSKIT_PROGRESS_SECONDS", "0")
    with Progress("reading", 1000, "seeds", enabled=False) as off:
        off.update(1000)
    assert err.getvalue() == ""
    with Progress("reading", 1000, "seeds") as on:
        on.update(500)
        on.update(500)
    assert "reading: 500/1000 seeds" in err.getvalue()
    assert "reading: 1000/1000 seeds" in err.getvalue() and "done" in err.getvalue()
