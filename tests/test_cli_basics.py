"""Issue 15: --version, -v/-q, a subcommand's own usage on error, and progress lines in CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from corpuskit import __version__, memory
from corpuskit.cli import main

from .conftest import REPO, SEEDS


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The command line in a subprocess whose stderr is a pipe, as in CI (no terminal)."""
    return subprocess.run(
        [sys.executable, str(REPO / "build_dataset.py"), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_version_is_the_tools_not_the_datasets(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert re.fullmatch(
        rf"corpuskit {re.escape(__version__)} \(extraction rules \S+\)\n",
        capsys.readouterr().out,
    )
    # the installed distribution is the tool, at that version (the dataset's is in its project)
    assert metadata.version("corpuskit") == __version__


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["build", "--no-such-flag"], "usage: corpuskit build "),
        (["diff", "only-one"], "usage: corpuskit diff "),
        (["release", "huge"], "usage: corpuskit release "),
        (["validate", "a", "b"], "usage: corpuskit validate "),
    ],
)
def test_a_subcommands_error_prints_its_own_usage(
    argv: list[str], usage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage), err
    assert f"corpuskit {argv[0]}: error:" in err


def test_ci_build_and_validate_print_progress_lines(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    proc = _cli(
        "build", "--seeds", str(SEEDS), "--out", str(out), "--workers", "1",
        CORPUSKIT_PROGRESS_SECONDS="0",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert "pass 1: reading seeds: 5/5 seeds" in proc.stderr
    assert any(re.fullmatch(r"pass 1: reading seeds: 5/5 seeds, [\d.]+ s done", x) for x in lines)
    assert any(re.fullmatch(r"pass 2: writing tables: 3/3 chunks, [\d.]+ s done", x) for x in lines)
    assert "\r" not in proc.stderr  # lines, not a bar redrawn in place
    proc = _cli("validate", str(out), CORPUSKIT_PROGRESS_SECONDS="0")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^validate: checking rows: 48/48 rows, [\d.]+ s done$", proc.stderr, re.M)


def test_quiet_prints_no_progress_and_verbose_prints_timings(tmp_path: Path) -> None:
    args = ("build", "--seeds", str(SEEDS), "--out", str(tmp_path / "d"), "--workers", "1")
    quiet = _cli("-q", *args, CORPUSKIT_PROGRESS_SECONDS="0")
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert "built " in quiet.stdout
    verbose = _cli(*args, "-v", CORPUSKIT_PROGRESS_SECONDS="3600")  # -v after the subcommand too
    assert verbose.returncode == 0, verbose.stderr
    assert "timing pass 1: read and extract" in verbose.stderr
    assert "pass 1: reading seeds" not in verbose.stderr  # a short build in CI prints no progress


def test_commands_start_mimalloc_without_huge_pages() -> None:
    """mimalloc reads its options when pyarrow loads: the command sets them before that
    (memory.before_pyarrow), as its own report at start-up shows."""
    proc = _cli("-q", "validate", str(REPO / "dist"), MIMALLOC_VERBOSE="1")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^option 'allow_thp': 0\b", proc.stderr, re.M), proc.stderr[-2000:]


def test_a_mimalloc_option_the_user_set_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIMALLOC_ALLOW_THP", "1")
    memory.before_pyarrow()
    assert os.environ["MIMALLOC_ALLOW_THP"] == "1"
