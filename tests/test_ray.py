"""Issue 16: pass 1 on Ray gives the local pool's bytes, on a private Ray and on a two-node
cluster joined by address; a killed task is retried; a chunk that keeps failing fails the build
and leaves the previous dataset; a worker running other versions is refused.

The tests that need Ray are slow (Ray starts in seconds) and are skipped, with the reason, where
Ray is not installed: ``make ray`` installs it, and ``.ci/run`` does so before the suite. Every
Ray process a test starts is stopped by process id, and Ray's session files, kept in temporary
folders, are removed.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.generate import generate

from corpuskit import pipeline, spool
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

# Read by Ray once, when it is imported: the test clusters bind to 127.0.0.1, use token
# authentication, and report no usage over the network.
os.environ.update(engine.PRIVATE_ENV)


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
        spool.chunk_path(tmp_path, 0, t).name for t in ("articles", "comments", "metadata")
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


def _descendants(root: int) -> list[int]:
    """Every process under root (children of children too), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], list(children.get(root, []))
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


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A two-node Ray cluster on 127.0.0.1, one CPU a node, left running between the tests that
    join it by address; its address. Ray's own harness for several nodes on one machine
    (ray.cluster_utils) starts the nodes as `ray start` does: `ray start --address` itself would
    give a joining node the machine's interface address. Its processes are stopped by their
    ids, its session files (a temporary folder) removed, and so is the note of its address that
    the harness leaves in /tmp/ray."""
    from ray.cluster_utils import Cluster

    temp = tempfile.mkdtemp(prefix="ck-ray-")
    notes = Path(tempfile.gettempdir()) / "ray"
    made_notes = not notes.exists()
    notes.mkdir(exist_ok=True)
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(engine.write_fast_start(Path(temp) / "fast-start"))
    nodes = Cluster(shutdown_at_exit=False)
    try:
        try:
            nodes.add_node(num_cpus=1, temp_dir=temp, include_dashboard=False)
            nodes.add_node(num_cpus=1)
        finally:
            if saved is None:
                del os.environ["PYTHONPATH"]
            else:
                os.environ["PYTHONPATH"] = saved
        yield nodes.address
    finally:
        nodes.shutdown()
        shutil.rmtree(temp, ignore_errors=True)
        if made_notes:
            shutil.rmtree(notes, ignore_errors=True)


class Killer(threading.Thread):
    """Kills (SIGKILL) the Ray workers under this process that run a chunk task, as a lost
    worker or node would: the first one only, or every one seen while the build runs."""

    def __init__(self, every: bool) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.killed: list[int] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for pid in _descendants(os.getpid()):
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
    left = {n for n in set(os.listdir(tempfile.gettempdir())) - before if "corpuskit-ray" in n}
    assert left == set()  # its session files are gone


@needs_ray
@pytest.mark.slow
def test_a_two_node_cluster_joined_by_address_builds_the_same_bytes(
    cluster: str, corpus: Path, local_manifest: str, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    assert build_into(corpus, out, "--engine", "ray", "--address", cluster) == 0
    assert (out / MANIFEST).read_text(encoding="utf-8") == local_manifest
    import ray

    assert not ray.is_initialized()  # disconnected
    ray.init(address=cluster, logging_level="ERROR")
    try:
        assert sum(1 for n in ray.nodes() if n["Alive"]) == 2  # and the cluster left running
    finally:
        ray.shutdown()


@needs_ray
@pytest.mark.slow
def test_a_killed_task_is_retried_and_the_bytes_are_the_same(
    cluster: str, corpus: Path, local_manifest: str, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    with Killer(every=False) as killer:
        assert build_into(corpus, out, "--engine", "ray", "--address", cluster) == 0
    assert len(killer.killed) == 1
    assert (out / MANIFEST).read_text(encoding="utf-8") == local_manifest


@needs_ray
@pytest.mark.slow
def test_a_chunk_that_keeps_failing_fails_the_build_and_leaves_the_dataset(
    cluster: str, corpus: Path, local_manifest: str, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(corpus.parent / "local", out)
    options = {"address": cluster, "max_retries": 1}
    with Killer(every=True) as killer, pytest.raises(DataError) as caught:
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
def test_a_worker_running_another_pyarrow_is_refused(cluster: str, tmp_path: Path) -> None:
    """The driver is told it runs pyarrow 0.0.1: every real worker then differs from it."""
    driver = {**engine.environment(), "pyarrow": "0.0.1"}
    job = _job(tmp_path, sorted(p.name for p in SEEDS.iterdir()))
    executor = make_executor("ray", 1, address=cluster, driver=driver)
    with pytest.raises(UsageError) as caught, executor as ex:
        list(ex.map(pipeline.process_chunk, [job]))
    real = engine.environment()["pyarrow"]
    assert f"runs pyarrow {real} (the driver runs pyarrow 0.0.1)" in str(caught.value)
    assert "node 127.0.0.1" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
