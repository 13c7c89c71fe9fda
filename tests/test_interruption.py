"""Issue 4: a build killed at any moment before its atomic swap leaves the previous dist/ byte for
byte as it was (after the swap, the complete new one); the next build cleans up what it left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks.generate import generate

from .conftest import REPO, SEEDS, build_into


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_sigkill_at_any_moment_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build_into(SEEDS, out) == 0
    before = _snapshot(out)
    big = tmp_path / "big"
    generate(big, 3000, seed=7)
    cmd = [
        sys.executable,
        str(REPO / "build_dataset.py"),
        "build",
        "--seeds",
        str(big),
        "--out",
        str(out),
        "--workers",
        "2",
    ]

    start = time.monotonic()
    subprocess.run(cmd, check=True, capture_output=True)  # how long a whole build takes here
    full = time.monotonic() - start
    after = _snapshot(out)  # the complete new dataset
    assert after != before
    assert build_into(SEEDS, out) == 0 and _snapshot(out) == before

    killed = untouched = 0
    for fraction in (0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95):
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        time.sleep(full * fraction)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        now = _snapshot(out)
        # Before the atomic swap, the old dataset; after it (a kill during clean-up, or a build
        # that finished first), the complete new one. Never a mix of the two.
        assert now in (before, after), f"killed at {fraction:.0%} of a build: a mix of datasets"
        if now == after:
            assert build_into(SEEDS, out) == 0
        else:
            untouched += 1
    assert killed >= 4 and untouched >= 3, "the builds finished too fast to be killed mid-way"

    # Kill one more as soon as its staging folder exists: the folder is left behind ...
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".dist.building-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(tmp_path.glob(".dist.building-*")), "a killed build leaves its staging folder"
    assert _snapshot(out) == before
    # ... and the next build removes it.
    assert build_into(SEEDS, out) == 0
    assert list(tmp_path.glob(".dist.building-*")) == []
    assert _snapshot(out) == before
