"""The executor seam: where pass 1's per-chunk work runs.

An executor maps a pure function over a stream of jobs and yields the results **in job order**,
with only a bounded window of jobs in flight, so that memory does not grow with the corpus and
the output never depends on the executor or on its number of workers. The build uses one as a
context manager::

    with make_executor("local", workers=2) as ex:
        for result in ex.map(process_chunk, jobs):
            ...

Adding an engine means one class here (or in a module of its own that registers itself in
:data:`ENGINES`) and nothing in processing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, TypeVar

from . import memory

J = TypeVar("J")
R = TypeVar("R")

#: Jobs in flight per worker: enough to keep every worker busy, few enough that the parent never
#: holds the jobs (or results) of the whole corpus.
AHEAD_PER_WORKER = 3


class Executor(ABC):
    """Runs ``fn`` over jobs, in order, a bounded window at a time."""

    #: The name ``--engine`` takes.
    name: str = ""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    @abstractmethod
    def map(self, fn: Callable[[J], R], jobs: Iterable[J]) -> Iterator[R]:
        """``fn(job)`` for every job, yielded in the jobs' order."""


class SerialExecutor(Executor):
    """Everything in this process, one job after the other."""

    name = "serial"

    def map(self, fn: Callable[[J], R], jobs: Iterable[J]) -> Iterator[R]:
        return map(fn, jobs)


def _started(_: int) -> None:
    return None


_PR_SET_PDEATHSIG = 1
_WATCH_SECONDS = 0.5


def _worker_init(parent: int) -> None:
    """Each worker dies with the build that started it, however the build dies: Linux kills it
    when its parent goes (PR_SET_PDEATHSIG); elsewhere, or should that fail, a thread checks
    every half second that the parent is still its parent. Ctrl-C is the parent's to handle,
    and SIGTERM gets back its default (the parent's handler came with the fork)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    memory.keep_heap(memory.WORKER_HEAP_PAD)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


class LocalPoolExecutor(Executor):
    """A process pool on this machine, the default engine.

    Its workers are started on entry, before the corpus is listed, so that they inherit none of
    the parent's later state. pyarrow imports pandas the first time it converts Python objects
    (about 0.3 s); doing that once here, before the fork, spares every worker its own import.
    The workers die with the parent (see :func:`_worker_init`); if the build stops early, they
    are killed at once rather than left to finish their jobs. With one worker, or a single job,
    the work runs in this process."""

    name = "local"

    def __init__(self, workers: int = 1) -> None:
        super().__init__(workers)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalPoolExecutor:
        if self.workers <= 1:
            return self
        import pandas  # noqa: F401

        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, initializer=_worker_init, initargs=(os.getpid(),)
        )
        try:
            list(self._pool.map(_started, range(self.workers)))
        except BaseException:
            self._kill()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is None:
            return
        if kind is not None:
            self._kill()
        else:
            self._pool.shutdown()
        self._pool = None

    def _kill(self) -> None:
        """The workers killed, and the pool's thread let go. A worker killed half-way through
        sending its result leaves part of a message in the results pipe, and the pool's thread
        waits for the rest for ever (this process holds the pipe's write end too); the
        interpreter then hangs at exit, joining that thread. Closing this process's write end
        ends the wait: the thread reads the end of the pipe and gives the pool up as broken."""
        pool = self._pool
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)  # shutdown drops it
        pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            p.kill()
        for p in processes:
            p.join()
        if writer is not None:
            writer.close()
        self._pool = None

    def _result(self, future: Future[R]) -> R:
        """The job's result; a worker that died is a broken pool, even where the pool's own
        thread, stuck on the part of a message that worker sent, cannot say so."""
        while True:
            try:
                return future.result(timeout=_WATCH_SECONDS)
            except TimeoutError:
                pool = self._pool
                processes = (getattr(pool, "_processes", None) or {}).values()
                if any(p.exitcode is not None for p in list(processes)):
                    raise BrokenProcessPool("a worker process stopped unexpectedly") from None

    def map(self, fn: Callable[[J], R], jobs: Iterable[J]) -> Iterator[R]:
        it = iter(jobs)
        first = next(it, None)
        if first is None:
            return
        second = next(it, None)
        pool = self._pool
        if pool is None or second is None:
            yield fn(first)
            if second is not None:
                yield fn(second)
            yield from map(fn, it)
            return
        ahead = AHEAD_PER_WORKER * self.workers
        pending: deque[Future[Any]] = deque([pool.submit(fn, first), pool.submit(fn, second)])
        for job in it:
            pending.append(pool.submit(fn, job))
            if len(pending) >= ahead:
                yield self._result(pending.popleft())
        while pending:
            yield self._result(pending.popleft())


#: ``--engine`` names and the executors behind them.
ENGINES: dict[str, type[Executor]] = {
    LocalPoolExecutor.name: LocalPoolExecutor,
    SerialExecutor.name: SerialExecutor,
}


def make_executor(engine: str = "local", workers: int = 1, **options: Any) -> Executor:
    """The executor called ``engine``; options are the engine's own (e.g. a cluster address)."""
    try:
        kind = ENGINES[engine]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown engine {engine!r} (known: {known})") from None
    return kind(workers, **options) if options else kind(workers)


# Engines in modules of their own register themselves here; importing one imports no engine
# library (that happens when a build asks for the engine).
from .engines import ray as _ray  # noqa: E402, F401
