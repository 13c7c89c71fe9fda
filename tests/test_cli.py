"""The CLI's contract: subcommands, --help, exit codes 0/1/2, no tracebacks."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpuskit.cli import main

from .conftest import DIST, REPO


@pytest.mark.parametrize(
    "argv", [["--help"], ["build", "--help"], ["validate", "--help"], ["explain", "--help"]]
)
def test_every_subcommand_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert "usage:" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["build", "--workers", "0"],
        ["build", "--workers", "x"],
        ["build", "--no-such-flag"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_missing_seeds_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--seeds", str(tmp_path / "nope"), "--out", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "Traceback" not in err
    assert not (tmp_path / "d").exists()


def test_no_subcommand_builds_seeds_into_dist(tmp_path: Path) -> None:
    """`corpuskit` alone, in a copy of this project: its seeds/ into its dist/."""
    for name in ("seeds", "config", "templates"):
        shutil.copytree(REPO / name, tmp_path / name)
    for name in ("corpuskit.toml", "CHANGELOG.md"):
        shutil.copy2(REPO / name, tmp_path / name)
    proc = subprocess.run(
        [Path(sys.executable).parent / "corpuskit"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "4 articles, 39 comments, 5 metadata rows" in proc.stdout
    cmp = filecmp.dircmp(tmp_path / "dist", DIST)
    assert cmp.left_only == cmp.right_only == cmp.diff_files == []


def test_explain_unknown_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err
