"""Issue 13: no build loses data, hangs, leaves a process behind or shows a traceback. Real
folders, real files, real processes and signals; nothing is mocked."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from benchmarks.generate import generate

from corpuskit import safety
from corpuskit.cli import main
from corpuskit.errors import DataError, UsageError, qname
from corpuskit.lock import build_lock, lock_path
from corpuskit.pipeline import discover
from corpuskit.project import Project
from corpuskit.safety import parse_size, read_seed

from .conftest import REPO, SEEDS, build_into, write_seed

CLI = [sys.executable, str(REPO / "build_dataset.py")]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _metadata(out: Path) -> dict[str, dict[str, object]]:
    lines = (out / "jsonl" / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
    return {m["file_name"]: m for m in map(json.loads, lines)}


@contextmanager
def _tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A real small filesystem, where this machine lets us mount one (root); else skip."""
    where.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


# -- 1. --out replaces only a dataset this tool built, an empty folder or a missing one ----------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the current folder: a copy of this project's config) holding seeds/, a
    home of its own and a notes folder, for the tests that point --out at what it must never
    replace."""
    root = tmp_path / "project"
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copytree(REPO / "config", root / "config")
    shutil.copy2(REPO / "corpuskit.toml", root / "corpuskit.toml")
    (root / "notes").mkdir()
    (root / "notes" / "todo.txt").write_text("keep me\n", encoding="utf-8")
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".profile").write_text("keep me too\n", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return root


@pytest.mark.parametrize(
    ("out", "reason"),
    [
        ("seeds", "is the seeds folder"),
        (".", "holds the seeds folder"),
        ("..", "holds the seeds folder"),
        ("seeds/dist", "is inside the seeds folder"),
        ("~", "is your home folder"),
        ("/", "is the root folder"),
        ("notes", "is not empty and is not a dataset built by this tool"),
        ("notes/todo.txt", "exists and is not a folder"),
        ("notes/x/..", "is not empty and is not a dataset built by this tool"),
    ],
)
def test_out_that_is_not_a_dataset_of_ours_is_refused_and_untouched(
    project: Path, out: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(project.parent)
    target = os.path.expanduser(out)
    assert main(["build", "--seeds", "seeds", "--out", target, "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert f"error: --out {qname(target)}" in err and reason in err, err
    assert "Traceback" not in err
    assert _snapshot(project.parent) == before
    assert not list(project.parent.rglob(".*.building-*"))


def test_a_dataset_with_a_file_of_the_users_is_refused(
    fresh_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(fresh_build, out)
    (out / "data" / "my-notes.txt").write_text("mine\n", encoding="utf-8")
    before = _snapshot(out)
    assert build_into(SEEDS, out) == 2
    err = capsys.readouterr().err
    assert (
        'holds files this tool did not write (not in its MANIFEST.sha256): "data/my-notes.txt"'
        in err
    )
    assert _snapshot(out) == before


def test_empty_missing_and_dotdot_targets_are_built(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert build_into(SEEDS, tmp_path / "empty") == 0
    assert (tmp_path / "empty" / "MANIFEST.sha256").is_file()
    # a/b/.. is a: resolved before anything is made, so no stray a/b and no staging named '..'
    assert build_into(SEEDS, tmp_path / "a" / "b" / "..") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "empty"]
    assert (tmp_path / "a" / "build_stats.json").is_file() and not (tmp_path / "a" / "b").exists()
    assert build_into(SEEDS, tmp_path / "a") == 0  # and a dataset of ours is rebuilt


def test_out_through_a_symlink_rebuilds_the_dataset_it_points_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "store" / "dist"
    assert build_into(SEEDS, real) == 0
    link = tmp_path / "dist"
    link.symlink_to(real)
    (real / "build_stats.json").write_text("{}\n", encoding="utf-8")  # so a rebuild shows
    assert build_into(SEEDS, link) == 0, capsys.readouterr().err
    assert link.is_symlink() and link.resolve() == real
    assert json.loads((real / "build_stats.json").read_text(encoding="utf-8"))["seeds"] == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "store"]
    assert sorted(p.name for p in real.parent.iterdir()) == ["dist"]  # no staging, no lock


def test_out_that_cannot_be_written_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build_into(SEEDS, Path("/proc/corpuskit-test/dist")) == 2
    err = capsys.readouterr().err
    assert 'error: --out "/proc/corpuskit-test/dist": cannot write in "/proc/corpuskit-test"' in err
    if os.geteuid() != 0:  # root writes through permissions: the read-only mount below does it
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        assert build_into(SEEDS, locked / "dist") == 2
        assert "Permission denied" in capsys.readouterr().err
    with _tmpfs(tmp_path / "ro", "ro,size=1m") as ro:
        assert build_into(SEEDS, ro / "dist") == 2
        err = capsys.readouterr().err
        assert f"cannot write in {qname(ro)}: Read-only file system" in err, err
        assert build_into(SEEDS, ro) == 2  # a mount point: a rename can never replace it
        assert "is a mount point" in capsys.readouterr().err


# -- 2. workers die with the build; the lock is the build's alone; a dead build's is taken ------


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie waiting for init to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait_for(what: str, test: object, deadline: float = 60.0) -> None:
    end = time.monotonic() + deadline
    while not test():  # type: ignore[operator]
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.01)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "seeds"
    generate(folder, 1500, seed=13)
    return folder


@pytest.mark.parametrize(
    ("victim", "sig"),
    [("parent", signal.SIGKILL), ("parent", signal.SIGTERM), ("worker", signal.SIGKILL)],
)
def test_killing_a_process_of_the_build_leaves_none_and_the_next_build_starts(
    corpus: Path, tmp_path: Path, victim: str, sig: signal.Signals
) -> None:
    out = tmp_path / "dist"
    assert build_into(SEEDS, out) == 0
    before = _snapshot(out)
    cmd = [*CLI, "build", "--seeds", str(corpus), "--out", str(out), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Kill in pass 1, once the workers have written a chunk: they are busy with the next.
        _wait_for("a chunk", lambda: list(tmp_path.glob(".dist.building-*/.chunks/chunk-*")))
        workers = _children(proc.pid)
        assert len(workers) >= 2 and all(map(_alive, workers))
        os.kill(proc.pid if victim == "parent" else workers[0], sig)  # that one alone, as `kill`
        _, err = proc.communicate(timeout=60)
    finally:  # a build that hangs fails the test, and is not left running
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    _wait_for("the workers' end", lambda: not any(map(_alive, workers)))
    if (victim, sig) != ("parent", signal.SIGKILL):  # the parent lives to clean up and say so
        assert "Traceback" not in err
        assert f"nothing was changed: {qname(out)} is as it was" in err
        assert not list(tmp_path.glob(".dist.*"))
    if victim == "parent" and sig == signal.SIGTERM:
        assert proc.returncode == 143 and err.startswith("interrupted; "), err
    if victim == "worker":
        assert proc.returncode == 1
        assert err.startswith("the build failed: a worker process stopped unexpectedly"), err
    assert _snapshot(out) == before
    assert build_into(SEEDS, out) == 0  # the lock is not held by anything left behind
    assert not list(tmp_path.glob(".dist.*"))


#: A pool whose first job's worker starts sending its result and stops half-way (the length of
#: a message, none of its bytes), then does ``{then}``; the other jobs sleep.
_HALF_SENT = """
import os, signal, struct, sys, time
from corpuskit.executors import LocalPoolExecutor

