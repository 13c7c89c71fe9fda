"""Pass 1 on Ray: ``corpuskit build --engine ray [--address auto|HOST:PORT] [--workers N]``.

Only the per-document pass goes to Ray, one Ray task per chunk of seeds; discovery, duplicate
clustering, pass 2, the writers and the atomic swap stay in the driver, so the output is byte
for byte the local pool's.

* **Where.** Without an address a private Ray is started on this machine (``--workers`` CPUs,
  bound to 127.0.0.1, its session files in a temporary folder that is removed at the end) and
  stopped when the pass ends. With one (``auto``: the cluster that ``ray start`` runs on this
  machine) the build joins that cluster, uses all its CPUs, and leaves it running.
* **Order.** Chunks are numbered in the driver, submitted a bounded window at a time (three per
  CPU) and collected in chunk order.
* **Data.** A task runs its chunk into a temporary folder on its node and returns the files'
  bytes with its result; the driver writes them into the build's chunks folder. No shared file
  system is needed for the intermediates, but **the seeds must be readable at the same path on
  every node**: a task that cannot see one of its seeds refuses the build, naming the seed and
  the node (a relative ``--seeds`` is taken from the driver's working folder).
* **Same bytes.** Every task first checks that its worker runs the driver's Python, numpy,
  pyarrow and corpuskit (rules version, and a digest of its code and schemas): another version
  could write other bytes. A mismatch refuses the build, naming both versions.
* **Failures.** A task whose worker or node is lost is run again by Ray (``max_retries``,
  default 3). A chunk that still fails, or raises, fails the build; its seeds are then run one
  at a time to name the seed that fails. The driver's staging folder goes, ``dist/`` is as it
  was.
* **The pseudonym key travels.** ``author_id`` is a keyed hash computed in the task, so every
  task's job carries the key over the network, in Ray's task arguments. Keep the cluster on a
  private network, or turn on Ray's TLS (``RAY_USE_TLS=1``, see Ray's documentation).

The pitfalls (slow start, fresh workers, addresses, ``/dev/shm``, temporary files) and what is
done about each are in BENCHMARKS.md, "Running on a cluster". Importing this module does not
import Ray; building with it without Ray installed says how to install it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import os
import platform
import shutil
import signal
import socket
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from ..errors import DataError, UsageError, qname
from ..executors import AHEAD_PER_WORKER, ENGINES, Executor

J = TypeVar("J")
R = TypeVar("R")

#: The command that installs Ray (requirements/ray.txt) into the project's .venv.
INSTALL = "make ray"
#: Runs of a task whose worker or node was lost, after the first (Ray's own default too).
MAX_RETRIES = 3
#: The private Ray's object store: in flight are at most three chunks per CPU, a few MB each.
#: Ray would otherwise reserve 30 % of the memory, more than a container's /dev/shm often has.
OBJECT_STORE_BYTES = 256 << 20
#: What a worker must run as the driver does: these decide the bytes that a chunk comes out as.
CHECKED = ("python", "numpy", "pyarrow", "corpuskit")


class Refused(Exception):
    """A worker that cannot produce the driver's bytes: it runs other versions, or cannot see
    the seeds. Raised in the task; the build stops with its message (exit 2)."""


#: A module that refuses to be imported, put first on the path of the private Ray's processes.
#: ``import ray`` imports jsonschema, whose format checkers import rfc3987_syntax, which compiles
#: a grammar at import: about 1.6 of the 2.2 CPU-seconds that every Ray process spends importing
#: Ray here. Ray's node agents must start within a fixed 15 s (Ray issue 65983), which a busy
#: machine misses; its workers pay it once each. Pass 1 never checks an IRI's syntax.
FAST_START = {
    "rfc3987_syntax.py": "raise ImportError(\"left out of Ray's processes (corpuskit): pass 1 "
    'never checks IRI syntax")\n'
}

#: Set for a private Ray before Ray is imported: the private Ray then binds to 127.0.0.1 rather
#: than to the machine's interface address (the variable's name says otherwise; on Linux this is
#: what it does), uses Ray's token authentication without a warning, and reports no usage.
PRIVATE_ENV = {
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    "RAY_AUTH_MODE": "token",
    "RAY_USAGE_STATS_ENABLED": "0",  # Ray would otherwise report to its makers over the network
}


def _import_ray(private: bool) -> Any:
    if private and "ray" not in sys.modules:
        for k, v in PRIVATE_ENV.items():
            os.environ.setdefault(k, v)
    try:
        import ray
    except ImportError:
        raise UsageError(
            f"--engine ray needs Ray, which is not installed: run `{INSTALL}` (it installs "
            "requirements/ray.txt into .venv), or pip install -r requirements/ray.txt"
        ) from None
    return ray


def write_fast_start(folder: Path) -> Path:
    """The folder of :data:`FAST_START`'s modules, for the ``PYTHONPATH`` of Ray's processes
    (the private Ray's; for ``ray start``, see BENCHMARKS.md, "Running on a cluster")."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FAST_START.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# -- on the workers ------------------------------------------------------------------------------


@functools.cache
def environment() -> dict[str, str]:
    """The versions that decide the bytes this process writes (see :data:`CHECKED`)."""
    import numpy
    import pyarrow

    from ..layouts import RULES_VERSION

    return {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pyarrow": pyarrow.__version__,
        "corpuskit": f"rules {RULES_VERSION}, code {_code_digest()}",
    }


def _code_digest() -> str:
    """SHA-256 over the package's files and the schemas, by relative path: two checkouts that
    differ in one rule or one column give two digests."""
    from ..schema import schema_dir

    package = Path(__file__).resolve().parents[1]
    schemas = Path(str(schema_dir())).resolve()  # a link to the project's schema/ in a checkout
    h = hashlib.sha256()
    for label, root in (("corpuskit", package), ("schema", schemas)):
        for p in sorted(root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(f"{label}/{p.relative_to(root).as_posix()}\0".encode())
                h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]


def mismatches(driver: dict[str, str], worker: dict[str, str]) -> list[str]:
    """What the worker runs that the driver does not, one phrase per difference."""
    return [
        f"{k} {worker.get(k, 'missing')} (the driver runs {k} {driver.get(k, 'missing')})"
        for k in CHECKED
        if worker.get(k) != driver.get(k)
    ]


def _node() -> str:
    """This node's address as Ray knows it (its host name where Ray is not running)."""
    ray = sys.modules.get("ray")
    return str(ray.util.get_node_ip_address()) if ray is not None else socket.gethostname()


@functools.cache
def _prepared() -> None:
    """Once per worker process, as the local pool's parent does before it forks."""
    from ..memory import WORKER_HEAP_PAD, keep_heap, release_promptly

    release_promptly()
    keep_heap(WORKER_HEAP_PAD)


def run_task(
    fn: Callable[[Any], Any], job: Any, cwd: str, driver: dict[str, str]
) -> tuple[Any, list[tuple[str, bytes]]]:
    """One job on a worker: checked, then run; a job with a ``folder`` (a chunk of pass 1) is
    run into a temporary folder here, whose files come back as (name, bytes)."""
    differ = mismatches(driver, environment())
    if differ:
        raise Refused(
            f"node {_node()} runs {'; '.join(differ)}: every node must run the driver's "
            "versions, or the cluster would write other bytes (install the same "
            "requirements/*.txt and the same corpuskit checkout on every node)"
        )
    _prepared()
    seeds: Sequence[Any] = getattr(job, "seeds", ())
    here = os.getcwd()
    if any(not os.path.isabs(s.path) for s in seeds):
        try:
            os.chdir(cwd)  # relative seed paths are the driver's; a worker runs one task at once
        except OSError as exc:
            raise Refused(
                f"node {_node()} has no folder {qname(cwd)} (the driver's working folder, "
                f"which the relative seed paths start from: {exc.strerror}); give --seeds as "
                "an absolute path that every node sees"
            ) from None
    try:
        for s in seeds:
            try:
                os.lstat(s.path)
            except FileNotFoundError:
                raise Refused(
                    f"seed {qname(s.path)} is not on node {_node()}: every node must see the "
                    "seeds folder at the same path as the driver (a shared file system)"
                ) from None
        if getattr(job, "folder", None) is None:
            return fn(job), []
        with tempfile.TemporaryDirectory(prefix="corpuskit-chunk-") as tmp:
            result = fn(dataclasses.replace(job, folder=Path(tmp)))
            files = [(p.name, p.read_bytes()) for p in sorted(Path(tmp).iterdir())]
        return result, files
    finally:
        os.chdir(here)


def run_alone(
    fn: Callable[[Any], Any], job: Any, cwd: str, driver: dict[str, str]
) -> tuple[Any, list[tuple[str, bytes]]]:
    """:func:`run_task` for one seed of a chunk that failed, never retried (its own name, so that
    Ray's process titles tell the two apart)."""
    return run_task(fn, job, cwd, driver)


# -- in the driver -------------------------------------------------------------------------------


class RayExecutor(Executor):
    """Jobs as Ray tasks, results in job order (see the module's docstring).

    ``address``: a running cluster to join (``auto`` or HOST:PORT), else a private Ray with
    ``workers`` CPUs. ``driver``: the versions every worker must run (default: this process's,
    :func:`environment`)."""

    name = "ray"

    def __init__(
        self,
        workers: int = 1,
        address: str | None = None,
        max_retries: int = MAX_RETRIES,
        driver: dict[str, str] | None = None,
    ) -> None:
        super().__init__(workers)
        self.address = address
        self.max_retries = max_retries
        self.driver = driver
        self.slots = self.workers
        self._ray: Any = None
        self._temp: str | None = None
        self._started = False  # whether this executor started Ray (and so stops it)
        self._pending: deque[tuple[Any, Any]] = deque()

    def __enter__(self) -> RayExecutor:
        ray = _import_ray(private=self.address is None)
        self._ray = ray
        self.driver = self.driver or environment()
        if not ray.is_initialized():
            self._init(ray)
        try:
            if self.address is not None:
                self.slots = int(ray.cluster_resources().get("CPU", 0))
                if self.slots < 1:
                    raise UsageError(f"the Ray cluster at {self.address} has no CPU for tasks")
            # Ray's default for max_retries is already 3; said here so that it is ours to set.
            self._task = ray.remote(max_retries=self.max_retries)(run_task)
            self._once = ray.remote(max_retries=0)(run_alone)
        except BaseException:
            self._stop()
            raise
        from ..build import TIMINGS  # here: the build module imports the executors

        TIMINGS(f"ray: {'joined' if self.address else 'started'} ({self.slots} CPUs)")
        return self

    def _init(self, ray: Any) -> None:
        sigterm = signal.getsignal(signal.SIGTERM)  # ray.init puts its own in; the build's wins
        options: dict[str, Any] = {
            "logging_level": logging.WARNING,
            "log_to_driver": False,  # the workers print nothing; failures come back as errors
        }
        path = os.environ.get("PYTHONPATH")
        if self.address is None:
            # A short path: a session's socket paths must fit in 107 bytes.
            self._temp = tempfile.mkdtemp(prefix="corpuskit-ray-")
            fast = write_fast_start(Path(self._temp) / "fast-start")
            os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(fast), path) if p)
            options.update(
                num_cpus=self.workers,
                include_dashboard=False,
                object_store_memory=OBJECT_STORE_BYTES,
                _temp_dir=self._temp,
            )
        else:
            options["address"] = self.address
        try:
            ray.init(**options)
        except Exception as exc:  # Ray raises bare Exception, among others, for a slow start
            logs = self._temp
            self._temp = None  # its logs are kept, to read
            self._stop()
            where = f"join the Ray cluster at {self.address}" if self.address else "start Ray"
            why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            more = f" (Ray's logs: {qname(logs)}/session_latest/logs)" if logs else ""
            raise DataError(
                [f"the build failed: cannot {where}: {why}{more}", "nothing was changed"]
            ) from None
        finally:
            if path is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = path
            if signal.getsignal(signal.SIGTERM) is not sigterm:
                signal.signal(signal.SIGTERM, sigterm)
        self._started = True

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        """Disconnects, which ends the job: Ray stops whatever of it still runs on a cluster
        (no ``ray.cancel(force=True)``: a reply racing the cancel crashes Ray 2.60's driver, in
        TaskManager::CompletePendingTask). A private Ray is stopped and its files removed."""
        ray = self._ray
        try:
            if ray is not None and ray.is_initialized() and self._started:
                ray.shutdown()
        finally:
            self._pending.clear()
            self._started = False
            if self._temp is not None:
                shutil.rmtree(self._temp, ignore_errors=True)
                self._temp = None

    def map(self, fn: Callable[[J], R], jobs: Iterable[J]) -> Iterator[R]:
        cwd = os.getcwd()
        pending = self._pending
        ahead = AHEAD_PER_WORKER * self.slots
        for job in jobs:
            pending.append((job, self._task.remote(fn, job, cwd, self.driver)))
            if len(pending) >= ahead:
                yield self._collect(fn, *pending.popleft(), cwd)
        while pending:
            yield self._collect(fn, *pending.popleft(), cwd)

    def _collect(self, fn: Callable[[J], R], job: J, ref: Any, cwd: str) -> R:
        try:
            result, files = self._ray.get(ref)
        except self._ray.exceptions.RayError as exc:
            raise self._failure(fn, job, exc, cwd) from None
        folder: Path | None = getattr(job, "folder", None)
        if folder is not None:
            for name, data in files:
                (folder / name).write_bytes(data)
        return result  # type: ignore[no-any-return]

    def _failure(self, fn: Callable[[J], R], job: J, exc: Exception, cwd: str) -> Exception:
        """The error that stops the build, naming the seed when one seed is the cause."""
        cause = getattr(exc, "cause", None)
        if isinstance(cause, Refused):
            return UsageError(f"{cause}; nothing was changed")
        seeds: Sequence[Any] = getattr(job, "seeds", ())
        number = getattr(job, "number", "?")
        seed, why = self._culprit(fn, job, seeds, cwd)
        if seed is not None:
            what = f"seed {qname(seed.path)} (chunk {number}) fails on Ray: {why}"
        else:
            span = f"{qname(seeds[0].path)} to {qname(seeds[-1].path)}" if seeds else "no seed"
            what = (
                f"chunk {number} ({len(seeds)} seeds, {span}) failed on Ray: {_reason(exc)}; "
                "each of its seeds runs on its own, so a worker or node, not a seed, is the cause"
            )
        if cause is None:
            what += f" (each chunk runs at most {1 + self.max_retries} times)"
        return DataError([f"the build failed: {what}", "nothing was changed"])

    def _culprit(
        self, fn: Callable[[J], R], job: J, seeds: Sequence[Any], cwd: str
    ) -> tuple[Any, str]:
        """The first of the chunk's seeds that fails when run alone, and why (None if none)."""
        if len(seeds) < 1 or not dataclasses.is_dataclass(job):
            return None, ""
        one = [dataclasses.replace(job, seeds=[s]) for s in seeds]  # type: ignore[type-var]
        refs = [self._once.remote(fn, j, cwd, self.driver) for j in one]
        for s, ref in zip(seeds, refs, strict=True):  # the rest end with the job (see _stop)
            try:
                self._ray.get(ref)
            except self._ray.exceptions.RayError as exc:
                return s, _reason(exc)
        return None, ""


def _reason(exc: BaseException) -> str:
    """One line: the task's own exception, or what Ray says happened to its worker or node."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, BaseException):
        return f"{type(cause).__name__}: {cause}".splitlines()[0]
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


ENGINES[RayExecutor.name] = RayExecutor
