"""Benchmark: floor, build and validate on a synthetic corpus, with wall time and peak memory.

    python -m benchmarks.run --docs 20000 [--docs 80000 ...] [--workers 2] [--work DIR]

For each size: generate the corpus (planted counts known), then run the I/O floor, the build
and validate as separate processes, in turn, for one warm-up round and --repeat counted rounds,
each run with its inputs in the page cache. It prints the median wall time, the median of the
rounds' ratios to the floor, the peak memory, documents and MB per second, and whether the
built counts equal the planted ones. Peak memory is the highest sum of the proportional set
sizes (PSS) of the process and its children, sampled every 20 ms during the warm-up round only:
reading ``smaps_rollup`` costs about 5 ms of CPU per 400 MB process, so sampling the timed runs
took a quarter of a core from a build that keeps both busy, and slowed it by 4-5 s at 20,000
documents. The counted rounds are timed and nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .generate import generate

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    returncode: int
    stdout: str


def _tree_pss_kb(pid: int) -> int:
    """Proportional set size of a process and its descendants: a page shared by n processes
    (forked workers share the parent's) counts 1/n in each, so the sum counts it once."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_sampled(
    cmd: list[str], sample: Callable[[int], None], env: dict[str, str] | None = None
) -> tuple[float, int, str]:
    """Run ``cmd`` from the repository, calling ``sample(pid)`` every 20 ms while it runs: its
    wall time, exit code and output."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO, env=env
    )
    done = threading.Event()

    def loop() -> None:
        while not done.is_set():
            sample(proc.pid)
            time.sleep(0.02)

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    t.join()
    return seconds, proc.returncode, out


def measure(cmd: list[str], memory: bool) -> Measured:
    """Wall time of ``cmd`` and, with ``memory``, its peak PSS (the sampling costs CPU, so a
    run whose time counts is not sampled: its ``peak_mb`` is 0)."""
    peak = 0

    def sample(pid: int) -> None:
        nonlocal peak
        peak = max(peak, _tree_pss_kb(pid))

    def nothing(pid: int) -> None:
        return None

    seconds, code, out = run_sampled(cmd, sample if memory else nothing)
    return Measured(seconds, peak / 1024, code, out)


def warm(folder: Path) -> None:
    """Read every file once so that the page cache holds it. This machine's page cache is
    reclaimed eagerly and its disk reads small files at a few MB/s when cold, so without this
    a run measures whichever files happened to be evicted, not the program."""
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            with p.open("rb") as f:
                while f.read(1 << 20):
                    pass


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def rounds(
    stages: dict[str, tuple[list[str], Callable[[], None]]], times: int
) -> tuple[dict[str, list[Measured]], dict[str, Measured]]:
    """Run the stages in turn, ``times`` rounds after one warm-up round whose time is not
    counted (it also brings the interpreter and libraries into the page cache) and which alone
    samples memory. Interleaving the stages exposes each to the same state of the machine, so a
    round's ratios compare like with like. The counted runs of each stage, and its warm-up."""
    runs: dict[str, list[Measured]] = {name: [] for name in stages}
    warmup: dict[str, Measured] = {}
    for r in range(times + 1):
        for name, (cmd, before) in stages.items():
            before()
            m = measure(cmd, memory=not r)
            if r:
                runs[name].append(m)
            else:
                warmup[name] = m
    return runs, warmup


def summary(ms: list[Measured], warmup: Measured) -> Measured:
    """Median wall time over the counted rounds, the warm-up's peak memory."""
    mid = sorted(ms, key=lambda m: m.seconds)[len(ms) // 2]
    code = max(m.returncode for m in [*ms, warmup])
    return Measured(mid.seconds, warmup.peak_mb, code, mid.stdout)


def run(n: int, work: Path, workers: int, deep: bool, times: int) -> dict:
    seeds, dist = work / f"seeds-{n}", work / f"dist-{n}"
    if not seeds.exists():
        planted = generate(seeds, n, seed=n)
        (work / f"planted-{n}.json").write_text(json.dumps(planted.__dict__))
    planted_counts = json.loads((work / f"planted-{n}.json").read_text())
    py = sys.executable
    fcmd = [py, "-m", "benchmarks.floor", str(seeds), str(work / f"floor-{n}.parquet")]
    bcmd = [py, "build_dataset.py", "build", "--seeds", str(seeds), "--out", str(dist),
            "--workers", str(workers)]  # fmt: skip
    vcmd = [py, "build_dataset.py", "validate", str(dist)] + (["--deep"] if deep else [])

    def before_build() -> None:
        shutil.rmtree(dist, ignore_errors=True)
        warm(seeds)

    runs, warmup = rounds(
        {
            "floor": (fcmd, lambda: warm(seeds)),
            "build": (bcmd, before_build),
            "validate": (vcmd, lambda: warm(dist)),
        },
        times,
    )
    floor, build, val = (summary(runs[s], warmup[s]) for s in ("floor", "build", "validate"))
    stats = json.loads((dist / "build_stats.json").read_text()) if build.returncode == 0 else {}
    rows = stats.get("rows", {})
    counts_ok = (
        rows.get("articles") == planted_counts["articles"]
        and rows.get("comments") == planted_counts["comments"]
        and rows.get("metadata") == planted_counts["documents"]
        and stats.get("duplicates_merged") == planted_counts["duplicates"]
    )
    mb = planted_counts["bytes"] / 1e6
    result = {"docs": n, "mb": round(mb, 1), "counts_equal_planted": counts_ok}
    for name, m in (("floor", floor), ("build", build), ("validate", val)):
        paired = [x.seconds / f.seconds for x, f in zip(runs[name], runs["floor"], strict=True)]
        result[name] = {
            "seconds": round(m.seconds, 2),
            "peak_mb": round(m.peak_mb, 1),
            "x_floor": round(median(paired), 2),  # median of each round's ratio
            "docs_per_s": round(n / m.seconds),
            "mb_per_s": round(mb / m.seconds, 1),
            "ok": m.returncode == 0,
        }
        if m.returncode != 0:
            result[name]["output"] = m.stdout[-2000:]
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, action="append", help="corpus size (repeatable)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--work", type=Path, default=Path("/tmp/corpuskit-bench"))
    p.add_argument("--deep", action="store_true", help="validate with --deep (frictionless too)")
    p.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="counted rounds (after one warm-up round); medians are reported",
    )
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"# machine: {machine}")
    results = [
        run(n, args.work, args.workers, args.deep, args.repeat) for n in (args.docs or [20_000])
    ]
    for r in results:
        print(json.dumps(r))
    cols = ("seconds", "x floor", "peak MB", "docs/s")
    print(
        f"{'docs':>7} {'MB':>6} | {'stage':<8} "
        + " ".join(f"{c:>8}" for c in cols)
        + f" {'MB/s':>6}"
    )
    for r in results:
        for stage in ("floor", "build", "validate"):
            s = r[stage]
            print(f"{r['docs']:>7} {r['mb']:>6} | {stage:<8} {s['seconds']:>8} {s['x_floor']:>8} "
                  f"{s['peak_mb']:>8} {s['docs_per_s']:>8} {s['mb_per_s']:>6}")  # fmt: skip
        print(f"{'':>7} {'':>6} | counts equal planted: {r['counts_equal_planted']}")
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"build peak memory x{b['build']['peak_mb'] / a['build']['peak_mb']:.2f} "
              f"for x{b['docs'] / a['docs']:.0f} documents")  # fmt: skip
    return 0 if all(r["counts_equal_planted"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