def half_a_result(n):
    if n == 0:
        frame = sys._getframe()
        while frame.f_code.co_name != "_process_worker":
            frame = frame.f_back
        writer = frame.f_locals["result_queue"]._writer
        os.write(writer.fileno(), struct.pack("!i", 1 << 16))
        {then}
    time.sleep(60)

if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with LocalPoolExecutor(2) as ex:
        for _ in ex.map(half_a_result, range(4)):
            pass
"""


@pytest.mark.parametrize(
    ("then", "code", "said"),
    [
        ("os._exit(1)", 1, "BrokenProcessPool: a worker process stopped unexpectedly"),
        ("os.kill(os.getppid(), signal.SIGTERM)", 143, ""),
    ],
    ids=["the-worker-dies", "the-build-is-stopped"],
)
def test_a_result_sent_half_way_neither_hangs_the_pool_nor_the_exit(
    tmp_path: Path, then: str, code: int, said: str
) -> None:
    """The pool's own thread waits for the rest of a half-sent message for ever: a worker
    killed while sending must still break the pool, and a build stopped then must still exit
    (it hung at exit, joining that thread)."""
    script = tmp_path / "half_sent.py"
    script.write_text(_HALF_SENT.replace("{then}", then))
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, env=env
    )
    assert proc.returncode == code, proc.stderr
    assert said in proc.stderr


@contextmanager
def _orphan(before: str, in_child: str) -> Iterator[int]:
    """A real orphan: a Python process runs ``before``, forks a child that runs ``in_child``
    and then sleeps, and exits at once without any clean-up (as a SIGKILL would leave it).
    Yields the child's pid; kills the child at the end if it still lives."""
    script = (
        f"import os, sys, threading, time\nfrom pathlib import Path\n{before}\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    null = os.open(os.devnull, os.O_RDWR); os.dup2(null, 1); os.dup2(null, 2)\n"
        f"    {in_child}\n"
        "    time.sleep(60); os._exit(0)\n"
        "print(child, flush=True); time.sleep(0.2); os._exit(0)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    child = int(proc.stdout)
    try:
        yield child
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_the_lock_is_not_inherited_and_a_dead_builds_lock_is_taken_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A build takes the lock, forks a child that lives on, and dies: the child inherited the
    descriptor, but not the lock, and the dead build's lock file is taken over."""
    out = tmp_path / "dist"
    take = f"from corpuskit.lock import build_lock\ncm = build_lock(Path({str(out)!r}))\ncm.__enter__()"
    with _orphan(take, "pass") as child:
        assert _alive(child)
        assert lock_path(out).read_text().strip().isdigit()  # the dead build's pid
        assert build_into(SEEDS, out) == 0, capsys.readouterr().err
        assert not lock_path(out).exists()


def test_where_the_parent_death_signal_is_missing_a_watcher_ends_the_orphan() -> None:
    """The portable fallback alone (no PR_SET_PDEATHSIG): a forked child running the watcher
    ends soon after its parent does."""
    watch = "threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()"
    with _orphan("from corpuskit.executors import _watch_parent", watch) as child:
        _wait_for("the orphan's end", lambda: not _alive(child))


def test_a_live_build_holds_the_lock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dist"
    with build_lock(out):
        # A worker forked meanwhile and gone since closed its copy of the descriptor: that
        # must not release the lock (as closing any copy would for a record lock's owner).
        child = os.fork()
        if child == 0:
            os._exit(0)
        os.waitpid(child, 0)
        holder = (
            "import sys\n"
            "from pathlib import Path\n"
            "from corpuskit.cli import main\n"
            f"sys.exit(main(['build', '--seeds', {str(SEEDS)!r}, '--out', {str(out)!r}]))\n"
        )
        proc = subprocess.run([sys.executable, "-c", holder], capture_output=True, text=True)
        assert proc.returncode == 2
        assert f"{qname(out)}: another build into this folder is running (pid {os.getpid()})" in (
            proc.stderr
        )
    assert build_into(SEEDS, out) == 0


# -- 3. special files and the size limit ---------------------------------------------------------


def test_special_files_are_refused_by_name_without_hanging(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    os.mkfifo(tmp_path / "fifo")
    os.mkfifo(seeds / "pipe.txt")
    (seeds / "to_fifo.txt").symlink_to(tmp_path / "fifo")  # opening it would block for ever
    (seeds / "zeros.txt").symlink_to("/dev/zero")  # reading it would never end
    (seeds / "to_folder").symlink_to(tmp_path)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(seeds / "sock"))
    try:
        cmd = [*CLI, "build", "--seeds", str(seeds), "--out", str(tmp_path / "dist")]
        cmd += ["--seed-glob", "*"]  # every file, whatever its name, is a seed here
        proc = subprocess.run([*cmd, "--workers", "1"], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1, proc.stderr
        for name, kind in [
            ("pipe.txt", "a named pipe (FIFO)"),
            ("sock", "a socket"),
            ("to_fifo.txt", "a named pipe (FIFO), reached through a symbolic link"),
            ("zeros.txt", "a character device, reached through a symbolic link"),
            ("to_folder", "a folder, reached through a symbolic link"),
        ]:
            assert f"{qname(seeds / name)}: not_a_regular_file: {kind}" in proc.stderr, name
        proc = subprocess.run(
            [*cmd, "--workers", "2", "--skip-invalid"], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
    finally:
        sock.close()
    meta = _metadata(tmp_path / "dist")
    assert {n for n, m in meta.items() if m["status"] == "rejected"} == {
        "pipe.txt", "sock", "to_fifo.txt", "zeros.txt", "to_folder"
    }  # fmt: skip


def test_a_seed_over_the_limit_is_refused_naming_its_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    write_seed(seeds, "huge.txt", "A title\n\n" + "A body with words in it.\n" * 100_000)
    assert build_into(seeds, tmp_path / "dist", "--max-seed-bytes", "1MiB") == 1
    err = capsys.readouterr().err
    assert (
        f"{qname(seeds / 'huge.txt')}: too_large: the file has 2.4 MiB (2,500,009 bytes), over "
        "the limit of 1.0 MiB (1,048,576 bytes)"
    ) in err
    assert build_into(seeds, tmp_path / "dist", "--max-seed-bytes", "3M") == 0


def test_the_limit_holds_for_a_file_larger_than_it_says(tmp_path: Path) -> None:
    """/proc files say they have 0 bytes and hold more: at most limit + 1 bytes are read."""
    link = tmp_path / "proc.txt"
    link.symlink_to("/proc/self/mountinfo")
    assert os.stat(link).st_size == 0
    assert len(read_seed(str(link), 1 << 20)) > 0
    with pytest.raises(Exception, match="too_large: the file has more than 16 bytes"):
        read_seed(str(link), 16)


def test_a_file_that_holds_more_than_it_says_is_read_whole_a_piece_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safety, "_MORE", 7)  # many pieces after the first read
    link = tmp_path / "proc.txt"
    link.symlink_to("/proc/version")
    expected = Path("/proc/version").read_bytes()
    assert os.stat(link).st_size == 0 and len(expected) > 3 * 7
    assert read_seed(str(link), 1 << 20) == expected
    with pytest.raises(Exception, match="too_large: the file has more than 20 bytes"):
        read_seed(str(link), 20)


def test_the_limit_is_configurable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_size("64MiB") == parse_size("64m") == 64 << 20 == parse_size(str(64 << 20))
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.corpuskit]\nmax_seed_bytes = "2KiB"\n', encoding="utf-8")
    assert Project.load(tmp_path).max_seed_bytes() == 2048
    pyproject.write_text('[tool.corpuskit]\nmax_seed_bytes = "lots"\n', encoding="utf-8")
    with pytest.raises(
        UsageError, match=r'pyproject.toml": \[tool.corpuskit\] max_seed_bytes: not a size'
    ):
        Project.load(tmp_path).max_seed_bytes()
    with pytest.raises(SystemExit):
        main(["build", "--max-seed-bytes", "lots"])
    assert "not a size in bytes" in capsys.readouterr().err


# -- 6. tracebacks where a message belongs ---------------------------------------------------


def test_a_name_that_is_not_utf8_is_named_and_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    raw = os.fsencode(seeds) + b"/caf\xe9.txt"
    with open(raw, "wb") as f:
        f.write(b"T\n\nbody words\n")
    assert build_into(seeds, tmp_path / "dist") == 1
    err = capsys.readouterr().err
    assert f'"{seeds}/caf\\351.txt": file_name_not_utf8: ' in err and "Traceback" not in err
    assert build_into(seeds, tmp_path / "dist", "--skip-invalid") == 0
    row = _metadata(tmp_path / "dist")["caf\\351.txt"]
    assert (row["status"], row["doc_id"]) == ("rejected", "caf\\351")
    assert main(["validate", str(tmp_path / "dist")]) == 0


def test_names_that_only_c_escapes_would_tell_apart_are_refused(tmp_path: Path) -> None:
    with open(os.fsencode(tmp_path) + b"/caf\xe9.txt", "wb"):
        pass
    (tmp_path / "caf\\351.txt").write_bytes(b"")  # the same name, written out with a backslash
    with pytest.raises(DataError, match="two seeds have this name once it is escaped; rename one"):
        list(discover(tmp_path))


def test_a_full_disk_is_a_message_and_the_previous_dataset_stays(
    corpus: Path, tmp_path: Path
) -> None:
    """A file-size limit (RLIMIT_FSIZE) makes writes fail as a full disk does, on any machine."""
    out = tmp_path / "dist"
    assert build_into(SEEDS, out) == 0
    before = _snapshot(out)

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 << 10, 256 << 10))

    cmd = [*CLI, "build", "--seeds", str(corpus), "--out", str(out), "--workers", "2"]
    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=small_files, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "the build failed: " in proc.stderr and "File too large" in proc.stderr
    assert f"nothing was changed: {qname(out)} is as it was" in proc.stderr
    assert _snapshot(out) == before and not list(tmp_path.glob(".dist.*"))


