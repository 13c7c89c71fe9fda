"""Issue 16: pass 1 on Ray gives the local pool's bytes, on a private Ray and on a two-node
cluster joined by address; a killed task is retried; a chunk that keeps failing fails the build
and leaves the previous dataset; a worker running other versions is refused.

The tests that need Ray are slow (Ray starts in seconds) and are skipped, with the reason, where
Ray is not installed: ``make ray`` installs it, and ``.ci/run`` does so before the suite. Every
Ray process a test starts is stopped by process id, and Ray's session files, kept in temporary
folders, are removed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from benchmarks.generate import generate

from corpuskit import pipeline
from corpuskit.build import build
from corpuskit.cli import main
from corpuskit.engines import ray as engine
from corpuskit.errors import DataError, UsageError
from corpuskit.executors import make_executor

from .conftest import REPO, SEEDS, build_into

needs_ray = pytest.mark.skipif(
    importlib.util.find_spec("ray") is None,
    reason="Ray is not installed: `make ray` installs it (.ci/run does, before the suite)",
)

MANIFEST = "MANIFEST.sha256"


# -- without Ray -------------------------------------------------------------------------------


def test_the_tool_imports_no_ray_until_a_build_asks_for_it() -> None:
    code = "import sys, corpuskit.cli, corpuskit.build; print('ray' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "False"


def test_engine_ray_without_ray_exits_2_with_the_command_that_installs_it(tmp_path: Path) -> None:
    # Ray, installed or not, cannot be imported in this child: as on a machine without it.
    code = (
        "import sys; sys.modules['ray'] = None\n"
        "from corpuskit.cli import main\n"
        f"sys.exit(main(['build', '--seeds', {str(SEEDS)!r}, '--out', "
        f"{str(tmp_path / 'dist')!r}, '--engine', 'ray']))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 2, out.stderr
    assert "`make ray`" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "dist").exists()


def test_address_without_engine_ray_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build_into(SEEDS, tmp_path / "dist", "--address", "auto") == 2
    assert "--address is for --engine ray" in capsys.readouterr().err


def _job(tmp_path: Path, names: list[str]) -> pipeline.ChunkJob:
    seeds = [pipeline.SeedFile(n.rsplit(".", 1)[0], n, str(SEEDS / n)) for n in names]
    return pipeline.ChunkJob(0, seeds, tmp_path, b"k" * 16, collect_names=False)


def test_a_task_refuses_a_seed_its_node_cannot_see(tmp_path: Path) -> None:
    first = sorted(p.name for p in SEEDS.iterdir())[0]
    job = _job(tmp_path, [first, "not-on-this-node.txt"])
    with pytest.raises(engine.Refused) as caught:
        engine.run_task(pipeline.process_chunk, job, os.getcwd(), engine.environment())
    assert "not-on-this-node.txt" in str(caught.value)
    assert "same path" in str(caught.value)


def test_a_task_returns_the_chunk_files_instead_of_writing_them(tmp_path: Path) -> None:
    job = _job(tmp_path, sorted(p.name for p in SEEDS.iterdir()))
    result, files = engine.run_task(pipeline.process_chunk, job, os.getcwd(), engine.environment())
    assert list(tmp_path.iterdir()) == []  # the driver writes them, not the task
    assert sorted(n for n, _ in files) == sorted(
        pipeline.chunk_path(tmp_path, 0, t).name for t in ("articles", "comments", "metadata")
    )
    assert result.seeds == len(job.seeds)


def test_a_relative_seed_path_is_read_from_the_drivers_working_folder(tmp_path: Path) -> None:
    name = sorted(p.name for p in SEEDS.iterdir())[0]
    job = _job(tmp_path, [name])
    job = dataclasses.replace(job, seeds=[dataclasses.replace(job.seeds[0], path=name)])
    here = os.getcwd()
    result, _ = engine.run_task(pipeline.process_chunk, job, str(SEEDS), engine.environment())
    assert os.getcwd() == here
    assert result.rejected == []


def test_the_version_check_names_both_versions() -> None:
    driver = {**engine.environment(), "pyarrow": "0.0.1"}
    [phrase] = engine.mismatches(driver, engine.environment())
    assert phrase == f"pyarrow {engine.environment()['pyarrow']} (the driver runs pyarrow 0.0.1)"


# -- with Ray ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped seeds and 600 synthetic ones: five chunks."""
    seeds = tmp_path_factory.mktemp("ray") / "seeds"
    shutil.copytree(SEEDS, seeds)
    generate(seeds / "synthetic", 600, seed=16)
    return seeds


