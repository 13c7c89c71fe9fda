"""Benchmark: the same build on each engine (local pool, Ray), and the driver's memory per seed.

    python -m benchmarks.engines --docs 20000 [--workers 2] [--engine local --engine ray]
                                 [--repeat 1] [--work DIR]

For each engine: the build of the shipped seeds (its start-up: a build that has almost nothing
to do), then the build of an N-document synthetic corpus, each as a separate process with its
inputs in the page cache, after one warm-up round that is not counted. It prints the wall time,
the CPU-seconds of the build's whole process tree (Ray's own processes included), the peak
memory (the sum of the tree's proportional set sizes, sampled every 20 ms), and whether the
engines' MANIFEST.sha256 files are identical. Then it measures, in this process, the bytes per
seed that the driver holds for duplicate detection: the index of pass 1 and the peak that
clustering adds to it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from .generate import generate
from .run import REPO, median, run_sampled, warm

SEEDS = REPO / "seeds"
_TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    returncode: int
    output: str


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return sum(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0


def _cpu_ticks(pid: int) -> int:
    """utime + stime of the process (its threads included), in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return 0


def measure(cmd: list[str], env: dict[str, str]) -> Run:
    """Wall time, and the CPU time and peak PSS of the process and every descendant, sampled
    every 20 ms (a process's last sample counts: one that lives less than 20 ms is missed)."""
    peak = 0
    cpu: dict[int, int] = {}

    def sample(pid: int) -> None:
        nonlocal peak
        pids = _tree(pid)
        peak = max(peak, sum(_pss_kb(p) for p in pids))
        for p in pids:
            cpu[p] = max(cpu.get(p, 0), _cpu_ticks(p))

    seconds, code, out = run_sampled(cmd, sample, env)
    return Run(seconds, sum(cpu.values()) / _TICK, peak / 1024, code, out)


def build_cmd(seeds: Path, out: Path, engine: str, workers: int) -> list[str]:
    return [sys.executable, "build_dataset.py", "build", "--seeds", str(seeds), "--out", str(out),
            "--workers", str(workers), "--engine", engine, "-q"]  # fmt: skip


def index_bytes_per_seed(seeds: Path) -> dict[str, float]:
    """Pass 1 in this process (serially), then the size of the index it leaves the driver and
    the peak that clustering allocates on top of it, per seed."""
    from corpuskit import pipeline
    from corpuskit.privacy import load_key

    key = load_key()
    index = pipeline.SeedIndex()
    spool = seeds.parent / "index-spool"
    shutil.rmtree(spool, ignore_errors=True)
    spool.mkdir()
    for job in pipeline.chunk_jobs(pipeline.discover(seeds), spool, key, collect_names=False):
        index.extend(pipeline.process_chunk(job).index)
        for p in spool.iterdir():
            p.unlink()
    shutil.rmtree(spool)
    n = len(index)
    held = (
        sys.getsizeof(index.doc_ids)
        + sum(sys.getsizeof(d) for d in index.doc_ids)
        + sum(a.itemsize * len(a) for a in (index.article_keys, index.richness, index.signed))
        + len(index.usable)
        + len(index.signatures)
    )
    tracemalloc.start()
    pipeline.cluster(index)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seeds": n,
        "signed": len(index.signed),
        "index_bytes_per_seed": round(held / n, 1),
        "clustering_peak_bytes_per_seed": round(peak / n, 1),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=20_000, help="synthetic corpus size")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--engine", action="append", help="engines to compare (default: local, ray)")
    p.add_argument("--repeat", type=int, default=1, help="counted rounds after one warm-up")
    p.add_argument("--work", type=Path, default=Path("/tmp/corpuskit-bench-engines"))
    p.add_argument("--no-index", action="store_true", help="skip the bytes-per-seed measure")
    args = p.parse_args(argv)
    engines = args.engine or ["local", "ray"]
    args.work.mkdir(parents=True, exist_ok=True)
    seeds = args.work / f"seeds-{args.docs}"
    if not seeds.exists():
        generate(seeds, args.docs, seed=args.docs)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    results: dict[str, dict[str, dict[str, float]]] = {}
    manifests: dict[str, str] = {}
    for engine in engines:
        for label, corpus in (("start-up", SEEDS), (f"{args.docs} docs", seeds)):
            out = args.work / f"dist-{engine}-{label.split()[0]}"
            runs = []
            for r in range(args.repeat + 1):
                shutil.rmtree(out, ignore_errors=True)
                warm(corpus)
                m = measure(build_cmd(corpus, out, engine, args.workers), env)
                if m.returncode != 0:
                    print(m.output[-3000:], file=sys.stderr)
                    return 1
                if r:
                    runs.append(m)
            results.setdefault(engine, {})[label] = {
                "seconds": round(median([m.seconds for m in runs]), 2),
                "cpu_seconds": round(median([m.cpu_seconds for m in runs]), 1),
                "peak_mb": round(max(m.peak_mb for m in runs), 1),
            }
            if label != "start-up":
                manifests[engine] = (out / "MANIFEST.sha256").read_text(encoding="utf-8")
    print(json.dumps({"docs": args.docs, "workers": args.workers, "results": results}))
    print(f"{'engine':<7} | {'build':<12} {'seconds':>8} {'CPU s':>7} {'peak MB':>8}")
    for engine, rows in results.items():
        for label, r in rows.items():
            print(f"{engine:<7} | {label:<12} {r['seconds']:>8} {r['cpu_seconds']:>7} "
                  f"{r['peak_mb']:>8}")  # fmt: skip
    same = len(set(manifests.values())) == 1
    print(f"MANIFEST.sha256 identical across {', '.join(manifests)}: {same}")
    if not args.no_index:
        print(json.dumps(index_bytes_per_seed(seeds)))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
