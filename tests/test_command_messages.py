"""Issue 13, item 13: explain names what a path is; publish checks the repo id first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpuskit.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    rc = main(list(argv))
    cap = capsys.readouterr()
    assert "Traceback" not in cap.out + cap.err
    return rc, cap.err


def test_explain_a_folder_says_it_is_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, err = _run(capsys, "explain", str(tmp_path))
    assert rc == 2
    assert f'"{tmp_path}": is a folder' in err
    assert "no such" not in err


def test_explain_a_device_says_it_is_not_a_regular_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rc, err = _run(capsys, "explain", os.devnull)
    assert rc == 2
    assert '"/dev/null": is a character device, not a regular file' in err


def test_explain_a_fifo_does_not_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    rc, err = _run(capsys, "explain", str(fifo))
    assert rc == 2
    assert "is a FIFO, not a regular file" in err


def test_explain_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, err = _run(capsys, "explain", str(tmp_path / "nowhere.txt"))
    assert rc == 2
    assert 'nowhere.txt": no such seed file' in err


@pytest.mark.parametrize("repo_id", ["bad id/..", "owner/..", "owner/na--me", "a/b/c", "nobody"])
def test_publish_refuses_an_invalid_repo_id_before_anything(
    repo_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, err = _run(capsys, "publish", "--repo-id", repo_id, "--dry-run", "--dir", str(tmp_path))
    assert rc == 2
    assert repr(repo_id) in err


def test_explain_says_how_many_bytes_were_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = tmp_path / "stray.txt"
    seed.write_bytes("Café ".encode() + b"\xa0" + b"title\n\nA body with the words in it.\n")
    assert main(["explain", str(seed)]) == 0
    out = capsys.readouterr().out
    assert "# encoding utf-8 (1 invalid byte read as U+FFFD)" in out
    assert "Café \ufffdtitle" in out
