"""The build: seeds in, a checked ``dist/`` swapped in atomically, or nothing changed at all.

A build writes into a fresh folder beside the target (``.dist.building-<pid>``), checks it, and
only then exchanges it with the target in one atomic ``renameat2(RENAME_EXCHANGE)``. A build
that fails or is killed at any moment leaves the previous target byte for byte as it was; the
next build removes the leftovers.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import card, docs, package, pipeline
from .errors import DataError, UsageError
from .privacy import Pseudonymizer, load_key
from .schema import TABLES, TableSchema, load
from .validate import quick_check
from .writer import TableWriter


class _Timings:
    """Phase timings on stderr when CORPUSKIT_TIMINGS=1 (for benchmarks and profiling)."""

    def __init__(self) -> None:
        self.on = os.environ.get("CORPUSKIT_TIMINGS") == "1"
        self.last = time.perf_counter()
        self.cpu = time.process_time()

    def __call__(self, phase: str) -> None:
        now = time.perf_counter()
        if self.on:
            cpu = time.process_time()
            sys.stderr.write(
                f"timing {phase:<28} {now - self.last:7.2f} s"
                f" (this process's CPU {cpu - self.cpu:5.2f} s)\n"
            )
            self.cpu = cpu
        self.last = now


TIMINGS = _Timings()


@dataclass
class BuildResult:
    out: Path
    stats: pipeline.BuildStats


def _progress(total: int, enabled: bool) -> Callable[[int], None]:
    if not enabled or total < 200:
        return lambda done: None
    step = max(1, total // 100)

    def show(done: int) -> None:
        if done % step == 0 or done == total:
            width = 30
            filled = width * done // total
            sys.stderr.write(
                f"\r  reading seeds [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            )
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return show


def build(
    seeds_dir: Path,
    out: Path,
    *,
    skip_invalid: bool = False,
    workers: int = 1,
    progress: bool = False,
    pseudonymize: bool = False,
) -> BuildResult:
    if not seeds_dir.is_dir():
        raise UsageError(f"{seeds_dir}: seeds folder not found (or not a folder)")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS("start")
    schemas = load()
    key = load_key()  # before any work: a missing key is a configuration error
    with _lock(out):
        _clean_leftovers(out)
        staging = out.parent / f".{out.name}.building-{os.getpid()}"
        staging.mkdir()
        try:
            stats = _build_into(
                staging, seeds_dir, schemas, skip_invalid, workers, progress, key, pseudonymize
            )
            findings = quick_check(staging)
            TIMINGS("checks before the swap")
            if findings:
                raise DataError(
                    ["the new dataset failed its checks; the previous one is unchanged:"]
                    + [f.render() for f in findings]
                )
            _swap_in(staging, out)
            TIMINGS("swap")
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(out=out, stats=stats)


def _build_into(
    staging: Path,
    seeds_dir: Path,
    schemas: dict[str, TableSchema],
    skip_invalid: bool,
    workers: int,
    progress: bool,
    key: bytes,
    pseudonymize: bool,
) -> pipeline.BuildStats:
    chunks = staging / ".chunks"  # pass 1's rows, waiting for pass 2; removed before the checks
    chunks.mkdir()
    try:
        stats = pipeline.BuildStats(pseudonymized=pseudonymize)
        index = pipeline.SeedIndex()
        rejected: list[str] = []
        names: set[str] = set()  # every commenter's handle, for a --pseudonymize build
        n_chunks = 0
        with pipeline.worker_pool(workers) as pool:
            show = _progress(pipeline.count_seeds(seeds_dir) if progress else 0, progress)
            seeds = pipeline.discover(seeds_dir)
            jobs = pipeline.chunk_jobs(seeds, chunks, key, collect_names=pseudonymize)
            for res in pipeline.run_chunks(jobs, pool, workers):
                index.extend(res.index)
                names |= res.names
                rejected += [f"{seeds_dir / name}: {error}" for name, error in res.rejected]
                stats.add_chunk(res)
                n_chunks += 1
                show(len(index))
        if rejected and not skip_invalid:
            raise DataError(
                [
                    f"{len(rejected)} of {len(index)} seeds cannot be used; nothing was written "
                    "(use --skip-invalid to build the rest):",
                    *rejected,
                ]
            )
        if not any(index.usable):
            raise DataError([f"{seeds_dir}: no usable seed, so there is no dataset to build"])
        TIMINGS("pass 1: read and extract")
        clusters = pipeline.cluster(index)
        stats.rules.update(clusters.rules)
        del index
        privacy = pipeline.Privacy(key, Pseudonymizer(key, names) if pseudonymize else None)
        # The three tables are written side by side: Arrow encodes and compresses without
        # holding the interpreter lock, so the threads share both cores.
        with ThreadPoolExecutor(len(TABLES)) as threads:
            running = {
                t: threads.submit(
                    _write_table, t, staging, schemas[t], n_chunks, chunks, clusters, privacy
                )
                for t in TABLES
            }
            parts = {t: f.result() for t, f in running.items()}
        TIMINGS("pass 2: duplicates and write")
    finally:
        shutil.rmtree(chunks, ignore_errors=True)
    for t, (writer, _) in parts.items():
        stats.rows[t] = writer.rows
    stats.seeds = parts["metadata"][0].rows
    stats.status.update(parts["metadata"][1].counts.get("status", {}))
    sizes = {t: w.uncompressed_bytes for t, (w, _) in parts.items()}
    release = package.release_info()
    summary = {"version": release.version, **stats.as_dict()}
    fig = docs.figures(summary, *(parts[t][1] for t in TABLES))
    package.write_json(staging / package.STATS, summary)
    package.write_json(staging / "datapackage.json", package.datapackage(schemas, release))
    digests = {rel: d for w, _ in parts.values() for rel, d in w.digests.items()}
    card.write_docs(staging, schemas, sizes, release, fig, digests)
    TIMINGS("documents")
    package.write_manifest(staging, digests)
    TIMINGS("manifest")
    return stats


def _write_table(
    name: str,
    staging: Path,
    schema: TableSchema,
    n_chunks: int,
    chunks: Path,
    clusters: pipeline.Clusters,
    privacy: pipeline.Privacy,
) -> tuple[TableWriter, docs.TableFigures]:
    """Pass 2 for one table: its rows in seed order into Parquet and JSONL, and its figures."""
    writer = TableWriter(staging, schema)
    fig = docs.TableFigures()
    for piece in pipeline.assemble(name, n_chunks, chunks, clusters, privacy):
        writer.write(piece.rows, piece.lines)
        if name == "articles":
            fig.add_articles(piece.rows)
        elif name == "comments":
            assert piece.words is not None
            fig.add_comments(piece.rows, piece.words)
        else:
            fig.add_metadata(piece.rows)
    writer.close()
    return writer, fig


@contextmanager
def _lock(out: Path) -> Iterator[None]:
    """One build at a time per parent folder: flock on the folder itself, so no file is left."""
    fd = os.open(out.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"{out.parent}: another build into this folder is running") from None
        yield
    finally:
        os.close(fd)


def _clean_leftovers(out: Path) -> None:
    """Staging folders of killed builds (we hold the lock, so none is live). If a build was
    killed between the fallback's two renames, the previous dataset is put back first."""
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if not out.exists() and olds:
        olds[-1].rename(out)
    for pattern in (f".{out.name}.building-*", f".{out.name}.old-*"):
        for p in out.parent.glob(pattern):
            shutil.rmtree(p, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2). False where the call is unavailable."""
    # The running program's symbols include the C library's; find_library("c") would also
    # find it, but runs ldconfig in a subprocess to do so.
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_in(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging)  # now holds the previous dataset
        return
    # Fallback (no renameat2): two renames; a kill between them is repaired by the next build.
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old)