@pytest.fixture(scope="module")
def local_manifest(corpus: Path) -> str:
    out = corpus.parent / "local"
    assert build_into(corpus, out) == 0
    return (out / MANIFEST).read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _descendants(roots: list[int]) -> list[int]:
    """Every process under the roots (children of children too), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], list(roots)
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _title(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")[0].decode("utf-8", "replace")
    except OSError:
        return ""


class Cluster:
    """A two-node Ray cluster on 127.0.0.1, one CPU a node, as `ray start` makes one on real
    machines; each node's `ray start --block` is the parent of its Ray processes."""

    def __init__(self) -> None:
        self.temp = tempfile.mkdtemp(prefix="ck-ray-")
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.starters: list[subprocess.Popen[bytes]] = []
        ray_bin = str(Path(sys.executable).parent / "ray")
        common = ["--node-ip-address", "127.0.0.1", "--num-cpus", "1", "--block"]
        head = [ray_bin, "start", "--head", "--port", str(self.port), "--temp-dir", self.temp]
        self._start([*head, "--include-dashboard", "false", *common])
        self._wait_for_nodes(1)
        self._start([ray_bin, "start", "--address", self.address, *common])
        self._wait_for_nodes(2)

    def _start(self, argv: list[str]) -> None:
        log = open(Path(self.temp) / f"starter-{len(self.starters)}.log", "wb")  # noqa: SIM115
        self.starters.append(
            subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        )

    def _wait_for_nodes(self, n: int) -> None:
        code = (
            f"import ray, logging; ray.init(address={self.address!r}, "
            "logging_level=logging.ERROR); print(sum(1 for x in ray.nodes() if x['Alive']))"
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.starters):
                raise RuntimeError(f"a Ray node did not start; see the logs in {self.temp}")
            got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            if got.returncode == 0 and got.stdout.strip() == str(n):
                return
            time.sleep(1)
        raise RuntimeError(f"{n} Ray nodes were not up within 90 s; see the logs in {self.temp}")

    def processes(self) -> list[int]:
        return _descendants([p.pid for p in self.starters])

    def stop(self) -> None:
        """SIGTERM to each node's `ray start --block` (it stops the processes it started), then
        SIGKILL to whatever is left under them; then the session files go."""
        left = self.processes()
        for p in reversed(self.starters):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.temp, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    c = Cluster()
    try:
        yield c
    finally:
        c.stop()


class Killer(threading.Thread):
    """Kills (SIGKILL) the Ray workers under ``roots`` that run a chunk task, as a lost worker
    or node would: the first one only, or every one seen while the build runs."""

    def __init__(self, roots: Callable[[], list[int]], every: bool) -> None:
        super().__init__(daemon=True)
        self.roots, self.every = roots, every
        self.killed: list[int] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for pid in self.roots():
                if _title(pid).startswith("ray::run_task"):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        continue
                    self.killed.append(pid)
                    if not self.every:
                        return
            time.sleep(0.005)

    def __enter__(self) -> Killer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.join()


@needs_ray
@pytest.mark.slow
def test_a_private_ray_builds_the_bytes_of_the_local_pool(
    corpus: Path, local_manifest: str, tmp_path: Path
) -> None:
    before = set(os.listdir(tempfile.gettempdir()))
    argv = ["build", "--seeds", str(corpus), "--out", str(tmp_path / "dist"), "--engine", "ray"]
    assert main([*argv, "--workers", "2", "-q"]) == 0
    assert (tmp_path / "dist" / MANIFEST).read_text(encoding="utf-8") == local_manifest
    import ray

    assert not ray.is_initialized()  # stopped at the end
    left = {n for n in set(os.listdir(tempfile.gettempdir())) - before if "ray" in n}
    assert left == set()  # its session files are gone


@needs_ray
@pytest.mark.slow
def test_a_two_node_cluster_joined_by_address_builds_the_same_bytes(
    cluster: Cluster, corpus: Path, local_manifest: str, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    assert build_into(corpus, out, "--engine", "ray", "--address", cluster.address) == 0
    assert (out / MANIFEST).read_text(encoding="utf-8") == local_manifest
    assert all(p.poll() is None for p in cluster.starters)  # the cluster is left running


@needs_ray
@pytest.mark.slow
def test_a_killed_task_is_retried_and_the_bytes_are_the_same(
    cluster: Cluster, corpus: Path, local_manifest: str, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    with Killer(cluster.processes, every=False) as killer:
        assert build_into(corpus, out, "--engine", "ray", "--address", cluster.address) == 0
    assert len(killer.killed) == 1
    assert (out / MANIFEST).read_text(encoding="utf-8") == local_manifest


@needs_ray
@pytest.mark.slow
def test_a_chunk_that_keeps_failing_fails_the_build_and_leaves_the_dataset(
    cluster: Cluster, corpus: Path, local_manifest: str, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(corpus.parent / "local", out)
    options = {"address": cluster.address, "max_retries": 1}
    with Killer(cluster.processes, every=True) as killer, pytest.raises(DataError) as caught:
        build(corpus, out, engine="ray", engine_options=options)
    assert len(killer.killed) >= 2
    message = "\n".join(caught.value.lines)
    assert "chunk " in message and "failed on Ray" in message
    assert "each chunk runs at most 2 times" in message
    assert caught.value.lines[-1] == "nothing was changed"
    assert (out / MANIFEST).read_text(encoding="utf-8") == local_manifest
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


@needs_ray
@pytest.mark.slow
def test_a_worker_running_another_pyarrow_is_refused(cluster: Cluster, tmp_path: Path) -> None:
    """The driver is told it runs pyarrow 0.0.1: every real worker then differs from it."""
    driver = {**engine.environment(), "pyarrow": "0.0.1"}
    job = _job(tmp_path, sorted(p.name for p in SEEDS.iterdir()))
    executor = make_executor("ray", 1, address=cluster.address, driver=driver)
    with pytest.raises(UsageError) as caught, executor as ex:
        list(ex.map(pipeline.process_chunk, [job]))
    real = engine.environment()["pyarrow"]
    assert f"runs pyarrow {real} (the driver runs pyarrow 0.0.1)" in str(caught.value)
    assert "node 127.0.0.1" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
