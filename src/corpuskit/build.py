"""The build: seeds in, a checked ``dist/`` swapped in atomically, or nothing changed at all.

A build writes into a fresh folder beside the target (``.dist.building-<pid>``), checks it, and
only then exchanges it with the target in one atomic ``renameat2(RENAME_EXCHANGE)``. A build
that fails or is killed at any moment leaves the previous target byte for byte as it was; the
next build removes the leftovers. The target must be a folder this tool built, an empty one or a
missing one (``safety.resolve_out``); one build at a time holds it (``lock.build_lock``). A
build stopped by SIGINT or SIGTERM says what it left: nothing changed, or the new dataset in.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import importlib
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__, distlayout, memory, package, provenance, safety
from .assemble import Privacy, assemble
from .checks import Finding, quick_check
from .checks.validate import SIDE_BY_SIDE_ROW_BYTES, check_table_rows
from .clusters import Clusters, SeedIndex, cluster
from .discovery import count_seeds, discover
from .docs import card, figures
from .docs.datapackage import datapackage
from .errors import DataError, Interrupted, UsageError, qname, signal_exit_code
from .executors import make_executor
from .lock import build_lock, unwritable
from .privacy import Pseudonymizer, load_key
from .processing import chunk_jobs, process_chunk
from .progress import Progress
from .project import Project, Release
from .schema import TABLES, TableSchema, load
from .spool import WORDS_COLUMN
from .stats import BuildStats
from .writers import ParquetWriter, Settings, TableOutput


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
    stats: BuildStats


def build(
    seeds_dir: Path,
    out: Path,
    *,
    skip_invalid: bool = False,
    workers: int = 1,
    progress: bool = False,
    pseudonymize: bool = False,
    repo_id: str | None = None,
    jsonl_compression: str = "none",
    max_seed_bytes: int | None = None,
    engine: str = "local",
    project: Project | None = None,
    seed_glob: Sequence[str] | None = None,
    engine_options: dict[str, Any] | None = None,
) -> BuildResult:
    """``project``: whose dataset this is (its facts, prose, key and limits; default: the
    project of the current folder); ``engine``: where pass 1 runs (see executors.ENGINES), with
    ``engine_options`` (e.g. a cluster's ``address``); ``repo_id``: the Hub repo the card and
    metadata point to (default: the project's repo_id); ``jsonl_compression``: ``none`` or
    ``gzip`` for the JSONL copies; ``seed_glob``: which files of the seeds folder are seeds
    (default: the project's seed_glob, else ``*.txt``)."""
    project = project or Project.load()
    if not seeds_dir.is_dir():
        raise UsageError(f"{qname(seeds_dir)}: seeds folder not found (or not a folder)")
    out = safety.resolve_out(out, seeds_dir)
    limit = max_seed_bytes or project.max_seed_bytes()
    globs = seed_glob or project.seed_globs()
    selection = provenance.load_manifest(seeds_dir, globs)  # a bad manifest: before any work
    #: What release rebuilds with (build_stats.json); None: from the configuration.
    options = {
        "jsonl_compression": jsonl_compression,
        "max_seed_bytes": max_seed_bytes,
        "pseudonymize": pseudonymize,
        "repo_id": repo_id,
        "seed_glob": list(seed_glob) if seed_glob else None,
        "skip_invalid": skip_invalid,
    }
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(unwritable(out, exc)) from None
    TIMINGS("start")
    memory.release_promptly()  # before the workers fork: they inherit it
    schemas = load()
    key = load_key(project)  # before any work: a missing key is a configuration error
    release = project.release(repo_id=repo_id)
    card.check_docs(project, release)  # and so is a bad text or template
    with build_lock(out):
        _clean_leftovers(out)
        staging = out.parent / f".{out.name}.building-{os.getpid()}"
        try:
            staging.mkdir()
            new = os.stat(staging)  # the new dataset's folder, to tell later whether it is in
            had = os.path.lexists(out)
        except OSError as exc:
            raise UsageError(unwritable(out, exc)) from None
        rows = _RowChecks(staging, progress)  # its threads start in pass 2, after the fork
        try:
            stats = _build_into(
                staging,
                seeds_dir,
                schemas,
                skip_invalid,
                workers,
                progress,
                key,
                pseudonymize,
                (project, release, jsonl_compression),
                limit,
                rows,
                engine,
                (selection, options),
                engine_options,
            )
            findings = quick_check(staging, rows.started, rows.small())
            TIMINGS("checks before the swap")
            if findings:
                raise DataError(
                    ["the new dataset failed its checks; the previous one is unchanged:"]
                    + [f.render() for f in findings]
                )
            _swap_in(staging, out)
            TIMINGS("swap")
        except KeyboardInterrupt as exc:
            code = signal_exit_code(exc)
            raise Interrupted([f"interrupted; {_outcome(out, new, had)}"], code) from None
        except (OSError, BrokenProcessPool) as exc:
            why = _why(exc, out)
            raise DataError([f"the build failed: {why}", _outcome(out, new, had)]) from None
        finally:
            rows.close()
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(out=out, stats=stats)


class _RowChecks:
    """Each table's row check (JSON Schema, JSONL copy), started in pass 2 as soon as that
    table is written, beside the writing of the others (which leaves a core idle), and awaited
    by the checks before the swap."""

    def __init__(self, staging: Path, progress: bool) -> None:
        self.staging = staging
        self.progress = progress
        self.pool = ThreadPoolExecutor(len(TABLES), thread_name_prefix="rows")
        self.bar: Progress | None = None  # from the first table's check on
        self.lock = threading.Lock()  # the tables' writers start their checks
        self.started: dict[str, Future[list[Finding]]] = {}
        self.largest_row = 0  # bytes of the largest JSON line written

    def start(self, schema: TableSchema, output: TableOutput) -> None:
        with self.lock:
            if self.bar is None:
                self.bar = Progress("checking rows", None, "rows", enabled=self.progress)
            self.largest_row = max(self.largest_row, output.get(ParquetWriter).largest_row)
            self.started[schema.name] = self.pool.submit(
                check_table_rows, self.staging, schema, self.bar
            )

    def small(self) -> bool:
        """Whether the rows are small enough for the row check and load_dataset to run side
        by side (see checks.validate.SIDE_BY_SIDE_ROW_BYTES)."""
        return self.largest_row <= SIDE_BY_SIDE_ROW_BYTES

    def close(self) -> None:
        """Done or abandoned (an interrupt does not wait for the checks)."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        if self.bar is not None:
            self.bar.close()


def _outcome(out: Path, new: os.stat_result, had: bool) -> str:
    """What a build that stopped early left in place of ``out``: said from the folders
    themselves, since the stop may have come at any moment, the swap included."""
    _put_back(out)
    try:
        swapped = os.path.samestat(os.stat(out), new)
    except FileNotFoundError:
        return f"nothing was changed ({qname(out)} still does not exist)"
    if swapped:
        gone = "; the previous one is gone" if had else ""
        return f"{qname(out)} is the new dataset, complete and checked{gone}"
    return f"nothing was changed: {qname(out)} is as it was"


def _why(exc: BaseException, out: Path) -> str:
    if isinstance(exc, BrokenProcessPool):
        return "a worker process stopped unexpectedly (killed, perhaps for lack of memory)"
    assert isinstance(exc, OSError)
    if exc.filename:
        return f"{qname(exc.filename)}: {exc.strerror or exc}"
    return f"writing the new dataset in {qname(out.parent)}: {exc}"  # Arrow names no file


def _build_into(
    staging: Path,
    seeds_dir: Path,
    schemas: dict[str, TableSchema],
    skip_invalid: bool,
    workers: int,
    progress: bool,
    key: bytes,
    pseudonymize: bool,
    publishing: tuple[Project, Release, str],
    max_seed_bytes: int,
    rows: _RowChecks,
    engine: str = "local",
    seeds: tuple[provenance.Selection, dict[str, Any]] | None = None,
    engine_options: dict[str, Any] | None = None,
) -> BuildStats:
    """The dataset written into ``staging``, and its figures; each table's row check is
    started in ``rows`` as soon as the table is written."""
    project, release, jsonl_compression = publishing
    selection, options = seeds or (provenance.Selection(), {})
    chunks = staging / ".chunks"  # pass 1's rows, waiting for pass 2; removed before the checks
    chunks.mkdir()
    importing: threading.Thread | None = None
    try:
        stats = BuildStats(pseudonymized=pseudonymize)
        index = SeedIndex()
        rejected: list[str] = []
        names: set[str] = set()  # every commenter's handle, for a --pseudonymize build
        n_chunks = 0
        largest = 0  # the largest seed's bytes
        with (
            make_executor(engine, workers, **(engine_options or {})) as executor,
            Progress("pass 1: reading seeds", None, "seeds", enabled=progress) as bar,
        ):
            # the bar's total, counted while the workers start on the first seeds
            counting = _count_in_background(seeds_dir, selection, bar) if progress else None
            jobs = chunk_jobs(
                discover(seeds_dir, selection),
                chunks,
                key,
                collect_names=pseudonymize,
                max_seed_bytes=max_seed_bytes,
            )
            for res in executor.map(process_chunk, jobs):
                seen = len(index)
                index.extend(res.index)
                names |= res.names
                rejected += [f"{qname(path)}: {why}" for path, why in res.rejected]
                stats.add_chunk(res)
                largest = max(largest, res.largest)
                n_chunks += 1
                bar.update(len(index) - seen)
            if counting is not None:
                counting.join()  # long done, as a rule; the last line then gives the total
        ignored = selection.ignored_line(seeds_dir)
        if ignored and progress:
            print(ignored, file=sys.stderr)
        if rejected and not skip_invalid:
            raise DataError(
                [
                    f"{len(rejected)} of {len(index)} seeds cannot be used; nothing was written "
                    "(use --skip-invalid to build the rest):",
                    *rejected,
                ]
            )
        if not any(index.usable):
            raise DataError(
                _none_usable(seeds_dir, len(index), stats, rejected, selection.ignored_line)
            )
        TIMINGS("pass 1: read and extract")
        memory.keep_heap(memory.BUILD_HEAP_PAD, memory.BUILD_ARENAS)  # see memory.py
        if largest <= memory.REUSE_BELOW:
            memory.reuse_freed()
        # The checks load the tables with `datasets` (0.35 s to import): imported while pass 2's
        # threads compress, outside the interpreter lock. Not before pass 1: a fork during an
        # import deadlocks the workers on its lock.
        importing = threading.Thread(target=importlib.import_module, args=("datasets",))
        importing.start()
        clusters = cluster(index)
        stats.rules.update(clusters.rules)
        del index
        privacy = Privacy(key, Pseudonymizer(key, names) if pseudonymize else None)
        # The three tables are written side by side: Arrow encodes and compresses without
        # holding the interpreter lock, so the threads share both cores.
        total = len(TABLES) * n_chunks
        with (
            ThreadPoolExecutor(len(TABLES)) as threads,
            Progress("pass 2: writing tables", total, "chunks", enabled=progress) as bar,
        ):
            running = {
                t: threads.submit(
                    _write_table,
                    t,
                    staging,
                    schemas[t],
                    n_chunks,
                    chunks,
                    clusters,
                    privacy,
                    (bar, rows),
                    jsonl_compression,
                )
                for t in TABLES
            }
            parts = {t: f.result() for t, f in running.items()}
        TIMINGS("pass 2: duplicates and write")
    finally:
        shutil.rmtree(chunks, ignore_errors=True)
        if importing is not None:
            importing.join()  # done before anything else can fork
    for t, (output, _) in parts.items():
        stats.rows[t] = output.rows
    stats.seeds = parts["metadata"][0].rows
    stats.status.update(parts["metadata"][1].counts.get("status", {}))
    sizes = {t: o.get(ParquetWriter).uncompressed_bytes for t, (o, _) in parts.items()}
    summary = {
        "version": release.version,  # the dataset's
        "builder": f"corpuskit {__version__}",  # the tool's, which moves on its own
        **stats.as_dict(),
        **selection.stats(),
        "build_options": options,
    }
    fig = figures.figures(summary, *(parts[t][1] for t in TABLES))
    package.write_json(staging / distlayout.STATS, summary)
    jsonl = {t: distlayout.jsonl_file(staging, t, jsonl_compression).name for t in parts}
    package.write_json(
        staging / distlayout.DATAPACKAGE, datapackage(schemas, release, project.license, jsonl)
    )
    digests = {rel: d for o, _ in parts.values() for rel, d in o.digests.items()}
    card.write_docs(staging, project, schemas, sizes, release, fig, digests)
    TIMINGS("documents")
    package.write_manifest(staging, digests)
    TIMINGS("manifest")
    return stats


def _count_in_background(
    seeds_dir: Path, selection: provenance.Selection, bar: Progress
) -> threading.Thread:
    """How many seeds pass 1 will read, for its progress bar: counted in a thread once the
    workers have started (a fork must not meet a thread mid-way), so that the count (0.1 s per
    20,000 seeds) does not hold the workers back. A folder that cannot be listed leaves the
    bar without a total: pass 1 itself says what is wrong with it."""

    def count() -> None:
        with contextlib.suppress(DataError):  # a folder it cannot list
            bar.set_total(count_seeds(seeds_dir, selection.fresh()))

    thread = threading.Thread(target=count, name="count-seeds", daemon=True)
    thread.start()
    return thread


def _none_usable(
    seeds_dir: Path,
    n: int,
    stats: BuildStats,
    rejected: list[str],
    ignored: Callable[[Path], str | None] = lambda _: None,
) -> list[str]:
    """Why there is no dataset: the reasons, counted, and the first few seeds refused."""
    if n == 0:
        why = ignored(seeds_dir)
        return [
            f"{qname(seeds_dir)}: no seed in the folder, so there is no dataset to build"
            + (" (build --seed-glob PATTERN chooses which files are seeds)" if why else ""),
            *([why] if why else []),
        ]
    reasons = ", ".join(f"{k} {r}" for r, k in stats.rejected.most_common())
    first = rejected[:_SHOWN]
    more = [f"... and {len(rejected) - len(first)} more"] if len(rejected) > len(first) else []
    return [
        f"{qname(seeds_dir)}: no usable seed, so there is no dataset to build; "
        f"all {n} seeds were rejected ({reasons}):",
        *first,
        *more,
    ]


_SHOWN = 10  # rejected seeds listed when none is usable


def _write_table(
    name: str,
    staging: Path,
    schema: TableSchema,
    n_chunks: int,
    chunks: Path,
    clusters: Clusters,
    privacy: Privacy,
    bars: tuple[Progress, _RowChecks],
    jsonl_compression: str,
) -> tuple[TableOutput, figures.TableFigures]:
    """Pass 2 for one table: its rows in seed order into every output format, and its
    figures; then its row check is started."""
    bar, rows = bars
    output = TableOutput(staging, schema, Settings(jsonl_compression))
    fig = figures.TableFigures()
    for piece in assemble(name, n_chunks, chunks, clusters, privacy):
        output.write(piece)
        if name == "articles":
            fig.add_articles(piece.rows)
        elif name == "comments":
            fig.add_comments(piece.rows, piece.derived[WORDS_COLUMN])
        else:
            fig.add_metadata(piece.rows)
        bar.update()
    output.close()
    rows.start(schema, output)
    return output, fig


def _clean_leftovers(out: Path) -> None:
    """Staging folders of killed builds (we hold the lock, so none is live). If a build was
    killed between the fallback's two renames, the previous dataset is put back first."""
    _put_back(out)
    for pattern in (f".{out.name}.building-*", f".{out.name}.old-*"):
        for p in out.parent.glob(pattern):
            shutil.rmtree(p, ignore_errors=True)


def _put_back(out: Path) -> None:
    """If a build stopped between the fallback swap's two renames, the previous dataset is put
    back where it was."""
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if not os.path.lexists(out) and olds:
        olds[-1].rename(out)


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