def test_a_full_tmpfs_is_a_message(corpus: Path, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "small", "size=2m") as small:
        cmd = [*CLI, "build", "--seeds", str(corpus), "--out", str(small / "out")]
        proc = subprocess.run([*cmd, "--workers", "2"], capture_output=True, text=True)
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert f"the build failed: writing the new dataset in {qname(small)}" in proc.stderr
        assert "No space left on device" in proc.stderr
        assert list(small.iterdir()) == []


def test_seeds_a_thousand_folders_deep_are_read(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    deep = seeds
    for _ in range(1100):  # one at a time: pathlib's mkdir(parents=True) recurses
        deep = deep / "d"
        deep.mkdir()
    write_seed(deep, "deep.txt", "A deep title\n\nA body down in the depths of the folders.\n")
    rel = "d/" * 1100 + "deep.txt"
    try:
        assert [s.file_name for s in discover(seeds)][-1] == rel
        assert build_into(seeds, tmp_path / "dist") == 0
        assert _metadata(tmp_path / "dist")[rel]["status"] == "ok"
        # and a dataset folder that deep is looked through, to be refused
        shutil.move(seeds / "d", tmp_path / "dist" / "d")
        assert build_into(SEEDS, tmp_path / "dist") == 2
    finally:  # shutil.rmtree, and so pytest's clean-up, recurse: take the folders down here
        for top in (seeds / "d", tmp_path / "dist" / "d"):
            if top.exists():
                (top.parent / ("d/" * 1100 + "deep.txt")).unlink()
                for depth in range(1100, 0, -1):
                    (top.parent / ("d/" * depth)).rmdir()


def test_a_python_without_the_dependencies_says_which_to_use(tmp_path: Path) -> None:
    # -S: no site-packages, so none of the project's dependencies, as a bare system python3.
    proc = subprocess.run(
        [sys.executable, "-S", str(REPO / "build_dataset.py"), "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"error: {sys.executable} cannot run this: it has no module" in proc.stderr
    assert f"{REPO / '.venv' / 'bin' / 'python'} {REPO / 'build_dataset.py'} ..." in proc.stderr


# -- 9. an interrupt after the swap says the new dataset is in ---------------------------------


def test_sigint_after_the_swap_says_the_new_dataset_is_in(tmp_path: Path) -> None:
    """The previous dataset has many files, so removing it after the swap takes a while:
    the interrupt is sent the moment the target becomes the new folder."""
    out = tmp_path / "dist"
    (out / "data").mkdir(parents=True)
    lines = []
    for i in range(8_000):
        (out / "data" / f"{i}.txt").write_bytes(b"")
        lines.append(f"{'0' * 64}  data/{i}.txt\n")
    (out / "build_stats.json").write_text("{}\n", encoding="utf-8")
    lines.append(f"{'0' * 64}  build_stats.json\n")
    (out / "MANIFEST.sha256").write_text("".join(lines), encoding="utf-8")
    old = os.stat(out).st_ino
    cmd = [*CLI, "build", "--seeds", str(SEEDS), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for("the swap", lambda: os.stat(out).st_ino != old or proc.poll() is not None)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert f"interrupted; {qname(out)} is the new dataset, complete and checked" in err
    assert "nothing was changed" not in err
    assert json.loads((out / "build_stats.json").read_text(encoding="utf-8"))["seeds"] == 5
    assert not (out / "data" / "0.txt").exists()  # the new dataset, checked before the swap
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


# -- 10. --skip-invalid: the reasons when nothing is usable; colliding doc_ids ------------------


def test_when_no_seed_is_usable_the_reasons_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    for i in range(8):
        write_seed(seeds, f"empty{i}.txt", b"")
    for i in range(4):
        write_seed(seeds, f"title_only{i}.txt", "Only a title here\n\n\n")
    assert build_into(seeds, tmp_path / "dist", "--skip-invalid") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"{qname(seeds)}: no usable seed, so there is no dataset to build; all 12 seeds were "
        "rejected (8 empty, 4 no_body):"
    )
    assert err[1].startswith(f"{qname(seeds / 'empty0.txt')}: empty: ")
    assert len(err) == 12 and err[-1] == "... and 2 more"


def test_seeds_sharing_a_doc_id_are_all_rejected_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    write_seed(seeds, "a.txt", "Title one\n\nBody one.\n")
    write_seed(seeds, "a.md", "Title two\n\nBody two.\n")
    write_seed(seeds, "a.md.txt", "Title three\n\nBody three.\n")  # its doc_id is a.md's name
    globs = ("--seed-glob", "*.txt", "--seed-glob", "*.md")
    assert build_into(seeds, tmp_path / "dist", "--skip-invalid", *globs) == 0, (
        capsys.readouterr().err
    )
    meta = _metadata(tmp_path / "dist")
    for name in ("a.txt", "a.md", "a.md.txt"):
        assert (meta[name]["status"], meta[name]["doc_id"]) == ("rejected", name)
    assert (
        meta["a.txt"]["error"]
        == meta["a.md"]["error"]
        == (
            'doc_id_collision: "a.md" and "a.txt" map to one doc_id, "a": none of them is used '
            "(rename all but one)"
        )
    )
    assert str(meta["a.md.txt"]["error"]).startswith(
        'doc_id_collision: "a.md" and "a.md.txt" map to one doc_id, "a.md"'
    )
    assert main(["validate", str(tmp_path / "dist")]) == 0


# -- 11. file names in messages are quoted as ls --quoting-style=c does ---------------------------


def test_names_are_quoted_as_ls_quotes_them(tmp_path: Path) -> None:
    names = [b"plain.txt", b"new\nline", b'quo"te', b"back\\slash", b"tab\t", b"caf\xc3\xa9",
             b"caf\xe9", b"bell\x07", b"del\x7f"]  # fmt: skip
    for n in names:
        with open(os.fsencode(tmp_path) + b"/" + n, "wb"):
            pass
    ls = subprocess.run(
        ["ls", "--quoting-style=c", "-1", str(tmp_path)],
        capture_output=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        check=True,
    )
    expected = sorted(ls.stdout.decode("utf-8").splitlines())
    assert sorted(qname(n) for n in names) == expected
    assert sorted(qname(os.fsdecode(n)) for n in names) == expected


def test_a_newline_in_a_name_stays_on_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    write_seed(seeds, "two\nlines.txt", b"")
    assert build_into(seeds, tmp_path / "dist") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[1] == f'"{seeds}/two\\nlines.txt": empty: the file has no bytes', err
    assert len(err) == 2
