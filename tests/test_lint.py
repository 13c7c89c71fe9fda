"""One linter and one type checker, run as part of the suite so that neither can rot."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO

PATHS = ["src", "tests", "benchmarks", "build_dataset.py"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_ruff_lint() -> None:
    proc = _run("ruff", "check", *PATHS)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_ruff_format() -> None:
    proc = _run("ruff", "format", "--check", *PATHS)
    assert proc.returncode == 0, (
        proc.stdout[-4000:] + "\nrun: .venv/bin/ruff format " + " ".join(PATHS)
    )


@pytest.mark.slow
def test_mypy() -> None:
    proc = _run("mypy")
    assert proc.returncode == 0, proc.stdout[-4000:]
